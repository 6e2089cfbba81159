package storage

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/hiveku/byok/flow"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one embedded migrations/NNN_name.sql file.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in version order. A file
// whose name does not start with a number, or a duplicate or missing
// version, is a build-time mistake reported as an error (and caught by
// the tests).
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	var ms []migration
	for _, n := range names {
		base := path.Base(n)
		num, rest, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("read migration %s: name must be NNN_name.sql", base)
		}
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", base, err)
		}
		ms = append(ms, migration{version: v, name: strings.TrimSuffix(rest, ".sql"), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("read migrations: expected version %d, found %d", i+1, m.version)
		}
	}
	return ms, nil
}

// SchemaVersion is the newest schema version this byok knows.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

// migrate refuses foreign, damaged or newer databases, switches the file
// to WAL and applies each pending migration in its own transaction.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	latest := len(ms)

	current, err := s.checkOwnership(ctx, s.wdb)
	if err != nil {
		return err
	}
	var mode string
	err = withRetry(ctx, func() error {
		return s.wdb.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode)
	})
	if err != nil {
		if isNotADB(err) {
			return notByok(s.path, "it is damaged or not an SQLite database", err)
		}
		return fmt.Errorf("open database: set WAL mode: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("open database: WAL mode not available (journal mode %q)", mode)
	}

	if current >= latest {
		return nil // up to date: no write transaction, no fsync
	}
	for _, m := range ms {
		err := s.write(ctx, "migrate database", func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS byok_schema (
				version    INTEGER PRIMARY KEY,
				name       TEXT    NOT NULL,
				applied_at INTEGER NOT NULL)`); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
				return err
			}
			var cur int
			if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM byok_schema").Scan(&cur); err != nil {
				return err
			}
			if cur > latest {
				return newerSchema(s.path, cur, latest)
			}
			if cur >= m.version {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("apply migration %03d_%s: %w", m.version, m.name, err)
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO byok_schema (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, s.now().UnixNano())
			return err
		})
		if err != nil {
			if isNotADB(err) {
				return notByok(s.path, "it is damaged or not an SQLite database", err)
			}
			return err
		}
	}
	return nil
}

// checkOwnership looks at an existing file before byok changes anything in
// it: its SQLite application_id and its tables must be byok's (or absent).
// It returns the schema version found (0 for a new file).
func (s *Store) checkOwnership(ctx context.Context, db *sql.DB) (int, error) {
	var appID int64
	var objects, ours int
	var version int
	err := withRetry(ctx, func() error {
		conn, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if err := conn.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
			return err
		}
		if err := conn.QueryRowContext(ctx, `SELECT
			COUNT(*),
			COALESCE(SUM(name = 'byok_schema'), 0)
			FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`).Scan(&objects, &ours); err != nil {
			return err
		}
		if ours > 0 {
			return conn.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM byok_schema").Scan(&version)
		}
		return nil
	})
	if err != nil {
		if isNotADB(err) {
			return 0, notByok(s.path, "it is damaged or not an SQLite database", err)
		}
		return 0, fmt.Errorf("open database: %w", err)
	}
	switch {
	case appID != 0 && appID != applicationID:
		return 0, notByok(s.path, "it is another program's SQLite database", nil)
	case objects > 0 && ours == 0:
		return 0, notByok(s.path, "it is an SQLite database with other tables", nil)
	case version > SchemaVersion():
		return 0, newerSchema(s.path, version, SchemaVersion())
	}
	if appID != applicationID {
		return 0, nil // not stamped yet: let the migration loop stamp it
	}
	return version, nil
}

// newerSchema is the error for a database written by a newer byok.
func newerSchema(path string, have, know int) *flow.Error {
	return &flow.Error{
		Code:    flow.EFAILED,
		Field:   "database",
		Message: fmt.Sprintf("%s was written by a newer byok (schema version %d; this byok knows up to %d)", path, have, know),
		Fix:     "upgrade byok, or pass --db with another file; byok does not downgrade a database",
	}
}
