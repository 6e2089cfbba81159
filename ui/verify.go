package ui

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/hiveku/byok/flow"
)

// Messages from the running verification, carried over w.events.
type (
	checkStartedMsg  struct{ id string }
	checkFinishedMsg struct{ check flow.Check }
	consentURLMsg    struct {
		url    string
		opened bool
	}
	pasteRequestMsg struct{}
	verifyDoneMsg   struct {
		run flow.Run
		err error
	}
)

// chanReporter is the flow.Reporter the wizard hands to the VerifyFunc.
// The VerifyFunc runs in its own goroutine; every call becomes a msg on
// events, and Paste waits for the wizard's Update to answer on paste.
type chanReporter struct {
	ctx    context.Context
	events chan<- tea.Msg
	paste  <-chan string
}

var _ flow.Reporter = (*chanReporter)(nil)

func (r *chanReporter) send(m tea.Msg) {
	select {
	case r.events <- m:
	case <-r.ctx.Done():
	}
}

// Started implements flow.Reporter.
func (r *chanReporter) Started(id string) { r.send(checkStartedMsg{id: id}) }

// Finished implements flow.Reporter.
func (r *chanReporter) Finished(c flow.Check) { r.send(checkFinishedMsg{check: c}) }

// ConsentURL implements flow.Reporter.
func (r *chanReporter) ConsentURL(url string, opened bool) {
	r.send(consentURLMsg{url: url, opened: opened})
}

// Paste implements flow.Reporter: it asks the wizard for the address and
// blocks until the person submits it or ctx ends.
func (r *chanReporter) Paste(ctx context.Context) (string, error) {
	r.send(pasteRequestMsg{})
	select {
	case s := <-r.paste:
		return s, nil
	case <-ctx.Done():
		return "", fmt.Errorf("wait for pasted address: %w", ctx.Err())
	case <-r.ctx.Done():
		return "", fmt.Errorf("wait for pasted address: %w", r.ctx.Err())
	}
}

// waitEvent returns the next msg of the running verification.
func waitEvent(events <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg { return <-events }
}

// startVerify runs o.Verify on the saved config in a tea.Cmd, with a
// cancellable context (Ctrl+C stops it).
func (w *Wizard) startVerify() tea.Cmd {
	ctx, cancel := context.WithCancel(w.ctx)
	w.cancelVerify = cancel
	w.events = make(chan tea.Msg, 16)
	w.pasteAns = make(chan string, 1)
	w.page, w.screen = pageVerifying, nil
	rep := &chanReporter{ctx: ctx, events: w.events, paste: w.pasteAns}
	verify, cfg := w.o.Verify, w.result
	run := func() tea.Msg {
		r, err := verify(ctx, cfg, rep)
		rep.send(verifyDoneMsg{run: r, err: err})
		return nil
	}
	return tea.Batch(run, waitEvent(w.events), w.checks.Tick())
}

// verifyEvent updates the checklist from one verification msg and waits
// for the next.
func (w *Wizard) verifyEvent(msg tea.Msg) tea.Cmd {
	next := waitEvent(w.events)
	switch msg := msg.(type) {
	case checkStartedMsg:
		w.checks.Start(msg.id)
	case checkFinishedMsg:
		w.checks.Finish(msg.check)
	case consentURLMsg:
		w.consentURL, w.opened = msg.url, msg.opened
		// The view wraps the address to the width; print it once above
		// the wizard in one piece so that it can be copied whole.
		return tea.Batch(next, tea.Println("Consent address: "+msg.url+"\x1b[K"))
	case pasteRequestMsg:
		return tea.Batch(next, w.open(pagePaste, flow.StepVerify, 0))
	case verifyDoneMsg:
		if msg.err != nil {
			w.verifyErr = msg.err
		} else {
			r := msg.run
			w.run = &r
		}
		if w.cancelVerify != nil {
			w.cancelVerify()
		}
		w.page, w.screen = pageDone, nil
		return nil
	}
	return next
}

// verifyView is the live checklist and the consent address.
func (w *Wizard) verifyView(int) string {
	var b strings.Builder
	if len(w.checks.Items) == 0 {
		b.WriteString("Starting the checks…")
	} else {
		b.WriteString(w.checks.View())
	}
	if w.consentURL != "" {
		b.WriteString("\n\n")
		if w.opened {
			b.WriteString("Your browser shows Microsoft's consent screen. If it did not open, visit the address below (also printed above in one piece, for copying):\n")
		} else {
			b.WriteString("Open this address to see Microsoft's consent screen (also printed above in one piece, for copying):\n")
		}
		b.WriteString(w.consentURL)
	}
	return b.String()
}
