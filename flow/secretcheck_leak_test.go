package flow

import (
	"strings"
	"testing"
	"time"
)

// TestParseExpiryNeverEchoesASecret: a secret value typed into the expiry
// prompt must not be printed back in the error.
func TestParseExpiryNeverEchoesASecret(t *testing.T) {
	const secret = "Qx8Q~abcdefghijklmnopqrstuvwxyz012345678"
	_, _, err := ParseExpiry(secret, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
	if err == nil {
		t.Fatal("ParseExpiry accepted a secret value")
	}
	if strings.Contains(err.Error(), secret[:10]) {
		t.Errorf("error echoes the secret: %q", err)
	}
	if ExitCode(err) != 2 {
		t.Errorf("exit code = %d, want 2", ExitCode(err))
	}
}
