package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/ui/text"
	"github.com/spf13/cobra"
)

// ListOptions holds the dependencies and flag values of `byok list`.
type ListOptions struct {
	IO    *IOStreams
	Store func(ctx context.Context) (flow.Store, error)
	Now   func() time.Time

	JSON bool
	// Expiring keeps configs whose secret expires within this many days
	// (or has expired); -1 keeps all.
	Expiring int
	expiring string
	// ExitStatus makes --expiring exit 1 when some config matches, for
	// cron jobs and CI.
	ExitStatus bool
}

// NewCmdList builds `byok list [--json] [--expiring 30d]`. runF replaces
// listRun in tests.
func NewCmdList(f *Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IO, Store: f.Store, Now: f.Now, Expiring: -1}
	c := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List saved configs with secret expiry and last verification",
		Example: "  byok list\n" +
			"  byok list --expiring 30d\n" +
			"  byok list --expiring 30d --exit-status || notify-admin\n" +
			"  byok list --json name,secret_days_left\n" +
			"  byok list --json",
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef(c, "list takes no arguments; to see one config run byok show NAME")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			if opts.expiring != "" {
				n, err := parseDays(opts.expiring)
				if err != nil {
					return err
				}
				opts.Expiring = n
			}
			if opts.ExitStatus && opts.expiring == "" {
				return flow.Invalid("--exit-status", "only works with --expiring").
					WithFix("add --expiring DAYS, e.g. byok list --expiring 30d --exit-status")
			}
			if runF != nil {
				return runF(opts)
			}
			return listRun(c.Context(), opts)
		},
	}
	addJSONFlags(c, f.IO, &opts.JSON, "print JSON (an array; secrets only as hints)", configJSON{}, "")
	c.Flags().StringVar(&opts.expiring, "expiring", "", "only configs whose secret expires within `DAYS` (e.g. 30d, 8w) or has expired")
	c.Flags().BoolVar(&opts.ExitStatus, "exit-status", false, "with --expiring: exit 1 when some config matches")
	return c
}

// parseDays reads a window such as "30", "30d" or "8w" as days.
func parseDays(s string) (int, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	mult := 1
	switch {
	case strings.HasSuffix(v, "d"):
		v = strings.TrimSuffix(v, "d")
	case strings.HasSuffix(v, "w"):
		v, mult = strings.TrimSuffix(v, "w"), 7
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 100000 {
		return 0, flow.Invalid("--expiring", "%q is not a number of days", s).WithFix("use days or weeks, e.g. --expiring 30d or --expiring 8w")
	}
	return n * mult, nil
}

// listRun prints the saved configs as a table or JSON.
func listRun(ctx context.Context, opts *ListOptions) error {
	st, err := opts.Store(readOnly(ctx))
	switch {
	case noDatabase(err):
		// Nothing to list yet, and nothing is created: a mistyped --db
		// used to leave a new empty database (and its folders) behind.
		fmt.Fprintf(opts.IO.ErrOut, "note: %s\n", sanitize.Text(err.Error()))
		st = nil
	case err != nil:
		return err
	}
	now := opts.Now()
	keep := func(l *flow.Listing) bool {
		return opts.Expiring < 0 || expiresWithin(l.Config.SecretInfo, now, opts.Expiring)
	}
	// With --exit-status a match is the failure a cron job waits for.
	matched := func(n int) error {
		if opts.ExitStatus && n > 0 {
			return ErrSilent
		}
		return nil
	}
	if opts.JSON && !opts.IO.jsonExport.active() {
		// Rows are encoded as they are read, a batch at a time on the
		// other CPU: 10,000 configs are never held in memory as structs,
		// only as the JSON text.
		var e listJSON
		e.reset(now)
		if st != nil {
			err := eachListing(ctx, st, func(int) { e.reset(now) }, func(l *flow.Listing) error {
				if keep(l) {
					e.add(l)
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("list configs: %w", err)
			}
		}
		if err := e.write(opts.IO); err != nil {
			return err
		}
		return matched(e.n)
	}
	var all []flow.Listing
	if st != nil {
		if all, err = st.ListConfigs(ctx); err != nil {
			return fmt.Errorf("list configs: %w", err)
		}
	}
	rows := all[:0:0]
	for i := range all {
		if keep(&all[i]) {
			rows = append(rows, all[i])
		}
	}
	if opts.JSON {
		if err := writeListJSON(opts.IO, rows, now); err != nil {
			return err
		}
		return matched(len(rows))
	}
	w := opts.IO.Out
	if len(rows) == 0 {
		switch {
		case len(all) == 0:
			fmt.Fprintln(w, "No saved configs. Run byok setup to create one.")
		default:
			fmt.Fprintf(w, "No secret expires within %d %s.\n", opts.Expiring, plural(opts.Expiring, "day", "days"))
		}
		return nil
	}
	// A terminal gets aligned columns that fit its width; a pipe gets
	// tab-separated whole values (ui/text.Table).
	t := &text.Table{Header: []string{"NAME", "TYPE", "TENANT", "SECRET EXPIRES", "LAST VERIFIED"}, Shrink: tableShrink}
	levels := make([]text.Level, 0, len(rows))
	for _, l := range rows {
		c := l.Config
		exp, level := text.Expiry(c.SecretInfo, now)
		t.Add(c.Name, c.AccountType.Short(), c.Tenant, exp, lastVerified(l.LastRun, now))
		levels = append(levels, level)
	}
	if opts.IO.OutColorEnabled() {
		t.Style = func(row, col int, cell string) string {
			if col == 3 && levels[row] != text.LevelOK {
				return colorize(cell, levels[row])
			}
			return cell
		}
	}
	if err := t.Write(w, opts.IO.IsStdoutTTY(), opts.IO.TerminalWidth()); err != nil {
		return fmt.Errorf("write list: %w", err)
	}
	return matched(len(rows))
}

// listingWalker is implemented by storage.Store: it hands the listings
// over one at a time (see storage.Store.EachListing).
type listingWalker interface {
	EachListing(ctx context.Context, begin func(n int), fn func(*flow.Listing) error) error
}

// eachListing is EachListing on st, or ListConfigs and a loop on a
// store without it.
func eachListing(ctx context.Context, st flow.Store, begin func(n int), fn func(*flow.Listing) error) error {
	if w, ok := st.(listingWalker); ok {
		return w.EachListing(ctx, begin, fn)
	}
	all, err := st.ListConfigs(ctx)
	if err != nil {
		return err
	}
	begin(len(all))
	for i := range all {
		if err := fn(&all[i]); err != nil {
			return err
		}
	}
	return nil
}

// listJSONBatch is how many rows one goroutine encodes: while storage
// reads the next rows, earlier ones are encoded on the other CPU.
const listJSONBatch = 256

// listJSON builds list --json's array as rows arrive: every
// listJSONBatch rows are copied and handed to a goroutine that encodes
// them, and write prints the pieces in order at the end. Nothing is
// printed when reading fails half-way, and a read retried from the start
// (busy database) starts again with reset.
type listJSON struct {
	now    time.Time
	n      int
	rows   []flow.Listing // the batch being filled: copies of the rows
	runs   []flow.Run     // their LastRuns
	scopes []string       // their Scopes, one after another
	parts  []chan []byte  // each batch's JSON, in order
	free   chan *listBatch
}

// listBatch is the storage of one batch, reused once it is encoded.
type listBatch struct {
	rows   []flow.Listing
	runs   []flow.Run
	scopes []string
}

// reset empties the array. The batch being filled is not handed to any
// encoder yet, so it is kept.
func (e *listJSON) reset(now time.Time) {
	e.now, e.n, e.parts = now, 0, nil
	if e.rows == nil {
		e.newBatch()
		return
	}
	e.rows, e.runs, e.scopes = e.rows[:0], e.runs[:0], e.scopes[:0]
}

// newBatch starts a batch in storage an encoder is done with, or new.
func (e *listJSON) newBatch() {
	if e.free == nil {
		e.free = make(chan *listBatch, 4)
	}
	var b *listBatch
	select {
	case b = <-e.free:
	default:
		b = &listBatch{
			rows:   make([]flow.Listing, 0, listJSONBatch),
			runs:   make([]flow.Run, 0, listJSONBatch),
			scopes: make([]string, 0, 4*listJSONBatch),
		}
	}
	e.rows, e.runs, e.scopes = b.rows[:0], b.runs[:0], b.scopes[:0]
}

// add appends l to the array. l may be reused once add returns: what is
// kept is copied (strings are immutable and shared).
func (e *listJSON) add(l *flow.Listing) {
	c := l.Config
	start := len(e.scopes)
	e.scopes = append(e.scopes, c.Scopes...)
	if c.Scopes != nil {
		c.Scopes = e.scopes[start:len(e.scopes):len(e.scopes)]
	}
	row := flow.Listing{Config: c}
	if l.LastRun != nil {
		e.runs = append(e.runs, *l.LastRun)
		row.LastRun = &e.runs[len(e.runs)-1]
	}
	e.rows = append(e.rows, row)
	e.n++
	if len(e.rows) == listJSONBatch {
		e.flush()
	}
}

// flush hands the batch to a goroutine that encodes it.
func (e *listJSON) flush() {
	if len(e.rows) == 0 {
		return
	}
	batch := &listBatch{rows: e.rows, runs: e.runs, scopes: e.scopes}
	now, free := e.now, e.free
	out := make(chan []byte, 1)
	e.parts = append(e.parts, out)
	go func() {
		rows := batch.rows
		b := make([]byte, 0, len(rows)*768)
		for i := range rows {
			if i > 0 {
				b = append(b, ',')
			}
			j := newConfigJSON(rows[i].Config, rows[i].LastRun, now)
			b = appendConfigJSON(b, &j)
		}
		out <- b
		select {
		case free <- batch:
		default:
		}
	}()
	e.newBatch()
}

// write closes the array and prints it: compact, as one json.Encoder
// would, and indented on a terminal.
func (e *listJSON) write(ios *IOStreams) error {
	e.flush()
	pieces := make([][]byte, 0, 2*len(e.parts)+1)
	pieces = append(pieces, []byte("["))
	for i, p := range e.parts {
		if i > 0 {
			pieces = append(pieces, []byte(","))
		}
		pieces = append(pieces, <-p)
	}
	pieces = append(pieces, []byte("]\n"))
	if ios.IsStdoutTTY() {
		var ind bytes.Buffer
		if err := json.Indent(&ind, bytes.Join(pieces, nil), "", "  "); err != nil {
			return fmt.Errorf("indent json: %w", err)
		}
		pieces = [][]byte{ind.Bytes()}
	}
	for _, p := range pieces {
		if _, err := ios.Out.Write(p); err != nil {
			return fmt.Errorf("write json: %w", err)
		}
	}
	return nil
}

// writeListJSON prints rows as list --json does: a JSON array (compact;
// indented on a terminal), or through --json FIELDS, --jq or --template.
func writeListJSON(ios *IOStreams, rows []flow.Listing, now time.Time) error {
	if ios.jsonExport.active() {
		all := make([]configJSON, len(rows))
		for i, l := range rows {
			all[i] = newConfigJSON(l.Config, l.LastRun, now)
		}
		return exportJSON(ios, ios.jsonExport, all)
	}
	var e listJSON
	e.reset(now)
	for i := range rows {
		e.add(&rows[i])
	}
	return e.write(ios)
}

// expiresWithin reports whether s expires within days of now (or has
// expired, or is missing).
func expiresWithin(s flow.SecretInfo, now time.Time, days int) bool {
	if s.Missing {
		return true
	}
	if s.Expires.IsZero() {
		return false
	}
	return s.Expires.Before(now.Add(time.Duration(days+1) * 24 * time.Hour))
}

// lastVerified is the LAST VERIFIED cell: ok/failed first (so it
// survives truncation), when, and as whom.
func lastVerified(r *flow.Run, now time.Time) string {
	if r == nil {
		return "never"
	}
	s := runStatus(*r) + " " + ago(r.At, now)
	if r.Offline {
		s += " (offline)"
	}
	if r.Email != "" {
		s += " " + r.Email
	}
	return s
}

// ago renders t relative to now in whole days.
func ago(t, now time.Time) string {
	d := int(now.Sub(t) / (24 * time.Hour))
	if d <= 0 {
		return "today"
	}
	return fmt.Sprintf("%dd ago", d)
}

// tableShrink is the order in which list's columns give up width when
// the table is too wide, each down to a floor: first the tenant (a GUID is
// long and byok show has it), then the last verification's address, then
// the name, then the three further.
var tableShrink = []text.Shrink{
	{Col: 2, Floor: 13}, {Col: 4, Floor: 16}, {Col: 0, Floor: 12}, {Col: 4, Floor: 13},
	{Col: 2, Floor: tableMinWidth}, {Col: 0, Floor: tableMinWidth}, {Col: 4, Floor: tableMinWidth},
}

const tableMinWidth = 8

// colorize wraps s in yellow (warn) or red (bad).
func colorize(s string, level text.Level) string {
	code := "33"
	if level == text.LevelBad {
		code = "31"
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}
