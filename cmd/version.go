package cmd

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Release builds set these with -ldflags, for example
//
//	-X github.com/hiveku/byok/cmd.Version=1.2.3
//	-X github.com/hiveku/byok/cmd.Commit=0123abc…
//	-X github.com/hiveku/byok/cmd.Date=2026-12-01T10:00:00Z
//
// (.goreleaser.yaml does). Left empty, they come from the module's build
// information: the module version that `go install …@v1.2.3` records, and
// the VCS settings (vcs.revision, vcs.time, vcs.modified) that `go build`
// records in a git checkout.
var (
	Version = ""
	Commit  = ""
	Date    = ""
)

// devVersion is the version of a build that carries none.
const devVersion = "0.1.0-dev"

// BuildInfo identifies one build of byok, so that support can tell builds
// apart: `byok version`, `--version`, `--debug` and support bundles all
// print it.
type BuildInfo struct {
	Version   string `json:"version"`
	Commit    string `json:"commit,omitempty"`
	Date      string `json:"date,omitempty"`
	Modified  bool   `json:"modified,omitempty"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"`
}

// readBuildInfo is debug.ReadBuildInfo; tests replace it.
var readBuildInfo = debug.ReadBuildInfo

// currentBuild returns the build information of the running binary:
// ldflags first, then the embedded module and VCS information.
func currentBuild() BuildInfo {
	b := BuildInfo{
		Version: Version, Commit: Commit, Date: Date,
		GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH,
	}
	if bi, ok := readBuildInfo(); ok && bi != nil {
		if bi.GoVersion != "" {
			b.GoVersion = bi.GoVersion
		}
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = bi.Main.Version
		}
		// VCS settings describe the checkout the binary was built from;
		// with a release's ldflags they are the same commit anyway.
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				if Commit == "" {
					b.Modified = s.Value == "true"
				}
			}
		}
	}
	if b.Version == "" {
		b.Version = devVersion
	}
	return b
}

// String is the one-line form: "1.2.3 (commit 0123abc, 2026-12-01T10:00:00Z,
// go1.26.8, linux/amd64)". Unknown parts are left out.
func (b BuildInfo) String() string {
	parts := make([]string, 0, 4)
	if b.Commit != "" {
		c := b.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		if b.Modified {
			c += "-dirty"
		}
		parts = append(parts, "commit "+c)
	}
	if b.Date != "" {
		parts = append(parts, "built "+b.Date)
	}
	parts = append(parts, b.GoVersion, b.Platform)
	return b.Version + " (" + strings.Join(parts, ", ") + ")"
}

// versionOptions holds `byok version`'s flags.
type versionOptions struct {
	JSON bool
}

// NewCmdVersion builds `byok version`.
func NewCmdVersion(f *Factory) *cobra.Command {
	opts := &versionOptions{}
	c := &cobra.Command{
		Use:   "version",
		Short: "Print byok's version, commit, build date and Go version",
		Long: "Print the version of this byok binary, the commit and date it was built\n" +
			"from, whether the checkout had local changes, and the Go version.\n" +
			"Support bundles (byok export) and --debug record the same line.",
		Example: "  byok version\n  byok version --json",
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			b := currentBuild()
			if opts.JSON {
				enc := json.NewEncoder(f.IO.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(b)
			}
			return writeVersion(f, b)
		},
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the build information as JSON")
	return c
}

// writeVersion prints b as `byok version` does.
func writeVersion(f *Factory, b BuildInfo) error {
	commit := b.Commit
	if commit == "" {
		commit = "unknown (built without VCS information)"
	} else if b.Modified {
		commit += " (with uncommitted changes)"
	}
	date := b.Date
	if date == "" {
		date = "unknown"
	}
	_, err := fmt.Fprintf(f.IO.Out, "byok %s\ncommit:   %s\nbuilt:    %s\ngo:       %s\nplatform: %s\n",
		b.Version, commit, date, b.GoVersion, b.Platform)
	return err
}
