package sim

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentFlows runs sign-ins in parallel on one simulator and
// redeems one code twice at the same time: exactly one redemption wins.
func TestConcurrentFlows(t *testing.T) {
	e := newEnv(t, nil)
	const n = 8
	codes := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q, err := e.sim.Consent(t.Context(), e.srv.Client(), e.authURL("common"), "alex@contoso.com", true)
			if err != nil {
				t.Errorf("Consent: %v", err)
				return
			}
			u, _ := url.Parse(q)
			codes[i] = u.Query().Get("code")
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, c := range codes {
		if c == "" || seen[c] {
			t.Fatalf("codes not unique: %v", codes)
		}
		seen[c] = true
	}

	statuses := make(chan int, 2)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/common/oauth2/v2.0/token", strings.NewReader(codeForm(codes[0]).Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := e.srv.Client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	ok := 0
	for st := range statuses {
		if st == 200 {
			ok++
		}
	}
	if ok != 1 {
		t.Errorf("%d concurrent redemptions of one code succeeded, want 1", ok)
	}
}
