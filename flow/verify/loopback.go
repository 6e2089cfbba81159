package verify

import "github.com/hiveku/byok/flow/loopback"

// listenCallback starts the single-use loopback listener for the consent
// test (flow/loopback) through v.Listen. The redirect URI it returns is
// http://localhost:PORT/, which Microsoft matches against the registered
// http://localhost.
func (v *Verifier) listenCallback(state string) (*loopback.Server, string, error) {
	return loopback.Listen(v.Listen, state)
}

// pastedFrom is the browser's callback as the consent check reads it.
func pastedFrom(c loopback.Callback) Pasted {
	p := Pasted{Code: c.Code, State: c.State, Error: c.Error, Description: c.Description}
	p.AADSTS = AADSTSCode(p.Description)
	return p
}
