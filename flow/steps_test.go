package flow

import "testing"

func TestSteps(t *testing.T) {
	tests := []struct {
		id       StepID
		n        int
		short    string
		progress string
		next     StepID
		prev     StepID
	}{
		{StepName, 1, "Name", "Step 1 of 7", StepAccountType, ""},
		{StepAccountType, 2, "Accounts", "Step 2 of 7", StepRedirect, StepName},
		{StepRedirect, 3, "Redirect", "Step 3 of 7", StepPermissions, StepAccountType},
		{StepPermissions, 4, "Permissions", "Step 4 of 7", StepSecret, StepRedirect},
		{StepSecret, 5, "Secret", "Step 5 of 7", StepTenant, StepPermissions},
		{StepTenant, 6, "Tenant", "Step 6 of 7", StepReview, StepSecret},
		{StepReview, 7, "Review", "Step 7 of 7", StepVerify, StepTenant},
		{StepVerify, 8, "Verify", "", "", StepReview},
		{"bogus", 0, "bogus", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.id), func(t *testing.T) {
			if got := tt.id.Number(); got != tt.n {
				t.Errorf("Number() = %d, want %d", got, tt.n)
			}
			if got := tt.id.Valid(); got != (tt.n != 0) {
				t.Errorf("Valid() = %v", got)
			}
			if got := tt.id.Short(); got != tt.short {
				t.Errorf("Short() = %q, want %q", got, tt.short)
			}
			if got := tt.id.Progress(); got != tt.progress {
				t.Errorf("Progress() = %q, want %q", got, tt.progress)
			}
			if (tt.n != 0) == (tt.id.Title() == string(tt.id)) {
				t.Errorf("Title() = %q", tt.id.Title())
			}
			next, ok := Next(tt.id)
			if next != tt.next || ok != (tt.next != "") {
				t.Errorf("Next() = %q, %v, want %q", next, ok, tt.next)
			}
			prev, ok := Prev(tt.id)
			if prev != tt.prev || ok != (tt.prev != "") {
				t.Errorf("Prev() = %q, %v, want %q", prev, ok, tt.prev)
			}
		})
	}
}

func TestStepForField(t *testing.T) {
	tests := map[string]StepID{
		"name":               StepName,
		"account type":       StepAccountType,
		"redirect URI":       StepRedirect,
		"scopes":             StepPermissions,
		"secret value":       StepSecret,
		"secret description": StepSecret,
		"secret expiry":      StepSecret,
		"client ID":          StepTenant,
		"directory ID":       StepTenant,
		"tenant":             StepTenant,
		"nope":               "",
	}
	for field, want := range tests {
		t.Run(field, func(t *testing.T) {
			if got := StepForField(field); got != want {
				t.Errorf("StepForField(%q) = %q, want %q", field, got, want)
			}
		})
	}
	// Every field Config.Validate can report maps to a step.
	for _, p := range Problems(Config{}.Validate()) {
		if StepForField(p.Field) == "" {
			t.Errorf("field %q of Config.Validate has no step", p.Field)
		}
	}
}
