package cmd

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/storage"
	"github.com/spf13/cobra"
	"github.com/zalando/go-keyring"
)

// The sealing key's sources, in order (sealingKey):
//
//  1. BYOK_KEY;
//  2. the OS keychain (macOS Keychain, Windows Credential Manager, the
//     Secret Service on Linux), one entry per database: service "byok",
//     account the database's absolute path;
//  3. the key file byok.key beside the database (storage's own).
//
// A database with no key anywhere yet gets a new key in the keychain when
// one is available, so copying the folder no longer copies the key; where
// none is (a server, CI, a container), storage creates the 0600 file as
// before. `byok key move-to-keychain` moves an existing key file into the
// keychain. BYOK_KEYRING=0 keeps byok away from the keychain altogether.

// keychainService is the keychain service name of byok's entries.
const keychainService = "byok"

// keychainTimeout bounds one keychain call: a locked keyring may wait for
// a person at an unlock dialog, and a command must not hang on it.
const keychainTimeout = 5 * time.Second

// Keychain is the OS keychain as byok uses it. Tests use go-keyring's
// mock (keyring.MockInit) through the same functions.
type Keychain interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// osKeychain is go-keyring: the platform's keychain.
type osKeychain struct{}

func (osKeychain) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (osKeychain) Set(s, u, v string) error        { return keyring.Set(s, u, v) }
func (osKeychain) Delete(s, u string) error        { return keyring.Delete(s, u) }

// keychain returns the keychain byok may use, or nil when it must not:
// BYOK_KEYRING=0, or Linux without a D-Bus session (no Secret Service to
// talk to: a server, CI, a container).
func (f *Factory) keychain() Keychain {
	if v := strings.TrimSpace(f.getenv("BYOK_KEYRING")); v == "0" || strings.EqualFold(v, "false") || strings.EqualFold(v, "off") {
		return nil
	}
	if f.Keychain != nil {
		return f.Keychain
	}
	if runtime.GOOS != "darwin" && runtime.GOOS != "windows" && f.getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return nil
	}
	return osKeychain{}
}

// withTimeout runs fn, giving up after keychainTimeout.
func withTimeout[T any](fn func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := fn()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-time.After(keychainTimeout):
		var zero T
		return zero, errors.New("the keychain did not answer in time")
	}
}

// keychainAccount is the keychain account of the database at path.
func keychainAccount(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// validKey reports whether s is a sealing key: base64 of 32 bytes.
func validKey(s string) bool {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return len(b) == 32
		}
	}
	return false
}

// sealingKey returns the key to open the database at path with: BYOK_KEY,
// else the keychain's entry, else (create) a new key put in the keychain
// when the database has no key file yet, else "" (storage uses the key
// file). Commands that only read never create a key.
func (f *Factory) sealingKey(path string, create bool) string {
	if k := f.getenv("BYOK_KEY"); k != "" {
		return k
	}
	kc := f.keychain()
	if kc == nil {
		return ""
	}
	account := keychainAccount(path)
	k, err := withTimeout(func() (string, error) { return kc.Get(keychainService, account) })
	switch {
	case err == nil && validKey(k):
		return strings.TrimSpace(k)
	case err == nil:
		fmt.Fprintf(f.IO.TextErr(), "warning: the keychain entry %q/%q is not a byok key; using %s instead\n", keychainService, account, storage.KeyFileName)
		return ""
	case !errors.Is(err, keyring.ErrNotFound):
		// No keychain after all (locked, no service): the file, as before.
		if f.Debug {
			fmt.Fprintf(f.IO.ErrOut, "debug: keychain unavailable: %v\n", err)
		}
		return ""
	}
	// No entry. An existing key file stays the source until it is moved.
	if !create {
		return ""
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(account), storage.KeyFileName)); err == nil {
		return ""
	}
	key, err := newSealingKey()
	if err != nil {
		return ""
	}
	if _, err := withTimeout(func() (struct{}, error) { return struct{}{}, kc.Set(keychainService, account, key) }); err != nil {
		return ""
	}
	return key
}

// newSealingKey returns a fresh random key, base64 of 32 bytes.
func newSealingKey() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// NewCmdKey builds `byok key`, the sealing key's commands.
func NewCmdKey(f *Factory) *cobra.Command {
	c := &cobra.Command{
		Use:   "key",
		Short: "Where the key that seals stored secrets lives",
		Long: "byok seals every stored secret with one key: BYOK_KEY when set, else the\n" +
			"OS keychain's entry for the database, else the file byok.key beside it.\n" +
			"See byok help environment.",
		Args: cobra.NoArgs,
	}
	c.AddCommand(newCmdKeyMove(f))
	return c
}

func newCmdKeyMove(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "move-to-keychain",
		Short: "Move the key file byok.key into the OS keychain",
		Long: "Copies the sealing key from byok.key (beside the database) into the OS\n" +
			"keychain, reads it back to check, and only then deletes the file. Afterwards\n" +
			"copying the database folder no longer copies the key.",
		Example: "  byok key move-to-keychain\n  byok --db ./other.db key move-to-keychain",
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return keyMoveRun(f)
		},
	}
}

// keyMoveRun moves byok.key into the keychain and says what it did.
// Nothing is deleted unless the keychain gave the same key back.
func keyMoveRun(f *Factory) error {
	path, err := f.DatabasePath()
	if err != nil {
		return err
	}
	account := keychainAccount(path)
	keyFile := filepath.Join(filepath.Dir(account), storage.KeyFileName)
	kc := f.keychain()
	if kc == nil {
		return failf("no OS keychain is available here (BYOK_KEYRING=0, or no Secret Service on this Linux session); %s stays where it is", keyFile)
	}
	b, err := os.ReadFile(keyFile)
	if errors.Is(err, os.ErrNotExist) {
		if _, gerr := withTimeout(func() (string, error) { return kc.Get(keychainService, account) }); gerr == nil {
			fmt.Fprintf(f.IO.Out, "The key of %s is already in the keychain (service %q, account %q); there is no %s to move.\n", account, keychainService, account, keyFile)
			return nil
		}
		return failf("there is no key file %s to move", keyFile)
	}
	if err != nil {
		return fmt.Errorf("read key file: %w", err)
	}
	key := strings.TrimSpace(string(b))
	if !validKey(key) {
		return failf("%s is not a byok key (base64 of 32 bytes); it was left alone", keyFile)
	}
	if old, err := withTimeout(func() (string, error) { return kc.Get(keychainService, account) }); err == nil && strings.TrimSpace(old) != key {
		return failf("the keychain already holds a different key for %s; nothing was changed. Remove that entry (service %q, account %q) first if %s is the right key", account, keychainService, account, keyFile)
	}
	if _, err := withTimeout(func() (struct{}, error) { return struct{}{}, kc.Set(keychainService, account, key) }); err != nil {
		return failf("could not write to the keychain (%v); %s stays where it is", err, keyFile)
	}
	got, err := withTimeout(func() (string, error) { return kc.Get(keychainService, account) })
	if err != nil || strings.TrimSpace(got) != key {
		return failf("the keychain did not give the key back; %s was kept", keyFile)
	}
	if err := os.Remove(keyFile); err != nil {
		return fmt.Errorf("the key is in the keychain, but %s could not be deleted: %w", keyFile, err)
	}
	fmt.Fprintf(f.IO.Out, "Moved the sealing key of %s from %s into the OS keychain (service %q, account %q) and deleted the file.\n", account, keyFile, keychainService, account)
	fmt.Fprintln(f.IO.Out, "byok reads it from the keychain from now on; BYOK_KEY still overrides it.")
	return nil
}

// failf is an operation failure (exit 1) with a message for the person.
func failf(format string, args ...any) error {
	return flow.Errorf(flow.EFAILED, format, args...)
}
