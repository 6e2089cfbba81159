package graph

import "github.com/hiveku/byok/flow"

// Graph's and the sign-in service's answers are text from outside: the
// IDs byok stores, prints or sends back pass the same validators as a
// typed answer before anything uses them. A value that fails is not what
// Microsoft sends, so the request fails with the value quoted (escaped)
// rather than stored or shown raw.

// checker is an answer that can check itself after decoding.
type checker interface{ check() error }

// badAnswer is the error for a value Microsoft would never send.
func badAnswer(what, field, v string) error {
	if len(v) > 80 {
		v = v[:80] + "…"
	}
	return flow.Errorf(flow.EFAILED, "%s: the answer's %s %+q is not a GUID", what, field, v).
		WithFix("this is not what Microsoft sends: check that --graph-host and --authority-host point at Microsoft (or byok simulate)")
}

// guid normalises *v (lower case, no braces) or reports it.
func guid(what, field string, v *string) error {
	g, ok := flow.NormalizeGUID(*v)
	if !ok {
		return badAnswer(what, field, *v)
	}
	*v = g
	return nil
}

func (a *Application) check() error {
	if err := guid("application", "id", &a.ID); err != nil {
		return err
	}
	if err := guid("application", "appId", &a.AppID); err != nil {
		return err
	}
	for i := range a.PasswordCredentials {
		if err := a.PasswordCredentials[i].check(); err != nil {
			return err
		}
	}
	return nil
}

func (p *PasswordCredential) check() error {
	return guid("client secret", "keyId", &p.KeyID)
}

func (s *ServicePrincipal) check() error {
	if err := guid("service principal", "id", &s.ID); err != nil {
		return err
	}
	return guid("service principal", "appId", &s.AppID)
}

// applicationList is a page of applications.
type applicationList struct {
	Value []Application `json:"value"`
}

func (l *applicationList) check() error {
	for i := range l.Value {
		if err := l.Value[i].check(); err != nil {
			return err
		}
	}
	return nil
}

// servicePrincipalList is a page of service principals.
type servicePrincipalList struct {
	Value []ServicePrincipal `json:"value"`
}

func (l *servicePrincipalList) check() error {
	for i := range l.Value {
		if err := l.Value[i].check(); err != nil {
			return err
		}
	}
	return nil
}

// checkSession checks what the ID token said about the admin: the
// directory (tid) is a GUID, and the sign-in name has no character a
// name may not hold.
func checkSession(s *Session) error {
	if err := guid("sign-in", "tid", &s.TenantID); err != nil {
		return err
	}
	if flow.ValidateText("sign-in name", s.Username, false, 320) != nil {
		v := s.Username
		if len(v) > 80 {
			v = v[:80] + "…"
		}
		return flow.Errorf(flow.EFAILED, "sign-in: the ID token's preferred_username %+q is not a sign-in name", v).
			WithFix("this is not what Microsoft sends: check that --authority-host points at Microsoft (or byok simulate)")
	}
	return nil
}
