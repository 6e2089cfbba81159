package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"syscall"

	"github.com/hiveku/byok/flow"
	"github.com/mattn/go-sqlite3"
)

// ErrReadOnly is wrapped by the errors of writes to a store that cannot be
// written (opened ReadOnly, or a file this user cannot write).
var ErrReadOnly = errors.New("database is read-only")

// openReadOnly finishes Open for Options.ReadOnly. Nothing is created or
// changed: a missing database is reported (with how to create one), a
// database whose pending migrations cannot be applied is read as it is,
// and a database on a read-only filesystem or owned by someone else is
// opened with SQLite's immutable flag when the ordinary read-only mode
// cannot set up the WAL index beside it.
func openReadOnly(ctx context.Context, s *Store, o Options) (*Store, error) {
	s.readOnly = true
	fi, err := os.Stat(s.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, noDatabase(s.path)
	case err != nil:
		return nil, fmt.Errorf("open database: %w", err)
	case !fi.Mode().IsRegular():
		return nil, notByok(s.path, "it is not a regular file", nil)
	}
	if err := checkHeader(s.path, fi); err != nil {
		return nil, err
	}
	// Apply pending migrations when the file is writable (an older byok
	// wrote it); when it is not, read the old schema as it is.
	if pendingMigrations(ctx, s.path) {
		if rw, err := Open(ctx, Options{Path: s.path, Key: o.Key, Now: o.Now}); err == nil {
			rw.Close()
		}
	}
	for _, immutable := range []bool{false, true} {
		if s.rdb != nil {
			s.rdb.Close()
		}
		if s.rdb, err = sql.Open("sqlite3", roDSN(s.path, immutable)); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
		s.rdb.SetMaxOpenConns(4)
		if _, err = s.checkOwnership(ctx, s.rdb); err == nil {
			break
		}
		var fe *flow.Error
		if errors.As(err, &fe) {
			s.rdb.Close()
			return nil, err
		}
	}
	if err != nil {
		s.rdb.Close()
		return nil, err
	}
	if s.keyPath != "" {
		if err := s.loadKeyFile(); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// noDatabase is the ENOTFOUND error of a ReadOnly or MustExist open of a
// database that does not exist.
func noDatabase(path string) *flow.Error {
	return &flow.Error{
		Code:    flow.ENOTFOUND,
		Field:   "database",
		Message: fmt.Sprintf("there is no byok database at %s yet", path),
		Fix:     "run `byok setup` to create it, or pass --db (or set BYOK_DB) with the right file; nothing was created",
	}
}

// pendingMigrations reports whether the database at path has a schema
// older than this byok's (best effort: false on any error).
func pendingMigrations(ctx context.Context, path string) bool {
	db, err := sql.Open("sqlite3", roDSN(path, false))
	if err != nil {
		return false
	}
	defer db.Close()
	var v int
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM byok_schema").Scan(&v); err != nil {
		return false
	}
	return v < SchemaVersion()
}

// roDSN is dsn for a read-only connection: mode=ro, and immutable=1 when
// SQLite cannot create or write the -shm file (read-only directory or
// filesystem, another owner). Immutable is only tried after the ordinary
// read-only open failed, that is when this process cannot write there.
func roDSN(path string, immutable bool) string {
	d := dsn(path, "deferred", true)
	u, _ := url.Parse(d)
	q := u.Query()
	q.Set("mode", "ro")
	if immutable {
		q.Set("immutable", "1")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// ReadOnly reports whether the store was opened with Options.ReadOnly.
func (s *Store) ReadOnly() bool { return s.readOnly }

// readOnlyError is the error for a write to a store that cannot be
// written.
func (s *Store) readOnlyError(what string) *flow.Error {
	if s.readOnly {
		return &flow.Error{
			Code:    flow.EFAILED,
			Field:   "database",
			Message: fmt.Sprintf("%s is open read-only here, so byok cannot %s", s.path, what),
			Fix:     "run a command that changes the store (setup, rotate, verify without --offline) to write it",
			Err:     ErrReadOnly,
		}
	}
	return readOnlyFileError(s.path, what, nil)
}

// readOnlyFileError says that path cannot be written by this user.
func readOnlyFileError(path, what string, cause error) *flow.Error {
	return &flow.Error{
		Code:    flow.EFAILED,
		Field:   "database",
		Message: fmt.Sprintf("%s cannot be written by this user (read-only filesystem, or another owner), so byok cannot %s", path, what),
		Fix:     "check the owner and permissions of the file and its directory, or pass --db with a file you can write; reading commands (list, show, doctor, verify --offline) still work",
		Err:     errors.Join(ErrReadOnly, cause),
	}
}

// isFSReadOnly reports a filesystem-level refusal to write.
func isFSReadOnly(err error) bool {
	return errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission)
}

// isReadOnly reports SQLite's "attempt to write a readonly database" and
// the filesystem errors that cause it.
func isReadOnly(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrReadonly || se.Code == sqlite3.ErrCantOpen || se.Code == sqlite3.ErrPerm) {
		return true
	}
	return isFSReadOnly(err) || strings.Contains(err.Error(), "readonly database")
}
