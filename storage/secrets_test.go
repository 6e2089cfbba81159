package storage_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
)

// TestSecretNeverStoredInPlain saves, drafts and rotates secrets, then
// greps every file byok wrote (database, WAL, shared memory, key file)
// for any of the values.
func TestSecretNeverStoredInPlain(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, path := mustOpenAt(t, filepath.Join(dir, "byok.db"), "")
	values := []string{fixtureSecret}
	if err := s.SaveConfig(ctx, validConfig("Acme"), false); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		v := secretFor("Acme", i)
		values = append(values, v.Reveal())
		if err := s.RotateSecret(ctx, "Acme", v, flow.SecretInfo{}); err != nil {
			t.Fatal(err)
		}
	}
	draftSecret := secretFor("Draft", 1)
	values = append(values, draftSecret.Reveal())
	if err := s.SaveDraft(ctx, flow.Draft{Config: flow.Config{Name: "Draft", Secret: draftSecret}, Step: flow.StepSecret}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveRun(ctx, flow.Run{Name: "Acme", Checks: []flow.Check{{ID: flow.CheckCreds, Status: flow.Pass}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindConfig(ctx, "Acme"); err != nil {
		t.Fatal(err)
	}

	files, _ := filepath.Glob(path + "*")
	files = append(files, s.KeyPath())
	if len(files) < 3 {
		t.Fatalf("expected db, -wal and key files, got %v", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range values {
			// The distinctive tail of each value (the hint's 3 chars are public).
			if bytes.Contains(b, []byte(v[3:])) {
				t.Errorf("%s contains a secret value in plain text", filepath.Base(f))
			}
		}
	}
}

func TestListingAndFindNeverPrintSecret(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if err := s.SaveConfig(ctx, validConfig("Acme"), false); err != nil {
		t.Fatal(err)
	}
	l, err := s.ListConfigs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.FindConfig(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	d := flow.Draft{Config: c, Step: flow.StepReview}
	for name, v := range map[string]any{"list": l, "find": c, "draft": d} {
		js, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, out := range []string{fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), string(js)} {
			if strings.Contains(out, fixtureSecret) {
				t.Errorf("%s output reveals the secret: %s", name, out)
			}
		}
	}
}

// TestSealedValueBoundToRow moves a sealed value from one config to
// another behind byok's back: it must not unseal there.
func TestSealedValueBoundToRow(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	a, b := validConfig("A"), validConfig("B")
	b.Secret = secretFor("B", 1)
	if err := s.SaveConfigs(ctx, []flow.Config{a, b}, false); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`UPDATE secrets SET sealed = (SELECT s.sealed FROM secrets s JOIN configs c ON c.id = s.config_id WHERE c.name = 'B')
		WHERE config_id = (SELECT id FROM configs WHERE name = 'A')`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.FindConfig(ctx, "A")
	if err != nil {
		t.Fatal(err)
	}
	if !got.SecretInfo.Missing || got.Secret.Reveal() == b.Secret.Reveal() {
		t.Errorf("a sealed value moved to another row was accepted (Missing=%v)", got.SecretInfo.Missing)
	}
}
