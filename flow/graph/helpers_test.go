package graph_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/graph"
	"github.com/hiveku/byok/flow/sim"
)

var testNow = time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)

// fakeClock is a clock that only moves when the code under test sleeps.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	slept  []time.Duration
	onWake func(n int) // called after the n-th sleep (1-based)
	step   func(n int, d time.Duration) time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.slept = append(c.slept, d)
	n := len(c.slept)
	adv := d
	if c.step != nil {
		adv = c.step(n, d)
	}
	c.t = c.t.Add(adv)
	wake := c.onWake
	c.mu.Unlock()
	if wake != nil {
		wake(n)
	}
	return nil
}

type world struct {
	sim   *sim.Server
	srv   *httptest.Server
	clock *fakeClock
}

func newWorld(tb testing.TB, mutate func(*sim.Options)) *world {
	tb.Helper()
	c := &fakeClock{t: testNow}
	o := sim.CreateOptions(testNow)
	o.Now = c.Now
	if mutate != nil {
		mutate(&o)
	}
	s := sim.New(o)
	srv := httptest.NewServer(s)
	tb.Cleanup(srv.Close)
	return &world{sim: s, srv: srv, clock: c}
}

// signIn returns a SignIn whose browser is upn at the simulated pages.
func (w *world) signIn(tb testing.TB, upn string) *graph.SignIn {
	return &graph.SignIn{
		HTTP: w.srv.Client(), AuthorityHost: w.srv.URL, Tenant: "organizations",
		Now: w.clock.Now, Sleep: w.clock.Sleep,
		OpenBrowser: func(u string) error {
			landed, err := w.sim.Consent(context.Background(), w.srv.Client(), u, upn, true)
			if err != nil {
				return err
			}
			resp, err := http.Get(strings.Replace(landed, "localhost", "127.0.0.1", 1))
			if err != nil {
				return err
			}
			return resp.Body.Close()
		},
		// the browser has come back before Browser waits; a test of a
		// browser that never comes back sets its own
		After: func(time.Duration) <-chan time.Time { return make(chan time.Time) },
	}
}

// memStore is the part of flow.Store a create uses; anything else panics
// on the nil interface, loudly.
type memStore struct {
	flow.Store
	mu       sync.Mutex
	configs  map[string]flow.Config
	drafts   map[string]flow.Draft
	failSave error
}

func newMemStore() *memStore {
	return &memStore{configs: map[string]flow.Config{}, drafts: map[string]flow.Draft{}}
}

func (m *memStore) SaveConfig(ctx context.Context, c flow.Config, replace bool) error {
	if m.failSave != nil {
		return m.failSave
	}
	if err := c.Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k := strings.ToLower(c.Name)
	if _, ok := m.configs[k]; ok && !replace {
		return flow.Errorf(flow.ECONFLICT, "exists")
	}
	m.configs[k] = c
	delete(m.drafts, k)
	return nil
}

func (m *memStore) SaveDraft(ctx context.Context, d flow.Draft) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.drafts[strings.ToLower(d.Config.Name)] = d
	return nil
}

func (m *memStore) FindDraft(ctx context.Context, name string) (flow.Draft, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.drafts[strings.ToLower(name)]
	if !ok {
		return d, flow.Errorf(flow.ENOTFOUND, "no draft")
	}
	return d, nil
}

var errBoom = errors.New("boom")
