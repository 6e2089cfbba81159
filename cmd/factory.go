package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/flow/verify"
	"github.com/hiveku/byok/storage"
)

// NewFactory returns the production Factory: the process's stdio, the real
// environment and clock, and a Store that opens the database lazily.
func NewFactory() *Factory {
	f := &Factory{IO: System(), Getenv: hideKey(), Now: time.Now}
	f.Store = f.lazyStore(openStore)
	// Both only build closures here: nothing runs until a command calls
	// them, so start-up stays cheap.
	f.Verify = VerifyFunc(f)
	if e, err := verify.CloudEndpoints("global"); err == nil {
		f.ConsentURLs = ConsentURLs(e, nil)
	}
	f.Home = func(ctx context.Context) error { return homeRun(ctx, f) }
	return f
}

// readOnlyKey marks a context whose command only reads the store.
type readOnlyKey struct{}

// readOnly returns ctx marked so that Factory.Store, when it opens the
// database, opens it read-only (storage.Options.ReadOnly): list, show,
// doctor, audit, script and consent-url never create a database, and
// still read one on a read-only filesystem or owned by another user. A
// test's fake Store ignores the mark.
func readOnly(ctx context.Context) context.Context {
	return context.WithValue(ctx, readOnlyKey{}, true)
}

func isReadOnly(ctx context.Context) bool {
	v, _ := ctx.Value(readOnlyKey{}).(bool)
	return v
}

// mustExistKey marks a context whose command acts on a saved config.
type mustExistKey struct{}

// mustExist returns ctx marked so that Factory.Store opens an existing
// database read-write but never creates one (storage.Options.MustExist).
func mustExist(ctx context.Context) context.Context {
	return context.WithValue(ctx, mustExistKey{}, true)
}

func isMustExist(ctx context.Context) bool {
	v, _ := ctx.Value(mustExistKey{}).(bool)
	return v
}

// hideKey takes BYOK_KEY out of the process environment, so that no
// child process (the browser verify opens, an editor, a shell) inherits
// the key that opens every stored secret, and returns a getenv that still
// answers BYOK_KEY for byok itself.
func hideKey() func(string) string {
	key, ok := os.LookupEnv("BYOK_KEY")
	if !ok {
		return os.Getenv
	}
	_ = os.Unsetenv("BYOK_KEY")
	return func(k string) string {
		if k == "BYOK_KEY" {
			return key
		}
		return os.Getenv(k)
	}
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

// DatabasePath resolves the database file: --db, then BYOK_DB, then
// storage's default for this OS (storage.DefaultPath: XDG_DATA_HOME on
// Linux, Application Support on macOS, %LOCALAPPDATA% on Windows).
func (f *Factory) DatabasePath() (string, error) {
	if f.DBPath != "" {
		return f.DBPath, nil
	}
	if p := f.getenv("BYOK_DB"); p != "" {
		return p, nil
	}
	return storage.DefaultPath(f.getenv)
}

// openStore opens the SQLite database at f.DatabasePath with the sealing
// key from BYOK_KEY (or the key file beside the database).
func openStore(ctx context.Context, f *Factory) (flow.Store, func() error, error) {
	path, err := f.DatabasePath()
	if err != nil {
		return nil, nil, err
	}
	st, err := storage.Open(ctx, storage.Options{Path: path, Key: f.sealingKey(path, !isReadOnly(ctx) && !isMustExist(ctx)), Now: f.Now, ReadOnly: isReadOnly(ctx), MustExist: isMustExist(ctx)})
	if err != nil {
		return nil, nil, err
	}
	for _, w := range st.Warnings() {
		fmt.Fprintf(f.IO.TextErr(), "warning: %s\n", sanitize.Text(w))
	}
	// A lost byok.key or a changed BYOK_KEY must not pass silently: say
	// which secrets can't be read and how to get them back, on every
	// command, until they are re-entered (byok rotate) or the key is back.
	if err := st.CheckKey(ctx); err != nil {
		fmt.Fprintf(f.IO.TextErr(), "warning: %s\n", sanitize.Text(userMessage(err, f.Debug)))
	}
	return st, st.Close, nil
}
