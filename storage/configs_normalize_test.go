package storage_test

import (
	"context"
	"testing"
)

// TestSaveConfigNormalizes: a braced, upper-case GUID pasted from a
// portal screenshot is stored in the canonical form Microsoft accepts.
func TestSaveConfigNormalizes(t *testing.T) {
	s := MustOpen(t)
	c := validConfig("Acme Hiveku")
	c.ClientID = "{11111111-2222-3333-4444-555555555555}"
	c.DirectoryID = " 66666666-7777-8888-9999-00000000000A "
	if err := s.SaveConfig(context.Background(), c, false); err != nil {
		t.Fatalf("SaveConfig: %v", err)
	}
	got, err := s.FindConfig(context.Background(), c.Name)
	if err != nil {
		t.Fatal(err)
	}
	if got.ClientID != "11111111-2222-3333-4444-555555555555" || got.DirectoryID != "66666666-7777-8888-9999-00000000000a" {
		t.Errorf("stored IDs = %q, %q; want canonical lower-case GUIDs", got.ClientID, got.DirectoryID)
	}
}
