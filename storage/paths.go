package storage

import (
	"path/filepath"
	"runtime"
	"strings"

	"github.com/hiveku/byok/flow"
)

// DefaultPath returns the default database file for this operating system
// (see DefaultPathFor), with the environment read through getenv.
func DefaultPath(getenv func(string) string) (string, error) {
	return DefaultPathFor(runtime.GOOS, getenv, fileExists)
}

// DefaultPathFor returns the default database file on goos, reading the
// environment through getenv and asking exists (nil: nothing exists)
// whether an earlier database is already at a location:
//
//	linux and other Unix  $XDG_DATA_HOME/byok/byok.db, else ~/.local/share/byok/byok.db
//	darwin                $XDG_DATA_HOME/byok/byok.db when set, else
//	                      ~/Library/Application Support/byok/byok.db
//	windows               %LOCALAPPDATA%\byok\byok.db, else
//	                      %USERPROFILE%\AppData\Local\byok\byok.db
//
// A database that earlier versions of byok created at the Linux location
// (~/.local/share/byok, which they used on every OS) is still found: on
// macOS and Windows it is used while no database exists at the new place.
// An XDG_DATA_HOME that is not an absolute path is ignored, as the XDG
// specification asks. --db and BYOK_DB are resolved before this (cmd).
func DefaultPathFor(goos string, getenv func(string) string, exists func(string) bool) (string, error) {
	if exists == nil {
		exists = func(string) bool { return false }
	}
	join := filepath.Join
	if goos == "windows" {
		join = windowsJoin
	}
	home := getenv("HOME")
	xdg := getenv("XDG_DATA_HOME")
	if !isAbsFor(goos, xdg) {
		xdg = ""
	}
	switch goos {
	case "windows":
		base := getenv("LOCALAPPDATA")
		if !isAbsFor(goos, base) {
			base = ""
			if p := getenv("USERPROFILE"); isAbsFor(goos, p) {
				base = join(p, "AppData", "Local")
			}
		}
		if base == "" {
			if home != "" {
				return join(home, ".local", "share", "byok", "byok.db"), nil
			}
			return "", noDefaultPath("neither LOCALAPPDATA nor USERPROFILE is set")
		}
		p := join(base, "byok", "byok.db")
		return preferLegacy(p, legacyPath(join, xdg, home), exists), nil
	case "darwin":
		if xdg != "" {
			return join(xdg, "byok", "byok.db"), nil
		}
		if home == "" {
			return "", noDefaultPath("HOME is not set")
		}
		p := join(home, "Library", "Application Support", "byok", "byok.db")
		return preferLegacy(p, legacyPath(join, "", home), exists), nil
	default:
		if xdg != "" {
			return join(xdg, "byok", "byok.db"), nil
		}
		if home == "" {
			return "", noDefaultPath("neither XDG_DATA_HOME nor HOME is set")
		}
		return join(home, ".local", "share", "byok", "byok.db"), nil
	}
}

// legacyPath is where byok kept its database on every OS before it used
// each OS's own data folder; "" when neither variable is set.
func legacyPath(join func(...string) string, xdg, home string) string {
	switch {
	case xdg != "":
		return join(xdg, "byok", "byok.db")
	case home != "":
		return join(home, ".local", "share", "byok", "byok.db")
	}
	return ""
}

// preferLegacy returns legacy when a database exists there and none at p
// yet, so that nothing saved is lost when byok moves to the OS's folder.
func preferLegacy(p, legacy string, exists func(string) bool) string {
	if legacy != "" && !exists(p) && exists(legacy) {
		return legacy
	}
	return p
}

func noDefaultPath(why string) error {
	return flow.Invalid("database", "cannot find the default database location: %s", why).
		WithFix("pass --db FILE or set BYOK_DB")
}

// isAbsFor reports whether p is an absolute path on goos.
func isAbsFor(goos, p string) bool {
	if p == "" {
		return false
	}
	if goos != "windows" {
		return strings.HasPrefix(p, "/")
	}
	// C:\… or C:/…, or a UNC path \\server\share.
	if len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') {
		return true
	}
	return strings.HasPrefix(p, `\\`)
}

// windowsJoin joins path elements with backslashes, as filepath.Join does
// on Windows, whatever OS runs the code (tests).
func windowsJoin(elem ...string) string {
	parts := make([]string, 0, len(elem))
	for i, e := range elem {
		if i > 0 {
			e = strings.TrimLeft(e, `\/`)
		}
		if i < len(elem)-1 {
			e = strings.TrimRight(e, `\/`)
		}
		if e != "" {
			parts = append(parts, e)
		}
	}
	return strings.Join(parts, `\`)
}
