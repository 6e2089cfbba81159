package cmd

import (
	"strings"
	"testing"
)

// TestChangedKeyIsReported: with a different key (BYOK_KEY changed, or
// byok.key lost), every command says which secrets can't be read and how
// to get them back; the configs themselves stay readable; rotate clears it.
func TestChangedKeyIsReported(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	f.IO.In = strings.NewReader(hygieneSecret)
	if code := runCmd(t, f, "setup", "--no-input", "--secret-stdin", "--name", "Acme Hiveku",
		"--client-id", "2f7c3a9e-5d41-4b8a-9c6e-0d1f2a3b4c5d", "--directory-id", "4b0c1d2e-7f3a-4c5b-9d6e-1a2b3c4d5e6f"); code != 0 {
		t.Fatalf("setup: exit %d: %s", code, stderr)
	}
	env := map[string]string{"BYOK_KEY": "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=", "BYOK_DB": testDBPath(t, f)}
	f.Getenv = func(k string) string { return env[k] }
	stderr.Reset()
	if code := runCmd(t, f, "list"); code != 0 {
		t.Fatalf("list: exit %d", code)
	}
	got := stderr.String()
	for _, want := range []string{"warning:", "Acme Hiveku", "BYOK_KEY", "byok rotate"} {
		if !strings.Contains(got, want) {
			t.Errorf("warning lacks %q: %q", want, got)
		}
	}
	f.IO.In = strings.NewReader(hygieneSecret2)
	if code := runCmd(t, f, "rotate", "Acme Hiveku", "--secret-stdin", "--no-input", "--skip-preflight"); code != 0 {
		t.Fatalf("rotate: exit %d: %s", code, stderr)
	}
	stderr.Reset()
	runCmd(t, f, "list")
	if strings.Contains(stderr.String(), "warning:") {
		t.Errorf("warning remains after rotate: %q", stderr)
	}
}
