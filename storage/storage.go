// Package storage keeps byok's configs, sealed secrets, wizard drafts and
// verification runs in a local SQLite database (mattn/go-sqlite3). It
// implements flow.Store and is the only package that imports database/sql.
//
// The database is created 0600 in a 0700 directory, runs in WAL mode with
// a busy timeout so several byok processes can share it, and is migrated
// by embedded, versioned SQL files (migrations/NNN_name.sql), each applied
// in its own transaction and recorded in the byok_schema table. Every Store
// method is one transaction; write transactions take SQLite's write lock
// up front (BEGIN IMMEDIATE) and retry on SQLITE_BUSY within a bounded
// budget, so "database is locked" does not reach the user.
//
// Secret values are sealed with AES-256-GCM under a 32-byte key taken from
// BYOK_KEY (Options.Key) or from the key file byok.key beside the database,
// created 0600 the first time a secret is sealed and never overwritten.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/mattn/go-sqlite3"
)

// Options configures Open.
type Options struct {
	// Path is the database file.
	Path string
	// Key is the BYOK_KEY value (standard base64 of 32 bytes). Empty means
	// the key file byok.key beside the database.
	Key string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ReadOnly opens an existing database for reading only (list, show,
	// doctor, verify --offline): nothing is created, a missing file is
	// ENOTFOUND saying that `byok setup` creates it, and a database on a
	// read-only filesystem or owned by someone else can still be read.
	// Every write then fails with a message saying so.
	ReadOnly bool
	// MustExist opens an existing database read-write but creates none:
	// a missing file is ReadOnly's ENOTFOUND. Commands that act on a
	// saved config (verify, rotate, delete, export) use it.
	MustExist bool
}

// KeyFileName is the name of the key file kept beside the database when
// no BYOK_KEY is given.
const KeyFileName = "byok.key"

// applicationID marks the file as a byok database in the SQLite header
// (PRAGMA application_id): "byok" in ASCII.
const applicationID = 0x62796f6b

// busyTimeout is how long SQLite itself waits for a lock (milliseconds)
// before a statement reports SQLITE_BUSY; withRetry adds a bounded number
// of attempts on top.
const busyTimeout = 5000

// maxAttempts bounds the retries of a transaction that hit SQLITE_BUSY.
const maxAttempts = 8

// Store is the SQLite implementation of flow.Store. It is safe for
// concurrent use by several goroutines and several processes.
type Store struct {
	path    string
	keyPath string // "" when the key comes from BYOK_KEY
	now     func() time.Time

	wdb *sql.DB // BEGIN IMMEDIATE, one connection: writes
	rdb *sql.DB // BEGIN (deferred), query_only: reads see a WAL snapshot

	keyMu sync.Mutex
	key   []byte // nil until known (key file not created yet)
	keyID string // keyIdentifier(key), "" when key is nil

	readOnly bool
	warnings []string
}

var _ flow.Store = (*Store)(nil)

// Open opens (creating if needed) the byok database at o.Path, applies
// pending migrations and loads the sealing key. A file that is not a byok
// database, or one written by a newer byok, is refused with a *flow.Error;
// nothing is ever reset. A key that does not match the stored secrets is
// not an error here: see CheckKey and UnreadableSecrets.
func Open(ctx context.Context, o Options) (*Store, error) {
	if o.Path == "" {
		return nil, flow.Invalid("database", "no database path given").WithFix("pass --db FILE or set BYOK_DB")
	}
	path, err := filepath.Abs(o.Path)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	s := &Store{path: path, now: o.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if o.Key != "" {
		key, err := decodeKey(o.Key)
		if err != nil {
			return nil, flow.Invalid("BYOK_KEY", "%s", err.Error()).
				WithFix("set BYOK_KEY to the base64 of 32 random bytes (e.g. the output of `openssl rand -base64 32`), or unset it to use %s", filepath.Join(filepath.Dir(path), KeyFileName))
		}
		s.setKey(key)
	} else {
		s.keyPath = filepath.Join(filepath.Dir(path), KeyFileName)
	}

	if o.ReadOnly {
		return openReadOnly(ctx, s, o)
	}
	if o.MustExist {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, noDatabase(path)
		}
	}
	if err := prepareFile(path); err != nil {
		return nil, err
	}
	if s.wdb, err = sql.Open("sqlite3", dsn(path, "immediate", false)); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	s.wdb.SetMaxOpenConns(1)
	if s.rdb, err = sql.Open("sqlite3", dsn(path, "deferred", true)); err != nil {
		s.wdb.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	s.rdb.SetMaxOpenConns(4)

	if err := s.migrate(ctx); err != nil {
		s.Close()
		if isReadOnly(err) {
			return nil, s.readOnlyError("open it for writing")
		}
		return nil, err
	}
	tightenModes(path)
	if s.keyPath != "" {
		if err := s.loadKeyFile(); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	var errs []error
	if s.rdb != nil {
		errs = append(errs, s.rdb.Close())
	}
	if s.wdb != nil {
		errs = append(errs, s.wdb.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// Path returns the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// KeyPath returns the key file's path, or "" when the key comes from
// BYOK_KEY.
func (s *Store) KeyPath() string { return s.keyPath }

// dsn builds the go-sqlite3 data source name. The path goes in a file:
// URI so that '?' or '#' in a directory name cannot be taken for options.
func dsn(path, txlock string, readOnly bool) string {
	q := url.Values{}
	q.Set("_txlock", txlock)
	q.Set("_busy_timeout", fmt.Sprint(busyTimeout))
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "FULL")
	q.Set("_secure_delete", "on")
	if readOnly {
		q.Set("_query_only", "1")
		// A 10,000-config database is a few MB: keep it all in the page
		// cache so `byok list` does not re-read it from the OS.
		q.Set("_cache_size", "-32768")
		// database/sql never uses one connection from two goroutines at
		// once, so SQLite's per-connection mutex only costs: it was
		// taken and released for every column of every row read (7 % of
		// `byok list --json`'s CPU time at 10,000 configs).
		q.Set("_mutex", "no")
	}
	u := url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

// sqliteHeader starts every SQLite 3 database file.
const sqliteHeader = "SQLite format 3\x00"

// prepareFile creates the directory (0700) and an empty database file
// (0600) if they do not exist, and refuses an existing file that is not an
// SQLite database without touching it.
func prepareFile(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		if isFSReadOnly(err) {
			return readOnlyFileError(path, "create its directory", err)
		}
		return fmt.Errorf("create database directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, os.ErrExist) {
		if isFSReadOnly(err) {
			return readOnlyFileError(path, "create it", err)
		}
		return fmt.Errorf("create database: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	return checkHeader(path, fi)
}

// checkHeader refuses an existing file that is not an SQLite database
// (or not a regular file) without changing it.
func checkHeader(path string, fi os.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return notByok(path, "it is not a regular file", nil)
	}
	if fi.Size() == 0 {
		return nil // created by us (or another byok) a moment ago
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	if n, _ := f.Read(head); n < len(head) || string(head) != sqliteHeader {
		return notByok(path, "it is not an SQLite file", nil)
	}
	return nil
}

// tightenModes makes the -wal and -shm files 0600 like the database
// (SQLite copies the database's mode, this only guards older files).
func tightenModes(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o077 != 0 {
			_ = os.Chmod(p, 0o600)
		}
	}
}

// notByok is the error for a file at the database path that byok must not
// use.
func notByok(path, why string, cause error) *flow.Error {
	return &flow.Error{
		Code:    flow.EINVALID,
		Field:   "database",
		Message: fmt.Sprintf("%s is not a byok database (%s)", path, why),
		Fix:     "move it away or pass --db with another file; byok never overwrites it",
		Err:     cause,
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY or SQLITE_LOCKED.
func isBusy(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked
	}
	return false
}

// isNotADB reports whether err says the file is corrupt or not a database.
func isNotADB(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrNotADB || se.Code == sqlite3.ErrCorrupt
	}
	return false
}

// withRetry runs fn again while it fails with SQLITE_BUSY, up to
// maxAttempts, with jittered exponential backoff. busy_timeout already
// waits inside SQLite; this covers the cases it does not (a lock upgrade,
// a checkpoint in progress).
func withRetry(ctx context.Context, fn func() error) error {
	delay := 5 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || !isBusy(err) || attempt >= maxAttempts {
			return err
		}
		t := time.NewTimer(delay + rand.N(delay))
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		if delay < 500*time.Millisecond {
			delay *= 2
		}
	}
}

// write runs fn in one write transaction (BEGIN IMMEDIATE) and commits.
// what names the operation for wrapped low-level errors ("save config").
// A *flow.Error from fn is returned unwrapped.
func (s *Store) write(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	if s.wdb == nil {
		return s.readOnlyError(what)
	}
	return s.tx(ctx, s.wdb, what, fn)
}

// guardedWrite is write preceded, inside the transaction, by guardKey:
// see there for why and for what reenter allows.
func (s *Store) guardedWrite(ctx context.Context, what, reenter string, fn func(tx *sql.Tx) error) error {
	return s.write(ctx, what, func(tx *sql.Tx) error {
		if err := s.guardKey(ctx, tx, reenter); err != nil {
			return err
		}
		return fn(tx)
	})
}

// preflightKey runs guardKey before a secret is sealed, so that a refused
// write does not first create a key file.
func (s *Store) preflightKey(ctx context.Context, reenter string) error {
	if s.wdb == nil {
		return nil // the write itself reports the read-only store
	}
	return s.guardKey(ctx, s.rdb, reenter)
}

// read runs fn in one read transaction: a consistent WAL snapshot that
// never blocks writers.
func (s *Store) read(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	return s.tx(ctx, s.rdb, what, fn)
}

func (s *Store) tx(ctx context.Context, db *sql.DB, what string, fn func(tx *sql.Tx) error) error {
	err := withRetry(ctx, func() error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Commit()
	})
	if err == nil {
		return nil
	}
	var fe *flow.Error
	if errors.As(err, &fe) {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}
