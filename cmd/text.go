package cmd

import (
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/text"
)

// shellQuote is text.ShellQuote, the one quoting rule, under the name
// cmd's code knows.
func shellQuote(s string) string { return text.ShellQuote(s) }

// plural is text.Plural.
func plural(n int, one, many string) string { return text.Plural(n, one, many) }

// checkMark is text.Mark, the one set of check marks.
func checkMark(s flow.Status) string { return text.Mark(s) }

// wrapText is text.Wrap.
func wrapText(s string, width int) string { return text.Wrap(s, width) }
