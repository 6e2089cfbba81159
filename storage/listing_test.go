package storage_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

// EachListing hands over, one reused row at a time, exactly what
// ListConfigs returns; rows copied by fn stay intact after later rows.
func TestEachListingMatchesListConfigs(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	seedConfigs(t, s, 40)
	// A config with two runs: the newer one is listed.
	if err := s.SaveRuns(ctx, []flow.Run{
		{Name: "Config 00003", At: testNow.Add(time.Hour), Email: "older@example.com"},
		{Name: "Config 00003", At: testNow.Add(2 * time.Hour), OK: true, Email: "newer@example.com"},
	}); err != nil {
		t.Fatal(err)
	}
	want, err := s.ListConfigs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var (
		got    []flow.Listing
		begins []int
	)
	err = s.EachListing(ctx, func(n int) { begins = append(begins, n); got = got[:0] }, func(l *flow.Listing) error {
		c := l.Config
		c.Scopes = append([]string{}, c.Scopes...)
		kept := flow.Listing{Config: c}
		if l.LastRun != nil {
			r := *l.LastRun
			kept.LastRun = &r
		}
		got = append(got, kept)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(begins, []int{40}) {
		t.Errorf("begin called with %v, want [40]", begins)
	}
	if len(got) != 40 || !reflect.DeepEqual(got, want) {
		t.Fatalf("EachListing differs from ListConfigs (%d vs %d rows)", len(got), len(want))
	}
	for _, l := range want {
		if l.Config.Name == "Config 00003" && (l.LastRun == nil || l.LastRun.Email != "newer@example.com") {
			t.Errorf("Config 00003: last run = %+v, want the newer one", l.LastRun)
		}
		if l.LastRun != nil && l.LastRun.Name != l.Config.Name {
			t.Errorf("%s: last run names %q", l.Config.Name, l.LastRun.Name)
		}
	}
	// The slices of ListConfigs's rows are their own: none shares the
	// reused row's backing array.
	want[0].Config.Scopes[0] = "changed"
	if want[1].Config.Scopes[0] == "changed" {
		t.Error("ListConfigs rows share one Scopes array")
	}
}

// An error from fn stops the listing and comes back as it is.
func TestEachListingStopsOnError(t *testing.T) {
	s := MustOpen(t)
	seedConfigs(t, s, 10)
	stop := errors.New("stop here")
	calls := 0
	err := s.EachListing(context.Background(), nil, func(*flow.Listing) error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 3 {
		t.Fatalf("err = %v after %d rows, want %v after 3", err, calls, stop)
	}
}
