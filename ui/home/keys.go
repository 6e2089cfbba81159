package home

import bkey "charm.land/bubbles/v2/key"

// keyMap is the home screen's one key map: key matches against it and
// hints renders its help, so a key and its hint cannot drift apart.
type keyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom bkey.Binding
	// Move only describes Up and Down in the hints.
	Move bkey.Binding
	// Enter verifies a config or resumes a draft; its hint names Verify.
	Enter                                             bkey.Binding
	Verify, Rotate, Export, Delete, Show, New, Resume bkey.Binding
	// ResumeThis only describes Enter and Resume in the hints when a
	// draft is selected.
	ResumeThis          bkey.Binding
	Doctor, Admin, Quit bkey.Binding
}

// keys is the home screen's key map.
var keys = keyMap{
	Up:         bkey.NewBinding(bkey.WithKeys("up", "k")),
	Down:       bkey.NewBinding(bkey.WithKeys("down", "j")),
	PageUp:     bkey.NewBinding(bkey.WithKeys("pgup", "ctrl+b")),
	PageDown:   bkey.NewBinding(bkey.WithKeys("pgdown", "ctrl+f", "space")),
	Top:        bkey.NewBinding(bkey.WithKeys("home", "g")),
	Bottom:     bkey.NewBinding(bkey.WithKeys("end", "G")),
	Move:       bkey.NewBinding(bkey.WithKeys("up", "down", "k", "j"), bkey.WithHelp("↑/↓", "move")),
	Enter:      bkey.NewBinding(bkey.WithKeys("enter")),
	Verify:     bkey.NewBinding(bkey.WithKeys("v"), bkey.WithHelp("enter/v", "verify")),
	Rotate:     bkey.NewBinding(bkey.WithKeys("r"), bkey.WithHelp("r", "rotate")),
	Export:     bkey.NewBinding(bkey.WithKeys("e"), bkey.WithHelp("e", "export")),
	Delete:     bkey.NewBinding(bkey.WithKeys("d", "delete"), bkey.WithHelp("d", "delete")),
	Show:       bkey.NewBinding(bkey.WithKeys("i"), bkey.WithHelp("i", "show")),
	New:        bkey.NewBinding(bkey.WithKeys("n"), bkey.WithHelp("n", "new")),
	Resume:     bkey.NewBinding(bkey.WithKeys("s"), bkey.WithHelp("s", "resume draft")),
	ResumeThis: bkey.NewBinding(bkey.WithKeys("enter", "s"), bkey.WithHelp("enter/s", "resume")),
	Doctor:     bkey.NewBinding(bkey.WithKeys("?"), bkey.WithHelp("?", "doctor")),
	Admin:      bkey.NewBinding(bkey.WithKeys("a"), bkey.WithHelp("a", "admin URL")),
	Quit:       bkey.NewBinding(bkey.WithKeys("q", "esc", "ctrl+c"), bkey.WithHelp("q", "quit")),
}

// hintOrder is the order of the hints on the footer.
var hintOrder = []bkey.Binding{
	keys.Move, keys.Verify, keys.Rotate, keys.Export, keys.Delete, keys.Show,
	keys.New, keys.Resume, keys.Doctor, keys.Admin, keys.Quit,
}

// draftHintOrder is the footer when a draft is selected: the actions
// on a saved config do not apply to it.
var draftHintOrder = []bkey.Binding{keys.Move, keys.ResumeThis, keys.Delete, keys.New, keys.Doctor, keys.Quit}

// hintText is a binding's hint: "key desc".
func hintText(b bkey.Binding) string { return b.Help().Key + " " + b.Help().Desc }
