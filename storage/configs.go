package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hiveku/byok/flow"
)

// nameKey is the case-folded form under which a name is unique.
// It goes through flow.NormalizeName first, so that the NFC and NFD
// spellings of one name, or a doubled inner space, are one name.
func nameKey(name string) string { return strings.ToLower(flow.NormalizeName(name)) }

// ns stores a time as Unix nanoseconds, NULL for the zero time.
func ns(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

// fromNS reads a time stored by ns, in UTC.
func fromNS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.Unix(0, v.Int64).UTC()
}

func notFound(name string) *flow.Error {
	return &flow.Error{
		Code:    flow.ENOTFOUND,
		Field:   "name",
		Message: fmt.Sprintf("no config named %q", name),
		Fix:     "run `byok list` to see the saved configs",
	}
}

func emptyName() *flow.Error {
	return flow.Invalid("name", "the name is empty").WithFix("give the Azure app's display name, e.g. \"Acme Hiveku\"")
}

// sealed is a secret value ready to store.
type sealed struct {
	blob  []byte
	keyID string
}

// SaveConfig normalises c (flow.Config.Normalize: canonical GUIDs,
// trimmed fields), validates it and stores it with its sealed secret, replacing a
// config of the same name (case-insensitive) only when replace is set
// (ECONFLICT otherwise). The draft of the same name is deleted in the same
// transaction. A config saved without a secret value is marked Missing.
func (s *Store) SaveConfig(ctx context.Context, c flow.Config, replace bool) error {
	c = c.Normalize()
	reenter := ""
	if replace {
		reenter = nameKey(c.Name)
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if err := s.preflightKey(ctx, reenter); err != nil {
		return err
	}
	sc, err := s.prepareConfig(c)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.guardedWrite(ctx, "save config", reenter, func(tx *sql.Tx) error {
		return s.saveConfigTx(ctx, tx, c, sc, replace, now)
	})
}

// ImportConfig is SaveConfig and SaveRuns for the same config in one
// transaction: an import stores the config with its runs, or nothing.
func (s *Store) ImportConfig(ctx context.Context, c flow.Config, runs []flow.Run, replace bool) error {
	c = c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	if err := s.preflightKey(ctx, ""); err != nil {
		return err
	}
	sc, err := s.prepareConfig(c)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.guardedWrite(ctx, "import config", "", func(tx *sql.Tx) error {
		if err := s.saveConfigTx(ctx, tx, c, sc, replace, now); err != nil {
			return err
		}
		named := make([]flow.Run, len(runs))
		for i, r := range runs {
			r.Name = c.Name
			named[i] = r
		}
		return insertRuns(ctx, tx, named, now)
	})
}

// SaveConfigs stores many configs in one transaction, with SaveConfig's
// rules for each; all or none are saved. It serves bulk imports and the
// seed program.
func (s *Store) SaveConfigs(ctx context.Context, cs []flow.Config, replace bool) error {
	if err := s.preflightKey(ctx, ""); err != nil {
		return err
	}
	seals := make([]sealed, len(cs))
	cs = append([]flow.Config(nil), cs...)
	for i := range cs {
		cs[i] = cs[i].Normalize()
		sc, err := s.prepareConfig(cs[i])
		if err != nil {
			return err
		}
		seals[i] = sc
	}
	now := s.now().UTC()
	return s.guardedWrite(ctx, "save configs", "", func(tx *sql.Tx) error {
		for i, c := range cs {
			if err := s.saveConfigTx(ctx, tx, c, seals[i], replace, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// prepareConfig validates c and seals its secret (outside the transaction,
// which stays short).
func (s *Store) prepareConfig(c flow.Config) (sealed, error) {
	if err := c.Validate(); err != nil {
		return sealed{}, err
	}
	key := nameKey(c.Name)
	if key == "" {
		return sealed{}, emptyName()
	}
	if c.Secret.IsZero() {
		return sealed{}, nil
	}
	blob, id, err := s.seal(c.Secret, configAAD(key))
	if err != nil {
		return sealed{}, err
	}
	return sealed{blob, id}, nil
}

func (s *Store) saveConfigTx(ctx context.Context, tx *sql.Tx, c flow.Config, sc sealed, replace bool, now time.Time) error {
	key := nameKey(c.Name)
	var (
		id       int64
		existing string
	)
	err := tx.QueryRowContext(ctx, "SELECT id, name FROM configs WHERE name_key = ?", key).Scan(&id, &existing)
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if found && !replace {
		return &flow.Error{
			Code:    flow.ECONFLICT,
			Field:   "name",
			Message: fmt.Sprintf("a config named %q already exists", existing),
			Fix:     "choose another name, or replace it (setup --replace)",
		}
	}
	scopes, err := joinScopes(c.Scopes)
	if err != nil {
		return err
	}
	if found {
		// Verification runs describe one app registration: when a replace
		// points the config at another app (client or directory ID), the
		// old runs would vouch for an app that is no longer this one.
		var oldClient, oldDir string
		if err := tx.QueryRowContext(ctx, "SELECT client_id, directory_id FROM configs WHERE id = ?", id).Scan(&oldClient, &oldDir); err != nil {
			return err
		}
		if !strings.EqualFold(oldClient, c.ClientID) || !strings.EqualFold(oldDir, c.DirectoryID) {
			if _, err := tx.ExecContext(ctx, "DELETE FROM runs WHERE config_id = ?", id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE configs SET name = ?, account_type = ?, redirect_uri = ?,
			custom_redirect = ?, loopback = ?, scopes = ?, client_id = ?, directory_id = ?, tenant = ?,
			updated_at = ? WHERE id = ?`,
			c.Name, string(c.AccountType), c.RedirectURI, c.CustomRedirect, c.Loopback, scopes,
			c.ClientID, c.DirectoryID, c.Tenant, now.UnixNano(), id)
		if err != nil {
			return err
		}
	} else {
		createdAt := c.CreatedAt
		if createdAt.IsZero() {
			createdAt = now
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO configs (name, name_key, account_type, redirect_uri,
			custom_redirect, loopback, scopes, client_id, directory_id, tenant, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.Name, key, string(c.AccountType), c.RedirectURI, c.CustomRedirect, c.Loopback, scopes,
			c.ClientID, c.DirectoryID, c.Tenant, createdAt.UnixNano(), now.UnixNano())
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
	}

	info := c.SecretInfo
	info.Hint = c.Secret.Hint()
	if c.Secret.IsZero() {
		info.Hint = c.SecretInfo.Hint // an import without the value keeps its hint
	}
	if info.Created.IsZero() {
		info.Created = now
	}
	if found {
		same, err := s.sameCurrentSecret(ctx, tx, id, key, c.Secret)
		if err != nil {
			return err
		}
		if same {
			// The same value saved again (setup --replace to fix another
			// field): update its description and expiry, keep no history.
			_, err = tx.ExecContext(ctx, `UPDATE secrets SET description = ?, expires_at = ?, sealed = ?, key_id = ?
				WHERE config_id = ? AND retired_at IS NULL`,
				info.Description, ns(info.Expires), sc.blob, nullString(sc.keyID), id)
			if err != nil {
				return err
			}
			return s.afterSeal(ctx, tx, sc, key)
		}
		if err := retireCurrent(ctx, tx, id, now); err != nil {
			return err
		}
	}
	if err := insertSecret(ctx, tx, id, info, sc); err != nil {
		return err
	}
	return s.afterSeal(ctx, tx, sc, key)
}

// afterSeal records the key check value and drops the same-name draft.
func (s *Store) afterSeal(ctx context.Context, tx *sql.Tx, sc sealed, key string) error {
	if err := recordKey(ctx, tx, sc.keyID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM drafts WHERE name_key = ?", key)
	return err
}

// sameCurrentSecret reports whether the config's current secret is
// readable and equal to v.
func (s *Store) sameCurrentSecret(ctx context.Context, tx *sql.Tx, id int64, key string, v flow.Secret) (bool, error) {
	if v.IsZero() {
		return false, nil
	}
	var blob []byte
	var keyID sql.NullString
	err := tx.QueryRowContext(ctx, "SELECT sealed, key_id FROM secrets WHERE config_id = ? AND retired_at IS NULL", id).Scan(&blob, &keyID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if blob == nil {
		return false, nil
	}
	old, err := s.unseal(blob, keyID.String, configAAD(key))
	if err != nil {
		return false, nil
	}
	return old.Reveal() == v.Reveal(), nil
}

// retireCurrent moves the current secret to the history: its value is
// deleted (secure_delete zeroes the freed bytes), its description, hint
// and dates stay.
func retireCurrent(ctx context.Context, tx *sql.Tx, configID int64, at time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE secrets SET retired_at = ?, sealed = NULL, key_id = NULL
		WHERE config_id = ? AND retired_at IS NULL`, at.UnixNano(), configID)
	return err
}

func insertSecret(ctx context.Context, tx *sql.Tx, configID int64, info flow.SecretInfo, sc sealed) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO secrets (config_id, description, hint, created_at, expires_at, sealed, key_id)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		configID, info.Description, info.Hint, ns(info.Created), ns(info.Expires), sc.blob, nullString(sc.keyID))
	return err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// joinScopes stores scopes space-separated, as OAuth's scope parameter
// does (faster to read back than JSON for `byok list`). Scope names never
// contain whitespace; one that does is refused rather than split.
func joinScopes(scopes []string) (string, error) {
	for _, sc := range scopes {
		if sc == "" || strings.ContainsFunc(sc, unicode.IsSpace) {
			return "", flow.Invalid("scopes", "%q is not a permission name", sc).
				WithFix("use Graph permission names such as Mail.Send, separated by commas")
		}
	}
	return strings.Join(scopes, " "), nil
}

// configColumns are scanned by scanConfig, in order.
const configColumns = `c.id, c.name, c.account_type, c.redirect_uri, c.custom_redirect, c.loopback,
	c.scopes, c.client_id, c.directory_id, c.tenant, c.created_at, c.updated_at,
	s.description, s.hint, s.created_at, s.expires_at, s.key_id`

// configRow is a config as read, with what is needed to unseal its secret.
type configRow struct {
	id     int64
	config flow.Config
	keyID  sql.NullString
}

type scanner interface{ Scan(dest ...any) error }

// scanConfig reads configColumns (plus extra destinations) into a row.
// SecretInfo.Missing is set when there is no sealed value or it was sealed
// with another key; the value itself is not read.
func (s *Store) scanConfig(sc scanner, curKeyID string, extra ...any) (configRow, error) {
	var (
		r                  configRow
		scopes             string
		created, updated   int64
		desc, hint         sql.NullString
		sCreated, sExpires sql.NullInt64
		accountType        string
	)
	dest := append([]any{&r.id, &r.config.Name, &accountType, &r.config.RedirectURI, &r.config.CustomRedirect,
		&r.config.Loopback, &scopes, &r.config.ClientID, &r.config.DirectoryID, &r.config.Tenant, &created, &updated,
		&desc, &hint, &sCreated, &sExpires, &r.keyID}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return r, err
	}
	c := &r.config
	c.AccountType = flow.AccountType(accountType)
	c.Scopes = strings.Fields(scopes)
	c.CreatedAt = time.Unix(0, created).UTC()
	c.UpdatedAt = time.Unix(0, updated).UTC()
	c.SecretInfo = flow.SecretInfo{
		Description: desc.String,
		Hint:        hint.String,
		Created:     fromNS(sCreated),
		Expires:     fromNS(sExpires),
		Missing:     !r.keyID.Valid || curKeyID == "" || r.keyID.String != curKeyID,
		Unreadable:  r.keyID.Valid && (curKeyID == "" || r.keyID.String != curKeyID),
	}
	return r, nil
}

// FindConfig returns the config named name (case-insensitive) with its
// secret unsealed. A secret that cannot be unsealed (lost or changed key)
// comes back empty with SecretInfo.Missing set; see CheckKey.
func (s *Store) FindConfig(ctx context.Context, name string) (flow.Config, error) {
	key := nameKey(name)
	cur, err := s.freshKeyID()
	if err != nil {
		return flow.Config{}, err
	}
	var c flow.Config
	err = s.read(ctx, "find config", func(tx *sql.Tx) error {
		var blob []byte
		row := tx.QueryRowContext(ctx, `SELECT `+configColumns+`, s.sealed FROM configs c
			LEFT JOIN secrets s ON s.config_id = c.id AND s.retired_at IS NULL
			WHERE c.name_key = ?`, key)
		r, err := s.scanConfig(row, cur, &blob)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound(name)
		}
		if err != nil {
			return err
		}
		c = r.config
		if blob != nil {
			if v, err := s.unseal(blob, r.keyID.String, configAAD(key)); err == nil {
				c.Secret = v
				c.SecretInfo.Missing, c.SecretInfo.Unreadable = false, false
			} else {
				c.SecretInfo.Missing, c.SecretInfo.Unreadable = true, true
			}
		}
		return nil
	})
	return c, err
}

// FindConfigInfo is FindConfig without the secret value: the sealed
// value is not even read, so commands that need only the hint and dates
// (show, doctor --name, audit, export without --with-secret) never
// decrypt it. SecretInfo.Missing and Unreadable come from the key check
// value stored beside it.
func (s *Store) FindConfigInfo(ctx context.Context, name string) (flow.Config, error) {
	key := nameKey(name)
	cur, err := s.freshKeyID()
	if err != nil {
		return flow.Config{}, err
	}
	var c flow.Config
	err = s.read(ctx, "find config", func(tx *sql.Tx) error {
		row := tx.QueryRowContext(ctx, `SELECT `+configColumns+` FROM configs c
			LEFT JOIN secrets s ON s.config_id = c.id AND s.retired_at IS NULL
			WHERE c.name_key = ?`, key)
		r, err := s.scanConfig(row, cur)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound(name)
		}
		c = r.config
		return err
	})
	return c, err
}

// listQuery reads every config with its current secret's description and
// its newest run (index runs_latest) in name order.
// The config's id is not read: a listing does not need it, and every
// column is a conversion (and often an allocation) in the driver.
const listQuery = `SELECT c.name, c.account_type, c.redirect_uri, c.custom_redirect, c.loopback,
	c.scopes, c.client_id, c.directory_id, c.tenant, c.created_at, c.updated_at,
	s.description, s.hint, s.created_at, s.expires_at, s.key_id,
	r.id, r.at, r.offline, r.ok, r.email, r.checks
	FROM configs c
	LEFT JOIN secrets s ON s.config_id = c.id AND s.retired_at IS NULL
	LEFT JOIN runs r ON r.id = (SELECT id FROM runs WHERE config_id = c.id ORDER BY at DESC, id DESC LIMIT 1)
	ORDER BY c.name_key`

// ListConfigs returns every config ordered by name (case-insensitive),
// with its latest verification run and without unsealing any secret.
func (s *Store) ListConfigs(ctx context.Context) ([]flow.Listing, error) {
	var (
		out  []flow.Listing
		runs []flow.Run // LastRun points into it
	)
	err := s.EachListing(ctx, func(n int) {
		out = make([]flow.Listing, 0, n)
		runs = make([]flow.Run, 0, n/2+1)
	}, func(l *flow.Listing) error {
		c := l.Config
		c.Scopes = slices.Clone(c.Scopes)
		kept := flow.Listing{Config: c}
		if l.LastRun != nil {
			if len(runs) == cap(runs) {
				runs = make([]flow.Run, 0, 64)
			}
			runs = append(runs, *l.LastRun)
			kept.LastRun = &runs[len(runs)-1]
		}
		out = append(out, kept)
		return nil
	})
	return out, err
}

// EachListing calls fn with every config in ListConfigs's order and form,
// without keeping them: `byok list --json` encodes each row as it is read
// instead of holding 10,000 configs in memory. The Listing, its Scopes and
// its LastRun are reused for the next row, so fn must copy what it keeps
// (strings may be kept as they are). begin is called with the number of
// configs (a capacity hint) before the first row of every attempt: a busy
// database is retried from the start, so begin must drop what fn got
// before. It is one SELECT, so one (implicit) read transaction; an error
// from fn stops it and is returned as it is.
//
// It reads the driver's rows directly: database/sql's Scan was a quarter
// of the time of listing 10,000 configs.
func (s *Store) EachListing(ctx context.Context, begin func(n int), fn func(*flow.Listing) error) error {
	cur, err := s.freshKeyID()
	if err != nil {
		return err
	}
	var fnErr error
	err = withRetry(ctx, func() error {
		conn, err := s.rdb.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		var n int // capacity only: a config added meanwhile just grows the slice
		if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM configs").Scan(&n); err != nil {
			return err
		}
		return conn.Raw(func(dc any) error {
			q, ok := dc.(driver.QueryerContext)
			if !ok {
				return fmt.Errorf("driver %T cannot query", dc)
			}
			rows, err := q.QueryContext(ctx, listQuery, nil)
			if err != nil {
				return err
			}
			defer rows.Close()
			if begin != nil {
				begin(n)
			}
			return readListing(rows, cur, func(l *flow.Listing) error {
				if err := fn(l); err != nil {
					fnErr = err
					return err
				}
				return nil
			})
		})
	})
	if fnErr != nil && errors.Is(err, fnErr) {
		return fnErr
	}
	// Not wrapped: every caller says "list configs: " itself, and the
	// message used to say it twice.
	return err
}

// readListing converts listQuery's rows and calls fn with each, reusing
// one Listing. Values come as the driver gives them: int64, string or nil
// (NULL).
func readListing(rows driver.Rows, curKeyID string, fn func(*flow.Listing) error) error {
	v := make([]driver.Value, len(rows.Columns()))
	if len(v) != 22 {
		return fmt.Errorf("read listing: %d columns, want 22", len(v))
	}
	var (
		l      flow.Listing
		run    flow.Run
		scopes = make([]string, 0, 8) // never nil, as strings.Fields
	)
	for {
		if err := rows.Next(v); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		keyID := dvString(v[15])
		scopes = appendFields(scopes[:0], dvString(v[5]))
		l.Config = flow.Config{
			Name:           dvString(v[0]),
			AccountType:    flow.AccountType(dvString(v[1])),
			RedirectURI:    dvString(v[2]),
			CustomRedirect: dvInt(v[3]) != 0,
			Loopback:       dvInt(v[4]) != 0,
			Scopes:         scopes,
			ClientID:       dvString(v[6]),
			DirectoryID:    dvString(v[7]),
			Tenant:         dvString(v[8]),
			CreatedAt:      dvTime(v[9]),
			UpdatedAt:      dvTime(v[10]),
			SecretInfo: flow.SecretInfo{
				Description: dvString(v[11]),
				Hint:        dvString(v[12]),
				Created:     dvTime(v[13]),
				Expires:     dvTime(v[14]),
				Missing:     keyID == "" || curKeyID == "" || keyID != curKeyID,
				Unreadable:  keyID != "" && (curKeyID == "" || keyID != curKeyID),
			},
		}
		l.LastRun = nil
		if id, ok := v[16].(int64); ok {
			run = flow.Run{ID: id, Name: l.Config.Name, At: dvTime(v[17]),
				Offline: dvInt(v[18]) != 0, OK: dvInt(v[19]) != 0, Email: dvString(v[20])}
			var err error
			if run.Checks, err = decodeChecks(dvString(v[21])); err != nil {
				return fmt.Errorf("read run %d: %w", id, err)
			}
			l.LastRun = &run
		}
		if err := fn(&l); err != nil {
			return err
		}
	}
}

// appendFields appends the fields of s, as strings.Fields splits them, to
// dst without a new slice. Scopes are stored joined by one space
// (joinScopes), so ASCII is split on ASCII spaces in one pass.
func appendFields(dst []string, s string) []string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return append(dst, strings.Fields(s)...)
		}
	}
	start := -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\v', '\f', '\r':
			if start >= 0 {
				dst = append(dst, s[start:i])
				start = -1
			}
		default:
			if start < 0 {
				start = i
			}
		}
	}
	if start >= 0 {
		dst = append(dst, s[start:])
	}
	return dst
}

func dvString(v driver.Value) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}

func dvInt(v driver.Value) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case bool:
		if x {
			return 1
		}
	}
	return 0
}

func dvTime(v driver.Value) time.Time {
	if n, ok := v.(int64); ok {
		return time.Unix(0, n).UTC()
	}
	return time.Time{}
}

// DeleteConfig removes the config, its secrets (current and history) and
// its runs. ENOTFOUND if there is none of that name.
func (s *Store) DeleteConfig(ctx context.Context, name string) error {
	return s.write(ctx, "delete config", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM configs WHERE name_key = ?", nameKey(name))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return notFound(name)
		}
		return nil
	})
}

// NameTaken reports whether a saved config uses name (case-insensitive).
func (s *Store) NameTaken(ctx context.Context, name string) (bool, error) {
	var taken bool
	err := s.read(ctx, "check name", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM configs WHERE name_key = ?)", nameKey(name)).Scan(&taken)
	})
	return taken, err
}

// configID returns the id and canonical name of the config called name.
func configID(ctx context.Context, tx *sql.Tx, name string) (int64, string, error) {
	var id int64
	var canonical string
	err := tx.QueryRowContext(ctx, "SELECT id, name FROM configs WHERE name_key = ?", nameKey(name)).Scan(&id, &canonical)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", notFound(name)
	}
	return id, canonical, err
}

// RotateSecret replaces the secret of name. The old secret's description,
// hint and dates move to the history with Retired = info.Created (now if
// unset); its value is deleted. An empty info.Description keeps the old
// one. ENOTFOUND if there is no such config.
func (s *Store) RotateSecret(ctx context.Context, name string, secret flow.Secret, info flow.SecretInfo) error {
	if secret.IsZero() {
		return flow.Invalid("secret", "the new secret value is empty").
			WithFix("paste the Value column of the new client secret (Certificates & secrets)")
	}
	if err := flow.ValidateSecretValue(secret.Reveal()); err != nil {
		return err
	}
	key := nameKey(name)
	if key == "" {
		return emptyName()
	}
	if err := s.preflightKey(ctx, key); err != nil {
		return err
	}
	blob, kid, err := s.seal(secret, configAAD(key))
	if err != nil {
		return err
	}
	now := s.now().UTC()
	if info.Created.IsZero() {
		info.Created = now
	}
	info.Hint = secret.Hint()
	info.Retired = time.Time{}
	info.Missing = false
	return s.guardedWrite(ctx, "rotate secret", key, func(tx *sql.Tx) error {
		id, _, err := configID(ctx, tx, name)
		if err != nil {
			return err
		}
		if info.Description == "" {
			var old sql.NullString
			err := tx.QueryRowContext(ctx, "SELECT description FROM secrets WHERE config_id = ? AND retired_at IS NULL", id).Scan(&old)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			info.Description = old.String
		}
		if err := retireCurrent(ctx, tx, id, info.Created); err != nil {
			return err
		}
		sc := sealed{blob, kid}
		if err := insertSecret(ctx, tx, id, info, sc); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE configs SET updated_at = ? WHERE id = ?", now.UnixNano(), id); err != nil {
			return err
		}
		return recordKey(ctx, tx, kid)
	})
}

// recordKey stores the key check value of the key that sealed last in the
// meta table (no-op for "": nothing was sealed).
func recordKey(ctx context.Context, tx *sql.Tx, keyID string) error {
	if keyID == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('key_check', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, keyID)
	return err
}

// SecretHistory returns the retired secrets of name, newest first, without
// values. ENOTFOUND if there is no such config.
func (s *Store) SecretHistory(ctx context.Context, name string) ([]flow.SecretInfo, error) {
	var out []flow.SecretInfo
	err := s.read(ctx, "read secret history", func(tx *sql.Tx) error {
		id, _, err := configID(ctx, tx, name)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT description, hint, created_at, expires_at, retired_at
			FROM secrets WHERE config_id = ? AND retired_at IS NOT NULL ORDER BY retired_at DESC, id DESC`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var i flow.SecretInfo
			var created, expires, retired sql.NullInt64
			if err := rows.Scan(&i.Description, &i.Hint, &created, &expires, &retired); err != nil {
				return err
			}
			i.Created, i.Expires, i.Retired = fromNS(created), fromNS(expires), fromNS(retired)
			out = append(out, i)
		}
		return rows.Err()
	})
	return out, err
}
