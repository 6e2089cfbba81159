package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/prompt"
)

// The two ways to register the app that the wizard offers first.
const (
	howPortal = "portal"
	howCreate = "create"
)

// askHow is the wizard's first question: byok registers the app through
// Graph after an admin signs in, or the person follows the portal steps.
func askHow(ctx context.Context, opts *SetupOptions) (string, error) {
	how, err := prompter(ctx, opts.IO, opts.Accessible, opts.NoColor || !opts.IO.ColorEnabled()).Choose(ctx,
		"How do you want to register the app?",
		"Both end with the same saved config and the same live check.",
		[]prompt.Option{
			{Label: "I'll use the portal (step by step)", Value: howPortal},
			{Label: "Create it for me (sign in as an admin)", Value: howCreate},
		}, howPortal)
	if err != nil {
		if errors.Is(err, prompt.ErrAborted) {
			return "", ErrAborted
		}
		return "", fmt.Errorf("ask how to register: %w", err)
	}
	return how, nil
}

// askAppName asks the display name for byok create, with the wizard's
// step-1 check.
func askAppName(ctx context.Context, ios *IOStreams, accessible, noColor bool) (string, error) {
	var name string
	err := prompter(ctx, ios, accessible, noColor || !ios.ColorEnabled()).Form(ctx, "Create it for me", "",
		prompt.Field{
			Title: "Name of the app in your directory", Hint: "e.g. Acme Hiveku; users see it on Microsoft's consent screen",
			Value: &name,
			Validate: func(s string) error {
				_, _, err := flow.StepName.Def().Submit(flow.Answers{Name: s}, flow.Config{}, flow.StepEnv{})
				return err
			},
		})
	if err != nil {
		if errors.Is(err, prompt.ErrAborted) {
			return "", ErrAborted
		}
		return "", fmt.Errorf("ask the app name: %w", err)
	}
	return strings.TrimSpace(name), nil
}

// createFromWizard returns the "Create it for me" path for f: the name,
// then byok create with the wizard's defaults on this terminal.
func createFromWizard(f *Factory) func(ctx context.Context, opts *SetupOptions) error {
	return func(ctx context.Context, opts *SetupOptions) error {
		name, err := askAppName(ctx, opts.IO, opts.Accessible, opts.NoColor)
		if err != nil {
			return err
		}
		co := &CreateOptions{
			IO: opts.IO, Store: opts.Store, Now: opts.Now, Getenv: opts.Getenv, Permissions: opts.Permissions,
			Confirm:     opts.Confirm,
			AdminSignIn: AdminSignIn{Microsoft: realMicrosoft(opts.Getenv), Cloud: "global", Directory: "common"},
			Verifier:    verifyEngine(f),
			Interactive: true, Name: name, AccountType: flow.DefaultAccountType.Short(), RedirectURI: flow.HivekuRedirectURI,
			Scopes: flow.DefaultScopePreset, SecretDescription: flow.DefaultSecretDescription, SecretExpires: flow.DefaultSecretLifetime,
			AddLoopback: opts.AddLoopback, IfExists: "ask",
		}
		fmt.Fprintf(opts.IO.ErrOut, "byok create --name %s (other answers: byok create --help)\n", shellQuote(name))
		return createRun(ctx, co)
	}
}
