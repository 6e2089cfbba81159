package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hiveku/byok/flow"
)

// SaveRun stores a verification run, with its checks, for the config
// run.Name. At defaults to now. ENOTFOUND if there is no such config.
func (s *Store) SaveRun(ctx context.Context, run flow.Run) error {
	return s.SaveRuns(ctx, []flow.Run{run})
}

// SaveRuns stores several runs in one transaction (all or none), with
// SaveRun's rules for each: for bulk imports and the seed program.
func (s *Store) SaveRuns(ctx context.Context, runs []flow.Run) error {
	now := s.now()
	return s.guardedWrite(ctx, "save run", "", func(tx *sql.Tx) error {
		return insertRuns(ctx, tx, runs, now)
	})
}

// insertRuns inserts runs inside tx.
func insertRuns(ctx context.Context, tx *sql.Tx, runs []flow.Run, now time.Time) error {
	{
		for _, run := range runs {
			at := run.At
			if at.IsZero() {
				at = now
			}
			id, _, err := configID(ctx, tx, run.Name)
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO runs (config_id, at, offline, ok, email, checks)
				VALUES (?, ?, ?, ?, ?, ?)`, id, at.UnixNano(), run.Offline, run.OK, run.Email, encodeChecks(run.Checks))
			if err != nil {
				return err
			}
		}
		return nil
	}
}

// Runs returns up to limit runs of name, newest first (limit <= 0: all).
// ENOTFOUND if there is no such config.
func (s *Store) Runs(ctx context.Context, name string, limit int) ([]flow.Run, error) {
	if limit <= 0 {
		limit = -1
	}
	var out []flow.Run
	err := s.read(ctx, "read runs", func(tx *sql.Tx) error {
		id, canonical, err := configID(ctx, tx, name)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, at, offline, ok, email, checks FROM runs
			WHERE config_id = ? ORDER BY at DESC, id DESC LIMIT ?`, id, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r := flow.Run{Name: canonical}
			var at int64
			var checks string
			if err := rows.Scan(&r.ID, &at, &r.Offline, &r.OK, &r.Email, &checks); err != nil {
				return err
			}
			r.At = fromNS(sql.NullInt64{Int64: at, Valid: true})
			if r.Checks, err = decodeChecks(checks); err != nil {
				return fmt.Errorf("read run %d: %w", r.ID, err)
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}
