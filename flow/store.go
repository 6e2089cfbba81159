package flow

import (
	"context"
	"time"
)

// Draft is a wizard in progress: the answers so far and the last step
// completed. It is keyed by Config.Name (case-insensitive).
type Draft struct {
	Config    Config    `json:"config"`
	Step      StepID    `json:"step"` // last completed step
	UpdatedAt time.Time `json:"updated_at"`
}

// Listing is one row of `byok list`: a config without its secret value,
// and its latest verification run, if any.
type Listing struct {
	Config  Config `json:"config"`
	LastRun *Run   `json:"last_verification,omitempty"`
}

// Store keeps configs, drafts, secrets and verification runs. storage
// implements it with SQLite; every method is one transaction.
type Store interface {
	// SaveConfig validates c (c.Validate) and stores it with its secret.
	// It removes the draft of the same name in the same transaction.
	// Returns ECONFLICT if a config of that name exists and !replace,
	// EINVALID if c does not validate.
	SaveConfig(ctx context.Context, c Config, replace bool) error
	// FindConfig returns the config with its secret revealed-able.
	// Returns ENOTFOUND if none has that name (case-insensitive).
	FindConfig(ctx context.Context, name string) (Config, error)
	// ListConfigs returns all configs by name, without secret values.
	ListConfigs(ctx context.Context) ([]Listing, error)
	// DeleteConfig removes a config, its secrets, history and runs.
	// Returns ENOTFOUND if none has that name.
	DeleteConfig(ctx context.Context, name string) error
	// NameTaken reports whether a saved config uses name (case-insensitive).
	NameTaken(ctx context.Context, name string) (bool, error)

	// SaveDraft stores or replaces the draft for d.Config.Name.
	SaveDraft(ctx context.Context, d Draft) error
	// FindDraft returns ENOTFOUND if there is no draft of that name.
	FindDraft(ctx context.Context, name string) (Draft, error)
	// ListDrafts returns drafts, most recent first.
	ListDrafts(ctx context.Context) ([]Draft, error)
	// DeleteDraft removes a draft; no error if there is none.
	DeleteDraft(ctx context.Context, name string) error

	// SaveRun stores a verification run for run.Name.
	SaveRun(ctx context.Context, run Run) error
	// Runs returns up to limit runs for name, newest first.
	Runs(ctx context.Context, name string, limit int) ([]Run, error)

	// RotateSecret replaces the secret of name, moving the old SecretInfo
	// (never the value) to the history with Retired set to info.Created.
	RotateSecret(ctx context.Context, name string, secret Secret, info SecretInfo) error
	// SecretHistory returns retired secrets of name, newest first.
	SecretHistory(ctx context.Context, name string) ([]SecretInfo, error)
}
