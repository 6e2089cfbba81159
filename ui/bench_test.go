package ui

import (
	"testing"

	"github.com/hiveku/byok/flow"
)

// BenchmarkViewReview measures one render of the busiest screen.
func BenchmarkViewReview(b *testing.B) {
	store := newFakeStore(b)
	w := start(b, withDraft(testOptions(store), draftAt(flow.StepTenant)))
	b.ReportAllocs()
	for b.Loop() {
		_ = w.View().Content
	}
}

// BenchmarkKeystroke measures one typed key on the name input, Update
// and View, as a person typing feels it.
func BenchmarkKeystroke(b *testing.B) {
	store := newFakeStore(b)
	w := start(b, testOptions(store))
	send(b, w, keyClear)
	k := typed("a")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%100 == 0 {
			send(b, w, keyClear)
		}
		w.Update(k)
		_ = w.View().Content
	}
}

// BenchmarkStepTransition measures completing step 2 (validate, queue the
// draft save, build and size the next screen's form).
func BenchmarkStepTransition(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		store := newFakeStore(b)
		w := start(b, withDraft(testOptions(store), draftAt(flow.StepName)))
		b.StartTimer()
		send(b, w, keyEnter)
	}
}
