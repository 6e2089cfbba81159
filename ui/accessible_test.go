package ui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/verify"
)

// plainOptions are testOptions in accessible mode, answering from in
// and writing to out.
func plainOptions(s *fakeStore, in string, out io.Writer) WizardOptions {
	o := testOptions(s)
	o.Accessible = true
	o.In = strings.NewReader(in)
	o.Out = out
	return o
}

// lines joins answers, one per line.
func lines(answers ...string) string { return strings.Join(answers, "\n") + "\n" }

// noEscapes fails if s holds an escape sequence (or any other control
// character but newline): a screen reader reads the text as it is.
func noEscapes(tb testing.TB, s string) {
	tb.Helper()
	for i, r := range s {
		if r < 0x20 && r != '\n' || r == 0x7f {
			tb.Fatalf("output has control character %q at %d:\n%s", r, i, s)
		}
	}
}

// TestPlainHappyPath answers every question of a new wizard as typed
// lines (no terminal), with a wrong answer first at a few of them, and
// compares the transcript with testdata/TestPlainHappyPath.golden
// (regenerate with -update).
func TestPlainHappyPath(t *testing.T) {
	store := newFakeStore(t, "Taken")
	in := lines(
		"",                                     // before you start: Start
		"",                                     // name: empty, asked again
		"Taken",                                // name: a saved app has it
		"Acme Hiveku",                          // name
		"",                                     // account type: 3, the recommended one
		"",                                     // redirect URI: Hiveku's
		"y",                                    // also register http://localhost
		"2",                                    // permissions: read
		"",                                     // description: Hiveku prod
		"12m",                                  // expiry
		"0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", // the Secret ID: asked again
		testSecret,                             // the value
		testClientID,                           // client ID
		testDirectory,                          // directory ID
		"",                                     // tenant: common, recommended
		"",                                     // review: save
	)
	var out bytes.Buffer
	c, err := RunWizard(context.Background(), plainOptions(store, in, &out))
	if err != nil {
		t.Fatalf("RunWizard() error = %v\n%s", err, out.String())
	}
	if c.Name != "Acme Hiveku" || !c.Loopback || c.Tenant != "common" || c.Secret.Reveal() != testSecret ||
		strings.Join(c.Scopes, ",") != "offline_access,Mail.Read" || c.AccountType != flow.MultiTenantPersonal {
		t.Errorf("config = %q %s loopback %v tenant %q scopes %v", c.Name, c.AccountType, c.Loopback, c.Tenant, c.Scopes)
	}
	if got, want := c.SecretInfo.Expires.Format(time.DateOnly), testNow.AddDate(0, 12, 0).Format(time.DateOnly); got != want {
		t.Errorf("expires = %s, want %s", got, want)
	}
	if len(store.saved) != 1 {
		t.Errorf("saved %d configs, want 1", len(store.saved))
	}
	want := []flow.StepID{flow.StepName, flow.StepAccountType, flow.StepRedirect, flow.StepPermissions, flow.StepSecret, flow.StepTenant}
	if got := store.draftSteps(); !equalSteps(got, want) {
		t.Errorf("drafts saved after steps %v, want %v", got, want)
	}
	got := out.String()
	noSecret(t, "transcript", got)
	noEscapes(t, got)
	golden.RequireEqual(t, out.Bytes())
}

// sameDay reports whether a and b are the same date (an expiry typed as
// a date ends with its day).
func sameDay(a, b time.Time) bool {
	return a.UTC().Format(time.DateOnly) == b.UTC().Format(time.DateOnly)
}

func equalSteps(a, b []flow.StepID) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestPlainBadAnswers gives every field a bad answer: the field's own
// error (what flow's check says, as the TUI shows it) is said, the same
// question is asked again, and the good answer after it is kept.
func TestPlainBadAnswers(t *testing.T) {
	single := func(d *flow.Draft) { d.Config.AccountType = flow.SingleTenant; d.Config.Tenant = testDirectory }
	tests := []struct {
		name    string
		after   flow.StepID // the wizard resumes after this step
		draft   func(*flow.Draft)
		answers []string // up to and including the good answer
		rest    []string // the answers after it (nil: Enter to the end)
		field   string   // the field asked again
		bad     string   // the bad answer as the field's check sees it
		wantErr string   // the error, when no field check gives it
		ask     string   // the question asked twice
		check   func(flow.Config) bool
	}{
		{name: "name", after: "", answers: []string{"Acme\x07Hiveku", "Good Name"},
			field: flow.FieldName, bad: "Acme\x07Hiveku", ask: "Name [Enter keeps Acme Hiveku]:",
			check: func(c flow.Config) bool { return c.Name == "Good Name" }},
		{name: "account type", after: flow.StepName, answers: []string{"everyone", "1"},
			rest:  []string{"", "", "", "", "", "", "", "", "4", ""}, // single tenant: the directory at step 6
			field: flow.FieldAccountType, bad: "everyone", ask: "Choose 1 to 4 [Enter keeps 3]:",
			check: func(c flow.Config) bool { return c.AccountType == flow.SingleTenant }},
		{name: "account type number", after: flow.StepName, answers: []string{"9", "2"},
			wantErr: "account type: 9 is not one of the choices; answer a number from 1 to 4", ask: "Choose 1 to 4 [Enter keeps 3]:",
			check: func(c flow.Config) bool { return c.AccountType == flow.MultiTenant }},
		{name: "redirect URI", after: flow.StepAccountType, answers: []string{flow.HivekuRedirectURI + "/", "", ""},
			field: flow.FieldRedirectURI, bad: flow.HivekuRedirectURI + "/", ask: "Redirect URI (platform: Web) [Enter keeps " + flow.HivekuRedirectURI + "]:",
			check: func(c flow.Config) bool { return c.RedirectURI == flow.HivekuRedirectURI && !c.CustomRedirect }},
		{name: "loopback", after: flow.StepAccountType, answers: []string{"", "maybe", "yes"},
			wantErr: "Please answer y or n.", ask: "Also register http://localhost for `byok verify`? (y/N):",
			check: func(c flow.Config) bool { return c.Loopback }},
		{name: "scopes", after: flow.StepRedirect, answers: []string{"Mail.Read", "3"},
			field: flow.FieldScopes, bad: "Mail.Read", ask: "Choose 1 to 4 [Enter keeps 1]:",
			check: func(c flow.Config) bool { return strings.Join(c.Scopes, ",") == "offline_access,Mail.Send" }},
		{name: "custom scopes", after: flow.StepRedirect, answers: []string{"4", "Mail.Reed", "2,Mail.Send"},
			field: flow.FieldScopes, bad: "offline_access,Mail.Reed", ask: "Pick the permissions, names or numbers separated by commas",
			check: func(c flow.Config) bool { return strings.Join(c.Scopes, ",") == "offline_access,Mail.Read,Mail.Send" }},
		{name: "secret description", after: flow.StepPermissions, answers: []string{strings.Repeat("d", 101), "Hiveku test", "", ""},
			field: flow.FieldSecretDescription, bad: strings.Repeat("d", 101), ask: "Description [Enter keeps Hiveku prod]:",
			check: func(c flow.Config) bool { return c.SecretInfo.Description == "Hiveku test" }},
		{name: "secret expiry", after: flow.StepPermissions, answers: []string{"", "2020-01-01", "6m", ""},
			field: flow.FieldSecretExpiry, bad: "2020-01-01", ask: "Expires [Enter keeps 2028-11-27]:",
			check: func(c flow.Config) bool { return sameDay(c.SecretInfo.Expires, testNow.AddDate(0, 6, 0)) }},
		{name: "secret value", after: flow.StepPermissions, answers: []string{"", "", "secret with spaces", ""},
			field: flow.FieldSecretValue, bad: "secret with spaces", ask: "Secret value:",
			check: func(c flow.Config) bool { return c.Secret.Reveal() == testSecret }},
		{name: "client ID", after: flow.StepSecret, answers: []string{"not-a-guid", ""},
			field: flow.FieldClientID, bad: "not-a-guid", ask: "Application (client) ID [Enter keeps " + testClientID + "]:",
			check: func(c flow.Config) bool { return c.ClientID == testClientID }},
		{name: "directory ID", after: flow.StepSecret, answers: []string{"", testClientID, ""},
			field: flow.FieldDirectoryID, bad: testClientID, ask: "Directory (tenant) ID [Enter keeps " + testDirectory + "]:",
			check: func(c flow.Config) bool { return c.DirectoryID == testDirectory }},
		{name: "tenant", after: flow.StepSecret, draft: single, answers: []string{"", "", "1", "4"},
			field: flow.FieldTenant, bad: "common", ask: "Choose 1 to 5 [Enter keeps 4]:",
			check: func(c flow.Config) bool { return c.Tenant == testDirectory }},
		{name: "tenant domain", after: flow.StepSecret, answers: []string{"", "", "domain", "not a domain", "contoso.com"},
			field: flow.FieldTenant, bad: "not a domain", ask: "Verified domain, or Enter to go back to the list:",
			check: func(c flow.Config) bool { return c.Tenant == "contoso.com" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := draftAt(tt.after)
			if tt.draft != nil {
				tt.draft(d)
			}
			want := tt.wantErr
			if want == "" {
				a := flow.AnswersFrom(d.Config)
				f, ok := fieldOf(tt.field)
				if !ok {
					t.Fatalf("no field %q", tt.field)
				}
				err := f.Check(tt.bad, a, flow.StepEnv{Now: testNow, Permissions: testCatalog()})
				if err == nil {
					t.Fatalf("flow accepts %q", tt.bad)
				}
				want = "error: " + err.Error()
			}
			store := newFakeStore(t)
			var out bytes.Buffer
			rest := tt.rest
			if rest == nil {
				rest = reviewSaves(tt.after)
			}
			o := withDraft(plainOptions(store, lines(tt.answers...)+lines(rest...), &out), d)
			c, err := RunWizard(context.Background(), o)
			if err != nil {
				t.Fatalf("RunWizard() error = %v\n%s", err, out.String())
			}
			got := flat(out.String())
			if !strings.Contains(got, flat(want)) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
			if n := strings.Count(got, flat(tt.ask)); n < 2 {
				t.Errorf("%q asked %d times, want again after the error:\n%s", tt.ask, n, out.String())
			}
			if !tt.check(c) {
				t.Errorf("the good answer was not kept: %+v", c)
			}
			noSecret(t, "output", out.String())
		})
	}
}

// reviewSaves are the answers that finish a wizard resumed after step
// after: Enter at each remaining question, then save at the review.
func reviewSaves(after flow.StepID) []string {
	var a []string
	for n := after.Number() + 1; n <= 6; n++ {
		a = append(a, make([]string, len(flow.Steps[n-1].Def().Fields))...)
	}
	return append(a, "")
}

// fieldOf returns the wizard field with key.
func fieldOf(key string) (flow.Field, bool) {
	for _, id := range flow.Steps {
		if f, ok := id.Def().Field(key); ok {
			return f, true
		}
	}
	return flow.Field{}, false
}

// flat joins s's words with single spaces: wrapping moves line ends.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestPlainResume starts after the draft's step with its answers filled
// in: Enter keeps each one, the secret included, and nothing of the
// steps before is asked.
func TestPlainResume(t *testing.T) {
	store := newFakeStore(t)
	var out bytes.Buffer
	o := withDraft(plainOptions(store, lines("", "", "", "", "", "", ""), &out), draftAt(flow.StepPermissions))
	c, err := RunWizard(context.Background(), o)
	if err != nil {
		t.Fatalf("RunWizard() error = %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{`Resuming "Acme Hiveku" after step 4 (API permissions)`, "Step 5 of 7: Client secret",
		"Leave it empty to keep the secret you entered before (abC…)", "Step 6 of 7", "Step 7 of 7: Review"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, not := range []string{"Before you start", "Step 1 of 7", "Step 4 of 7"} {
		if strings.Contains(got, not) {
			t.Errorf("output has %q:\n%s", not, got)
		}
	}
	want := draftAt(flow.StepPermissions).Config
	if c.Name != want.Name || c.Secret != want.Secret || c.Tenant != want.Tenant || c.ClientID != want.ClientID ||
		!sameDay(c.SecretInfo.Expires, want.SecretInfo.Expires) || strings.Join(c.Scopes, ",") != strings.Join(want.Scopes, ",") {
		t.Errorf("resumed answers not kept: %+v", c)
	}
	if got := store.draftSteps(); !equalSteps(got, []flow.StepID{flow.StepSecret, flow.StepTenant}) {
		t.Errorf("drafts after steps %v, want secret and tenant", got)
	}
	noSecret(t, "output", got)
}

// TestPlainEditFromReview edits step 1 from the review: the step is
// asked again, the review comes back with the new answer, and the draft
// of the former name goes.
func TestPlainEditFromReview(t *testing.T) {
	store := newFakeStore(t)
	var out bytes.Buffer
	o := withDraft(plainOptions(store, lines("x", "1", "Other Name", ""), &out), draftAt(flow.StepTenant))
	c, err := RunWizard(context.Background(), o)
	if err != nil {
		t.Fatalf("RunWizard() error = %v\n%s", err, out.String())
	}
	if c.Name != "Other Name" || len(store.saved) != 1 || store.saved[0].Name != "Other Name" {
		t.Errorf("saved %q, want Other Name", c.Name)
	}
	got := out.String()
	if n := strings.Count(got, "Step 7 of 7: Review"); n != 2 {
		t.Errorf("review shown %d times, want 2:\n%s", n, got)
	}
	for _, want := range []string{"Please answer s to save, or a step number from 1 to 6.", "Step 1 of 7: Name", "Name: Other Name"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if len(store.deleted) != 1 || store.deleted[0] != "Acme Hiveku" {
		t.Errorf("drafts deleted %v, want the former name's", store.deleted)
	}
	if store.nameCalls != 1 {
		t.Errorf("name checked %d times, want once", store.nameCalls)
	}
}

// TestPlainEndOfInput: answers that run out before the config is saved
// give an error naming the step (exit status 2), save nothing and say
// that the draft was kept.
func TestPlainEndOfInput(t *testing.T) {
	store := newFakeStore(t)
	var out bytes.Buffer
	_, err := RunWizard(context.Background(), plainOptions(store, lines("", "Acme Hiveku", "1"), &out))
	if !errors.Is(err, io.ErrUnexpectedEOF) || flow.ExitCode(err) != 2 {
		t.Fatalf("RunWizard() error = %v (exit %d), want unexpected EOF, exit 2", err, flow.ExitCode(err))
	}
	if want := "input ended before step 3 (Redirect URI) was answered"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
	if len(store.saved) != 0 {
		t.Errorf("saved %d configs", len(store.saved))
	}
	want := `Your answers up to step 2 (Supported account types) are kept as the draft "Acme Hiveku". Resume with: byok setup --resume 'Acme Hiveku'`
	if got := flat(out.String()); !strings.Contains(got, want) {
		t.Errorf("output lacks %q:\n%s", want, out.String())
	}
}

// TestPlainEndOfInputRetrying: a bad answer that is the last one stops
// with the reason said, not a loop.
func TestPlainEndOfInputRetrying(t *testing.T) {
	store := newFakeStore(t, "Acme Hiveku")
	var out bytes.Buffer
	_, err := RunWizard(context.Background(), plainOptions(store, lines("", "Acme Hiveku"), &out))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("RunWizard() error = %v, want unexpected EOF", err)
	}
	if got := out.String(); !strings.Contains(got, "already called") || !strings.Contains(got, "nothing was saved") {
		t.Errorf("the reason is not said:\n%s", got)
	}
	if len(store.drafts) != 0 {
		t.Errorf("draft saved for a taken name")
	}
}

// TestPlainQuit: no at "Before you start" leaves at once.
func TestPlainQuit(t *testing.T) {
	var out bytes.Buffer
	_, err := RunWizard(context.Background(), plainOptions(newFakeStore(t), lines("n"), &out))
	if !errors.Is(err, ErrAborted) {
		t.Fatalf("RunWizard() error = %v, want ErrAborted", err)
	}
	if !strings.Contains(out.String(), "nothing was saved") {
		t.Errorf("no note:\n%s", out.String())
	}
}

// waitWriter is an output that reports when it has seen a text.
type waitWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
}

func (w *waitWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.seen != nil && strings.Contains(w.buf.String(), w.want) {
		close(w.seen)
		w.seen = nil
	}
	return len(p), nil
}

func (w *waitWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestPlainCancel cancels the context (Ctrl+C) while the wizard waits
// for an answer on a pipe nobody writes to: it stops at once with
// ErrAborted, the draft of step 1 is kept, and the note says how to
// resume.
func TestPlainCancel(t *testing.T) {
	store := newFakeStore(t)
	pr, pw := io.Pipe()
	defer pw.Close()
	out := &waitWriter{want: "Choose 1 to 4", seen: make(chan struct{})}
	seen := out.seen
	o := testOptions(store)
	o.Accessible, o.In, o.Out = true, pr, out
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		c   flow.Config
		err error
	}
	done := make(chan result, 1)
	go func() {
		c, err := RunWizard(ctx, o)
		done <- result{c, err}
	}()
	if _, err := io.WriteString(pw, lines("", "Acme Hiveku")); err != nil {
		t.Fatal(err)
	}
	<-seen // step 2 asks, and waits
	cancel()
	r := <-done
	if !errors.Is(r.err, ErrAborted) {
		t.Fatalf("RunWizard() error = %v, want ErrAborted", r.err)
	}
	if len(store.saved) != 0 || !equalSteps(store.draftSteps(), []flow.StepID{flow.StepName}) {
		t.Errorf("saved %d, drafts %v; want the draft of step 1 only", len(store.saved), store.draftSteps())
	}
	if want := "Resume with: byok setup --resume 'Acme Hiveku'"; !strings.Contains(out.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, out.String())
	}
}

// msPage is a Microsoft error page as copied from the browser: blank
// lines inside, the AADSTS code after them.
const msPage = "Sign in\n" +
	"Sorry, but we're having trouble signing you in.\n" +
	"\n" +
	"AADSTS50011: The redirect URI 'https://app.hiveku.com/callback' specified in the request does not match the redirect URIs configured for the application.\n" +
	"\n" +
	"Troubleshooting details\n"

// TestPlainVerifyPaste runs step 8 with a VerifyFunc that asks for the
// paste: a whole multi-line Microsoft error page is one answer, and the
// AADSTS code in it reaches the consent check.
func TestPlainVerifyPaste(t *testing.T) {
	store := newFakeStore(t)
	var gotPaste string
	fv := func(ctx context.Context, c flow.Config, r flow.Reporter) (flow.Run, error) {
		r.Started(flow.CheckRedirect)
		r.Finished(flow.Check{ID: flow.CheckRedirect, Status: flow.Pass, Detail: "matches Hiveku's exactly"})
		r.Started(flow.CheckConsent)
		r.ConsentURL("https://login.example.test/common/oauth2/v2.0/authorize?state=fixed-state", false)
		s, err := r.Paste(ctx)
		if err != nil {
			return flow.Run{}, err
		}
		gotPaste = s
		p, err := verify.ParsePasted(s)
		if err != nil {
			return flow.Run{}, err
		}
		consent := flow.Check{ID: flow.CheckConsent, Status: flow.Fail, Code: p.AADSTS, Detail: p.Description, Fix: "add the redirect URI in the portal"}
		r.Finished(consent)
		return flow.Run{Name: c.Name, Checks: []flow.Check{consent}}, nil
	}
	var out bytes.Buffer
	o := withDraft(plainOptions(store, lines("", "")+msPage+"\n", &out), draftAt(flow.StepTenant))
	o.Verify = fv
	c, err := RunWizard(context.Background(), o)
	if err != nil {
		t.Fatalf("RunWizard() error = %v\n%s", err, out.String())
	}
	if c.Name != "Acme Hiveku" {
		t.Errorf("config %q", c.Name)
	}
	if !strings.Contains(gotPaste, "Sorry, but") || !strings.Contains(gotPaste, "AADSTS50011") {
		t.Errorf("paste = %q, want the whole page up to its error", gotPaste)
	}
	got := out.String()
	for _, want := range []string{
		"Step 8: Verify it works",
		"Verify it works now? (Y/n):",
		"\nhttps://login.example.test/common/oauth2/v2.0/authorize?state=fixed-state\n",
		"press Enter (twice if byok keeps waiting)",
		"checking consent…",
		"✗ fail consent: AADSTS50011",
		"✗ not verified",
		"Settings > OAuth Apps",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	noSecret(t, "output", got)
	noEscapes(t, got)
}

// TestPlainVerifyLater: no verification, or the end of input at its
// question, finishes a saved wizard with the next steps.
func TestPlainVerifyLater(t *testing.T) {
	for _, in := range []string{lines("", "n"), lines("")} {
		var out bytes.Buffer
		o := withDraft(plainOptions(newFakeStore(t), in, &out), draftAt(flow.StepTenant))
		o.Verify = func(context.Context, flow.Config, flow.Reporter) (flow.Run, error) {
			t.Fatal("verification ran")
			return flow.Run{}, nil
		}
		if _, err := RunWizard(context.Background(), o); err != nil {
			t.Fatalf("RunWizard(%q) error = %v\n%s", in, err, out.String())
		}
		if got := out.String(); !strings.Contains(got, "not run yet") || !strings.Contains(got, "byok verify 'Acme Hiveku'") {
			t.Errorf("no next steps:\n%s", got)
		}
	}
}

// TestPlainCustomRedirect keeps a staging redirect URI once confirmed,
// with --allow-custom-redirect only.
func TestPlainCustomRedirect(t *testing.T) {
	const staging = "https://staging.hiveku.com/api/oauth/microsoft/callback"
	var out bytes.Buffer
	o := withDraft(plainOptions(newFakeStore(t), lines(staging, "y", "")+lines(reviewSaves(flow.StepRedirect)...), &out), draftAt(flow.StepAccountType))
	o.AllowCustomRedirect = true
	c, err := RunWizard(context.Background(), o)
	if err != nil {
		t.Fatalf("RunWizard() error = %v\n%s", err, out.String())
	}
	if c.RedirectURI != staging || !c.CustomRedirect {
		t.Errorf("redirect = %q custom %v", c.RedirectURI, c.CustomRedirect)
	}
	if got := flat(out.String()); !strings.Contains(got, "as a custom redirect URI") || !strings.Contains(got, "(custom)") {
		t.Errorf("no confirmation or review mark:\n%s", got)
	}
}

// TestPlainDemo: pre-filled answers (the demo) start at step 1 without
// "Before you start", and the wizard ends at the save.
func TestPlainDemo(t *testing.T) {
	d := draftAt("")
	var out bytes.Buffer
	o := withDraft(plainOptions(newFakeStore(t), strings.Repeat("\n", 12), &out), d)
	o.QuitAfterSave = true
	c, err := RunWizard(context.Background(), o)
	if err != nil {
		t.Fatalf("RunWizard() error = %v\n%s", err, out.String())
	}
	if c.Name != "Acme Hiveku" || c.Secret.Reveal() != testSecret || c.Tenant != "common" {
		t.Errorf("pre-filled answers not kept: %q %q", c.Name, c.Tenant)
	}
	got := out.String()
	if strings.Contains(got, "Before you start") || !strings.Contains(got, "Answers are filled in") ||
		!strings.HasSuffix(got, "✓ saved: \"Acme Hiveku\"\n") {
		t.Errorf("unexpected transcript:\n%s", got)
	}
	noSecret(t, "output", got)
}

// TestPlainVerifyCancelled: Ctrl+C during step 8 stops the verification;
// the config stays saved and the note says so (not "nothing was saved").
func TestPlainVerifyCancelled(t *testing.T) {
	store := newFakeStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	o := withDraft(plainOptions(store, lines("", ""), &out), draftAt(flow.StepTenant))
	o.Verify = func(ctx context.Context, _ flow.Config, _ flow.Reporter) (flow.Run, error) {
		cancel() // Ctrl+C while the checks run
		return flow.Run{}, ctx.Err()
	}
	c, err := RunWizard(ctx, o)
	if !errors.Is(err, ErrAborted) || c.Name != "Acme Hiveku" || len(store.saved) != 1 {
		t.Fatalf("RunWizard() = %q, %v (saved %d); want the saved config and ErrAborted", c.Name, err, len(store.saved))
	}
	if got := flat(out.String()); !strings.Contains(got, `"Acme Hiveku" is saved. Check it later with: byok verify 'Acme Hiveku'`) ||
		strings.Contains(got, "Setup stopped") {
		t.Errorf("wrong note:\n%s", out.String())
	}
}

// TestPlainReviewWarns: the review repeats what deserves attention, for
// a resumed draft too (its steps were answered in an earlier run).
func TestPlainReviewWarns(t *testing.T) {
	d := draftAt(flow.StepTenant)
	d.Config.SecretInfo.Expires = testNow.AddDate(0, 0, 20)
	d.Config.AccountType, d.Config.Tenant = flow.MultiTenant, "common"
	var out bytes.Buffer
	if _, err := RunWizard(context.Background(), withDraft(plainOptions(newFakeStore(t), lines(""), &out), d)); err != nil {
		t.Fatalf("RunWizard() error = %v\n%s", err, out.String())
	}
	got := flat(out.String())
	for _, want := range []string{"warning: expires in 20 days", "warning: organizations matches this account type better"} {
		if !strings.Contains(got, want) {
			t.Errorf("review lacks %q:\n%s", want, out.String())
		}
	}
}
