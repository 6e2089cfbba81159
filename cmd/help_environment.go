package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
)

// EnvironmentHelp is `byok help environment`. TestHelpEnvironmentListsEveryVariable
// keeps it complete: every variable the code reads must be named here.
const EnvironmentHelp = `Environment variables byok reads

BYOK_DB
    The database file, when --db is not given. Default, per OS:
      Linux    $XDG_DATA_HOME/byok/byok.db (~/.local/share/byok/byok.db)
      macOS    ~/Library/Application Support/byok/byok.db
      Windows  %LOCALAPPDATA%\byok\byok.db
    A database that an earlier byok left in ~/.local/share/byok is still
    used on macOS and Windows until one exists at the new place.

BYOK_KEY
    The key that seals stored secrets: standard base64 of 32 bytes
    (openssl rand -base64 32). It wins over the OS keychain and over the
    key file byok.key beside the database.

BYOK_KEYRING
    Set to 0 to keep the sealing key out of the OS keychain (macOS
    Keychain, Windows Credential Manager, Secret Service): byok then uses
    only the key file byok.key (mode 0600) beside the database.
    byok key move-to-keychain moves an existing key file into the keychain.
    On Linux the keychain is used only in a desktop session, where
    DBUS_SESSION_BUS_ADDRESS is set.

BYOK_ACCESSIBLE
    Set to 1 (or true) for the screen-reader mode: prompts one question
    at a time in plain text instead of the full-screen wizard. The same
    as --accessible. byok demo also accepts ACCESSIBLE=1.

NO_COLOR
    Set to anything non-empty to turn colour off (https://no-color.org).
    The same as --no-color.

CLICOLOR, CLICOLOR_FORCE
    CLICOLOR=0 turns colour off. CLICOLOR_FORCE set to anything but 0
    turns it on even when the output is not a terminal (a pager, CI);
    --no-color still wins (https://bixense.com/clicolors).

BROWSER
    The program that opens the consent page in byok verify and byok demo,
    e.g. BROWSER=firefox; otherwise the OS's opener (xdg-open, open,
    rundll32). byok demo opens a real browser only when it is set or
    --browser is given.

TERM
    Read to tell a dumb terminal (TERM=dumb) from one that can redraw a
    line: progress is then printed line by line, without colour, and a
    paste is read line by line (end it with an empty line).

XDG_DATA_HOME, HOME, LOCALAPPDATA, USERPROFILE
    Where the default database lives (see BYOK_DB). XDG_DATA_HOME and
    LOCALAPPDATA are used only when they hold an absolute path.
`

// NewCmdHelpEnvironment builds the help topic `byok help environment`: a
// hidden command whose help is the list above, after gh's help topics.
// On a terminal it is wrapped to its width (ios.Text).
func NewCmdHelpEnvironment(ios *IOStreams) *cobra.Command {
	c := &cobra.Command{
		Use:    "environment",
		Short:  "Environment variables byok reads",
		Long:   EnvironmentHelp,
		Hidden: true,
		Args:   cobra.NoArgs,
		Run: func(c *cobra.Command, args []string) {
			fmt.Fprint(ios.Text(), EnvironmentHelp)
		},
	}
	c.SetHelpFunc(func(c *cobra.Command, _ []string) {
		fmt.Fprint(ios.Text(), EnvironmentHelp)
	})
	return c
}
