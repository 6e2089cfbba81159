package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/bundle"
	"github.com/hiveku/byok/ui/text"
	"golang.org/x/term"
)

// readPassphrase returns the bundle passphrase: the first line of file
// (--passphrase-file; "-" is not allowed, standard input may carry the
// bundle), else a prompt without echo on the terminal, asked twice when
// confirm (export). Without either it is EINVALID for --passphrase-file.
func readPassphrase(ctx context.Context, ios *IOStreams, file string, confirm bool) (string, error) {
	if file != "" {
		data, err := readInput(ctx, ios, file, 4096, "--passphrase-file", "pass a file whose first line is the passphrase")
		if err != nil {
			return "", err
		}
		p, _, _ := strings.Cut(string(data), "\n")
		p = strings.TrimRight(p, "\r")
		if p == "" {
			return "", flow.Invalid("--passphrase-file", "%s has an empty first line", file).WithFix("put the passphrase on the first line")
		}
		return p, nil
	}
	fh, ok := ios.In.(*os.File)
	if !ok || !ios.IsStdinTTY() || !ios.IsStderrTTY() {
		return "", flow.Invalid("--passphrase-file", "a passphrase is needed and there is no terminal to ask for it").
			WithFix("pass --passphrase-file FILE (its first line is the passphrase)")
	}
	ask := func(prompt string) (string, error) {
		fmt.Fprint(ios.ErrOut, prompt)
		b, err := term.ReadPassword(int(fh.Fd()))
		fmt.Fprintln(ios.ErrOut)
		if err != nil {
			return "", fmt.Errorf("read passphrase: %w", err)
		}
		return string(b), nil
	}
	p, err := ask("Bundle passphrase (not shown): ")
	if err != nil {
		return "", err
	}
	if confirm {
		if n := len([]rune(p)); n < bundle.MinPassphrase {
			return "", flow.Invalid("passphrase", "is %d %s; use at least %d", n, text.Plural(n, "character", "characters"), bundle.MinPassphrase).
				WithFix("choose a longer passphrase, e.g. four unrelated words")
		}
		again, err := ask("Same passphrase again: ")
		if err != nil {
			return "", err
		}
		if again != p {
			return "", flow.Invalid("passphrase", "the two entries differ").WithFix("run the command again and type the same passphrase twice")
		}
	}
	return p, nil
}

// readAllCtx reads r to its end (at most max+1 bytes) in a goroutine, so
// that Ctrl+C (ctx) ends the wait even when the reader blocks (a pipe
// whose writer never writes).
func readAllCtx(ctx context.Context, r io.Reader, max int) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		b, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
		ch <- result{b, err}
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case res := <-ch:
		return res.b, res.err
	}
}
