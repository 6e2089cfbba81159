package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/hiveku/byok/"

// TestDependencyDirection enforces design.md's architecture: imports point
// inward (cmd → ui, flow, storage, assets; ui → flow; storage → flow; flow
// → nothing of ours), flow stays free of terminal and SQL libraries, ui
// never reaches SQLite or HTTP, and only storage touches database/sql.
func TestDependencyDirection(t *testing.T) {
	rules := []struct {
		dir    string
		forbid []string
	}{
		{"flow", []string{module + "cmd", module + "ui", module + "storage", module + "assets",
			"github.com/charmbracelet/", "github.com/spf13/cobra", "database/sql", "github.com/mattn/go-sqlite3"}},
		{"ui", []string{module + "cmd", module + "storage", module + "flow/sim", "database/sql", "github.com/mattn/go-sqlite3", "net/http", "github.com/spf13/cobra"}},
		{"storage", []string{module + "cmd", module + "ui", module + "assets", "github.com/charmbracelet/", "github.com/spf13/cobra", "net/http"}},
		{"assets", []string{module + "cmd", module + "ui", module + "storage", "database/sql", "net/http"}},
		{"cmd", []string{"database/sql", "github.com/mattn/go-sqlite3"}},
	}
	for _, r := range rules {
		err := filepath.WalkDir(r.dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
			if err != nil {
				return err
			}
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				for _, bad := range r.forbid {
					if p == bad || strings.HasPrefix(p, bad+"/") || strings.HasSuffix(bad, "/") && strings.HasPrefix(p, bad) {
						t.Errorf("%s imports %s: %s must not depend on it (design.md, Architecture)", path, p, r.dir)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("walk %s: %v", r.dir, err)
		}
	}
	// The flow root package is the domain: its subpackages may import it,
	// never the other way round.
	matches, _ := filepath.Glob("flow/*.go")
	for _, path := range matches {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); strings.HasPrefix(p, module) {
				t.Errorf("%s imports %s: package flow imports nothing of byok", path, p)
			}
		}
	}
}
