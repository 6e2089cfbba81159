package cmd

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

// testNow is the fixed clock of every test factory.
var testNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// testKey is the fixed BYOK_KEY (base64 of 32 bytes) of every test factory.
const testKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

// newTestFactory returns a Factory for command tests: in-memory stdio (no
// TTY, no colour), a fixed clock (testNow), an environment holding only
// BYOK_KEY and BYOK_DB (a file under t.TempDir()), and a store opened
// lazily on that database. It returns the stdout and stderr buffers.
// Write test input to f.IO.In (a *bytes.Buffer) or replace it.
func newTestFactory(t testing.TB) (*Factory, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	ios, _, stdout, stderr := Test()
	dir := t.TempDir()
	env := map[string]string{
		"BYOK_KEY": testKey,
		"BYOK_DB":  dir + "/byok.db",
	}
	f := &Factory{
		IO:     ios,
		Getenv: func(k string) string { return env[k] },
		Now:    func() time.Time { return testNow },
	}
	mem := newTestMemStore()
	f.Store = f.lazyStore(func(ctx context.Context, f *Factory) (flow.Store, func() error, error) {
		return mem, nil, nil
	})
	t.Cleanup(func() { _ = f.Close() })
	return f, stdout, stderr
}

// runCmd runs byok with args on f, as main would, and returns the exit
// status. Output lands in the buffers newTestFactory returned.
func runCmd(t testing.TB, f *Factory, args ...string) int {
	t.Helper()
	if args == nil {
		args = []string{}
	}
	return Run(context.Background(), f, args)
}

// testStore returns the factory's store, failing the test if it cannot
// be opened.
func testStore(t testing.TB, f *Factory) flow.Store {
	t.Helper()
	st, err := f.Store(context.Background())
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return st
}

// testMemStore is an in-memory flow.Store used until package storage is
// available to the tests.
type testMemStore struct {
	mu      sync.Mutex
	configs map[string]flow.Config
	drafts  map[string]flow.Draft
	runs    map[string][]flow.Run
	history map[string][]flow.SecretInfo
}

var _ flow.Store = (*testMemStore)(nil)

func newTestMemStore() *testMemStore {
	return &testMemStore{
		configs: map[string]flow.Config{},
		drafts:  map[string]flow.Draft{},
		runs:    map[string][]flow.Run{},
		history: map[string][]flow.SecretInfo{},
	}
}

func testMemKey(name string) string { return strings.ToLower(name) }

func (m *testMemStore) SaveConfig(ctx context.Context, c flow.Config, replace bool) error {
	if err := c.Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k := testMemKey(c.Name)
	if _, ok := m.configs[k]; ok && !replace {
		return flow.Errorf(flow.ECONFLICT, "a config named %q exists", c.Name)
	}
	m.configs[k] = c
	delete(m.drafts, k)
	return nil
}

func (m *testMemStore) FindConfig(ctx context.Context, name string) (flow.Config, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.configs[testMemKey(name)]
	if !ok {
		return flow.Config{}, flow.Errorf(flow.ENOTFOUND, "no config named %q", name)
	}
	return c, nil
}

func (m *testMemStore) ListConfigs(ctx context.Context) ([]flow.Listing, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []flow.Listing
	for k, c := range m.configs {
		c.Secret = ""
		l := flow.Listing{Config: c}
		if rs := m.runs[k]; len(rs) > 0 {
			r := rs[0]
			l.LastRun = &r
		}
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return testMemKey(out[i].Config.Name) < testMemKey(out[j].Config.Name) })
	return out, nil
}

func (m *testMemStore) DeleteConfig(ctx context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := testMemKey(name)
	if _, ok := m.configs[k]; !ok {
		return flow.Errorf(flow.ENOTFOUND, "no config named %q", name)
	}
	delete(m.configs, k)
	delete(m.runs, k)
	delete(m.history, k)
	return nil
}

func (m *testMemStore) NameTaken(ctx context.Context, name string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.configs[testMemKey(name)]
	return ok, nil
}

func (m *testMemStore) SaveDraft(ctx context.Context, d flow.Draft) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.drafts[testMemKey(d.Config.Name)] = d
	return nil
}

func (m *testMemStore) FindDraft(ctx context.Context, name string) (flow.Draft, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.drafts[testMemKey(name)]
	if !ok {
		return flow.Draft{}, flow.Errorf(flow.ENOTFOUND, "no draft named %q", name)
	}
	return d, nil
}

func (m *testMemStore) ListDrafts(ctx context.Context) ([]flow.Draft, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []flow.Draft
	for _, d := range m.drafts {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UpdatedAt.After(out[j].UpdatedAt) })
	return out, nil
}

func (m *testMemStore) DeleteDraft(ctx context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.drafts, testMemKey(name))
	return nil
}

func (m *testMemStore) SaveRun(ctx context.Context, run flow.Run) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := testMemKey(run.Name)
	m.runs[k] = append([]flow.Run{run}, m.runs[k]...)
	return nil
}

func (m *testMemStore) Runs(ctx context.Context, name string, limit int) ([]flow.Run, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	rs := m.runs[testMemKey(name)]
	if limit > 0 && len(rs) > limit {
		rs = rs[:limit]
	}
	return append([]flow.Run(nil), rs...), nil
}

func (m *testMemStore) RotateSecret(ctx context.Context, name string, secret flow.Secret, info flow.SecretInfo) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := testMemKey(name)
	c, ok := m.configs[k]
	if !ok {
		return flow.Errorf(flow.ENOTFOUND, "no config named %q", name)
	}
	old := c.SecretInfo
	old.Retired = info.Created
	m.history[k] = append([]flow.SecretInfo{old}, m.history[k]...)
	c.Secret, c.SecretInfo = secret, info
	m.configs[k] = c
	return nil
}

func (m *testMemStore) SecretHistory(ctx context.Context, name string) ([]flow.SecretInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]flow.SecretInfo(nil), m.history[testMemKey(name)]...), nil
}

func TestRunCmdVersion(t *testing.T) {
	f, stdout, _ := newTestFactory(t)
	if code := runCmd(t, f, "--version"); code != 0 {
		t.Fatalf("byok --version = %d, want 0", code)
	}
	if got := stdout.String(); !strings.Contains(got, Version) {
		t.Errorf("byok --version printed %q, want the version %q", got, Version)
	}
}
