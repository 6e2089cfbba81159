package cmd

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow/sim"
)

func TestNewCmdSimulate(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantExit int
		want     SimulateOptions
		wantErr  string
	}{
		{name: "defaults", args: nil, want: SimulateOptions{Addr: "127.0.0.1:8400", Scenario: "happy"}},
		{name: "scenario and listen", args: []string{"--listen", "127.0.0.1:0", "--scenario", "consent-declined"},
			want: SimulateOptions{Addr: "127.0.0.1:0", Scenario: "consent-declined"}},
		{name: "config", args: []string{"--config", "w.json"}, want: SimulateOptions{Addr: "127.0.0.1:8400", Config: "w.json"}},
		{name: "both", args: []string{"--config", "w.json", "--scenario", "happy"}, wantExit: 2, wantErr: "--scenario: can't be used together with --config"},
		{name: "argument", args: []string{"happy"}, wantExit: 2, wantErr: "simulate takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, stderr := newTestFactory(t)
			var got *SimulateOptions
			root := NewCmdRoot(f)
			for _, c := range root.Commands() {
				if c.Name() == "simulate" {
					root.RemoveCommand(c)
				}
			}
			root.AddCommand(newCmdSimulate(f, func(o *SimulateOptions) error { got = o; return nil }))
			root.SetArgs(append([]string{"simulate"}, tt.args...))
			root.SetOut(io.Discard)
			root.SetErr(io.Discard)
			err := root.Execute()
			if tt.wantExit != 0 {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if code := runCmd(t, f, append([]string{"simulate"}, tt.args...)...); code != tt.wantExit {
					t.Errorf("exit = %d, want %d (stderr %q)", code, tt.wantExit, stderr.String())
				}
				return
			}
			if err != nil {
				t.Fatalf("Execute: %v", err)
			}
			if got.Addr != tt.want.Addr || got.Scenario != tt.want.Scenario || got.Config != tt.want.Config {
				t.Errorf("options = %+v, want %+v", *got, tt.want)
			}
		})
	}
}

// simulateStart runs simulateRun in the background and returns the base
// URL, a stop func and the run's result channel.
func simulateStart(t *testing.T, opts *SimulateOptions) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	ready := make(chan string, 1)
	opts.Ready = func(u string) { ready <- u }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- simulateRun(ctx, opts) }()
	select {
	case u := <-ready:
		return u, cancel, done
	case err := <-done:
		cancel()
		t.Fatalf("simulateRun returned early: %v", err)
	}
	return "", cancel, done
}

func simulateTestOptions(t *testing.T) (*SimulateOptions, *strings.Builder) {
	t.Helper()
	f, _, _ := newTestFactory(t)
	var errOut strings.Builder
	f.IO.ErrOut = &errOut
	return &SimulateOptions{
		IO: f.IO, Now: f.Now, Rand: strings.NewReader(strings.Repeat("0123456789abcdef", 4096)),
		Listen: net.Listen, ReadFile: os.ReadFile, Addr: "127.0.0.1:0",
	}, &errOut
}

func TestSimulateRunServesAndStops(t *testing.T) {
	opts, errOut := simulateTestOptions(t)
	opts.Scenario = "happy"
	base, stop, done := simulateStart(t, opts)

	resp, err := simulateClient.Get(base + "/" + sim.ContosoTenantID + "/v2.0/.well-known/openid-configuration")
	if err != nil {
		t.Fatalf("GET discovery: %v", err)
	}
	var doc map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if resp.StatusCode != 200 || doc["issuer"] != base+"/"+sim.ContosoTenantID+"/v2.0" {
		t.Errorf("discovery = %d %v", resp.StatusCode, doc["issuer"])
	}

	stop()
	if err := <-done; err != nil {
		t.Fatalf("simulateRun = %v, want nil after Ctrl+C", err)
	}
	out := errOut.String()
	for _, want := range []string{
		"Microsoft simulator (scenario happy) listening on " + base,
		"Application (client) ID: " + sim.DemoClientID,
		"Directory (tenant) ID:   " + sim.ContosoTenantID,
		"Secret ID " + sim.DemoSecretID,
		"simulator stopped",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stderr lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, sim.DemoSecretValue) {
		t.Errorf("stderr shows the secret value:\n%s", out)
	}
	if _, err := simulateClient.Get(base + "/common/v2.0/.well-known/openid-configuration"); err == nil {
		t.Errorf("server still answers after stop")
	}
}

func TestSimulateRunConfigFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "world.json")
	world := `{"tenants":[{"id":"11111111-2222-4333-8444-555555555555","domains":["example.org"]}],
	 "users":[{"id":"u1","userPrincipalName":"kim@example.org","tenantId":"11111111-2222-4333-8444-555555555555"}],
	 "apps":[{"displayName":"Example","appId":"99999999-8888-4777-8666-555555555555","homeTenantId":"11111111-2222-4333-8444-555555555555",
	   "signInAudience":"AzureADMyOrg","webRedirectUris":["http://localhost"],
	   "passwordCredentials":[{"keyId":"k","secretText":"fixture~value","endDateTime":"2030-01-01T00:00:00Z"}]}]}`
	if err := os.WriteFile(good, []byte(world), 0o600); err != nil {
		t.Fatal(err)
	}
	opts, errOut := simulateTestOptions(t)
	opts.Config = good
	base, stop, done := simulateStart(t, opts)
	resp, err := simulateClient.Get(base + "/example.org/v2.0/.well-known/openid-configuration")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("discovery of the file's tenant: %v %v", err, resp)
	}
	resp.Body.Close()
	stop()
	if err := <-done; err != nil {
		t.Fatalf("simulateRun = %v", err)
	}
	if !strings.Contains(errOut.String(), `app "Example" (single)`) || strings.Contains(errOut.String(), "fixture~value") {
		t.Errorf("stderr:\n%s", errOut.String())
	}
}

func TestSimulateInvalidInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	_ = os.WriteFile(bad, []byte(`{"apps":[{"displayName":"X","appId":"nope"}]}`), 0o600)
	typo := filepath.Join(dir, "typo.json")
	_ = os.WriteFile(typo, []byte(`{"aps":[]}`), 0o600)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown scenario", []string{"--scenario", "nope"}, `--scenario: "nope" is not a scenario; use one of happy, redirect-mismatch`},
		{"missing file", []string{"--config", filepath.Join(dir, "missing.json")}, "--config: can't read"},
		{"bad app id", []string{"--config", bad}, `apps[0].appId: "nope" is not a GUID`},
		{"unknown field", []string{"--config", typo}, `unknown field "aps"`},
		{"bad address", []string{"--listen", "256.0.0.1:1"}, "--listen: can't listen on 256.0.0.1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, stderr := newTestFactory(t)
			if code := runCmd(t, f, append([]string{"simulate"}, tt.args...)...); code != 2 {
				t.Errorf("exit = %d, want 2", code)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tt.want)
			}
		})
	}
}

// simulateClient talks to the loopback simulator in these tests.
var simulateClient = &http.Client{}

// TestSimulateConfigShapeParses keeps the --help example in step with
// sim.ParseOptions.
func TestSimulateConfigShapeParses(t *testing.T) {
	doc := strings.ReplaceAll(simulateConfigShape, `"GUID"`, `"11111111-2222-4333-8444-555555555555"`)
	o, err := sim.ParseOptions(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("the documented shape does not parse: %v", err)
	}
	if len(o.Apps) != 1 || len(o.Users) != 1 || len(o.Tenants) != 1 || len(o.Apps[0].Secrets) != 1 {
		t.Errorf("parsed %+v", o)
	}
}
