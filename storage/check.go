package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/hiveku/byok/flow"
)

// querier is a *sql.Tx or *sql.DB.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// foreignProbes select the current sealed secrets that the key with
// identifier cur cannot open. Each of the three branches is a range probe
// of the partial index secrets_current_key (migration 002), so asking
// whether one exists reads at most three index entries at any store size.
var foreignProbes = []string{
	`SELECT config_id FROM secrets WHERE retired_at IS NULL AND sealed IS NOT NULL AND key_id < ?1 LIMIT 1`,
	`SELECT config_id FROM secrets WHERE retired_at IS NULL AND sealed IS NOT NULL AND key_id > ?1 LIMIT 1`,
	`SELECT config_id FROM secrets WHERE retired_at IS NULL AND sealed IS NOT NULL AND key_id IS NULL LIMIT 1`,
}

// anyForeign reports whether some current secret cannot be opened with
// the key cur ("" when there is no key yet: then every sealed secret is
// foreign). Constant cost: see foreignProbes.
func anyForeign(ctx context.Context, q querier, cur string) (bool, error) {
	if cur == "" {
		var id int64
		err := q.QueryRowContext(ctx, `SELECT config_id FROM secrets WHERE retired_at IS NULL AND sealed IS NOT NULL LIMIT 1`).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		return err == nil, err
	}
	for i, p := range foreignProbes {
		args := []any{cur}
		if i == len(foreignProbes)-1 {
			args = nil
		}
		var id int64
		err := q.QueryRowContext(ctx, p, args...).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return false, err
		}
		return true, nil
	}
	return false, nil
}

// maxNamed is how many config names a key warning or refusal quotes; the
// rest are counted. Naming all of them printed 1.4 MB at 100,000 configs.
const maxNamed = 3

// foreignSummary counts the current secrets the key cur cannot open and
// returns the names of up to maxNamed of their configs. It runs only
// when anyForeign said there are some.
func foreignSummary(ctx context.Context, q querier, cur string) (int, []string, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM secrets
		WHERE retired_at IS NULL AND sealed IS NOT NULL AND key_id IS NOT ?`, nullString(cur)).Scan(&n); err != nil {
		return 0, nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT c.name FROM secrets s JOIN configs c ON c.id = s.config_id
		WHERE s.retired_at IS NULL AND s.sealed IS NOT NULL AND s.key_id IS NOT ? LIMIT ?`, nullString(cur), maxNamed)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return 0, nil, err
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return n, names, rows.Err()
}

// UnreadableSecrets returns, by name, the configs whose current secret was
// sealed with another key than the one in use (BYOK_KEY changed, or
// byok.key lost and a new one created). Their secrets must be re-entered
// with `byok rotate NAME`; everything else about them is intact. It reads
// every secret: commands use CheckKey, whose cost does not grow.
func (s *Store) UnreadableSecrets(ctx context.Context) ([]string, error) {
	cur, err := s.freshKeyID()
	if err != nil {
		return nil, err
	}
	var names []string
	err = s.read(ctx, "check secrets", func(tx *sql.Tx) error {
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

// describeForeign renders "2 configs: "A", "B"" or "5 configs, among
// them "A", "B", "C"".
func describeForeign(n int, names []string) string {
	quoted := make([]string, len(names))
	for i, name := range names {
		quoted[i] = fmt.Sprintf("%q", name)
	}
	noun := "config"
	if n > 1 {
		noun = "configs"
	}
	if n > len(names) {
		return fmt.Sprintf("%d %s, among them %s", n, noun, strings.Join(quoted, ", "))
	}
	return fmt.Sprintf("%d %s: %s", n, noun, strings.Join(quoted, ", "))
}

// keySource names where the current key comes from, for messages.
func (s *Store) keySource() string {
	if s.keyPath == "" {
		return "BYOK_KEY"
	}
	return "the key file " + s.keyPath
}

// CheckKey returns nil when every stored secret can be unsealed with the
// current key, and otherwise an EFAILED *flow.Error that names (at most
// three of) the configs whose secret must be re-entered and says how.
// Nothing is lost either way: configs, history, drafts and runs stay
// readable. Its cost does not depend on the number of configs when the
// key matches.
func (s *Store) CheckKey(ctx context.Context) error {
	cur, err := s.freshKeyID()
	if err != nil {
		return err
	}
	var (
		n     int
		names []string
	)
	err = s.read(ctx, "check secrets", func(tx *sql.Tx) error {
		bad, err := anyForeign(ctx, tx, cur)
		if err != nil || !bad {
			return err
		}
		n, names, err = foreignSummary(ctx, tx, cur)
		return err
	})
	if err != nil || n == 0 {
		return err
	}
	list := describeForeign(n, names)
	e := &flow.Error{Code: flow.EFAILED, Field: "key"}
	switch {
	case s.keyPath == "":
		e.Message = fmt.Sprintf("the secret of %s was sealed with a different key than the current BYOK_KEY and cannot be read", list)
		e.Fix = "set BYOK_KEY back to the old key, or re-enter each secret with `byok rotate NAME`; everything else is kept"
	case !fileExists(s.keyPath):
		e.Message = fmt.Sprintf("the key file %s is missing, so the secret of %s cannot be read", s.keyPath, list)
		e.Fix = fmt.Sprintf("restore %s from a backup (or set BYOK_KEY to the old key), or re-enter each secret with `byok rotate NAME`; everything else is kept", s.keyPath)
	default:
		e.Message = fmt.Sprintf("the secret of %s was sealed with a different key than %s and cannot be read", list, s.keyPath)
		e.Fix = fmt.Sprintf("restore the old %s (or set BYOK_KEY to the old key), or re-enter each secret with `byok rotate NAME`; everything else is kept", s.keyPath)
	}
	return e
}

// guardKey refuses a write while the key in use cannot open the stored
// secrets: writing then would seal new values with a key that does not
// open the old ones, leaving a store no single key can read. Two writes
// stay allowed because they are the way out: re-entering the secret of a
// config whose own secret is unreadable (reenter is its name key; byok
// rotate NAME), and deleting. The refusal is EINVALID (exit 2) and names
// where the key came from.
func (s *Store) guardKey(ctx context.Context, q querier, reenter string) error {
	cur, err := s.freshKeyID()
	if err != nil {
		return err
	}
	bad, err := anyForeign(ctx, q, cur)
	if err == nil && bad && cur == "" && s.keyPath != "" {
		// Another byok process may have sealed a secret since the key
		// file was looked for: it created the file before sealing, so
		// the file read now holds the key of every sealed secret seen.
		if cur, err = s.freshKeyID(); err != nil {
			return err
		}
		bad, err = anyForeign(ctx, q, cur)
	}
	if err != nil || !bad {
		return err
	}
	if reenter != "" {
		var keyID sql.NullString
		var blob []byte
		err := q.QueryRowContext(ctx, `SELECT s.key_id, s.sealed FROM configs c
			JOIN secrets s ON s.config_id = c.id AND s.retired_at IS NULL WHERE c.name_key = ?`, reenter).Scan(&keyID, &blob)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err == nil && blob != nil && (cur == "" || !keyID.Valid || keyID.String != cur) {
			return nil // re-entering an unreadable secret
		}
	}
	n, names, err := foreignSummary(ctx, q, cur)
	if err != nil {
		return err
	}
	field := "BYOK_KEY"
	if s.keyPath != "" {
		field = "key file"
	}
	src := s.keySource()
	if s.keyPath != "" && !fileExists(s.keyPath) {
		src = "the key file " + s.keyPath + " (missing)"
	}
	return &flow.Error{
		Code:  flow.EINVALID,
		Field: field,
		Message: fmt.Sprintf("the key in use (%s) cannot open the stored secrets of %s, so nothing was written",
			src, describeForeign(n, names)),
		Fix: "use the key that sealed them (set BYOK_KEY or restore the key file), or re-enter each of those secrets with `byok rotate NAME`, or delete those configs",
	}
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
