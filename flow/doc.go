// Package flow is byok's domain: the app registration Config and its
// validators, the wizard steps, the verification engine, error diagnosis,
// rotation rules, bundles, manifest audit, script generation and the
// built-in Microsoft simulator.
//
// flow is pure Go. It never imports bubbletea, huh, lipgloss, cobra,
// database/sql or any other byok package; side effects (clock, randomness,
// HTTP, browser, listeners) are injected as fields or arguments.
package flow
