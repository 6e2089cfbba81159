package assets

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// TestSimulatorCodesAreCatalogued reads every AADSTS code the built-in
// simulator can emit (each newErr(status, error, code, …) in flow/sim)
// and asserts the doctor's catalog explains it: a person who meets an
// error in `byok demo` can always look it up.
func TestSimulatorCodesAreCatalogued(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "flow", "sim", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no simulator sources: %v", err)
	}
	re := regexp.MustCompile(`newErr\(\s*\d+,\s*"[a-z_]*",\s*(\d+),`)
	emitted := map[int]string{}
	for _, f := range files {
		if filepath.Ext(f) != ".go" || regexp.MustCompile(`_test\.go$`).MatchString(f) {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllSubmatch(src, -1) {
			n, _ := strconv.Atoi(string(m[1]))
			if n != 0 {
				emitted[n] = filepath.Base(f)
			}
		}
	}
	if len(emitted) < 30 {
		t.Fatalf("found only %d emitted codes: the pattern no longer matches the simulator's source", len(emitted))
	}
	cat, err := AADSTSCatalog()
	if err != nil {
		t.Fatal(err)
	}
	known := map[int]bool{}
	for _, e := range cat {
		known[e.Code] = true
	}
	for code, file := range emitted {
		if !known[code] {
			t.Errorf("the simulator emits AADSTS%d (%s), which the doctor's catalog does not explain", code, file)
		}
	}
}
