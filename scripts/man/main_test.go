package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestManPages(t *testing.T) {
	dir := t.TempDir()
	if err := writeManPages(dir); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"byok.1", "byok-list.1", "byok-verify.1", "byok-version.1"} {
		b, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		if !strings.Contains(string(b), `.TH "BYOK" "1"`) {
			t.Errorf("%s is not a man page:\n%.200s", page, b)
		}
	}
	list, _ := os.ReadFile(filepath.Join(dir, "byok-list.1"))
	if !strings.Contains(string(list), "--exit-status") {
		t.Errorf("byok-list.1 lacks --exit-status")
	}
	root, _ := os.ReadFile(filepath.Join(dir, "byok.1"))
	if !strings.Contains(string(root), "BYOK_KEY") {
		t.Errorf("byok.1 lacks the environment variables")
	}
	if _, err := os.Stat(filepath.Join(dir, "byok-environment.1")); err == nil {
		t.Errorf("the hidden help topic got a page of its own")
	}
}
