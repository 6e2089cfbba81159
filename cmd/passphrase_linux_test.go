package cmd

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/prompt/ptytest"
)

// TestPassphraseTooShort: a passphrase typed on the terminal that is
// too short is refused with its length in words that agree ("is 1
// character", not "is 1 characters").
func TestPassphraseTooShort(t *testing.T) {
	for typed, want := range map[string]string{"x": "is 1 character;", "xyz": "is 3 characters;"} {
		master, slave := ptytest.Open(t)
		go func() { _, _ = io.Copy(io.Discard, master) }()
		f, _, _ := newTestFactory(t)
		f.IO.In = slave
		f.IO.SetStdinTTY(true)
		f.IO.SetStderrTTY(true)
		if _, err := master.WriteString(typed + "\r"); err != nil {
			t.Fatal(err)
		}
		_, err := readPassphrase(context.Background(), f.IO, "", true)
		var fe *flow.Error
		if !errors.As(err, &fe) || fe.Field != "passphrase" || !strings.Contains(fe.Message, want) {
			t.Errorf("%q: readPassphrase() = %v, want a passphrase error saying %q", typed, err, want)
		}
	}
}
