package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/hiveku/byok/flow"
)

// Fixture secrets: portal-shaped values, neither a GUID.
const (
	rotateOldSecret = "Fx7~Q.abcdefghijklmnopqrstuvwxyz0123456789"
	rotateNewSecret = "Ab3~Z.zyxwvutsrqponmlkjihgfedcba9876543210"
	rotateDirectory = "66666666-7777-8888-9999-000000000000"
)

// rotateFixture returns a valid config holding rotateOldSecret.
func rotateFixture() flow.Config {
	return flow.Config{
		Name:        "Acme Hiveku",
		AccountType: flow.MultiTenantPersonal,
		RedirectURI: flow.HivekuRedirectURI,
		Loopback:    true,
		Scopes:      []string{"offline_access", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"},
		ClientID:    "11111111-2222-3333-4444-555555555555",
		DirectoryID: rotateDirectory,
		Tenant:      "common",
		Secret:      flow.Secret(rotateOldSecret),
		SecretInfo: flow.SecretInfo{
			Description: "Hiveku prod",
			Created:     testNow.AddDate(0, -20, 0),
			Expires:     testNow.AddDate(0, 0, 20),
		},
	}
}

// rotateSave stores c in f's database.
func rotateSave(t *testing.T, f *Factory, c flow.Config) {
	t.Helper()
	if err := testStore(t, f).SaveConfig(context.Background(), c, false); err != nil {
		t.Fatalf("save fixture: %v", err)
	}
	_ = f.Close()
}

// rotateFakeAuthority serves Microsoft's token endpoint for the fixture's
// directory: a client-credentials request with good succeeds, any other
// secret gets Microsoft's AADSTS7000215 answer. It counts requests.
func rotateFakeAuthority(t *testing.T, good string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Method != http.MethodPost || r.URL.Path != "/"+rotateDirectory+"/oauth2/v2.0/token" {
			http.NotFound(w, r)
			return
		}
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		if r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_id") != rotateFixture().ClientID {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"invalid_request","error_description":"AADSTS900144: bad request","error_codes":[900144]}`))
			return
		}
		if r.PostForm.Get("client_secret") != good {
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]any{
				"error":             "invalid_client",
				"error_description": "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '11111111-2222-3333-4444-555555555555'.\r\nTrace ID: 0\r\nCorrelation ID: 0\r\nTimestamp: 2026-11-27 09:00:00Z",
				"error_codes":       []int{7000215},
			})
			return
		}
		_, _ = w.Write([]byte(`{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"eyJ0eXAiOiJKV1QifQ.e30.sig"}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// rotateNoLeak fails if any output holds a fixture secret value.
func rotateNoLeak(t *testing.T, outs ...*bytes.Buffer) {
	t.Helper()
	for _, b := range outs {
		for _, s := range []string{rotateOldSecret, rotateNewSecret} {
			if strings.Contains(b.String(), s) {
				t.Fatalf("output shows a secret value:\n%s", b)
			}
		}
	}
}

func TestRotateStdinWithPreflight(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	rotateSave(t, f, rotateFixture())
	srv, calls := rotateFakeAuthority(t, rotateNewSecret)
	f.IO.In.(*bytes.Buffer).WriteString(rotateNewSecret + "\n")

	code := runCmd(t, f, "rotate", "Acme Hiveku", "--secret-stdin", "--secret-description", "Hiveku 2027", "--expires", "12m", "--authority-host", srv.URL)
	if code != 0 {
		t.Fatalf("exit %d\nstderr: %s", code, stderr)
	}
	if calls.Load() != 1 {
		t.Errorf("token endpoint called %d times, want 1", calls.Load())
	}
	rotateNoLeak(t, stdout, stderr)
	for _, want := range []string{
		"Rotated the client secret of \"Acme Hiveku\": Fx7… → Ab3…,\nexpires 2027-11-27",
		"Hiveku > Settings > OAuth Apps",
		"Users may need to reconnect",
		"delete the old one (Fx7…) in the portal",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}

	st := testStore(t, f)
	got, err := st.FindConfig(context.Background(), "acme hiveku")
	if err != nil {
		t.Fatal(err)
	}
	if got.Secret.Reveal() != rotateNewSecret || got.SecretInfo.Hint != "Ab3…" || got.SecretInfo.Description != "Hiveku 2027" || !got.SecretInfo.Created.Equal(testNow) {
		t.Errorf("after rotate: info %+v", got.SecretInfo)
	}
	hist, err := st.SecretHistory(context.Background(), "Acme Hiveku")
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 1 {
		t.Fatalf("history = %+v, want one entry", hist)
	}
	h := hist[0]
	if h.Hint != "Fx7…" || h.Description != "Hiveku prod" || !h.Expires.Equal(rotateFixture().SecretInfo.Expires) || !h.Retired.Equal(testNow) {
		t.Errorf("history entry = %+v", h)
	}
	if b, _ := json.Marshal(hist); bytes.Contains(b, []byte(rotateOldSecret)) {
		t.Error("history holds the old secret value")
	}
}

func TestRotatePreflightFailureReplacesNothing(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	rotateSave(t, f, rotateFixture())
	srv, calls := rotateFakeAuthority(t, "some-other-secret-value-entirely-1234")
	f.IO.In.(*bytes.Buffer).WriteString(rotateNewSecret)

	code := runCmd(t, f, "rotate", "Acme Hiveku", "--secret-stdin", "--authority-host", srv.URL)
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstderr: %s", code, stderr)
	}
	if calls.Load() != 1 {
		t.Errorf("token endpoint called %d times", calls.Load())
	}
	rotateNoLeak(t, stdout, stderr)
	for _, want := range []string{"✗", "Nothing was replaced", "(Fx7…)", "try again shortly"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	st := testStore(t, f)
	got, _ := st.FindConfig(context.Background(), "Acme Hiveku")
	if got.Secret.Reveal() != rotateOldSecret {
		t.Error("the secret was replaced although the preflight failed")
	}
	if hist, _ := st.SecretHistory(context.Background(), "Acme Hiveku"); len(hist) != 0 {
		t.Errorf("history = %+v, want none", hist)
	}
}

func TestRotateSkipPreflight(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	rotateSave(t, f, rotateFixture())
	srv, calls := rotateFakeAuthority(t, rotateNewSecret)
	f.IO.In.(*bytes.Buffer).WriteString(rotateNewSecret)
	if code := runCmd(t, f, "rotate", "Acme Hiveku", "--secret-stdin", "--skip-preflight", "--authority-host", srv.URL); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if calls.Load() != 0 {
		t.Errorf("--skip-preflight still called Microsoft %d times", calls.Load())
	}
	if got, _ := testStore(t, f).FindConfig(context.Background(), "Acme Hiveku"); got.Secret.Reveal() != rotateNewSecret {
		t.Error("secret not replaced")
	}
}

func TestRotateRejects(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"no stdin and no terminal", "", []string{"Acme Hiveku"}, 2, "secret value: no terminal"},
		{"secret ID pasted", "0f3c6a1e-8d2b-4c57-9e41-7b6a5d4c3b2a", []string{"Acme Hiveku", "--secret-stdin"}, 2, "Secret ID"},
		{"same secret", rotateOldSecret, []string{"Acme Hiveku", "--secret-stdin"}, 2, "already has"},
		{"past expiry", rotateNewSecret, []string{"Acme Hiveku", "--secret-stdin", "--expires", "2020-01-01"}, 2, "secret expiry"},
		{"garbage expiry", rotateNewSecret, []string{"Acme Hiveku", "--secret-stdin", "--expires", "soon"}, 2, "secret expiry"},
		{"bad authority host", rotateNewSecret, []string{"Acme Hiveku", "--secret-stdin", "--authority-host", "login"}, 2, "--authority-host"},
		{"bad cloud", rotateNewSecret, []string{"Acme Hiveku", "--secret-stdin", "--cloud", "mars"}, 2, "cloud"},
		{"unknown config", rotateNewSecret, []string{"Nope", "--secret-stdin"}, 1, `no config named "Nope"`},
		{"no name", "", nil, 2, "missing NAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			rotateSave(t, f, rotateFixture())
			srv, calls := rotateFakeAuthority(t, rotateNewSecret)
			f.IO.In.(*bytes.Buffer).WriteString(tt.stdin)
			args := append([]string{"rotate"}, tt.args...)
			if !strings.Contains(strings.Join(tt.args, " "), "--authority-host") {
				args = append(args, "--authority-host", srv.URL)
			}
			if code := runCmd(t, f, args...); code != tt.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr)
			}
			if calls.Load() != 0 {
				t.Errorf("Microsoft was called for invalid input")
			}
			rotateNoLeak(t, stdout, stderr)
			if got, _ := testStore(t, f).FindConfig(context.Background(), "Acme Hiveku"); got.Secret.Reveal() != rotateOldSecret {
				t.Error("secret changed")
			}
		})
	}
}

// TestRotateReentersMissingSecret covers an imported config without a
// value: rotate gives it one.
func TestRotateReentersMissingSecret(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	c := rotateFixture()
	c.Secret = ""
	c.SecretInfo.Missing = true
	rotateSave(t, f, c)
	srv, _ := rotateFakeAuthority(t, rotateNewSecret)
	f.IO.In.(*bytes.Buffer).WriteString(rotateNewSecret)
	if code := runCmd(t, f, "rotate", "Acme Hiveku", "--secret-stdin", "--authority-host", srv.URL); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout.String(), "none saved → Ab3…") {
		t.Errorf("stdout:\n%s", stdout)
	}
	got, _ := testStore(t, f).FindConfig(context.Background(), "Acme Hiveku")
	if got.SecretInfo.Missing || got.Secret.Reveal() != rotateNewSecret {
		t.Errorf("after rotate: missing=%v", got.SecretInfo.Missing)
	}
}

// TestRotatePromptAccessible drives the prompt the way a screen reader
// user does: plain lines, one question at a time (ui/prompt). The value
// is read without being shown.
func TestRotatePromptAccessible(t *testing.T) {
	ios, _, _, errOut := Test()
	// One byte per read, as a terminal delivers keystrokes: huh reads each
	// field through its own buffer.
	ios.In = iotest.OneByteReader(strings.NewReader("Hiveku 2027\n6m\n" + rotateNewSecret + "\n"))
	a, err := rotatePrompt(context.Background(), ios, true, true, testNow, rotateFixture(), RotateAnswers{Description: "Hiveku prod", Expires: "24m"})
	if err != nil {
		t.Fatalf("rotatePrompt() = %v\n%s", err, errOut)
	}
	if a.Description != "Hiveku 2027" || a.Expires != "6m" {
		t.Errorf("answers = %q %q\n%s", a.Description, a.Expires, errOut)
	}
	shown := strings.Join(strings.Fields(errOut.String()), " ")
	for _, want := range []string{"Certificates & secrets", "New client secret", "Value column (not the Secret ID)"} {
		if !strings.Contains(shown, want) {
			t.Errorf("prompt lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut.String(), rotateNewSecret) {
		t.Error("the prompt echoed the secret value")
	}
	if a.Value.Reveal() != rotateNewSecret {
		t.Fatalf("value %d characters, want the new secret", len(a.Value.Reveal()))
	}
	if _, _, err := rotateInfo(RotateAnswers{Description: "x", Expires: "6m"}, rotateFixture(), testNow); flow.ErrorCode(err) != flow.EINVALID {
		t.Errorf("rotateInfo(empty value) = %v, want EINVALID", err)
	}
}

func TestRotateInfo(t *testing.T) {
	next, warning, err := rotateInfo(RotateAnswers{Description: " Hiveku 2029 ", Expires: "30m", Value: flow.Secret(" " + rotateNewSecret + "\n")}, rotateFixture(), testNow)
	if err != nil {
		t.Fatal(err)
	}
	info := next.SecretInfo
	if next.Secret.Reveal() != rotateNewSecret {
		t.Error("the new value is not trimmed")
	}
	if info.Hint != "Ab3…" || info.Description != "Hiveku 2029" || !info.Created.Equal(testNow) || info.Expires.Before(testNow.Add(29*30*24*time.Hour)) {
		t.Errorf("info = %+v", info)
	}
	if warning == "" {
		t.Error("no warning for an expiry above 24 months")
	}
}

// TestRotatePreflightNoAnswer: when Microsoft cannot be reached the
// secret is kept and the way around the check is named.
func TestRotatePreflightNoAnswer(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	rotateSave(t, f, rotateFixture())
	srv, _ := rotateFakeAuthority(t, rotateNewSecret)
	srv.Close() // nothing listens there any more
	f.IO.In.(*bytes.Buffer).WriteString(rotateNewSecret)
	if code := runCmd(t, f, "rotate", "Acme Hiveku", "--secret-stdin", "--authority-host", srv.URL); code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	for _, want := range []string{"byok rotate 'Acme Hiveku' --skip-preflight", "Nothing was replaced"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if got, _ := testStore(t, f).FindConfig(context.Background(), "Acme Hiveku"); got.Secret.Reveal() != rotateOldSecret {
		t.Error("secret replaced without a preflight answer")
	}
}
