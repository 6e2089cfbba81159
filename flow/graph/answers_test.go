package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/graph"
)

const okGUID = "11111111-2222-3333-4444-555555555555"

// hostileGraph answers every request with body.
func hostileGraph(t *testing.T, body string) *graph.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return &graph.Client{HTTP: srv.Client(), Host: srv.URL, Session: graph.NewSession("tok", okGUID, "admin@contoso.com")}
}

// An ID from Graph is stored (client ID), sent back (object ID) and
// printed: one that is not a GUID fails the request, quoted escaped.
func TestGraphAnswersAreValidated(t *testing.T) {
	const esc = "\x1b]52;c;ZWNobyBwd25lZA==\a"
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	app := func(id, appID, keyID string) string {
		return fmt.Sprintf(`{"id":%s,"appId":%s,"displayName":"Acme Hiveku","passwordCredentials":[{"keyId":%s}]}`, q(id), q(appID), q(keyID))
	}
	ctx := context.Background()
	tests := []struct {
		name string
		body string
		call func(c *graph.Client) error
	}{
		{"find: appId", `{"value":[` + app(okGUID, "0000"+esc, okGUID) + `]}`, func(c *graph.Client) error {
			_, err := c.FindApplications(ctx, "Acme Hiveku")
			return err
		}},
		{"read: object id", app("x\u202ey", okGUID, okGUID), func(c *graph.Client) error {
			_, err := c.ApplicationByAppID(ctx, okGUID)
			return err
		}},
		{"read: keyId", app(okGUID, okGUID, "k\x00"), func(c *graph.Client) error {
			_, err := c.ApplicationByAppID(ctx, okGUID)
			return err
		}},
		{"create", app(okGUID, "", okGUID), func(c *graph.Client) error {
			_, err := c.CreateApplication(ctx, graph.NewApplication{DisplayName: "Acme Hiveku"})
			return err
		}},
		{"service principal", `{"id":` + q(esc) + `,"appId":"` + okGUID + `"}`, func(c *graph.Client) error {
			_, err := c.CreateServicePrincipal(ctx, okGUID)
			return err
		}},
		{"service principal list", `{"value":[{"id":"` + okGUID + `","appId":"nope"}]}`, func(c *graph.Client) error {
			_, _, err := c.ServicePrincipalByAppID(ctx, okGUID)
			return err
		}},
		{"password keyId", `{"keyId":` + q(esc) + `,"secretText":"abc8Q~0123456789abcdefghijklmnopqrstuvwx"}`, func(c *graph.Client) error {
			_, err := c.AddPassword(ctx, okGUID, "Hiveku prod", time.Now())
			return err
		}},
		{"password secretText", `{"keyId":"` + okGUID + `","secretText":"` + okGUID + `"}`, func(c *graph.Client) error {
			_, err := c.AddPassword(ctx, okGUID, "Hiveku prod", time.Now())
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(hostileGraph(t, tt.body))
			if flow.ErrorCode(err) != flow.EFAILED {
				t.Fatalf("err = %v, want EFAILED", err)
			}
			msg := err.Error()
			if strings.ContainsAny(msg, "\x1b\x00\a\u202e") || strings.Contains(msg, okGUID+`"`) && strings.Contains(tt.name, "secretText") {
				t.Errorf("error carries the raw value: %q", msg)
			}
			if fe, ok := err.(*flow.Error); !ok || fe.Fix == "" {
				t.Errorf("no fix: %#v", err)
			}
		})
	}
	// A good answer passes, normalised.
	c := hostileGraph(t, `{"value":[`+app(strings.ToUpper(okGUID), "{"+okGUID+"}", okGUID)+`]}`)
	apps, err := c.FindApplications(ctx, "Acme Hiveku")
	if err != nil || len(apps) != 1 || apps[0].AppID != okGUID || apps[0].ID != okGUID {
		t.Errorf("FindApplications = %+v, %v", apps, err)
	}
}
