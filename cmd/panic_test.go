package cmd

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
)

// TestPanicIsRecovered: a panic anywhere in a command ends with exit 1 and
// a plain message, never the panic value (which could hold a secret), and
// a stack only with --debug.
func TestPanicIsRecovered(t *testing.T) {
	for _, debug := range []bool{false, true} {
		t.Run(fmt.Sprint("debug=", debug), func(t *testing.T) {
			f, _, stderr := newTestFactory(t)
			f.Store = func(context.Context) (flow.Store, error) {
				panic("boom with client_secret=" + hygieneSecret)
			}
			args := []string{"list"}
			if debug {
				args = append(args, "--debug")
			}
			if code := runCmd(t, f, args...); code != 1 {
				t.Fatalf("exit = %d, want 1", code)
			}
			out := stderr.String()
			if !strings.Contains(out, "internal error") {
				t.Errorf("no internal-error message: %q", out)
			}
			if strings.Contains(out, hygieneSecret) || strings.Contains(out, "boom") {
				t.Errorf("the panic value reached the output: %q", out)
			}
			if hasStack := strings.Contains(out, "goroutine"); hasStack != debug {
				t.Errorf("stack trace shown = %v, want %v", hasStack, debug)
			}
		})
	}
}
