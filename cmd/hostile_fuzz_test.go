package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/bundle"
)

// memStore is an in-memory flow.Store that keeps whatever it is given,
// hostile text included (as a store written by an older byok, or runs
// holding Microsoft's answers, may): the renderers must cope.
type memStore struct {
	flow.Store
	mu      sync.Mutex
	configs map[string]flow.Config
	runs    map[string][]flow.Run
}

func newMemStore() *memStore {
	return &memStore{configs: map[string]flow.Config{}, runs: map[string][]flow.Run{}}
}

func (m *memStore) FindConfig(_ context.Context, name string) (flow.Config, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.configs[strings.ToLower(name)]; ok {
		return c, nil
	}
	return flow.Config{}, flow.Errorf(flow.ENOTFOUND, "no config named %q", name)
}

func (m *memStore) ListConfigs(context.Context) ([]flow.Listing, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []flow.Listing
	for k, c := range m.configs {
		l := flow.Listing{Config: c}
		if rs := m.runs[k]; len(rs) > 0 {
			r := rs[0]
			l.LastRun = &r
		}
		c.Secret = ""
		out = append(out, l)
	}
	return out, nil
}

func (m *memStore) SaveConfig(_ context.Context, c flow.Config, replace bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := strings.ToLower(c.Name)
	if _, ok := m.configs[k]; ok && !replace {
		return flow.Errorf(flow.ECONFLICT, "a config named %q already exists", c.Name)
	}
	m.configs[k] = c
	return nil
}

func (m *memStore) NameTaken(_ context.Context, name string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.configs[strings.ToLower(name)]
	return ok, nil
}

func (m *memStore) SaveRun(_ context.Context, r flow.Run) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := strings.ToLower(r.Name)
	m.runs[k] = append([]flow.Run{r}, m.runs[k]...)
	return nil
}

func (m *memStore) Runs(_ context.Context, name string, limit int) ([]flow.Run, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	rs := m.runs[strings.ToLower(name)]
	if limit > 0 && len(rs) > limit {
		rs = rs[:limit]
	}
	return rs, nil
}

func (m *memStore) SecretHistory(context.Context, string) ([]flow.SecretInfo, error) {
	return []flow.SecretInfo{{Description: "old", Hint: "abC", Retired: testNow}}, nil
}

func (m *memStore) DeleteDraft(context.Context, string) error { return nil }

// hostileConfig is a config whose free-text fields all hold s.
func hostileConfig(s string) flow.Config {
	return flow.Config{
		Name: "Acme", AccountType: flow.MultiTenantPersonal, RedirectURI: flow.HivekuRedirectURI,
		Scopes: []string{"offline_access", "Mail.ReadWrite", s}, ClientID: "11111111-2222-4333-8444-555555555555",
		DirectoryID: "66666666-7777-4888-9999-000000000000", Tenant: s,
		SecretInfo: flow.SecretInfo{Description: s, Hint: s, Expires: testNow.AddDate(1, 0, 0)},
		CreatedAt:  testNow, UpdatedAt: testNow,
	}
}

// renderers are the commands whose text output the fuzz target checks.
// Each gets a store holding hostile text, hostile stdin and hostile files.
var renderers = [][]string{
	{"list"},
	{"list", "--json"},
	{"show", "Acme"},
	{"show", "Acme", "--json"},
	{"verify", "Acme", "--offline"},
	{"doctor"},
	{"doctor", "--name", "Acme"},
	{"audit", "@manifest"},
	{"import", "@bundle", "--name", "Imported"},
	{"show", "@s"},
	{"verify", "@s"},
	{"setup", "--no-input", "--name", "@s"},
	{"list", "--expiring", "@s"},
	{"verify", "Acme", "--authority-host", "@s"},
}

// checkTerminalSafe fails if out holds a byte a terminal would act on:
// C0 controls other than tab and newline, DEL, C1 controls, bidi
// controls, zero-width characters or invalid UTF-8.
func checkTerminalSafe(t *testing.T, what, in, out string) {
	t.Helper()
	for i := 0; i < len(out); i++ {
		if c := out[i]; (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f {
			t.Fatalf("%s with %q: byte %#x at %d in output:\n%q", what, in, c, i, out)
		}
	}
	if !utf8.ValidString(out) {
		t.Fatalf("%s with %q: output is not valid UTF-8: %q", what, in, out)
	}
	for _, r := range out {
		if (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
			(r >= 0x200b && r <= 0x200f) || r == 0xfeff || r == 0x2028 || r == 0x2029 {
			t.Fatalf("%s with %q: %U in output:\n%q", what, in, r, out)
		}
	}
}

var hostileSeeds = []string{
	"\x1b]52;c;ZWNobyBwd25lZA==\a",
	"\x1b[2J\x1b[H",
	"\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
	"alex@contoso.com\u202eexe.txt",
	"Hive\u200bku",
	"a\x00b\rc\x7f\u0085\u009b31m",
	"\u2066isolate\u2069",
	"\xff\xfe",
}

// runRenderer runs renderers[k] with s planted everywhere it can go and
// returns the combined output.
func runRenderer(t *testing.T, k int, s string) string {
	t.Helper()
	f, stdout, stderr := newTestFactory(t)
	dir := filepath.Dir(testDBPath(t, f))
	st := newMemStore()
	st.configs["acme"] = hostileConfig(s)
	st.runs["acme"] = []flow.Run{{Name: "Acme", At: testNow, OK: false, Email: s,
		Checks: []flow.Check{{ID: s, Status: flow.Fail, Detail: s, Fix: s}, {ID: "secret", Status: flow.Warn, Detail: s}}}}
	f.Store = func(context.Context) (flow.Store, error) { return st, nil }
	f.Now = func() time.Time { return testNow }

	args := append([]string(nil), renderers[k]...)
	for i, a := range args {
		switch a {
		case "@s":
			args[i] = s
		case "@manifest", "@bundle": // files only for the renderers that read them
			args[i] = hostileFile(t, dir, a, s)
		}
	}
	f.IO.In = strings.NewReader("AADSTS50011: The redirect URI " + s + " does not match.\nMicrosoft: " + s + "\nredirect URI: " + s + "\n")
	runCmd(t, f, args...)
	return stdout.String() + stderr.String()
}

// hostileFile writes the manifest or bundle carrying s and returns its path.
func hostileFile(t *testing.T, dir, which, s string) string {
	t.Helper()
	manifest, _ := json.Marshal(map[string]any{"appId": s, "displayName": s, "signInAudience": s,
		"web": map[string]any{"redirectUris": []string{s}}, "requiredResourceAccess": []any{}})
	// A real format-2 bundle (integrity check intact) whose text fields
	// hold s, so that import's own checks, not the integrity check, meet it.
	c := flow.Config{Name: "Imported", AccountType: flow.MultiTenant, RedirectURI: flow.HivekuRedirectURI,
		Scopes: []string{"offline_access", "Mail.ReadWrite"}, ClientID: "11111111-2222-4333-8444-555555555555",
		DirectoryID: "66666666-7777-4888-9999-000000000000", Tenant: "organizations",
		SecretInfo: flow.SecretInfo{Description: s, Expires: testNow.AddDate(1, 0, 0)}}
	b := bundle.New(c, nil, []flow.Run{{At: testNow, Email: s, Checks: []flow.Check{{ID: s, Status: flow.Fail, Detail: s, Fix: s}}}},
		bundle.Options{ByokVersion: s, Now: testNow})
	bundleData, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "input.json")
	data := manifest
	if which == "@bundle" {
		data = bundleData
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestHostileTextNeverReachesTerminal runs every renderer with every seed.
func TestHostileTextNeverReachesTerminal(t *testing.T) {
	for k := range renderers {
		for _, s := range hostileSeeds {
			t.Run(fmt.Sprintf("%s/%q", strings.Join(renderers[k], " "), s), func(t *testing.T) {
				out := runRenderer(t, k, s)
				checkTerminalSafe(t, strings.Join(renderers[k], " "), s, out)
			})
		}
	}
}

// FuzzRenderers feeds hostile strings through every text renderer (list,
// show, verify, doctor, audit, import messages, errors): the output never
// holds a byte 0x00–0x08, 0x0b–0x1f or 0x7f, a C1 control, a bidi control
// or a zero-width character, whatever the input.
func FuzzRenderers(f *testing.F) {
	for k := range renderers {
		for _, s := range hostileSeeds {
			f.Add(uint8(k), s)
		}
	}
	f.Fuzz(func(t *testing.T, k uint8, s string) {
		i := int(k) % len(renderers)
		out := runRenderer(t, i, s)
		checkTerminalSafe(t, strings.Join(renderers[i], " "), s, out)
	})
}
