package cmd

import (
	"context"
	"errors"
	"os"
	"sync"
	"time"

	"github.com/hiveku/byok/flow"
)

// NewFactory returns the production Factory: the process's stdio, the real
// environment and clock, and a Store that opens the database lazily.
func NewFactory() *Factory {
	f := &Factory{IO: System(), Getenv: os.Getenv, Now: time.Now}
	f.Store = f.lazyStore(openStore)
	return f
}

// storeOpener opens the database for f (path and key already resolvable
// through f.DBPath and f.Getenv) and returns it with its closer.
type storeOpener func(ctx context.Context, f *Factory) (flow.Store, func() error, error)

// lazyStore wraps open so that the database is opened on the first call
// only (after flags are parsed, so --db is known) and closed by f.Close.
// After Close a later call opens it again.
func (f *Factory) lazyStore(open storeOpener) func(ctx context.Context) (flow.Store, error) {
	var (
		mu sync.Mutex
		st flow.Store
	)
	return func(ctx context.Context) (flow.Store, error) {
		mu.Lock()
		defer mu.Unlock()
		if st != nil {
			return st, nil
		}
		s, closeFn, err := open(ctx, f)
		if err != nil {
			return nil, err
		}
		st = s
		f.addCloser(func() error {
			mu.Lock()
			defer mu.Unlock()
			st = nil
			if closeFn == nil {
				return nil
			}
			return closeFn()
		})
		return st, nil
	}
}

// addCloser registers fn to run in Close.
func (f *Factory) addCloser(fn func() error) {
	f.mu.Lock()
	f.closers = append(f.closers, fn)
	f.mu.Unlock()
}

// Close releases what commands opened (the database), newest first.
// Run calls it after every command.
func (f *Factory) Close() error {
	f.mu.Lock()
	closers := f.closers
	f.closers = nil
	f.mu.Unlock()
	var errs []error
	for i := len(closers) - 1; i >= 0; i-- {
		if err := closers[i](); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// openStore opens the SQLite database. Until package storage lands it
// reports that storage is unavailable.
func openStore(ctx context.Context, f *Factory) (flow.Store, func() error, error) {
	return nil, nil, flow.Errorf(flow.EINTERNAL, "storage is not wired yet")
}
