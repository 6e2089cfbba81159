package storage_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/storage"
	_ "github.com/mattn/go-sqlite3"
)

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestFileModes(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data", "byok")
	path := filepath.Join(dir, "byok.db")
	s, _ := mustOpenAt(t, path, "") // key file beside the DB
	if err := s.SaveConfig(ctx, validConfig("Acme"), false); err != nil {
		t.Fatal(err)
	}
	if s.KeyPath() != filepath.Join(dir, storage.KeyFileName) {
		t.Errorf("key path = %q", s.KeyPath())
	}
	want := map[string]os.FileMode{
		dir:               0o700,
		filepath.Dir(dir): 0o700,
		path:              0o600,
		path + "-wal":     0o600,
		path + "-shm":     0o600,
		s.KeyPath():       0o600,
	}
	for p, m := range want {
		t.Run(filepath.Base(p), func(t *testing.T) {
			if got := mode(t, p); got != m {
				t.Errorf("%s mode = %v, want %v", p, got, m)
			}
		})
	}
}

func TestDefaultPath(t *testing.T) {
	tests := map[string]struct {
		env     map[string]string
		want    string
		wantErr bool
	}{
		"xdg":          {map[string]string{"XDG_DATA_HOME": "/x/data", "HOME": "/home/u"}, "/x/data/byok/byok.db", false},
		"home":         {map[string]string{"HOME": "/home/u"}, "/home/u/.local/share/byok/byok.db", false},
		"relative xdg": {map[string]string{"XDG_DATA_HOME": "rel", "HOME": "/home/u"}, "/home/u/.local/share/byok/byok.db", false},
		"nothing":      {map[string]string{}, "", true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := storage.DefaultPathFor("linux", func(k string) string { return tt.env[k] }, nil)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("DefaultPath = %q, %v; want %q (error %v)", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// writeForeign creates an SQLite file at path with the given statements.
func writeForeign(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRefusesFilesThatAreNotByok(t *testing.T) {
	sqliteGarbage := append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte{0xA5}, 4096)...)
	tests := map[string]struct {
		make func(t *testing.T, path string)
		code string
		msg  string
	}{
		"text file": {func(t *testing.T, p string) {
			os.WriteFile(p, []byte("this is my shopping list\n"), 0o644)
		}, flow.EINVALID, "not an SQLite file"},
		"damaged sqlite": {func(t *testing.T, p string) {
			os.WriteFile(p, sqliteGarbage, 0o600)
		}, flow.EINVALID, "damaged"},
		"foreign tables": {func(t *testing.T, p string) {
			writeForeign(t, p, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)", "INSERT INTO users VALUES (1, 'a@b.c')")
		}, flow.EINVALID, "other tables"},
		"foreign application id": {func(t *testing.T, p string) {
			writeForeign(t, p, "PRAGMA application_id = 1234")
		}, flow.EINVALID, "another program"},
		"directory": {func(t *testing.T, p string) {
			os.Mkdir(p, 0o700)
		}, flow.EINVALID, "not a regular file"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "byok.db")
			tt.make(t, path)
			before := snapshot(t, path)
			s, err := storage.Open(context.Background(), storage.Options{Path: path, Key: testKey})
			if err == nil {
				s.Close()
				t.Fatal("Open accepted a file that is not a byok database")
			}
			wantCode(t, err, tt.code)
			for _, part := range []string{path, "is not a byok database", tt.msg, "move it away or pass --db"} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q lacks %q", err, part)
				}
			}
			if after := snapshot(t, path); !bytes.Equal(before, after) {
				t.Error("the file was modified")
			}
		})
	}
}

// snapshot returns the file's bytes (nil for a directory).
func snapshot(t *testing.T, path string) []byte {
	t.Helper()
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "byok.db")
	s, err := storage.Open(ctx, storage.Options{Path: path, Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveConfig(ctx, validConfig("Acme"), false); err != nil {
		t.Fatal(err)
	}
	s.Close()
	writeForeign(t, path, "INSERT INTO byok_schema (version, name, applied_at) VALUES (999, 'future', 0)")

	_, err = storage.Open(ctx, storage.Options{Path: path, Key: testKey})
	wantCode(t, err, flow.EFAILED)
	for _, part := range []string{"newer byok", "999", "upgrade byok"} {
		if err == nil || !strings.Contains(err.Error(), part) {
			t.Errorf("error %v lacks %q", err, part)
		}
	}
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "byok.db")
	for i := 0; i < 3; i++ {
		s, err := storage.Open(ctx, storage.Options{Path: path, Key: testKey})
		if err != nil {
			t.Fatalf("open #%d: %v", i, err)
		}
		if i == 0 {
			if err := s.SaveConfig(ctx, validConfig("Acme"), false); err != nil {
				t.Fatal(err)
			}
		}
		c, err := s.FindConfig(ctx, "Acme")
		if err != nil || c.Secret.Reveal() != fixtureSecret {
			t.Fatalf("open #%d: find = %v", i, err)
		}
		s.Close()
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n, max int
	if err := db.QueryRow("SELECT COUNT(*), MAX(version) FROM byok_schema").Scan(&n, &max); err != nil {
		t.Fatal(err)
	}
	if n != storage.SchemaVersion() || max != storage.SchemaVersion() {
		t.Errorf("byok_schema has %d rows up to %d, want %d", n, max, storage.SchemaVersion())
	}
	var jm string
	db.QueryRow("PRAGMA journal_mode").Scan(&jm)
	if jm != "wal" {
		t.Errorf("journal mode = %q, want wal", jm)
	}
}

func TestPathWithAwkwardCharacters(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "my dir?x=1#frag %20 é")
	path := filepath.Join(dir, "byok.db")
	s, _ := mustOpenAt(t, path, testKey)
	if err := s.SaveConfig(ctx, validConfig("Acme"), false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %q: %v", path, err)
	}
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
}
