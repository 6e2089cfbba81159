package verify

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

// graphServer answers /v1.0/me with mail and the mail and calendar calls
// with status/code (after `throttled` 429 answers).
func graphServer(t *testing.T, status int, code string, throttled int32, retryAfter string) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/v1.0/me" {
			w.Write([]byte(`{"mail":"alex@contoso.com","userPrincipalName":"alex@contoso.com"}`))
			return
		}
		if n := calls.Add(1); n <= throttled {
			w.Header().Set("Retry-After", retryAfter)
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"error":{"code":"TooManyRequests","message":"Too many requests."}}`))
			return
		}
		if status == http.StatusOK {
			w.Write([]byte(`{"value":[]}`))
			return
		}
		w.WriteHeader(status)
		w.Write([]byte(`{"error":{"code":"` + code + `","message":"Graph says ` + code + `."}}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func accessCheck(t *testing.T, srv *httptest.Server, after func(time.Duration) <-chan time.Time) flow.Check {
	t.Helper()
	v := &Verifier{HTTP: srv.Client(), Endpoints: Endpoints{AuthorityHost: srv.URL, GraphHost: srv.URL}, After: after}
	s := &session{access: "at", scopeSeen: true, granted: []string{"Mail.ReadWrite", "Calendars.ReadWrite"}}
	c := flow.Config{Scopes: []string{"offline_access", "Mail.ReadWrite", "Calendars.ReadWrite"}}
	return v.checkAccess(context.Background(), c, s)
}

// TestGraphFailuresHaveTheirOwnFix: each kind of Graph refusal gets its
// cause and fix, not the same "grant the permissions".
func TestGraphFailuresHaveTheirOwnFix(t *testing.T) {
	for _, tt := range []struct {
		status  int
		code    string
		fixHas  string
		fixLack string
	}{
		{404, "MailboxNotEnabledForRESTAPI", "Exchange Online", "API permissions"},
		{404, "ResourceNotFound", "Exchange Online", "API permissions"},
		{401, "InvalidAuthenticationToken", "--graph-host", "API permissions"},
		{403, "ErrorAccessDenied", "API permissions", "Exchange"},
		{403, "Authorization_RequestDenied", "API permissions", "Exchange"},
		{503, "ServiceUnavailable", "wait", "API permissions"},
	} {
		srv, _ := graphServer(t, tt.status, tt.code, 0, "")
		// a 503 without Retry-After is retried once after 2s: fire at once
		ch := accessCheck(t, srv, func(time.Duration) <-chan time.Time { c := make(chan time.Time, 1); c <- time.Time{}; return c })
		if ch.Status != flow.Fail || !strings.Contains(ch.Detail, tt.code) {
			t.Errorf("%d %s: check = %+v", tt.status, tt.code, ch)
		}
		if !strings.Contains(ch.Fix, tt.fixHas) || strings.Contains(ch.Fix, tt.fixLack) {
			t.Errorf("%d %s: fix %q, want %q and not %q", tt.status, tt.code, ch.Fix, tt.fixHas, tt.fixLack)
		}
	}
}

// TestGraphThrottlingRetriesOnce: a 429 is retried once after the
// Retry-After Graph asked for (the injected timer fires it); a second
// 429 is reported.
func TestGraphThrottlingRetriesOnce(t *testing.T) {
	var waited []time.Duration
	fire := func(d time.Duration) <-chan time.Time {
		waited = append(waited, d)
		c := make(chan time.Time, 1)
		c <- time.Time{}
		return c
	}
	srv, calls := graphServer(t, http.StatusOK, "", 1, "3")
	if ch := accessCheck(t, srv, fire); ch.Status != flow.Pass {
		t.Fatalf("after one 429: %+v", ch)
	}
	if len(waited) == 0 || waited[0] != 3*time.Second {
		t.Errorf("waited %v, want Graph's Retry-After of 3s", waited)
	}
	if calls.Load() != 3 { // mail: 429 then 200; calendars: 200
		t.Errorf("Graph calls = %d, want 3", calls.Load())
	}

	waited = nil
	srv, _ = graphServer(t, http.StatusOK, "", 10, "1")
	ch := accessCheck(t, srv, fire)
	if ch.Status != flow.Fail || !strings.Contains(ch.Detail, "429") || !strings.Contains(ch.Fix, "wait") {
		t.Errorf("always 429: %+v", ch)
	}
	if len(waited) != 1 {
		t.Errorf("retried %d times, want once (then report)", len(waited))
	}

	// Graph asks for longer than verify waits: report at once.
	waited = nil
	srv, _ = graphServer(t, http.StatusOK, "", 10, "3600")
	if ch := accessCheck(t, srv, fire); ch.Status != flow.Fail || len(waited) != 0 {
		t.Errorf("Retry-After 3600: %+v, waited %v", ch, waited)
	}
}
