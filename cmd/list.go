package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
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
	var all []flow.Listing
	st, err := opts.Store(readOnly(ctx))
	switch {
	case noDatabase(err):
		// Nothing to list yet, and nothing is created: a mistyped --db
		// used to leave a new empty database (and its folders) behind.
		fmt.Fprintf(opts.IO.ErrOut, "note: %s\n", sanitize.Text(err.Error()))
	case err != nil:
		return err
	default:
		if all, err = st.ListConfigs(ctx); err != nil {
			return fmt.Errorf("list configs: %w", err)
		}
	}
	now := opts.Now()
	rows := all[:0:0]
	for _, l := range all {
		if opts.Expiring >= 0 && !expiresWithin(l.Config.SecretInfo, now, opts.Expiring) {
			continue
		}
		rows = append(rows, l)
	}
	// With --exit-status a match is the failure a cron job waits for.
	matched := func() error {
		if opts.ExitStatus && len(rows) > 0 {
			return ErrSilent
		}
		return nil
	}
	if opts.JSON {
		if err := writeListJSON(opts.IO, rows, now); err != nil {
			return err
		}
		return matched()
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
	return matched()
}

// listJSONChunk is the number of configs below which list --json encodes
// on one goroutine.
const listJSONChunk = 512

// writeListJSON prints rows as a JSON array. Large lists are encoded in
// chunks on every CPU and joined, which gives byte-for-byte the output
// of one json.Encoder (compact; indented on a terminal).
func writeListJSON(ios *IOStreams, rows []flow.Listing, now time.Time) error {
	if ios.jsonExport.active() {
		all := make([]configJSON, len(rows))
		for i, l := range rows {
			all[i] = newConfigJSON(l.Config, l.LastRun, now)
		}
		return exportJSON(ios, ios.jsonExport, all)
	}
	encodeChunk := func(part []flow.Listing) ([]byte, error) {
		b := make([]byte, 0, len(part)*700)
		for i, l := range part {
			if i > 0 {
				b = append(b, ',')
			}
			j := newConfigJSON(l.Config, l.LastRun, now)
			b = appendConfigJSON(b, &j)
		}
		return b, nil
	}
	workers := min(runtime.GOMAXPROCS(0), (len(rows)+listJSONChunk-1)/listJSONChunk)
	workers = max(workers, 1)
	size := (len(rows) + workers - 1) / workers
	parts := make([][]byte, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := min(w*size, len(rows)), min((w+1)*size, len(rows))
		wg.Go(func() { parts[w], errs[w] = encodeChunk(rows[lo:hi]) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	// Join the parts as one array: "[" part ("," part)* "]\n".
	pieces := make([][]byte, 0, 2*len(parts)+1)
	pieces = append(pieces, []byte("["))
	for _, p := range parts {
		if len(p) == 0 {
			continue
		}
		if len(pieces) > 1 {
			pieces = append(pieces, []byte(","))
		}
		pieces = append(pieces, p)
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
