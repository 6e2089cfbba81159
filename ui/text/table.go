// Tables that fit a terminal, measured in terminal cells, and that turn
// into tab-separated values when standard output is not a terminal
// (after cli/cli's tableprinter).

package text

import (
	"bufio"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/hiveku/byok/flow/sanitize"
)

// Shrink is one step of fitting a table into the terminal: column Col
// gives up width, down to Floor cells, before the next step is tried.
type Shrink struct{ Col, Floor int }

// Table is a header and rows of cells. Cells are sanitized (one line
// each) before they are measured or printed.
type Table struct {
	Header []string
	Rows   [][]string
	// Shrink is the order in which columns narrow when the table is too
	// wide for the terminal; columns not named keep their width unless
	// the terminal is too narrow even then, when the widest columns give
	// way down to a few cells each.
	Shrink []Shrink
	// Style, when set, decorates a cell after it has been fitted (colour);
	// it must not change the cell's width. Never used when piped.
	Style func(row, col int, cell string) string
}

// gap is the space between columns on a terminal.
const gap = 2

// minWidth is the narrowest a column gets on a narrow terminal: three
// characters and the ellipsis.
const minWidth = 4

// Add appends a row.
func (t *Table) Add(cells ...string) { t.Rows = append(t.Rows, cells) }

// Write prints t to w. On a terminal (tty) the columns are aligned in
// terminal cells and narrowed, with an ellipsis, to fit width. Piped, the
// header is left out and each row is its cells, untruncated and
// tab-separated, so that cut, awk and sort see whole values.
func (t *Table) Write(w io.Writer, tty bool, width int) error {
	bw := bufio.NewWriter(w)
	clean := func(row []string) []string {
		out := make([]string, len(row))
		for i, c := range row {
			out[i] = sanitize.Line(c)
		}
		return out
	}
	if !tty {
		for _, r := range t.Rows {
			bw.WriteString(strings.Join(clean(r), "\t"))
			bw.WriteByte('\n')
		}
		return bw.Flush()
	}
	header := clean(t.Header)
	rows := make([][]string, len(t.Rows))
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = ansi.StringWidth(h)
	}
	for i, r := range t.Rows {
		rows[i] = clean(r)
		for j, c := range rows[i] {
			if j < len(widths) {
				widths[j] = max(widths[j], ansi.StringWidth(c))
			}
		}
	}
	total := func() int {
		s := gap * (len(widths) - 1)
		for _, n := range widths {
			s += n
		}
		return s
	}
	for _, step := range t.Shrink {
		for step.Col < len(widths) && total() > width && widths[step.Col] > step.Floor {
			widths[step.Col]--
		}
	}
	// Still too wide (a narrow terminal): the widest column gives way,
	// one cell at a time, down to minWidth each.
	for total() > width {
		widest := 0
		for i, n := range widths {
			if n > widths[widest] {
				widest = i
			}
		}
		if widths[widest] <= minWidth {
			break
		}
		widths[widest]--
	}
	line := func(ri int, cells []string) {
		for i, cell := range cells {
			if i >= len(widths) {
				break
			}
			cell = Truncate(cell, widths[i])
			n := ansi.StringWidth(cell)
			if ri >= 0 && t.Style != nil {
				cell = t.Style(ri, i, cell)
			}
			bw.WriteString(cell)
			if i < len(cells)-1 {
				bw.WriteString(strings.Repeat(" ", widths[i]-n+gap))
			}
		}
		bw.WriteByte('\n')
	}
	line(-1, header)
	for i, r := range rows {
		line(i, r)
	}
	return bw.Flush()
}

// Truncate shortens s to at most n terminal cells, ending in "…" when it
// cuts. A wide character that would straddle the edge is dropped whole.
func Truncate(s string, n int) string {
	if ansi.StringWidth(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	return ansi.Truncate(s, n, "…")
}
