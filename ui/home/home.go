// Package home is byok's home screen: the saved configs with their
// verification and secret expiry, the interrupted wizard drafts, a detail
// pane for the selected config and the actions a person can take on it.
//
// The model is pure: it never talks to storage or the network. It is
// given the listings and drafts, and it returns the person's Choice; the
// caller (cmd) performs the choice and shows the screen again.
package home

import (
	"sort"
	"strings"
	"time"

	bkey "charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/hiveku/byok/flow"
)

// Action is what the person chose to do on the home screen.
type Action int

// The home screen's actions. None means no choice was made yet.
const (
	None Action = iota
	Setup
	Resume
	Verify
	Rotate
	Doctor
	Export
	Delete
	Show
	Quit
)

// String returns the action's command name (setup, verify, …).
func (a Action) String() string {
	switch a {
	case Setup:
		return "setup"
	case Resume:
		return "resume"
	case Verify:
		return "verify"
	case Rotate:
		return "rotate"
	case Doctor:
		return "doctor"
	case Export:
		return "export"
	case Delete:
		return "delete"
	case Show:
		return "show"
	case Quit:
		return "quit"
	}
	return "none"
}

// Choice is the person's decision: an action and the config or draft
// name it applies to (empty for Setup and Quit, and for Doctor when no
// config is selected).
type Choice struct {
	Action Action
	Name   string
}

// Options configure the home screen.
type Options struct {
	// Listings are the saved configs, in any order (shown sorted by name).
	Listings []flow.Listing
	// Drafts are the interrupted wizards, most recent first.
	Drafts []flow.Draft
	// Now is the clock for "2d ago" and "in 12 days"; nil means time.Now.
	Now func() time.Time
	// NoColor drops every colour; words carry the warnings.
	NoColor bool
	// Width and Height are the terminal size until a tea.WindowSizeMsg
	// arrives (0: 80×24).
	Width, Height int
	// ConsentURLs returns the user and admin consent URLs of a config,
	// as `byok consent-url` prints them. Nil hides them. It is called at
	// most once per config (the result is kept, so the random state does
	// not change on every redraw).
	ConsentURLs func(c flow.Config) (user, admin string, err error)
	// Status is a one-line report of the last action, shown under the
	// title (e.g. `✓ verify "Acme Hiveku" finished`).
	Status string
	// Selected is the config or draft name to select first (back on the
	// same row after an action); empty selects the first row.
	Selected string
}

// row is one selectable line: a saved config or a draft.
type row struct {
	listing *flow.Listing
	draft   *flow.Draft
}

func (r row) name() string {
	if r.draft != nil {
		return r.draft.Config.Name
	}
	return r.listing.Config.Name
}

// consent is a cached consent URL pair for one config.
type consent struct {
	user, admin string
	err         error
}

// Model is the home screen's bubbletea model. Create it with New.
type Model struct {
	o       Options
	rows    []row
	configs int // rows[:configs] are saved configs, the rest drafts
	cursor  int
	offset  int // first config row shown in the table
	width   int
	height  int
	admin   bool // show the admin consent URL instead of the user one
	notice  string
	choice  Choice
	done    bool
	st      styles
	consent map[string]consent
	natural []int // widest cell of each table column (see columns)
}

// New returns the home screen for o. Configs are sorted by name
// (case-insensitive); drafts follow in the given order.
func New(o Options) *Model {
	if o.Now == nil {
		o.Now = time.Now
	}
	m := &Model{o: o, width: o.Width, height: o.Height, st: newStyles(o.NoColor), consent: map[string]consent{}}
	if m.width <= 0 {
		m.width = 80
	}
	if m.height <= 0 {
		m.height = 24
	}
	listings := append([]flow.Listing(nil), o.Listings...)
	sort.SliceStable(listings, func(i, j int) bool {
		a, b := strings.ToLower(listings[i].Config.Name), strings.ToLower(listings[j].Config.Name)
		if a != b {
			return a < b
		}
		return listings[i].Config.Name < listings[j].Config.Name
	})
	for i := range listings {
		m.rows = append(m.rows, row{listing: &listings[i]})
	}
	m.configs = len(listings)
	drafts := append([]flow.Draft(nil), o.Drafts...)
	for i := range drafts {
		m.rows = append(m.rows, row{draft: &drafts[i]})
	}
	if o.Selected != "" {
		for i, r := range m.rows {
			if strings.EqualFold(r.name(), o.Selected) {
				m.cursor = i
				break
			}
		}
	}
	m.scroll()
	return m
}

// Init implements tea.Model; the home screen needs no start-up command.
func (m *Model) Init() tea.Cmd { return nil }

// Choice returns the person's decision; Action is None until one was made.
func (m *Model) Choice() Choice { return m.choice }

// Selected returns the name under the cursor and whether it is a draft;
// "" when there is nothing to select.
func (m *Model) Selected() (name string, draft bool) {
	if len(m.rows) == 0 {
		return "", false
	}
	r := m.rows[m.cursor]
	return r.name(), r.draft != nil
}

// Update implements tea.Model: it moves the selection, resizes, and ends
// the program with a Choice when an action key is pressed.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.scroll()
		return m, nil
	case tea.KeyPressMsg:
		if m.done {
			return m, nil
		}
		return m.key(msg)
	}
	return m, nil
}

// key handles one key press.
func (m *Model) key(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	m.notice = ""
	switch {
	case bkey.Matches(msg, keys.Up):
		m.move(-1)
	case bkey.Matches(msg, keys.Down):
		m.move(1)
	case bkey.Matches(msg, keys.PageUp):
		m.move(-max(1, m.tableRows()-1))
	case bkey.Matches(msg, keys.PageDown):
		m.move(max(1, m.tableRows()-1))
	case bkey.Matches(msg, keys.Top):
		m.move(-len(m.rows))
	case bkey.Matches(msg, keys.Bottom):
		m.move(len(m.rows))
	case bkey.Matches(msg, keys.Admin):
		m.admin = !m.admin
		m.scroll()
	case bkey.Matches(msg, keys.Enter):
		if _, draft := m.Selected(); draft {
			return m.choose(Resume)
		}
		return m.choose(Verify)
	case bkey.Matches(msg, keys.Verify):
		return m.choose(Verify)
	case bkey.Matches(msg, keys.Rotate):
		return m.choose(Rotate)
	case bkey.Matches(msg, keys.Export):
		return m.choose(Export)
	case bkey.Matches(msg, keys.Delete):
		return m.choose(Delete)
	case bkey.Matches(msg, keys.Show):
		return m.choose(Show)
	case bkey.Matches(msg, keys.New):
		return m.choose(Setup)
	case bkey.Matches(msg, keys.Resume):
		return m.choose(Resume)
	case bkey.Matches(msg, keys.Doctor):
		return m.choose(Doctor)
	case bkey.Matches(msg, keys.Quit):
		return m.choose(Quit)
	}
	return m, nil
}

// move shifts the cursor by delta rows, clamped.
func (m *Model) move(delta int) {
	if len(m.rows) == 0 {
		return
	}
	m.cursor = min(max(m.cursor+delta, 0), len(m.rows)-1)
	m.scroll()
}

// choose ends the program with action, or leaves a notice when the
// action needs something that is not selected.
func (m *Model) choose(a Action) (tea.Model, tea.Cmd) {
	name, draft := m.Selected()
	switch a {
	case Setup, Quit:
		name = ""
	case Doctor:
		if draft {
			name = ""
		}
	case Delete:
		// A config, or a draft the person gave up on.
		if name == "" {
			m.notice = "there is no saved config yet; press n to set one up"
			return m, nil
		}
	case Resume:
		if !draft {
			if len(m.rows) == m.configs {
				m.notice = "there is no draft to resume; press n to start a new setup"
				return m, nil
			}
			name = m.rows[m.configs].name() // the most recent draft
		}
	default:
		if name == "" || draft {
			m.notice = "select a saved config first (↑/↓), or press s to resume this draft"
			if name == "" {
				m.notice = "there is no saved config yet; press n to set one up"
			}
			return m, nil
		}
	}
	m.choice = Choice{Action: a, Name: name}
	m.done = true
	return m, tea.Quit
}
