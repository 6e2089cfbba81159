package cmd

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestHelpEnvironment(t *testing.T) {
	f, stdout, _ := newTestFactory(t)
	if code := runCmd(t, f, "help", "environment"); code != 0 {
		t.Fatalf("exit = %d", code)
	}
	if !strings.HasPrefix(stdout.String(), "Environment variables byok reads\n") || strings.Contains(stdout.String(), "Available Commands") {
		t.Errorf("byok help environment printed:\n%s", stdout)
	}
}

// TestHelpEnvironmentListsEveryVariable reads byok's own source for every
// environment variable it reads, so that the topic cannot fall behind.
func TestHelpEnvironmentListsEveryVariable(t *testing.T) {
	re := regexp.MustCompile(`(?i)getenv\("([A-Z_][A-Z0-9_]*)"\)`)
	found := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "scripts" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			found[m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) < 5 {
		t.Fatalf("found only %v: the scan is broken", found)
	}
	for v, where := range found {
		if !regexp.MustCompile(`\b` + v + `\b`).MatchString(EnvironmentHelp) {
			t.Errorf("%s (read in %s) is missing from byok help environment", v, where)
		}
	}
}
