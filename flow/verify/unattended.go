package verify

import (
	"context"

	"github.com/hiveku/byok/flow"
)

// Unattended runs the checks that need no person on c: the offline checks
// (expiry among them), the cloud check, the tenant's discovery document
// and the client-credentials secret check. It is what `byok verify --all`
// runs for every config from cron or CI; consent and everything after it
// need a person in a browser and are not run (nor reported as skipped:
// the run is not a full verification and is not meant to be stored as
// one). The run is OK when no check failed.
func (v *Verifier) Unattended(ctx context.Context, c flow.Config) flow.Run {
	now := v.now()
	run := flow.Run{Name: c.Name, At: now}
	run.Checks = append(run.Checks, flow.OfflineChecks(c, now)...)
	if ch, ok := cloudCheck(v.Endpoints, c); ok {
		run.Checks = append(run.Checks, ch)
	}
	if ctx.Err() == nil {
		run.Checks = append(run.Checks, v.checkDiscovery(ctx, c, &session{}))
	}
	if ctx.Err() == nil {
		if c.Secret.IsZero() {
			run.Checks = append(run.Checks, flow.Check{ID: flow.CheckCreds, Status: flow.Fail,
				Detail: "no client secret is saved", Fix: "run `byok rotate NAME` to enter the secret value"})
		} else {
			run.Checks = append(run.Checks, v.CheckSecret(ctx, c))
		}
	}
	run.OK = !run.Failed()
	return run
}
