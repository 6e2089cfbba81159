package storage

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"

	"github.com/hiveku/byok/flow"
)

// UnreadableSecrets returns, by name, the configs whose current secret was
// sealed with another key than the one in use (BYOK_KEY changed, or
// byok.key lost and a new one created). Their secrets must be re-entered
// with `byok rotate NAME`; everything else about them is intact.
func (s *Store) UnreadableSecrets(ctx context.Context) ([]string, error) {
	cur := s.currentKeyID()
	var names []string
	err := s.read(ctx, "check secrets", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT c.name FROM configs c
			JOIN secrets s ON s.config_id = c.id AND s.retired_at IS NULL
			WHERE s.sealed IS NOT NULL AND (s.key_id IS NULL OR s.key_id <> ?)
			ORDER BY c.name_key`, cur)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				return err
			}
			names = append(names, n)
		}
		return rows.Err()
	})
	return names, err
}

// CheckKey returns nil when every stored secret can be unsealed with the
// current key, and otherwise an EFAILED *flow.Error that names the configs
// whose secret must be re-entered and says how. Nothing is lost either
// way: configs, history, drafts and runs stay readable.
func (s *Store) CheckKey(ctx context.Context) error {
	names, err := s.UnreadableSecrets(ctx)
	if err != nil || len(names) == 0 {
		return err
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	noun := "config"
	if len(names) > 1 {
		noun = "configs"
	}
	list := strings.Join(quoted, ", ")
	e := &flow.Error{Code: flow.EFAILED, Field: "key"}
	switch {
	case s.keyPath == "":
		e.Message = fmt.Sprintf("the secret of %d %s was sealed with a different key than the current BYOK_KEY and cannot be read: %s", len(names), noun, list)
		e.Fix = "set BYOK_KEY back to the old key, or re-enter each secret with `byok rotate NAME`; everything else is kept"
	case !fileExists(s.keyPath):
		e.Message = fmt.Sprintf("the key file %s is missing, so the secret of %d %s cannot be read: %s", s.keyPath, len(names), noun, list)
		e.Fix = fmt.Sprintf("restore %s from a backup (or set BYOK_KEY to the old key), or re-enter each secret with `byok rotate NAME`; everything else is kept", s.keyPath)
	default:
		e.Message = fmt.Sprintf("the secret of %d %s was sealed with a different key than %s and cannot be read: %s", len(names), noun, s.keyPath, list)
		e.Fix = fmt.Sprintf("restore the old %s (or set BYOK_KEY to the old key), or re-enter each secret with `byok rotate NAME`; everything else is kept", s.keyPath)
	}
	return e
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// IntegrityCheck runs SQLite's integrity and foreign key checks and returns
// an EFAILED *flow.Error describing the first problems, or nil.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	var problems []string
	err := s.read(ctx, "check database", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "PRAGMA integrity_check")
		if err != nil {
			return err
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				rows.Close()
				return err
			}
			if line != "ok" {
				problems = append(problems, line)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM pragma_foreign_key_check").Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			problems = append(problems, fmt.Sprintf("%d rows break foreign keys", n))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		if len(problems) > 5 {
			problems = problems[:5]
		}
		return &flow.Error{Code: flow.EFAILED, Field: "database",
			Message: fmt.Sprintf("%s is damaged: %s", s.path, strings.Join(problems, "; ")),
			Fix:     "restore it from a backup, or move it away and set up again"}
	}
	return nil
}
