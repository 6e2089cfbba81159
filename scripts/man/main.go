// Command man writes byok's man pages, one per command, generated from the
// command tree with cobra/doc, so the pages never disagree with --help:
//
//	go run ./scripts/man -dir man
//
// The release build (.goreleaser.yaml) runs it and ships the pages in the
// archives; `man -l man/byok.1` reads one without installing it. It is a
// separate program so that the generator is not linked into byok.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/hiveku/byok/cmd"
	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

func main() {
	dir := flag.String("dir", "man", "directory to write the pages into")
	flag.Parse()
	if err := writeManPages(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "man:", err)
		os.Exit(1)
	}
}

// writeManPages writes byok.1, byok-list.1, … into dir.
func writeManPages(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	ios, _, _, _ := cmd.Test()
	root := cmd.NewCmdRoot(&cmd.Factory{IO: ios, Getenv: func(string) string { return "" }})
	// byok(1) carries the environment topic, which is a hidden command.
	root.Long += "\n\n" + cmd.EnvironmentHelp
	// No generation date: the pages are reproducible.
	walk(root, func(c *cobra.Command) { c.DisableAutoGenTag = true })
	hdr := &doc.GenManHeader{Title: "BYOK", Section: "1", Source: "byok", Manual: "byok manual"}
	if err := doc.GenManTree(root, hdr, dir); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	return nil
}

func walk(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, sub := range c.Commands() {
		walk(sub, fn)
	}
}
