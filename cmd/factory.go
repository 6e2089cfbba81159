package cmd

import (
	"context"
	"os"
	"time"

	"github.com/hiveku/byok/flow"
)

// NewFactory returns the production Factory.
func NewFactory() *Factory {
	f := &Factory{IO: System(), Getenv: os.Getenv, Now: time.Now}
	f.Store = func(ctx context.Context) (flow.Store, error) {
		return nil, flow.Errorf(flow.EINTERNAL, "storage is not wired yet")
	}
	return f
}
