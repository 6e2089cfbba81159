//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package prompt

import (
	"context"
	"io"
)

// readCtx reads once; ctx is noticed between reads only.
func readCtx(ctx context.Context, _ int, in io.Reader, buf []byte) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return in.Read(buf)
}

// drain is a no-op here.
func drain(int) {}
