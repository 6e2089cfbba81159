package cmd

import (
	"strings"
	"testing"

	"github.com/hiveku/byok/ui/text"
)

// TestTextFitsTheTerminal runs the commands that print text (not JSON)
// on terminals 80 and 40 columns wide: no line of what they print, on
// stdout or stderr, is wider than the terminal, except a line that is a
// single word that can't be broken (a URL, which must copy whole), bare
// or in a quoted page.
func TestTextFitsTheTerminal(t *testing.T) {
	runs := [][]string{
		{"list"},
		{"show", "Acme Hiveku"},
		{"show", "Contoso Mail"},
		{"show", "Old App"},
		{"verify", "Acme Hiveku", "--offline"},
		{"verify", "Contoso Mail", "--offline"},
		{"consent-url", "Acme Hiveku", "--admin"},
		{"doctor", "AADSTS50011: The redirect URI 'https://app.hiveku.com/api/oauth/microsoft/callbak' specified in the request does not match the redirect URIs configured for the application '11111111-2222-3333-4444-555555555555'."},
		{"setup", "--no-input", "--name", "Acme", "--client-id", setupClientID, "--directory-id", setupDirectoryID,
			"--redirect-uri", "http://app.hiveku.com/api/oauth/microsoft/callback/", "--secret-stdin"},
		{"setup", "--no-input", "--name", "Acme", "--client-id", setupClientID, "--directory-id", setupDirectoryID,
			"--account-type", "single", "--tenant", "common", "--secret-stdin"},
		{"rotate", "Acme Hiveku"},
		{"delete", "Nope"},
		{"list", "--expiring", "soon"},
		{"demo", "--pace", "0"},
		{"demo", "--pace", "0", "--scenario", "redirect-mismatch"},
		{"--help"},
		{"setup", "--help"},
		{"verify", "--help"},
		{"rotate", "--help"},
		{"help", "environment"},
	}
	for _, width := range []int{80, 40} {
		for _, args := range runs {
			t.Run(strings.Join(args[:min(len(args), 2)], " ")+"@"+string(rune('0'+width/10)), func(t *testing.T) {
				f, stdout, stderr := newTestFactory(t)
				f.IO.SetStdoutTTY(true)
				f.IO.SetStderrTTY(true)
				f.IO.SetWidth(width)
				listSeed(t, f)
				setupStdin(f, setupFixtureSecret)
				runCmd(t, f, args...)
				for name, out := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String()} {
					for _, l := range strings.Split(out, "\n") {
						// (a quoted page's line is "  │ " and its text)
						if text.Width(l) > width && len(strings.Fields(strings.TrimLeft(l, " │"))) > 1 {
							t.Errorf("%s line is %d cells on a %d-column terminal:\n%s\n--- all of it:\n%s", name, text.Width(l), width, l, out)
						}
					}
				}
			})
		}
	}
}

// TestColorEnvironment: --no-color, NO_COLOR, CLICOLOR=0 and TERM=dumb
// turn colour off; CLICOLOR_FORCE turns it on even for a pipe, but not
// against --no-color.
func TestColorEnvironment(t *testing.T) {
	tests := []struct {
		env     map[string]string
		noColor bool
		tty     bool
		want    bool
	}{
		{nil, false, true, true},
		{nil, false, false, false},
		{map[string]string{"NO_COLOR": "1"}, false, true, false},
		{map[string]string{"CLICOLOR": "0"}, false, true, false},
		{map[string]string{"TERM": "dumb"}, false, true, false},
		{map[string]string{"CLICOLOR_FORCE": "1"}, false, false, true},
		{map[string]string{"CLICOLOR_FORCE": "1", "NO_COLOR": "1"}, false, false, true},
		{map[string]string{"CLICOLOR_FORCE": "0"}, false, false, false},
		{map[string]string{"CLICOLOR_FORCE": "1"}, true, true, false},
	}
	for _, tt := range tests {
		ios, _, _, _ := Test()
		ios.SetColorDisabled(false)
		ios.SetStdoutTTY(tt.tty)
		ios.SetStderrTTY(tt.tty)
		f := &Factory{IO: ios, NoColor: tt.noColor, Getenv: func(k string) string { return tt.env[k] }}
		applyColorEnv(f)
		if got := ios.OutColorEnabled(); got != tt.want {
			t.Errorf("env %v, --no-color %v, tty %v: colour %v, want %v", tt.env, tt.noColor, tt.tty, got, tt.want)
		}
	}
}
