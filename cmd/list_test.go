package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

// listConfig returns a valid config named name whose secret (hint "abC…")
// expires at expires.
func listConfig(name string, acct flow.AccountType, tenant string, expires time.Time) flow.Config {
	return flow.Config{
		Name: name, AccountType: acct, RedirectURI: flow.HivekuRedirectURI,
		Scopes:   []string{"offline_access", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"},
		ClientID: setupClientID, DirectoryID: setupDirectoryID, Tenant: tenant,
		Secret: setupFixtureSecret,
		SecretInfo: flow.SecretInfo{Description: "Hiveku prod", Hint: "abC…",
			Created: testNow.AddDate(0, 0, -30), Expires: expires},
	}
}

// listSeed saves three configs: one verified and healthy, one expiring
// in 12 days whose offline check failed, one expired and never verified.
func listSeed(t *testing.T, f *Factory) {
	t.Helper()
	ctx := context.Background()
	st := testStore(t, f)
	day := 24 * time.Hour
	for _, c := range []flow.Config{
		listConfig("Acme Hiveku", flow.MultiTenantPersonal, "common", testNow.Add(731*day)),
		listConfig("Contoso Mail", flow.SingleTenant, setupDirectoryID, testNow.Add(12*day)),
		listConfig("Old App", flow.MultiTenant, "organizations", testNow.Add(-3*day)),
	} {
		if err := st.SaveConfig(ctx, c, false); err != nil {
			t.Fatalf("SaveConfig(%s): %v", c.Name, err)
		}
	}
	runs := []flow.Run{
		{Name: "Acme Hiveku", At: testNow.Add(-2 * day), OK: true, Email: "alice@contoso.com",
			Checks: []flow.Check{{ID: flow.CheckRedirect, Status: flow.Pass, Detail: "matches Hiveku's"}, {ID: flow.CheckMailbox, Status: flow.Pass, Detail: "alice@contoso.com"}}},
		{Name: "Contoso Mail", At: testNow.Add(-day), Offline: true, OK: false,
			Checks: []flow.Check{{ID: flow.CheckAudience, Status: flow.Fail, Detail: "single tenant with common", Fix: "use the directory ID as tenant"}}},
	}
	for _, r := range runs {
		if err := st.SaveRun(ctx, r); err != nil {
			t.Fatalf("SaveRun(%s): %v", r.Name, err)
		}
	}
}

func TestListEmpty(t *testing.T) {
	for _, tt := range []struct {
		name, want string
		args       []string
	}{
		{"text", "No saved configs. Run byok setup to create one.\n", []string{"list"}},
		{"json", "[]\n", []string{"list", "--json"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			if code := runCmd(t, f, tt.args...); code != 0 {
				t.Fatalf("exit = %d; stderr %q", code, stderr)
			}
			if stdout.String() != tt.want {
				t.Errorf("stdout = %q, want %q", stdout, tt.want)
			}
		})
	}
}

func TestListTable(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{
			name: "all",
			args: []string{"list"},
			want: `NAME          TYPE            TENANT     SECRET EXPIRES            LAST VERIFIED
Acme Hiveku   multi-personal  common     2028-11-27 (in 731 days)  ok 2d ago al…
Contoso Mail  single          66666666…  2026-12-09 (in 12 days)   failed 1d ag…
Old App       multi           organiza…  2026-11-24 (expired)      never
`,
		},
		{
			name: "expiring 30d",
			args: []string{"list", "--expiring", "30d"},
			want: `NAME          TYPE    TENANT         SECRET EXPIRES           LAST VERIFIED
Contoso Mail  single  66666666-777…  2026-12-09 (in 12 days)  failed 1d ago (of…
Old App       multi   organizations  2026-11-24 (expired)     never
`,
		},
		{
			name: "expiring 1w",
			args: []string{"list", "--expiring", "1w"},
			want: "NAME     TYPE   TENANT         SECRET EXPIRES        LAST VERIFIED\n" +
				"Old App  multi  organizations  2026-11-24 (expired)  never\n",
		},
		{
			name: "expired only",
			args: []string{"list", "--expiring", "0"},
			want: "NAME     TYPE   TENANT         SECRET EXPIRES        LAST VERIFIED\n" +
				"Old App  multi  organizations  2026-11-24 (expired)  never\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			f.IO.SetStdoutTTY(true) // the aligned table; piped: TestListPiped
			listSeed(t, f)
			if code := runCmd(t, f, tt.args...); code != 0 {
				t.Fatalf("exit = %d; stderr %q", code, stderr)
			}
			if got := stdout.String(); got != tt.want {
				t.Errorf("stdout =\n%s\nwant\n%s", got, tt.want)
			}
			for _, line := range strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n") {
				if n := len([]rune(line)); n > 80 {
					t.Errorf("line is %d columns, want ≤ 80: %q", n, line)
				}
			}
		})
	}
}

func TestListExpiringInvalid(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	if code := runCmd(t, f, "list", "--expiring", "soon"); code != 2 {
		t.Fatalf("exit = %d, want 2", code)
	}
	want := "byok: --expiring: \"soon\" is not a number of days; use days or weeks, e.g. --expiring 30d or --expiring 8w\n"
	if stderr.String() != want {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
}

func TestListJSON(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	listSeed(t, f)
	if code := runCmd(t, f, "list", "--json"); code != 0 {
		t.Fatalf("exit = %d; stderr %q", code, stderr)
	}
	var got []map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, stdout)
	}
	if len(got) != 3 {
		t.Fatalf("got %d objects, want 3", len(got))
	}
	first := got[0]
	for key, want := range map[string]any{
		"name": "Acme Hiveku", "account_type": "AzureADandPersonalMicrosoftAccount", "tenant": "common",
		"client_id": setupClientID, "directory_id": setupDirectoryID, "redirect_uri": flow.HivekuRedirectURI,
		"secret_days_left": 731.0,
	} {
		if first[key] != want {
			t.Errorf("%s = %v, want %v", key, first[key], want)
		}
	}
	secret, _ := first["secret"].(map[string]any)
	if secret["hint"] != "abC…" || secret["description"] != "Hiveku prod" || secret["expires"] != "2028-11-27T09:00:00Z" {
		t.Errorf("secret = %v", secret)
	}
	run, _ := first["last_verification"].(map[string]any)
	if run["ok"] != true || run["email"] != "alice@contoso.com" {
		t.Errorf("last_verification = %v", run)
	}
	if got[2]["last_verification"] != nil {
		t.Errorf("Old App last_verification = %v, want null", got[2]["last_verification"])
	}
	if strings.Contains(stdout.String(), setupFixtureSecret) {
		t.Error("list --json contains the secret value")
	}
}

func TestParseDays(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"30", 30, false}, {"30d", 30, false}, {"8w", 56, false}, {" 7D ", 7, false},
		{"", 0, true}, {"-1", 0, true}, {"1m", 0, true}, {"x", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDays(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseDays(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestTableTruncatesLongNames(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	f.IO.SetStdoutTTY(true)
	c := listConfig(strings.Repeat("Very Long Name ", 5)+"End", flow.MultiTenant, "organizations", testNow.AddDate(1, 0, 0))
	if err := testStore(t, f).SaveConfig(context.Background(), c, false); err != nil {
		t.Fatal(err)
	}
	if code := runCmd(t, f, "list"); code != 0 {
		t.Fatalf("exit = %d; stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2:\n%s", len(lines), stdout)
	}
	for _, l := range lines {
		if n := len([]rune(l)); n > 80 {
			t.Errorf("line is %d columns, want ≤ 80: %q", n, l)
		}
	}
	if !strings.Contains(lines[1], "Very Long Name V…  multi") {
		t.Errorf("row = %q, want the name cut with an ellipsis", lines[1])
	}
}

func TestWriteListJSONMatchesOneEncoder(t *testing.T) {
	for _, n := range []int{0, 1, 2, 517} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			rows := make([]flow.Listing, n)
			var want bytes.Buffer
			items := make([]configJSON, n)
			for i := range rows {
				c := listConfig(fmt.Sprintf("App <%05d> & co", i), flow.MultiTenant, "organizations", testNow.AddDate(0, 0, i))
				var run *flow.Run
				if i%3 == 0 {
					run = &flow.Run{Name: c.Name, At: testNow, OK: true, Email: "a@b.example"}
				}
				rows[i] = flow.Listing{Config: c, LastRun: run}
				items[i] = newConfigJSON(c, run, testNow)
			}
			for _, tty := range []bool{false, true} {
				want.Reset()
				enc := json.NewEncoder(&want)
				enc.SetEscapeHTML(false)
				if tty {
					enc.SetIndent("", "  ")
				}
				if err := enc.Encode(items); err != nil {
					t.Fatal(err)
				}
				ios, _, out, _ := Test()
				ios.SetStdoutTTY(tty)
				if err := writeListJSON(ios, rows, testNow); err != nil {
					t.Fatal(err)
				}
				if out.String() != want.String() {
					t.Errorf("tty=%v: output differs from one encoder (%d vs %d bytes)", tty, out.Len(), want.Len())
				}
			}
		})
	}
}

// noWalker hides storage.Store's EachListing: list --json then reads
// ListConfigs, as with any other flow.Store.
type noWalker struct{ flow.Store }

// list --json encodes each row as storage reads it; the output is the
// same, byte for byte, as one json.Encoder over ListConfigs's rows, and
// as the path for stores without EachListing, with and without
// --expiring, piped and on a terminal.
func TestListJSONStreamedMatchesListConfigs(t *testing.T) {
	for _, args := range [][]string{
		{"list", "--json"},
		{"list", "--json", "--expiring", "30d"},
		{"list", "--json", "--expiring", "0"},
	} {
		for _, tty := range []bool{false, true} {
			name := strings.Join(args[1:], " ") + " tty=" + strconv.FormatBool(tty)
			t.Run(name, func(t *testing.T) {
				f, stdout, stderr := newTestFactory(t)
				f.IO.SetStdoutTTY(tty)
				listSeed(t, f)
				st := testStore(t, f)
				if _, ok := st.(listingWalker); !ok {
					t.Fatalf("%T has no EachListing", st)
				}
				all, err := st.ListConfigs(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				opts := &ListOptions{Expiring: -1}
				if len(args) > 2 {
					if opts.Expiring, err = parseDays(args[3]); err != nil {
						t.Fatal(err)
					}
				}
				items := []configJSON{}
				for _, l := range all {
					if opts.Expiring < 0 || expiresWithin(l.Config.SecretInfo, testNow, opts.Expiring) {
						items = append(items, newConfigJSON(l.Config, l.LastRun, testNow))
					}
				}
				var want bytes.Buffer
				enc := json.NewEncoder(&want)
				enc.SetEscapeHTML(false)
				if tty {
					enc.SetIndent("", "  ")
				}
				if err := enc.Encode(items); err != nil {
					t.Fatal(err)
				}

				if code := runCmd(t, f, args...); code != 0 {
					t.Fatalf("exit = %d; stderr %q", code, stderr)
				}
				if stdout.String() != want.String() {
					t.Errorf("streamed:\n%s\nwant\n%s", stdout, want.String())
				}

				stdout.Reset()
				open := f.Store
				f.Store = func(ctx context.Context) (flow.Store, error) {
					st, err := open(ctx)
					if err != nil {
						return nil, err
					}
					return noWalker{st}, nil
				}
				if code := runCmd(t, f, args...); code != 0 {
					t.Fatalf("without EachListing: exit = %d; stderr %q", code, stderr)
				}
				if stdout.String() != want.String() {
					t.Errorf("without EachListing:\n%s\nwant\n%s", stdout, want.String())
				}
			})
		}
	}
}

// More rows than one encoding batch, read from storage (which reuses
// its row): the output is one json.Encoder's over ListConfigs's rows.
func TestListJSONManyBatches(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	ctx := context.Background()
	st := testStore(t, f)
	n := 2*listJSONBatch + 37
	cs := make([]flow.Config, n)
	for i := range cs {
		cs[i] = listConfig(fmt.Sprintf("App %04d", i), flow.MultiTenantPersonal, "common", testNow.AddDate(0, 0, i))
		cs[i].Scopes = cs[i].Scopes[:2+i%3]
		if i%2 == 1 { // rows differ in their scopes' order too
			slices.Reverse(cs[i].Scopes)
		}
	}
	if err := st.(interface {
		SaveConfigs(context.Context, []flow.Config, bool) error
	}).SaveConfigs(ctx, cs, false); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i += 3 {
		run := flow.Run{Name: cs[i].Name, At: testNow, OK: i%2 == 0, Email: fmt.Sprintf("u%d@contoso.com", i),
			Checks: []flow.Check{{ID: flow.CheckRedirect, Status: flow.Pass, Detail: cs[i].Name}}}
		if err := st.SaveRun(ctx, run); err != nil {
			t.Fatal(err)
		}
	}
	all, err := st.ListConfigs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	items := make([]configJSON, len(all))
	for i, l := range all {
		items[i] = newConfigJSON(l.Config, l.LastRun, testNow)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(items); err != nil {
		t.Fatal(err)
	}
	if code := runCmd(t, f, "list", "--json"); code != 0 {
		t.Fatalf("exit = %d; stderr %q", code, stderr)
	}
	if stdout.String() != want.String() {
		t.Errorf("list --json over %d configs differs from one encoder (%d vs %d bytes)", n, stdout.Len(), want.Len())
	}
}

// A store damaged past its first page opens but fails half-way through
// the listing: list --json prints nothing on stdout (no half array), and
// its error says once what failed.
func TestListJSONDamagedStorePrintsNothing(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	ctx := context.Background()
	st := testStore(t, f)
	cs := make([]flow.Config, 600)
	for i := range cs {
		cs[i] = listConfig(fmt.Sprintf("App %04d", i), flow.MultiTenantPersonal, "common", testNow.AddDate(1, 0, 0))
	}
	if err := st.(interface {
		SaveConfigs(context.Context, []flow.Config, bool) error
	}).SaveConfigs(ctx, cs, false); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil { // checkpoints the WAL into the file
		t.Fatal(err)
	}
	path := f.Getenv("BYOK_DB")
	for _, ext := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + ext); err == nil {
			t.Fatalf("%s%s left after close: the damage below would not be read", path, ext)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Keep the schema page, scribble over the last pages (the end of the
	// configs table and its indexes).
	if len(b) < 40*4096 {
		t.Fatalf("store is %d bytes, want at least 40 pages", len(b))
	}
	for i := len(b) - 24*4096; i < len(b); i++ {
		b[i] = 0xA5
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if code := runCmd(t, f, "list", "--json"); code != 1 {
		t.Fatalf("exit = %d, want 1; stderr %q", code, stderr)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout has %d bytes (%.40q…), want nothing", stdout.Len(), stdout.String())
	}
	msg := stderr.String()
	if !strings.Contains(msg, "byok: list configs: ") || strings.Count(msg, "list configs") != 1 {
		t.Errorf("stderr = %q, want an error saying once that listing failed", msg)
	}
}

// A read retried from the start (busy database) calls begin again: what
// was added before, encoded or not, is dropped.
func TestListJSONResetDropsEarlierRows(t *testing.T) {
	row := func(name string) flow.Listing {
		return flow.Listing{Config: listConfig(name, flow.MultiTenant, "organizations", testNow.AddDate(0, 0, 9))}
	}
	var e listJSON
	e.reset(testNow)
	for i := range 2*listJSONBatch + 5 {
		l := row(fmt.Sprintf("First try %d", i))
		e.add(&l)
	}
	e.reset(testNow)
	var items []configJSON
	for _, name := range []string{"Again A", "Again B", "Again C"} {
		l := row(name)
		e.add(&l)
		items = append(items, newConfigJSON(l.Config, nil, testNow))
	}
	ios, _, out, _ := Test()
	if err := e.write(ios); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(items); err != nil {
		t.Fatal(err)
	}
	if out.String() != want.String() {
		t.Errorf("after reset:\n%s\nwant\n%s", out, want.String())
	}
	if e.n != 3 {
		t.Errorf("n = %d, want 3", e.n)
	}
}
