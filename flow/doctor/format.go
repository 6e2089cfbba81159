package doctor

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// detailLabels orders and names the details in the text rendering; keys
// not listed follow in alphabetical order under their own name.
var detailLabels = []struct{ key, label string }{
	{"redirect_uri", "redirect URI"},
	{"redirect_saved", "saved URI"},
	{"redirect_check", "check"},
	{"redirect_problems", "problems"},
	{"redirect_diff", ""},
	{"app_id", "app ID"},
	{"app_name", "app name"},
	{"app_id_check", "check"},
	{"tenant", "tenant"},
	{"tenant_check", "check"},
	{"scope", "scope"},
	{"user", "user"},
	{"identity_provider", "sign-in via"},
	{"config_note", "config"},
	{"trace_id", "trace ID"},
	{"correlation_id", "correlation ID"},
	{"timestamp", "timestamp"},
	{"lookup", "look up"},
	{"config", ""},
}

// Text renders findings for a terminal of the given width (80 when
// width < 40): per finding a heading "AADSTS50011  redirect-uri  Title",
// then Cause, Fix, Where, Microsoft's message and the details, wrapped
// at word boundaries. A redirect diff is printed as three aligned lines.
func Text(findings []Finding, width int) string {
	if width < 40 {
		width = 80
	}
	var b strings.Builder
	for i, f := range findings {
		if i > 0 {
			b.WriteByte('\n')
		}
		heading(&b, f.Heading()+"  "+f.Category+"  "+f.Title, width)
		field(&b, "Cause:", f.Cause, width)
		field(&b, "Fix:", f.Fix, width)
		field(&b, "Where:", f.Portal, width)
		if f.Code != 0 && f.Error != "" {
			field(&b, "Error:", f.Error, width)
		}
		field(&b, "Microsoft:", f.Message, width)
		if len(f.Details) == 0 {
			continue
		}
		// Details are rendered apart so that a finding whose only detail
		// is hidden (the config note) gets no empty "Details:" heading.
		var d strings.Builder
		seen := map[string]bool{}
		for _, dl := range detailLabels {
			seen[dl.key] = true
			v, ok := f.Details[dl.key]
			if !ok || v == "" || dl.key == "config" {
				continue
			}
			if dl.key == "redirect_saved" && f.Details["redirect_diff"] != "" {
				continue // the diff's "expected" line shows it
			}
			if dl.key == "redirect_diff" {
				lines := strings.Split(v, "\n")
				labels := []string{"in error:", "expected:", ""}
				for j, l := range lines {
					if j >= len(labels) || strings.TrimSpace(l) == "" {
						continue
					}
					d.WriteString(strings.TrimRight("    "+pad(labels[j], 17)+l, " ") + "\n")
				}
				continue
			}
			detail(&d, dl.label, v, width)
		}
		var rest []string
		for k := range f.Details {
			if !seen[k] {
				rest = append(rest, k)
			}
		}
		sort.Strings(rest)
		for _, k := range rest {
			detail(&d, strings.ReplaceAll(k, "_", " "), f.Details[k], width)
		}
		if d.Len() > 0 {
			b.WriteString("  Details:\n")
			b.WriteString(d.String())
		}
	}
	return b.String()
}

// field writes "  Label:     text" with text wrapped under itself.
func field(b *strings.Builder, label, text string, width int) {
	if strings.TrimSpace(text) == "" {
		return
	}
	writeWrapped(b, "  "+pad(label, 11), text, width)
}

func detail(b *strings.Builder, label, text string, width int) {
	writeWrapped(b, "    "+pad(label+":", 17), text, width)
}

func pad(s string, n int) string {
	if c := utf8.RuneCountInString(s); c < n {
		return s + strings.Repeat(" ", n-c)
	}
	return s + " "
}

// writeWrapped writes prefix and text, wrapping text at spaces so that no
// line passes width; a word longer than the line (a URL) is kept whole.
func writeWrapped(b *strings.Builder, prefix, text string, width int) {
	indent := strings.Repeat(" ", utf8.RuneCountInString(prefix))
	avail := width - utf8.RuneCountInString(prefix)
	if avail < 20 {
		avail = 20
	}
	b.WriteString(prefix)
	col := 0
	alone := false // the last word is a URL moved to column 0
	for _, w := range strings.Fields(text) {
		n := utf8.RuneCountInString(w)
		if alone || col > 0 && col+1+n > avail {
			// A URL that moves to the next line starts it, without
			// the indent, and stands alone there: copying the line
			// copies the URL (as ui/text wraps byok's other output).
			alone = strings.Contains(w, "://")
			b.WriteString("\n")
			if !alone {
				b.WriteString(indent)
			}
			col = 0
		}
		if col > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += n
		if alone {
			col = 0 // nothing follows it on its line (see above)
		}
	}
	b.WriteByte('\n')
}

// heading writes the finding's first line, continuing an over-long one on
// lines indented by two spaces.
func heading(b *strings.Builder, h string, width int) {
	if utf8.RuneCountInString(h) <= width {
		b.WriteString(h + "\n")
		return
	}
	col := 0
	for i, w := range strings.Fields(h) {
		n := utf8.RuneCountInString(w)
		if i > 0 && col+1+n > width {
			b.WriteString("\n  ")
			col = 2
		} else if i > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += n
	}
	b.WriteByte('\n')
}
