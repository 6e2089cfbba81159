package cmd

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// trustingClient trusts only the PEM certificates in caPEM.
func trustingClient(t *testing.T, caPEM []byte) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatalf("no certificate in %q", caPEM)
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

func TestSimulateRunTLSGenerated(t *testing.T) {
	opts, errOut := simulateTestOptions(t)
	opts.Scenario, opts.TLS = "happy", true
	dir := t.TempDir()
	opts.TempDir = func() (string, error) { return filepath.Join(dir, "run"), os.Mkdir(filepath.Join(dir, "run"), 0o700) }
	base, stop, done := simulateStart(t, opts)
	if !strings.HasPrefix(base, "https://127.0.0.1:") {
		t.Fatalf("base = %q, want https on 127.0.0.1", base)
	}
	caFile := filepath.Join(dir, "run", "ca.pem")
	out := errOut.String()
	for _, want := range []string{
		"listening on " + base,
		"CA certificate:       " + caFile,
		"NODE_EXTRA_CA_CERTS=" + caFile,
		"SSL_CERT_FILE=" + caFile,
		`knownAuthorities ["` + strings.TrimPrefix(base, "https://") + `"]`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stderr lacks %q:\n%s", want, out)
		}
	}
	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatalf("CA certificate not written: %v", err)
	}
	if strings.Contains(string(caPEM), "PRIVATE KEY") {
		t.Fatal("the CA file holds a private key")
	}
	c := trustingClient(t, caPEM)
	for _, b := range []string{base, strings.Replace(base, "127.0.0.1", "localhost", 1)} {
		resp, err := c.Get(b + "/" + sim.ContosoTenantID + "/v2.0/.well-known/openid-configuration")
		if err != nil {
			t.Fatalf("GET discovery over TLS at %s: %v", b, err)
		}
		var doc map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&doc)
		resp.Body.Close()
		if doc["issuer"] != b+"/"+sim.ContosoTenantID+"/v2.0" || resp.Header.Get("x-ms-request-id") == "" {
			t.Errorf("discovery at %s: issuer %v, x-ms-request-id %q", b, doc["issuer"], resp.Header.Get("x-ms-request-id"))
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("simulateRun = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "run")); !os.IsNotExist(err) {
		t.Errorf("the CA folder outlives the run: %v", err)
	}
}

func TestSimulateRunTLSOwnCertificate(t *testing.T) {
	id, err := sim.NewTLSIdentity(time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(id.Certificate.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	_ = os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: id.Certificate.Certificate[0]}), 0o600)
	_ = os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600)

	opts, errOut := simulateTestOptions(t)
	opts.Scenario, opts.TLS, opts.TLSCert, opts.TLSKey = "happy", true, certFile, keyFile
	opts.TempDir = func() (string, error) { t.Error("a CA was made though a certificate was given"); return dir, nil }
	base, stop, done := simulateStart(t, opts)
	resp, err := trustingClient(t, id.CAPEM).Get(base + "/common/v2.0/.well-known/openid-configuration")
	if err != nil {
		t.Fatalf("GET over TLS with the given certificate: %v", err)
	}
	resp.Body.Close()
	stop()
	if err := <-done; err != nil {
		t.Fatalf("simulateRun = %v", err)
	}
	if strings.Contains(errOut.String(), "CA certificate:") {
		t.Errorf("stderr names a CA file though the certificate is the user's:\n%s", errOut.String())
	}
}

func TestSimulateTLSInvalidInput(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.pem")
	_ = os.WriteFile(junk, []byte("not a certificate"), 0o600)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"cert without key", []string{"--tls-cert", junk}, "--tls-key: is missing"},
		{"key without cert", []string{"--tls-key", junk}, "--tls-cert: is missing"},
		{"missing cert file", []string{"--tls-cert", filepath.Join(dir, "none.pem"), "--tls-key", junk}, "--tls-cert: can't read"},
		{"not PEM", []string{"--tls-cert", junk, "--tls-key", junk}, "are not a certificate and its key"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, _, stderr := newTestFactory(t)
			if code := runCmd(t, f, append([]string{"simulate", "--listen", "127.0.0.1:0"}, tt.args...)...); code != 2 {
				t.Errorf("exit = %d, want 2", code)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tt.want)
			}
		})
	}
}
