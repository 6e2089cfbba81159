package cmd

import (
	"context"
	"os"
	"strings"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/flow/script"
	"github.com/hiveku/byok/flow/sim"
	"github.com/spf13/cobra"
)

// Dynamic shell completion. Cobra's completion scripts (byok completion
// bash|zsh|fish|powershell) call `byok __complete ARGS…`; these functions
// answer it: saved config names for every NAME argument and every flag
// that names a saved config, draft names for --resume, and the values of
// every enum flag.

// enumFlagValues are the values of byok's enum flags, wherever they
// appear, each with the description the shell shows beside it.
func enumFlagValues() map[string][]string {
	formats := make([]string, 0, len(script.Formats))
	for _, fm := range script.Formats {
		formats = append(formats, string(fm))
	}
	accountTypes := make([]string, 0, len(flow.AccountTypes))
	for _, a := range flow.AccountTypes {
		accountTypes = append(accountTypes, a.Short()+"\t"+string(a))
	}
	return map[string][]string{
		"account-type": accountTypes,
		"format":       formats,
		"cloud":        {"global\tlogin.microsoftonline.com", "usgov\tlogin.microsoftonline.us", "china\tlogin.chinacloudapi.cn"},
		"redirect":     {"auto\tloopback when registered, else paste", "loopback\ta listener on 127.0.0.1", "paste\tpaste the address the browser landed on"},
		"prompt":       {"consent\talways show the consent screen", "select_account\tfor tenants that block user consent", "login"},
		"scenario":     sim.ScenarioNames(),
		"scopes":       {"full\tmail read/write, send, calendars", "read\tread-only mail and calendars", "send-only\tsend mail only"},
	}
}

// newNameFlags are --name flags that name a config to be created, not a
// saved one: nothing to complete.
var newNameFlags = map[string]bool{"setup": true, "import": true, "create": true, "demo": true}

// registerCompletions walks the command tree under root and attaches the
// completion functions. Commands that already have their own keep them.
func registerCompletions(root *cobra.Command, f *Factory) {
	enums := enumFlagValues()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.ValidArgsFunction == nil && takesConfigName(c) {
			c.ValidArgsFunction = func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				if len(args) > 0 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				return completeConfigNames(c, f, toComplete)
			}
		}
		for name, values := range enums {
			if c.Flags().Lookup(name) == nil {
				continue
			}
			vals := values
			_ = c.RegisterFlagCompletionFunc(name, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
				return vals, cobra.ShellCompDirectiveNoFileComp
			})
		}
		if c.Flags().Lookup("name") != nil && !newNameFlags[c.Name()] {
			_ = c.RegisterFlagCompletionFunc("name", func(c *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				return completeConfigNames(c, f, toComplete)
			})
		}
		if c.Flags().Lookup("resume") != nil {
			_ = c.RegisterFlagCompletionFunc("resume", func(c *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				return completeDraftNames(c, f, toComplete)
			})
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// takesConfigName reports whether c's first argument is a saved config's
// NAME ("show NAME", "verify NAME", …).
func takesConfigName(c *cobra.Command) bool {
	fields := strings.Fields(c.Use)
	return len(fields) > 1 && strings.Trim(fields[1], "[]") == "NAME"
}

// completionStore opens the database for completion, but only when it
// exists already: pressing Tab must never create one.
func completionStore(c *cobra.Command, f *Factory) (flow.Store, context.Context, bool) {
	path, err := f.DatabasePath()
	if err != nil {
		return nil, nil, false
	}
	if _, err := os.Stat(path); err != nil {
		return nil, nil, false
	}
	ctx := c.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	st, err := f.Store(ctx)
	if err != nil {
		return nil, nil, false
	}
	return st, ctx, true
}

// completeConfigNames lists saved config names starting with toComplete,
// each described by its account type and tenant.
func completeConfigNames(c *cobra.Command, f *Factory, toComplete string) ([]string, cobra.ShellCompDirective) {
	st, ctx, ok := completionStore(c, f)
	if !ok {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	all, err := st.ListConfigs(ctx)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, l := range all {
		if completionMatch(l.Config.Name, toComplete) && completionSafe(l.Config.Name) {
			out = append(out, completionItem(l.Config.Name, l.Config.AccountType.Short()+", tenant "+l.Config.Tenant))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeDraftNames lists the interrupted wizard drafts, newest first.
func completeDraftNames(c *cobra.Command, f *Factory, toComplete string) ([]string, cobra.ShellCompDirective) {
	st, ctx, ok := completionStore(c, f)
	if !ok {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	drafts, err := st.ListDrafts(ctx)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, d := range drafts {
		if completionMatch(d.Config.Name, toComplete) && completionSafe(d.Config.Name) {
			out = append(out, completionItem(d.Config.Name, "draft"))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completionMatch compares case-insensitively, as names are unique
// without regard to case for the person typing them.
func completionMatch(name, prefix string) bool {
	return strings.HasPrefix(strings.ToLower(name), strings.ToLower(prefix))
}

// completionSafe reports whether a name can be offered as it is: one
// that the sanitizer would change (a control character, a tab) could not
// be typed back by the shell, so it is not offered.
func completionSafe(name string) bool { return sanitize.Line(name) == name }

// completionItem is "value\tdescription"; the description passes the
// sanitizer like all text byok prints.
func completionItem(value, desc string) string {
	return value + "\t" + sanitize.Line(desc)
}
