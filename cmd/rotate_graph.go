package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/graph"
	"github.com/hiveku/byok/flow/sanitize"
)

// rotateGraphRun is `byok rotate NAME --graph`: the new secret is added
// through Graph, proved by client credentials (waiting out replication),
// stored sealed, and only then, after confirmation, the old one is
// removed from the app. If the proof fails the new secret is removed
// again and nothing changes.
func rotateGraphRun(ctx context.Context, opts *RotateOptions) error {
	if opts.SecretStdin {
		return flow.Invalid("--secret-stdin", "--graph creates the secret itself").WithFix("drop --secret-stdin, or drop --graph to give a secret made in the portal")
	}
	a := opts.Admin
	a.AuthorityHost, a.Cloud = opts.AuthorityHost, opts.Cloud
	e, err := a.endpoints()
	if err != nil {
		return err
	}
	st, cfg, err := loadConfig(ctx, opts.Store, opts.Name)
	if err != nil {
		return err
	}
	now := opts.Now()
	desc := opts.Description
	if desc == "" {
		desc = cfg.SecretInfo.Description
	}
	if desc == "" {
		desc = flow.DefaultSecretDescription
	}
	exp := opts.Expires
	if exp == "" {
		exp = flow.DefaultSecretLifetime
	}
	desc = strings.TrimSpace(desc)
	if err := flow.ValidateSecretDescription(desc); err != nil {
		return err
	}
	expires, warn, err := flow.ParseExpiry(exp, now)
	if err != nil {
		return err
	}
	if warn != "" {
		fmt.Fprintf(opts.IO.ErrOut, "warning: %s\n", sanitize.Text(warn))
	}
	if !opts.directoryChanged || a.Directory == "" {
		a.Directory = cfg.DirectoryID
	}
	sess, err := a.signIn(ctx, opts.IO, opts.Now, e, graph.ScopesFor(true, false))
	if err != nil {
		return err
	}
	gc := a.client(e, sess)
	app, err := gc.ApplicationByAppID(ctx, cfg.ClientID)
	if err != nil {
		return graphFailure(err)
	}
	old := oldCredential(app, cfg.SecretInfo)

	out := opts.IO.ErrOut
	pw, err := gc.AddPassword(ctx, app.ID, desc, expires)
	if err != nil {
		return graphFailure(err)
	}
	fmt.Fprintf(out, "  ✓ new client secret %q added (Secret ID %s)\n", desc, sanitize.Line(pw.KeyID))
	rep := &graph.Replication{HTTP: a.Microsoft.HTTP, AuthorityHost: e.AuthorityHost, Resource: graphResource(e), Sleep: a.Microsoft.Sleep,
		Progress: func(l string) { fmt.Fprintln(out, "  "+sanitize.Text(l)) }}
	if err := rep.Wait(ctx, cfg.DirectoryID, cfg.ClientID, pw.SecretText); err != nil {
		// Leave nothing behind that byok cannot use.
		if rerr := gc.RemovePassword(ctx, app.ID, pw.KeyID); rerr != nil {
			fmt.Fprintf(out, "  could not remove the unproved secret %s: remove it in the portal (Certificates & secrets)\n", sanitize.Line(pw.KeyID))
		}
		fmt.Fprintf(out, "Nothing was replaced: %q keeps its current secret (%s).\n", cfg.Name, hintOrNone(cfg.SecretInfo))
		var ae *graph.AuthError
		if errors.As(err, &ae) {
			return authFailure("prove the new secret", ae)
		}
		return err
	}
	fmt.Fprintln(out, "  ✓ Microsoft accepts the new secret (client credentials)")
	info := flow.SecretInfo{Description: desc, Hint: pw.SecretText.Hint(), Created: now, Expires: expires}
	if !pw.EndDateTime.IsZero() {
		info.Expires = pw.EndDateTime
	}
	if err := st.RotateSecret(ctx, cfg.Name, pw.SecretText, info); err != nil {
		return fmt.Errorf("rotate secret: %w", err)
	}
	w := opts.IO.Out
	fmt.Fprintf(w, "Rotated the client secret of %q: %s → %s, expires %s; sealed in byok.\n", cfg.Name, hintOrNone(cfg.SecretInfo), info.Hint, day(info.Expires))
	fmt.Fprintln(w, "Paste the new Value into Hiveku > Settings > OAuth Apps before the old one goes (byok export can carry it).")

	switch {
	case old == nil:
		fmt.Fprintln(w, "byok could not tell which of the app's secrets was the old one; remove it in the portal (Certificates & secrets) once Hiveku uses the new one.")
		return nil
	case !opts.RemoveOld && !(opts.IO.CanPrompt() && !opts.NoInput):
		fmt.Fprintf(w, "The old secret (%s…, Secret ID %s) stays until you remove it: byok rotate %s --graph --remove-old next time, or the portal.\n",
			sanitize.Line(old.Hint), sanitize.Line(old.KeyID), shellQuote(cfg.Name))
		return nil
	case !opts.RemoveOld:
		yes, err := opts.Confirm(ctx, fmt.Sprintf("Remove the old secret (%s…, expires %s) from the app now? Hiveku must use the new one first.", sanitize.Line(old.Hint), day(old.EndDateTime)), false)
		if err != nil {
			return err
		}
		if !yes {
			fmt.Fprintf(w, "The old secret (Secret ID %s) stays; remove it in the portal once Hiveku uses the new one.\n", sanitize.Line(old.KeyID))
			return nil
		}
	}
	if err := gc.RemovePassword(ctx, app.ID, old.KeyID); err != nil {
		return graphFailure(err)
	}
	fmt.Fprintf(w, "✓ Removed the old secret (Secret ID %s) from the app.\n", sanitize.Line(old.KeyID))
	return nil
}

// oldCredential finds the app's secret that byok held: the one whose
// hint (first three characters) and expiry day match; nil when none or
// several do.
func oldCredential(app graph.Application, info flow.SecretInfo) *graph.PasswordCredential {
	hint := strings.TrimSuffix(info.Hint, "…")
	var found *graph.PasswordCredential
	for i, p := range app.PasswordCredentials {
		if hint == "" || p.Hint != hint {
			continue
		}
		if !info.Expires.IsZero() && !p.EndDateTime.IsZero() && day(p.EndDateTime) != day(info.Expires) && len(app.PasswordCredentials) > 1 {
			continue
		}
		if found != nil {
			return nil
		}
		found = &app.PasswordCredentials[i]
	}
	return found
}
