package screens

import (
	"fmt"
	"strings"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/common"
)

// ReviewSave is the review's answer for Save; any other answer is the
// StepID to edit.
const ReviewSave = "save"

// ReviewKey is the review's field key in its SubmittedMsg.
const ReviewKey = "review"

// Row is one line of the review's summary.
type Row struct {
	Label, Value string
	// Warn marks a warning line (Label is ignored).
	Warn bool
}

// NewReview returns the review screen: rows as a summary (values wrap
// under themselves, not under the labels), then a list of Save and
// "Edit step N" for each of steps. Its SubmittedMsg carries ReviewSave
// or the step's ID under ReviewKey.
func NewReview(c common.Common, rows func() []Row, steps []flow.StepID) *Choice {
	opts := []flow.Option{{Value: ReviewSave, Label: "Save"}}
	for _, id := range steps {
		opts = append(opts, flow.Option{Value: string(id), Label: fmt.Sprintf("Edit step %d: %s", id.Number(), id.Title())})
	}
	summary := func(width int) string { return Summary(c, rows(), width) }
	return NewChoice(c, summary, Field{Key: ReviewKey, Title: "Save, or edit a step?", Kind: flow.KindChoice,
		Options: opts, Value: ReviewSave})
}

// Summary renders rows as label and value columns wrapped to width.
func Summary(c common.Common, rows []Row, width int) string {
	st := c.Styles
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		if r.Warn {
			out = append(out, st.Warn.Render("warning: "+r.Value))
			continue
		}
		value := common.Wrap(r.Value, max(width-15, 10))
		value = strings.ReplaceAll(value, "\n", "\n"+strings.Repeat(" ", 15))
		out = append(out, st.Label.Render(fmt.Sprintf("%-14s", r.Label))+" "+value)
	}
	return strings.Join(out, "\n")
}
