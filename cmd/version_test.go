package cmd

import (
	"encoding/json"
	"runtime/debug"
	"strings"
	"testing"
)

// withBuild makes currentBuild see bi and the given ldflags values for
// the length of the test.
func withBuild(t *testing.T, bi *debug.BuildInfo, version, commit, date string) {
	t.Helper()
	oldRead, oldV, oldC, oldD := readBuildInfo, Version, Commit, Date
	t.Cleanup(func() { readBuildInfo, Version, Commit, Date = oldRead, oldV, oldC, oldD })
	readBuildInfo = func() (*debug.BuildInfo, bool) { return bi, bi != nil }
	Version, Commit, Date = version, commit, date
}

func vcsBuild(mainVersion string) *debug.BuildInfo {
	return &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/hiveku/byok", Version: mainVersion},
		Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2026-11-30T12:34:56Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
}

func TestCurrentBuildFromVCS(t *testing.T) {
	withBuild(t, vcsBuild("(devel)"), "", "", "")
	b := currentBuild()
	if b.Version != devVersion || b.Commit != "0123456789abcdef0123456789abcdef01234567" ||
		b.Date != "2026-11-30T12:34:56Z" || !b.Modified || b.GoVersion != "go1.26.8" {
		t.Errorf("currentBuild() = %+v", b)
	}
	if got, want := b.String(), devVersion+" (commit 0123456789ab-dirty, built 2026-11-30T12:34:56Z, go1.26.8, "+b.Platform+")"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestCurrentBuildModuleVersion(t *testing.T) {
	// go install github.com/hiveku/byok@v1.4.0 records the module version.
	withBuild(t, vcsBuild("v1.4.0"), "", "", "")
	if b := currentBuild(); b.Version != "v1.4.0" {
		t.Errorf("Version = %q, want the module version v1.4.0", b.Version)
	}
}

func TestCurrentBuildLdflagsWin(t *testing.T) {
	withBuild(t, vcsBuild("v1.4.0"), "1.5.0", "fedcba9876543210", "2026-12-01T00:00:00Z")
	b := currentBuild()
	if b.Version != "1.5.0" || b.Commit != "fedcba9876543210" || b.Date != "2026-12-01T00:00:00Z" || b.Modified {
		t.Errorf("currentBuild() = %+v, want the ldflags values and no dirty mark", b)
	}
}

func TestCurrentBuildWithoutInfo(t *testing.T) {
	withBuild(t, nil, "", "", "")
	b := currentBuild()
	if b.Version != devVersion || b.Commit != "" || b.Date != "" || b.GoVersion == "" {
		t.Errorf("currentBuild() = %+v", b)
	}
	if s := b.String(); strings.Contains(s, "commit") || strings.Contains(s, "built") {
		t.Errorf("String() = %q names parts it does not know", s)
	}
}

func TestVersionCommand(t *testing.T) {
	withBuild(t, vcsBuild("(devel)"), "2.0.0", "", "")
	f, stdout, _ := newTestFactory(t)
	if code := runCmd(t, f, "version"); code != 0 {
		t.Fatalf("exit = %d", code)
	}
	for _, want := range []string{"byok 2.0.0\n", "commit:   0123456789abcdef0123456789abcdef01234567 (with uncommitted changes)\n", "built:    2026-11-30T12:34:56Z\n", "go:       go1.26.8\n", "platform: "} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	stdout.Reset()
	if code := runCmd(t, f, "version", "--json"); code != 0 {
		t.Fatalf("--json exit = %d", code)
	}
	var b BuildInfo
	if err := json.Unmarshal(stdout.Bytes(), &b); err != nil || b.Version != "2.0.0" || b.GoVersion != "go1.26.8" {
		t.Errorf("--json = %s (%v)", stdout, err)
	}
}

func TestVersionFlagAndDebugLine(t *testing.T) {
	withBuild(t, vcsBuild("(devel)"), "2.0.0", "", "")
	f, stdout, _ := newTestFactory(t)
	if code := runCmd(t, f, "--version"); code != 0 {
		t.Fatalf("exit = %d", code)
	}
	if !strings.HasPrefix(stdout.String(), "byok 2.0.0 (commit 0123456789ab-dirty, built 2026-11-30T12:34:56Z, go1.26.8,") {
		t.Errorf("--version = %q", stdout)
	}
	f, _, stderr := newTestFactory(t)
	runCmd(t, f, "list", "--debug")
	if !strings.Contains(stderr.String(), "debug: byok 2.0.0 (commit 0123456789ab-dirty") {
		t.Errorf("--debug does not record the build: %q", stderr)
	}
}
