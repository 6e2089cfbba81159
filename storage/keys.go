package storage

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hiveku/byok/flow"
)

// keySize is the AES-256 key length in bytes.
const keySize = 32

// errUnreadable means a sealed value cannot be opened with the current key.
var errUnreadable = errors.New("secret sealed with another key")

// decodeKey parses a BYOK_KEY or key file value: standard (or URL-safe)
// base64 of exactly 32 bytes, surrounding whitespace ignored.
func decodeKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != keySize {
				return nil, fmt.Errorf("key is %d bytes, want %d", len(b), keySize)
			}
			return b, nil
		}
	}
	return nil, errors.New("key is not base64")
}

// keyIdentifier returns the key check value stored beside every sealed
// value and in the meta table: an HMAC of a fixed label under the key. It
// tells whether a value was sealed with this key without revealing it.
func keyIdentifier(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("byok key check v1"))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Warnings returns what Open noticed and fixed or could not fix (a key
// file readable by others), for the command to print on stderr.
func (s *Store) Warnings() []string { return s.warnings }

func (s *Store) setKey(key []byte) {
	s.key = key
	s.keyID = keyIdentifier(key)
}

// currentKeyID returns the identifier of the key in use, "" when there is
// none yet (the key file does not exist).
func (s *Store) currentKeyID() string {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	return s.keyID
}

// freshKeyID is currentKeyID, after reading the key file when this store
// has no key yet: another byok process may have created the file (and
// sealed secrets with it) since Open, and those secrets are not foreign.
func (s *Store) freshKeyID() (string, error) {
	if id := s.currentKeyID(); id != "" || s.keyPath == "" {
		return id, nil
	}
	if err := s.loadKeyFile(); err != nil {
		return "", err
	}
	return s.currentKeyID(), nil
}

// loadKeyFile reads byok.key if it exists. A missing file is not an
// error: it is created when the first secret is sealed. A damaged file is
// reported and left alone.
//
// A key file that group or others can read is tightened to 0600 with a
// warning (Warnings) rather than refused as ssh refuses a private key:
// refusing would stop every command until someone runs chmod, while
// tightening closes the hole at once; the warning says that the key may
// already have been read and what to do about it.
func (s *Store) loadKeyFile() error {
	b, err := os.ReadFile(s.keyPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read key file: %w", err)
	}
	if fi, err := os.Stat(s.keyPath); err == nil && fi.Mode().Perm()&0o077 != 0 {
		was := fi.Mode().Perm()
		if err := os.Chmod(s.keyPath, 0o600); err == nil {
			s.warnings = append(s.warnings, fmt.Sprintf("the key file %s was readable by other users (mode %04o); byok set it to 0600. If someone may have copied it, re-enter each secret with `byok rotate NAME` after moving the key file away", s.keyPath, was))
		} else {
			s.warnings = append(s.warnings, fmt.Sprintf("the key file %s is readable by other users (mode %04o) and byok could not change that (%v); run chmod 600 %s", s.keyPath, was, errors.Unwrap(err), s.keyPath))
		}
	}
	key, err := decodeKey(string(b))
	if err != nil {
		return &flow.Error{
			Code:    flow.EFAILED,
			Field:   "key file",
			Message: fmt.Sprintf("%s is damaged (%s)", s.keyPath, err),
			Fix:     "restore it from a backup, or set BYOK_KEY to the key; byok will not replace it",
		}
	}
	s.keyMu.Lock()
	s.setKey(key)
	s.keyMu.Unlock()
	return nil
}

// sealingKey returns the key, creating the key file (0600, never
// overwriting one) the first time it is needed. When another byok process
// creates it at the same moment, both end up using the file's key.
func (s *Store) sealingKey() ([]byte, string, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.key != nil {
		return s.key, s.keyID, nil
	}
	key := make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return nil, "", fmt.Errorf("create key: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.keyPath), ".byok.key.*")
	if err != nil {
		return nil, "", fmt.Errorf("create key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, "", fmt.Errorf("create key file: %w", err)
	}
	if _, err := tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		tmp.Close()
		return nil, "", fmt.Errorf("create key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, "", fmt.Errorf("create key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, "", fmt.Errorf("create key file: %w", err)
	}
	// Link fails if byok.key exists: the complete file appears atomically
	// and an existing key is never replaced.
	if err := os.Link(tmp.Name(), s.keyPath); err != nil {
		if !errors.Is(err, os.ErrExist) {
			return nil, "", fmt.Errorf("create key file: %w", err)
		}
		b, rerr := os.ReadFile(s.keyPath)
		if rerr != nil {
			return nil, "", fmt.Errorf("read key file: %w", rerr)
		}
		if key, err = decodeKey(string(b)); err != nil {
			return nil, "", fmt.Errorf("read key file %s: %w", s.keyPath, err)
		}
	}
	syncDir(filepath.Dir(s.keyPath))
	s.setKey(key)
	return s.key, s.keyID, nil
}

// syncDir makes a new directory entry durable (best effort).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// seal encrypts secret with AES-256-GCM under a fresh random nonce, bound
// to aad (the row it belongs to) so it cannot be moved to another row. It
// returns nonce||ciphertext and the key identifier.
func (s *Store) seal(secret flow.Secret, aad string) ([]byte, string, error) {
	key, id, err := s.sealingKey()
	if err != nil {
		return nil, "", err
	}
	g, err := newGCM(key)
	if err != nil {
		return nil, "", err
	}
	nonce := make([]byte, g.NonceSize(), g.NonceSize()+len(secret)+g.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, "", fmt.Errorf("seal secret: %w", err)
	}
	return g.Seal(nonce, nonce, []byte(secret.Reveal()), []byte(aad)), id, nil
}

// unseal opens a sealed value; errUnreadable when the key differs or the
// value was tampered with or moved from another row.
func (s *Store) unseal(sealed []byte, keyID, aad string) (flow.Secret, error) {
	s.keyMu.Lock()
	key, cur := s.key, s.keyID
	s.keyMu.Unlock()
	if key == nil || keyID != cur {
		return "", errUnreadable
	}
	g, err := newGCM(key)
	if err != nil {
		return "", err
	}
	if len(sealed) < g.NonceSize() {
		return "", errUnreadable
	}
	plain, err := g.Open(nil, sealed[:g.NonceSize()], sealed[g.NonceSize():], []byte(aad))
	if err != nil {
		return "", errUnreadable
	}
	return flow.Secret(plain), nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("seal secret: %w", err)
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		return nil, fmt.Errorf("seal secret: %w", err)
	}
	return g, nil
}

// configAAD and draftAAD bind a sealed value to its row: a config's value
// cannot be replayed into another config or into a draft.
func configAAD(nameKey string) string { return "byok/config/" + nameKey }
func draftAAD(nameKey string) string  { return "byok/draft/" + nameKey }
