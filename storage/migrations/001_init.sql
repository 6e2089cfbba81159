-- byok schema version 1.
-- Times are INTEGER Unix nanoseconds (UTC); NULL means "not set".
-- name_key is the case-folded name: names are unique case-insensitively.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE configs (
	id              INTEGER PRIMARY KEY,
	name            TEXT    NOT NULL,
	name_key        TEXT    NOT NULL UNIQUE,
	account_type    TEXT    NOT NULL,
	redirect_uri    TEXT    NOT NULL,
	custom_redirect INTEGER NOT NULL DEFAULT 0,
	loopback        INTEGER NOT NULL DEFAULT 0,
	scopes          TEXT    NOT NULL, -- space-separated, as in OAuth's scope parameter
	client_id       TEXT    NOT NULL,
	directory_id    TEXT    NOT NULL,
	tenant          TEXT    NOT NULL,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
);

-- secrets holds the current secret of each config (retired_at IS NULL,
-- with its sealed value) and its history (retired_at set, sealed NULL:
-- old values are never kept).
CREATE TABLE secrets (
	id          INTEGER PRIMARY KEY,
	config_id   INTEGER NOT NULL REFERENCES configs(id) ON DELETE CASCADE,
	description TEXT    NOT NULL,
	hint        TEXT    NOT NULL,
	created_at  INTEGER,
	expires_at  INTEGER,
	retired_at  INTEGER,
	sealed      BLOB,    -- AES-256-GCM nonce||ciphertext, current secret only
	key_id      TEXT,    -- which key sealed it (see meta key_check)
	CHECK (retired_at IS NULL OR sealed IS NULL)
);
CREATE UNIQUE INDEX secrets_current ON secrets(config_id) WHERE retired_at IS NULL;
CREATE INDEX secrets_history ON secrets(config_id, retired_at);

CREATE TABLE drafts (
	name_key   TEXT    PRIMARY KEY,
	step       TEXT    NOT NULL,
	config     TEXT    NOT NULL, -- JSON of flow.Config (Secret excluded by its json tag)
	sealed     BLOB,             -- the draft's secret value, sealed
	key_id     TEXT,
	updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX drafts_updated ON drafts(updated_at);

CREATE TABLE runs (
	id        INTEGER PRIMARY KEY,
	config_id INTEGER NOT NULL REFERENCES configs(id) ON DELETE CASCADE,
	at        INTEGER NOT NULL,
	offline   INTEGER NOT NULL,
	ok        INTEGER NOT NULL,
	email     TEXT    NOT NULL,
	checks    TEXT    NOT NULL -- one line per flow.Check, tab-separated (see checks.go)
);
-- newest run per config: ORDER BY at DESC, id DESC LIMIT 1 walks this index.
CREATE INDEX runs_latest ON runs(config_id, at DESC, id DESC);
