// Command seed fills a byok database with n valid configs (and, with
// -runs, one verification run for every other config), for benchmarks and
// for trying `byok list` at scale:
//
//	go run ./scripts/seed -db /tmp/byok.db -n 10000
//
// The sealing key is BYOK_KEY if set, else byok.key beside the database.
// Existing configs of the same names make it fail unless -replace.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/storage"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	db := fs.String("db", "", "database file (required)")
	n := fs.Int("n", 1000, "number of configs")
	prefix := fs.String("prefix", "Seed", "name prefix: configs are named \"PREFIX 00001\"…")
	runs := fs.Bool("runs", true, "save a verification run for every other config")
	replace := fs.Bool("replace", false, "replace configs of the same names")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db == "" || *n < 0 {
		fs.Usage()
		return fmt.Errorf("pass -db FILE and -n >= 0")
	}
	ctx := context.Background()
	start := time.Now()
	s, err := storage.Open(ctx, storage.Options{Path: *db, Key: os.Getenv("BYOK_KEY")})
	if err != nil {
		return err
	}
	defer s.Close()

	now := time.Now().UTC()
	cs := make([]flow.Config, *n)
	for i := range cs {
		cs[i] = config(fmt.Sprintf("%s %05d", *prefix, i+1), i, now)
	}
	if err := s.SaveConfigs(ctx, cs, *replace); err != nil {
		return err
	}
	saved := time.Since(start)
	if *runs {
		var rs []flow.Run
		for i := 0; i < len(cs); i += 2 {
			rs = append(rs, flow.Run{Name: cs[i].Name, At: now.Add(-time.Duration(i) * time.Minute), OK: i%4 == 0, Offline: true,
				Checks: []flow.Check{{ID: flow.CheckRedirect, Status: flow.Pass, Detail: "matches the Hiveku redirect URI"}}})
		}
		if err := s.SaveRuns(ctx, rs); err != nil {
			return err
		}
	}
	fmt.Printf("seeded %d configs into %s in %v (configs %v)\n", *n, s.Path(), time.Since(start).Round(time.Millisecond), saved.Round(time.Millisecond))
	return nil
}

// config returns a valid config: the guide's example with distinct IDs.
func config(name string, i int, now time.Time) flow.Config {
	return flow.Config{
		Name:        name,
		AccountType: flow.MultiTenantPersonal,
		RedirectURI: flow.HivekuRedirectURI,
		Scopes:      append([]string(nil), flow.ScopePresets["full"]...),
		ClientID:    fmt.Sprintf("11111111-2222-3333-4444-%012d", i),
		DirectoryID: fmt.Sprintf("66666666-7777-8888-9999-%012d", i),
		Tenant:      "common",
		Secret:      flow.Secret(fmt.Sprintf("Sd8~Q.seed%07d.abcdefghijklmnopqrstuvwx", i)),
		SecretInfo:  flow.SecretInfo{Description: "seeded", Expires: now.AddDate(0, 24, 0)},
	}
}
