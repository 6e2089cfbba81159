package flow

// StepID names a wizard step.
type StepID string

// The wizard steps, in the guide's order.
const (
	StepName        StepID = "name"
	StepAccountType StepID = "account-type"
	StepRedirect    StepID = "redirect-uri"
	StepPermissions StepID = "permissions"
	StepSecret      StepID = "secret"
	StepTenant      StepID = "tenant"
	StepReview      StepID = "review"
	StepVerify      StepID = "verify"
)

// Steps lists the wizard's steps in order. The first seven are numbered
// "Step N of 7"; StepVerify follows the save.
var Steps = []StepID{StepName, StepAccountType, StepRedirect, StepPermissions, StepSecret, StepTenant, StepReview, StepVerify}

// Title returns the step's short name.
func (s StepID) Title() string {
	switch s {
	case StepName:
		return "Name"
	case StepAccountType:
		return "Supported account types"
	case StepRedirect:
		return "Redirect URI"
	case StepPermissions:
		return "API permissions"
	case StepSecret:
		return "Client secret"
	case StepTenant:
		return "Application and tenant IDs"
	case StepReview:
		return "Review"
	case StepVerify:
		return "Verify it works"
	}
	return string(s)
}

// Number returns the 1-based position of s, or 0 if unknown.
func (s StepID) Number() int {
	for i, id := range Steps {
		if id == s {
			return i + 1
		}
	}
	return 0
}

// Next returns the step after cur, and false after the last.
func Next(cur StepID) (StepID, bool) {
	n := cur.Number()
	if n == 0 || n >= len(Steps) {
		return "", false
	}
	return Steps[n], true
}

// Prev returns the step before cur, and false at the first.
func Prev(cur StepID) (StepID, bool) {
	n := cur.Number()
	if n <= 1 {
		return "", false
	}
	return Steps[n-2], true
}

// NumberedSteps is how many steps count in "Step N of 7": all but
// StepVerify, which follows the save.
const NumberedSteps = 7

// Valid reports whether s is one of Steps.
func (s StepID) Valid() bool { return s.Number() != 0 }

// Short returns a one-word label for progress bars and tabs.
func (s StepID) Short() string {
	switch s {
	case StepName:
		return "Name"
	case StepAccountType:
		return "Accounts"
	case StepRedirect:
		return "Redirect"
	case StepPermissions:
		return "Permissions"
	case StepSecret:
		return "Secret"
	case StepTenant:
		return "Tenant"
	case StepReview:
		return "Review"
	case StepVerify:
		return "Verify"
	}
	return string(s)
}

// Progress returns "Step N of 7" for the numbered steps and "" for
// StepVerify and unknown steps.
func (s StepID) Progress() string {
	n := s.Number()
	if n == 0 || n > NumberedSteps {
		return ""
	}
	return "Step " + string(rune('0'+n)) + " of " + string(rune('0'+NumberedSteps))
}

// Fields returns the keys of the fields step s asks for (the *Error.Field
// names of its checks, and FieldLoopback), from s.Def().
func (s StepID) Fields() []string {
	var keys []string
	for _, f := range s.Def().Fields {
		keys = append(keys, f.Key)
	}
	return keys
}

// StepForField returns the step that asks for field (an *Error.Field),
// so a review screen or `setup --resume` can send the person back to
// fix it. It returns "" for an unknown field.
func StepForField(field string) StepID {
	for _, s := range Steps {
		for _, f := range s.Fields() {
			if f == field {
				return s
			}
		}
	}
	return ""
}
