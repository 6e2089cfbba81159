package verify

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hiveku/byok/flow"
)

// Issue 11, transport: a 307 from the token endpoint made the client post
// client_secret again to another host. CheckSecret now fails instead.
func TestCheckSecretFollowsNoRedirect(t *testing.T) {
	var stolen atomic.Int32
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b, _ := io.ReadAll(r.Body); strings.Contains(string(b), "client_secret") {
			stolen.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"x","token_type":"Bearer","expires_in":3600}`)
	}))
	defer thief.Close()
	login := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, thief.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer login.Close()

	v := NewVerifier()
	v.HTTP = login.Client()
	v.Endpoints = Endpoints{AuthorityHost: login.URL, GraphHost: login.URL}
	c := flow.Config{Name: "Acme", ClientID: "11111111-2222-4333-8444-555555555555",
		DirectoryID: "66666666-7777-4888-9999-000000000000", Tenant: "organizations",
		Secret: flow.Secret("Fx7~Q.abcdefghijklmnopqrstuvwxyz0123456789")}
	ck := v.CheckSecret(context.Background(), c)
	if ck.Status == flow.Pass {
		t.Errorf("check passed through a redirect: %+v", ck)
	}
	if stolen.Load() != 0 {
		t.Error("the secret was posted to the redirect target")
	}
}
