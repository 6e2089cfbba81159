package cmd

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/ui/text"
)

// verifyAllWorkers bounds how many configs are checked at once: each
// check is two HTTPS requests to Microsoft, and a tenant with many
// configs must not look like a burst.
const verifyAllWorkers = 4

// verifyAllRun is `byok verify --all`: for every saved config, the checks
// that need no person (offline, expiry, discovery, the client-credentials
// secret check), one line each or JSON; ErrSilent (exit 1) when any
// failed. Nothing is stored: the runs are not full verifications, and
// byok list's LAST VERIFIED stays the consent test's.
func verifyAllRun(ctx context.Context, opts *VerifyOptions) error {
	e, err := opts.endpoints()
	if err != nil {
		return err
	}
	st, err := opts.Store(mustExist(ctx))
	if noDatabase(err) {
		return flow.Errorf(flow.ENOTFOUND, "no saved configs to verify: %s", userMessage(err, false))
	}
	if err != nil {
		return err
	}
	all, err := st.ListConfigs(ctx)
	if err != nil {
		return fmt.Errorf("list configs: %w", err)
	}
	if len(all) == 0 && !opts.JSON {
		fmt.Fprintln(opts.IO.Out, "No saved configs. Run byok setup to create one.")
		return nil
	}
	v := opts.Verifier()
	v.Endpoints = e
	if opts.Now != nil {
		v.Now = opts.Now
	}
	runs := make([]flow.Run, len(all))
	errs := make([]error, len(all))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(verifyAllWorkers, len(all)) {
		wg.Go(func() {
			for i := range jobs {
				name := all[i].Config.Name
				c, err := st.FindConfig(ctx, name)
				if err != nil {
					errs[i] = err
					runs[i] = flow.Run{Name: name, Checks: []flow.Check{{ID: "config", Status: flow.Fail,
						Detail: "cannot be read: " + userMessage(err, false)}}}
					continue
				}
				if opts.Offline {
					runs[i], _ = v.Verify(ctx, c, nil, true)
					continue
				}
				runs[i] = v.Unattended(ctx, c)
			}
		})
	}
	for i := range all {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}

	failed := false
	for _, r := range runs {
		failed = failed || r.Failed()
	}
	if opts.JSON {
		out := make([]verifyJSON, 0, len(runs))
		for _, r := range runs {
			j := verifyJSON{Name: r.Name, OK: !r.Failed(), Checks: []verifyCheckJSON{}}
			for _, ch := range r.Checks {
				j.Checks = append(j.Checks, verifyCheckJSON(ch))
			}
			out = append(out, j)
		}
		if err := writeJSON(opts.IO, out); err != nil {
			return err
		}
	} else {
		if err := writeVerifyAll(opts.IO, runs); err != nil {
			return fmt.Errorf("write results: %w", err)
		}
	}
	if failed {
		return ErrSilent
	}
	return nil
}

// verifyAllLine sums one config's unattended run up: FAIL with the first
// failed check and its fix, warn with the warnings, else ok with the
// secret's expiry.
func verifyAllLine(r flow.Run) (status, result string) {
	var warns []string
	for _, ch := range r.Checks {
		switch ch.Status {
		case flow.Fail:
			s := ch.ID + ": " + ch.Detail
			if ch.Fix != "" {
				s += "; fix: " + ch.Fix
			}
			return "FAIL", s
		case flow.Warn:
			warns = append(warns, ch.ID+": "+ch.Detail)
		}
	}
	if len(warns) > 0 {
		return "warn", strings.Join(warns, "; ")
	}
	for _, ch := range r.Checks {
		if ch.ID == flow.CheckExpiry {
			return "ok", "discovery and secret accepted; " + ch.Detail
		}
	}
	return "ok", "discovery and secret accepted"
}

// writeVerifyAll prints one line per config. Piped: STATUS, NAME and
// RESULT tab-separated and whole. On a terminal: status and name in
// columns and the result wrapped under itself, never cut, since it names
// the fix.
func writeVerifyAll(ios *IOStreams, runs []flow.Run) error {
	if !ios.IsStdoutTTY() {
		t := &text.Table{Header: []string{"STATUS", "NAME", "RESULT"}}
		for _, r := range runs {
			status, result := verifyAllLine(r)
			t.Add(status, r.Name, result)
		}
		return t.Write(ios.Out, false, 0)
	}
	width := ios.TerminalWidth()
	nameW := 0
	for _, r := range runs {
		nameW = max(nameW, text.Width(sanitize.Line(r.Name)))
	}
	nameW = min(nameW, 24)
	var b strings.Builder
	for _, r := range runs {
		status, result := verifyAllLine(r)
		name := text.PadRight(text.Truncate(sanitize.Line(r.Name), nameW), nameW)
		b.WriteString(text.Hang(text.PadRight(status, 4)+"  "+name+"  ", sanitize.Line(result), width))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(ios.Out, b.String())
	return err
}
