// Package tuitest helps test bubbletea v2 models run by teatest. v2's
// renderer writes only the cells that changed, so a program's output is
// not a sequence of whole frames; Record keeps the last frame the model
// drew (its View content without ANSI sequences) for tests to wait on.
package tuitest

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Screen is the last frame a recorded model drew.
type Screen struct {
	mu      sync.Mutex
	last    string
	changed chan struct{}
}

// recorded wraps a model and records every View.
type recorded struct {
	tea.Model
	s *Screen
}

// Record wraps m so that every frame it draws is kept in the Screen.
func Record(m tea.Model) (tea.Model, *Screen) {
	s := &Screen{changed: make(chan struct{}, 1)}
	return recorded{Model: m, s: s}, s
}

// Unwrap returns the model inside a Record wrapper (or m itself).
func Unwrap(m tea.Model) tea.Model {
	if r, ok := m.(recorded); ok {
		return r.Model
	}
	return m
}

func (r recorded) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := r.Model.Update(msg)
	r.Model = m
	return r, cmd
}

func (r recorded) View() tea.View {
	v := r.Model.View()
	r.s.mu.Lock()
	r.s.last = ansi.Strip(v.Content)
	r.s.mu.Unlock()
	select {
	case r.s.changed <- struct{}{}:
	default:
	}
	return v
}

// Last returns the last frame drawn.
func (s *Screen) Last() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// WaitFor waits until the frame on screen contains want and returns that
// frame; it fails the test after timeout.
func (s *Screen) WaitFor(tb testing.TB, want string, timeout time.Duration) string {
	tb.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		if f := s.Last(); strings.Contains(f, want) {
			return f
		}
		select {
		case <-s.changed:
		case <-deadline.C:
			tb.Fatalf("screen never showed %q; last frame:\n%s", want, s.Last())
			return ""
		}
	}
}
