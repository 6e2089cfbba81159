package doctor_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/hiveku/byok/assets"
	"github.com/hiveku/byok/flow/doctor"
)

// corpusCase is one text of testdata/corpus.txt.
type corpusCase struct {
	code            int
	category, shape string
	source, text    string
}

func readCorpus(tb testing.TB) []corpusCase {
	tb.Helper()
	data, err := os.ReadFile("testdata/corpus.txt")
	if err != nil {
		tb.Fatal(err)
	}
	var out []corpusCase
	var cur *corpusCase
	var body []string
	flush := func() {
		if cur != nil {
			cur.text = strings.TrimSpace(strings.Join(body, "\n"))
			out = append(out, *cur)
		}
		body = nil
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "### ") {
			flush()
			cur = &corpusCase{}
			for _, f := range strings.Fields(line[4:]) {
				k, v, _ := strings.Cut(f, "=")
				switch k {
				case "code":
					cur.code, _ = strconv.Atoi(v)
				case "category":
					cur.category = v
				case "shape":
					cur.shape = v
				case "source":
					cur.source = v
				}
			}
			continue
		}
		if cur == nil || (len(body) == 0 && strings.HasPrefix(line, "#")) {
			continue
		}
		body = append(body, line)
	}
	flush()
	return out
}

// TestCorpus measures the doctor on its corpus of real error texts:
// the code found (the first finding carries it), explained (the catalog
// has it) and the category a support engineer would choose. The figures
// are in docs/doctor.md; the test holds them as floors.
func TestCorpus(t *testing.T) {
	cat, err := assets.AADSTSCatalog()
	if err != nil {
		t.Fatal(err)
	}
	d := doctor.New(cat)
	cases := readCorpus(t)
	if len(cases) < 50 {
		t.Fatalf("corpus has %d cases, want at least 50", len(cases))
	}
	var found, explained, category int
	shapes := map[string]int{}
	for _, c := range cases {
		shapes[c.shape]++
		if c.code == 0 || c.category == "" || c.text == "" || c.source == "" {
			t.Fatalf("incomplete corpus case %+v", c)
		}
		fs := d.Diagnose(c.text)
		var f *doctor.Finding
		for i := range fs {
			if fs[i].Code == c.code {
				f = &fs[i]
				break
			}
		}
		if f == nil || fs[0].Code != c.code {
			t.Logf("code not found first: AADSTS%d (%s, %s)", c.code, c.shape, c.source)
			continue
		}
		found++
		if !strings.Contains(f.Title, "not in byok's catalog") {
			explained++
		} else {
			t.Logf("not explained: AADSTS%d (%s)", c.code, c.source)
		}
		if f.Category == c.category {
			category++
		} else {
			t.Logf("category of AADSTS%d = %s, a support engineer would say %s", c.code, f.Category, c.category)
		}
	}
	n := len(cases)
	pct := func(k int) float64 { return 100 * float64(k) / float64(n) }
	t.Logf("corpus: %d texts in %d shapes %v; code found %.1f%%, explained %.1f%%, category right %.1f%%",
		n, len(shapes), shapes, pct(found), pct(explained), pct(category))
	if found != n {
		t.Errorf("code found in %d of %d texts, want all", found, n)
	}
	if pct(explained) < 97 {
		t.Errorf("explained %.1f%%, want at least 97%%", pct(explained))
	}
	if pct(category) < 95 {
		t.Errorf("category right %.1f%%, want at least 95%%", pct(category))
	}
}

// TestCorpusUncatalogued measures category inference alone: the same
// corpus against a doctor without a catalog, so every code is
// uncatalogued and its category comes from Microsoft's words.
func TestCorpusUncatalogued(t *testing.T) {
	d := doctor.New(nil)
	cases := readCorpus(t)
	right := 0
	for _, c := range cases {
		fs := d.Diagnose(c.text)
		if len(fs) > 0 && fs[0].Category == c.category {
			right++
		}
	}
	t.Logf("inference alone: category right in %d of %d texts (%.1f%%)", right, len(cases), 100*float64(right)/float64(len(cases)))
	if right*4 < len(cases)*3 {
		t.Errorf("inference alone right in %d of %d texts, want at least three quarters", right, len(cases))
	}
}

func TestCorpusInferenceMisses(t *testing.T) {
	if !testing.Verbose() {
		t.Skip("diagnostic listing")
	}
	d := doctor.New(nil)
	for _, c := range readCorpus(t) {
		fs := d.Diagnose(c.text)
		if len(fs) > 0 && fs[0].Category != c.category {
			t.Logf("AADSTS%d: inferred %s, want %s: %.90s", c.code, fs[0].Category, c.category, fs[0].Message)
		}
	}
}
