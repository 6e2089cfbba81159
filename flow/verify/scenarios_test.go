package verify

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

// TestVerifyFailures runs the engine against the fake with one thing
// wrong at a time and asserts each live check's status and AADSTS code.
func TestVerifyFailures(t *testing.T) {
	type want struct {
		status flow.Status
		code   int
	}
	P, F, W, S := flow.Pass, flow.Fail, flow.Warn, flow.Skip
	tests := []struct {
		name     string
		loopback bool
		setup    func(f *fakeMS, c *flow.Config)
		want     map[string]want
		fixHas   map[string]string
	}{
		{
			name:  "secret ID pasted instead of value",
			setup: func(f *fakeMS, c *flow.Config) { c.Secret = "0a1b2c3d-0000-4000-8000-00000000abcd" },
			want: map[string]want{flow.CheckDiscovery: {P, 0}, flow.CheckCreds: {F, 7000215}, flow.CheckConsent: {S, 0},
				flow.CheckToken: {S, 0}, flow.CheckMailbox: {S, 0}, flow.CheckRefresh: {S, 0}, flow.CheckAccess: {S, 0}},
			fixHas: map[string]string{flow.CheckCreds: "Value"},
		},
		{
			name:   "expired secret",
			setup:  func(f *fakeMS, c *flow.Config) { f.secretState = "expired" },
			want:   map[string]want{flow.CheckCreds: {F, 7000222}, flow.CheckConsent: {S, 0}},
			fixHas: map[string]string{flow.CheckCreds: "rotate"},
		},
		{
			name: "unknown tenant",
			setup: func(f *fakeMS, c *flow.Config) {
				c.Tenant = "99999999-2222-3333-4444-555555555555"
				c.DirectoryID = c.Tenant
			},
			want: map[string]want{flow.CheckDiscovery: {F, 90002}, flow.CheckCreds: {F, 90002}, flow.CheckConsent: {S, 0}, flow.CheckToken: {S, 0}},
		},
		{
			name:  "no service principal yet still proves the secret",
			setup: func(f *fakeMS, c *flow.Config) { f.secretState = "nosp" },
			want:  map[string]want{flow.CheckCreds: {P, 7000229}, flow.CheckConsent: {P, 0}, flow.CheckAccess: {P, 0}},
		},
		{
			name:  "user declines consent",
			setup: func(f *fakeMS, c *flow.Config) { f.authError = "65004" },
			want:  map[string]want{flow.CheckConsent: {F, 65004}, flow.CheckToken: {S, 0}, flow.CheckAccess: {S, 0}},
		},
		{
			name:     "admin consent required, loopback",
			loopback: true,
			setup:    func(f *fakeMS, c *flow.Config) { f.authError = "90094"; f.extraRedirect = []string{"http://localhost"} },
			want:     map[string]want{flow.CheckConsent: {F, 90094}, flow.CheckToken: {S, 0}},
			fixHas:   map[string]string{flow.CheckConsent: "admin"},
		},
		{
			name:   "redirect URI not registered, error page pasted",
			setup:  func(f *fakeMS, c *flow.Config) { c.RedirectURI = "https://app.hiveku.com/api/oauth/microsoft/callbak" },
			want:   map[string]want{flow.CheckConsent: {F, 50011}, flow.CheckToken: {S, 0}},
			fixHas: map[string]string{flow.CheckConsent: "Web"},
		},
		{
			name:     "loopback not registered at Microsoft: page, then timeout",
			loopback: true,
			want:     map[string]want{flow.CheckConsent: {F, 0}, flow.CheckToken: {S, 0}},
			fixHas:   map[string]string{flow.CheckConsent: "paste"},
		},
		{
			name:     "loopback asked for but not in the config",
			loopback: false,
			setup:    func(f *fakeMS, c *flow.Config) {},
			want:     map[string]want{flow.CheckConsent: {F, 0}},
		},
		{
			name: "offline_access not granted",
			setup: func(f *fakeMS, c *flow.Config) {
				f.noRefresh = true
			},
			want: map[string]want{flow.CheckToken: {F, 0}, flow.CheckMailbox: {P, 0}, flow.CheckRefresh: {S, 0}, flow.CheckAccess: {P, 0}},
		},
		{
			name:  "ID token nonce replayed",
			setup: func(f *fakeMS, c *flow.Config) { f.badNonce = true },
			want:  map[string]want{flow.CheckToken: {F, 0}, flow.CheckMailbox: {P, 0}},
		},
		{
			name: "Mail.Send not granted",
			setup: func(f *fakeMS, c *flow.Config) {
				f.grant = []string{"Mail.ReadWrite", "Calendars.ReadWrite", "User.Read"}
			},
			want:   map[string]want{flow.CheckAccess: {F, 0}},
			fixHas: map[string]string{flow.CheckAccess: "Mail.Send"},
		},
		{
			name:   "mailbox access denied",
			setup:  func(f *fakeMS, c *flow.Config) { f.folders403 = true },
			want:   map[string]want{flow.CheckAccess: {F, 0}},
			fixHas: map[string]string{flow.CheckAccess: "API permissions"},
		},
		{
			name:  "user without a mailbox",
			setup: func(f *fakeMS, c *flow.Config) { f.mailNull = true },
			want:  map[string]want{flow.CheckMailbox: {W, 0}, flow.CheckAccess: {P, 0}},
		},
		{
			name:  "verified domain as tenant",
			setup: func(f *fakeMS, c *flow.Config) { c.Tenant = fakeDomain },
			want:  map[string]want{flow.CheckDiscovery: {P, 0}, flow.CheckToken: {P, 0}},
		},
		{
			name: "common tenant: issuer template filled from tid",
			setup: func(f *fakeMS, c *flow.Config) {
				c.Tenant, c.AccountType = "common", flow.MultiTenantPersonal
			},
			want: map[string]want{flow.CheckDiscovery: {P, 0}, flow.CheckCreds: {P, 0}, flow.CheckToken: {P, 0}, flow.CheckAccess: {P, 0}},
		},
		{
			name:  "no secret saved",
			setup: func(f *fakeMS, c *flow.Config) { c.Secret = "" },
			want:  map[string]want{flow.CheckDiscovery: {P, 0}, flow.CheckCreds: {S, 0}, flow.CheckConsent: {S, 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeMS(t)
			c := testConfig(tt.loopback)
			if tt.setup != nil {
				tt.setup(f, &c)
			}
			b := newFakeBrowser(t, true)
			v, _ := newTestVerifier(f, b)
			if tt.name == "loopback asked for but not in the config" {
				v.Mode = ModeLoopback
			}
			rep := &testReporter{paste: func(context.Context) (string, error) {
				if b.landed != "" {
					return b.landed, nil
				}
				return b.page, nil
			}}
			run, err := v.Verify(context.Background(), c, rep, false)
			if err != nil {
				t.Fatalf("Verify() error = %v", err)
			}
			got := liveChecks(run)
			for id, w := range tt.want {
				if got[id].Status != w.status || got[id].Code != w.code {
					t.Errorf("check %s = %s/%d (%s), want %s/%d", id, got[id].Status, got[id].Code, got[id].Detail, w.status, w.code)
				}
				if got[id].Status == flow.Fail && got[id].Fix == "" {
					t.Errorf("check %s failed without a fix", id)
				}
				if strings.ContainsAny(got[id].Detail, "\r\n") {
					t.Errorf("check %s detail is not one line: %q", id, got[id].Detail)
				}
			}
			for id, sub := range tt.fixHas {
				if !strings.Contains(got[id].Fix, sub) {
					t.Errorf("check %s fix %q lacks %q", id, got[id].Fix, sub)
				}
			}
			if run.OK == run.Failed() {
				t.Errorf("run.OK = %v but Failed() = %v", run.OK, run.Failed())
			}
			assertNoSecrets(t, strings.Join([]string{run.Email, detailOf(run)}, " "))
		})
	}
}

func detailOf(run flow.Run) string {
	var b strings.Builder
	for _, c := range run.Checks {
		b.WriteString(c.Detail + " " + c.Fix + "\n")
	}
	return b.String()
}

// TestVerifyDiagnose shows that a wired doctor supplies the fix.
func TestVerifyDiagnose(t *testing.T) {
	f := newFakeMS(t)
	f.secretState = "invalid"
	v, _ := newTestVerifier(f, newFakeBrowser(t, true))
	var seen string
	v.Diagnose = func(text string) (int, string) { seen = text; return 7000215, "doctor says: copy the Value" }
	run, err := v.Verify(context.Background(), testConfig(false), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	c := liveChecks(run)[flow.CheckCreds]
	if c.Fix != "doctor says: copy the Value" || c.Code != 7000215 {
		t.Errorf("secret check = %+v, want the doctor's fix", c)
	}
	if !strings.Contains(seen, "AADSTS7000215") {
		t.Errorf("doctor got %q, want the error text", seen)
	}
}

// TestVerifyOffline stops after the offline checks and makes no request.
func TestVerifyOffline(t *testing.T) {
	f := newFakeMS(t)
	v, _ := newTestVerifier(f, newFakeBrowser(t, true))
	run, err := v.Verify(context.Background(), testConfig(false), nil, true)
	if err != nil {
		t.Fatal(err)
	}
	if !run.Offline {
		t.Error("run.Offline = false")
	}
	for _, c := range run.Checks {
		for _, id := range liveIDs {
			if c.ID == id {
				t.Errorf("offline run has live check %s", id)
			}
		}
	}
	if len(f.tokenReqs) != 0 || f.authQuery != nil {
		t.Error("offline run talked to Microsoft")
	}
}

// TestVerifyCancel returns ctx's error when cancelled while waiting.
func TestVerifyCancel(t *testing.T) {
	f := newFakeMS(t)
	f.extraRedirect = []string{"http://localhost"}
	ctx, cancel := context.WithCancel(context.Background())
	v, _ := newTestVerifier(f, newFakeBrowser(t, false))
	v.OpenBrowser = func(string) error { cancel(); return nil }
	v.After = func(time.Duration) <-chan time.Time { return nil } // never fires
	run, err := v.Verify(ctx, testConfig(true), nil, false)
	if err != context.Canceled {
		t.Fatalf("Verify() error = %v, want context.Canceled", err)
	}
	if run.Name != "Acme Hiveku" {
		t.Errorf("partial run lost its name: %+v", run)
	}
}

// TestVerifyPasteWrongState refuses a code from another sign-in.
func TestVerifyPasteWrongState(t *testing.T) {
	tests := map[string]func(landed string) string{
		"other state": func(l string) string {
			u, _ := url.Parse(l)
			q := u.Query()
			q.Set("state", "x"+q.Get("state"))
			u.RawQuery = q.Encode()
			return u.String()
		},
		"no state": func(l string) string {
			u, _ := url.Parse(l)
			q := u.Query()
			q.Del("state")
			u.RawQuery = q.Encode()
			return u.String()
		},
		"garbage": func(string) string { return "hello" },
		"empty":   func(string) string { return "" },
	}
	for name, edit := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFakeMS(t)
			b := newFakeBrowser(t, false)
			v, _ := newTestVerifier(f, b)
			rep := &testReporter{paste: func(context.Context) (string, error) { return edit(b.landed), nil }}
			run, err := v.Verify(context.Background(), testConfig(false), rep, false)
			if err != nil {
				t.Fatal(err)
			}
			if c := liveChecks(run)[flow.CheckConsent]; c.Status != flow.Fail || c.Fix == "" {
				t.Errorf("consent = %+v, want fail with a fix", c)
			}
			if len(f.tokenReqs) != 1 {
				t.Errorf("token requests = %d, want only the client credentials one", len(f.tokenReqs))
			}
		})
	}
}
