package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hiveku/byok/flow"
)

// SaveDraft stores or replaces the draft for d.Config.Name (one wizard
// step, one transaction). The config goes in as JSON without its secret;
// the secret value, if any, is sealed beside it.
func (s *Store) SaveDraft(ctx context.Context, d flow.Draft) error {
	key := nameKey(d.Config.Name)
	if key == "" {
		return emptyName()
	}
	if d.Step == "" {
		return flow.Invalid("step", "the draft has no step").WithFix("save a draft after a completed wizard step")
	}
	c := d.Config
	if !c.Secret.IsZero() {
		c.SecretInfo.Hint = c.Secret.Hint()
		c.SecretInfo.Missing = false
	}
	doc, err := json.Marshal(c) // Secret is tagged json:"-"
	if err != nil {
		return fmt.Errorf("save draft: %w", err)
	}
	if err := s.preflightKey(ctx, ""); err != nil {
		return err
	}
	var sc sealed
	if !c.Secret.IsZero() {
		if sc.blob, sc.keyID, err = s.seal(c.Secret, draftAAD(key)); err != nil {
			return err
		}
	}
	now := s.now().UTC()
	return s.guardedWrite(ctx, "save draft", "", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO drafts (name_key, step, config, sealed, key_id, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT(name_key) DO UPDATE SET step = excluded.step, config = excluded.config,
				sealed = excluded.sealed, key_id = excluded.key_id, updated_at = excluded.updated_at`,
			key, string(d.Step), string(doc), sc.blob, nullString(sc.keyID), now.UnixNano())
		if err != nil {
			return err
		}
		return recordKey(ctx, tx, sc.keyID)
	})
}

const draftColumns = "name_key, step, config, sealed, key_id, updated_at"

func (s *Store) scanDraft(sc scanner) (flow.Draft, error) {
	var (
		d       flow.Draft
		key     string
		step    string
		doc     string
		blob    []byte
		keyID   sql.NullString
		updated int64
	)
	if err := sc.Scan(&key, &step, &doc, &blob, &keyID, &updated); err != nil {
		return d, err
	}
	if err := json.Unmarshal([]byte(doc), &d.Config); err != nil {
		return d, fmt.Errorf("read draft %q: %w", key, err)
	}
	d.Step = flow.StepID(step)
	d.UpdatedAt = fromNS(sql.NullInt64{Int64: updated, Valid: true})
	if blob != nil {
		if v, err := s.unseal(blob, keyID.String, draftAAD(key)); err == nil {
			d.Config.Secret = v
		} else {
			d.Config.SecretInfo.Missing = true
		}
	}
	return d, nil
}

// FindDraft returns the draft named name (case-insensitive); ENOTFOUND if
// there is none.
func (s *Store) FindDraft(ctx context.Context, name string) (flow.Draft, error) {
	var d flow.Draft
	err := s.read(ctx, "find draft", func(tx *sql.Tx) error {
		var err error
		d, err = s.scanDraft(tx.QueryRowContext(ctx, "SELECT "+draftColumns+" FROM drafts WHERE name_key = ?", nameKey(name)))
		if errors.Is(err, sql.ErrNoRows) {
			return &flow.Error{Code: flow.ENOTFOUND, Field: "name",
				Message: fmt.Sprintf("no unfinished setup named %q", name),
				Fix:     "run `byok setup` to start one"}
		}
		return err
	})
	return d, err
}

// ListDrafts returns the drafts, most recently saved first.
func (s *Store) ListDrafts(ctx context.Context) ([]flow.Draft, error) {
	var out []flow.Draft
	err := s.read(ctx, "list drafts", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+draftColumns+" FROM drafts ORDER BY updated_at DESC, name_key")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, err := s.scanDraft(rows)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	return out, err
}

// DeleteDraft removes the draft named name; no error if there is none.
func (s *Store) DeleteDraft(ctx context.Context, name string) error {
	return s.write(ctx, "delete draft", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM drafts WHERE name_key = ?", nameKey(name))
		return err
	})
}
