package sim

import (
	"context"
	"fmt"
	"github.com/hiveku/byok/flow"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
)

// ErrorPage is a Microsoft page the browser stays on instead of being
// redirected back to the app (e.g. AADSTS50011, "Need admin approval", or
// login.live.com's "We're unable to complete your request", which has no
// AADSTS code: Code 0).
type ErrorPage struct {
	// Code is the AADSTS number the page shows.
	Code int
	// Status is the page's HTTP status.
	Status int
	// Text is the page as a person reads it: what they would paste.
	Text string
}

// Error returns the page's AADSTS message line.
func (e *ErrorPage) Error() string {
	for _, line := range strings.Split(e.Text, "\n") {
		if strings.HasPrefix(line, fmt.Sprintf("AADSTS%d:", e.Code)) {
			return "microsoft error page: " + line
		}
	}
	if e.Code == 0 {
		for _, line := range strings.Split(e.Text, "\n") {
			if i := strings.Index(line, ": "); i > 0 && !strings.Contains(line[:i], " ") {
				return "microsoft error page: " + line // e.g. unauthorized_client: …
			}
		}
	}
	return fmt.Sprintf("microsoft error page: AADSTS%d", e.Code)
}

// Consent drives the sign-in and consent pages programmatically, as a
// person in a browser would: it GETs authURL, signs in as upn (typing the
// user's password when one is set), and presses Accept (accept=true) or
// Cancel. It returns where the browser ends up: the redirect address with
// code and state, or with error and error_description. When Microsoft
// shows a page instead of redirecting (AADSTS50011, an unknown tenant,
// "Need admin approval", an unknown account…) it returns an *ErrorPage.
//
// client carries the requests (nil: s is called in-process, whatever the
// host in authURL). It never follows the final redirect, so the redirect
// URI need not be reachable.
func (s *Server) Consent(ctx context.Context, client *http.Client, authURL, upn string, accept bool) (string, error) {
	return s.consent(ctx, client, authURL, upn, func(context.Context, string) (bool, error) { return accept, nil })
}

// consent is Consent with the answer on the consent page given by decide,
// which is shown the page's text (consentText) first.
func (s *Server) consent(ctx context.Context, client *http.Client, authURL, upn string, decide func(ctx context.Context, page string) (bool, error)) (string, error) {
	c := &http.Client{Transport: inProcess{s}}
	if client != nil {
		cc := *client
		c = &cc
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return "", fmt.Errorf("build authorize request: %w", err)
	}
	for step := 0; step < 6; step++ {
		resp, err := c.Do(req)
		if err != nil {
			return "", fmt.Errorf("open sign-in page: %w", err)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		_ = resp.Body.Close()
		if err != nil {
			return "", fmt.Errorf("read sign-in page: %w", err)
		}
		if resp.StatusCode >= 300 && resp.StatusCode < 400 {
			loc, err := req.URL.Parse(resp.Header.Get("Location"))
			if err != nil {
				return "", fmt.Errorf("parse redirect: %w", err)
			}
			return loc.String(), nil
		}
		page := string(body)
		if m := errorPageRE().FindStringSubmatch(page); m != nil {
			code, _ := strconv.Atoi(m[1])
			return "", &ErrorPage{Code: code, Status: resp.StatusCode, Text: pageText(page)}
		}
		action, fields, ok := parseForm(page)
		if !ok {
			return "", fmt.Errorf("read sign-in page: unexpected page (HTTP %d)", resp.StatusCode)
		}
		target, err := req.URL.Parse(action)
		if err != nil {
			return "", fmt.Errorf("parse form action: %w", err)
		}
		switch {
		case strings.Contains(page, `name="hiddenform"`):
			// response_mode=form_post: the address the browser posts to
			q := target.Query()
			for k, v := range fields {
				q[k] = v
			}
			target.RawQuery = q.Encode()
			return target.String(), nil
		case strings.Contains(page, `id="signin"`):
			fields.Set("login", upn)
			if pw := s.password(upn); pw != "" {
				fields.Set("passwd", pw) // both at once: the password page is skipped
			}
		case strings.Contains(page, `id="password"`):
			fields.Set("passwd", s.password(upn))
		case strings.Contains(page, `id="consent"`):
			accept, err := decide(ctx, consentText(pageText(page)))
			if err != nil {
				return "", err
			}
			fields.Set("accept", strconv.FormatBool(accept))
		default:
			return "", fmt.Errorf("read sign-in page: unexpected form")
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, target.String(), strings.NewReader(fields.Encode()))
		if err != nil {
			return "", fmt.Errorf("build form post: %w", err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return "", fmt.Errorf("follow sign-in pages: too many steps")
}

func (s *Server) password(upn string) string {
	for _, u := range s.users {
		if strings.EqualFold(u.UPN, upn) {
			return u.Password
		}
	}
	return ""
}

var (
	errorPageRE = flow.LazyRE(`id="` + PageError + `" data-code="(\d+)"`)
	formRE      = flow.LazyRE(`<form[^>]*action="([^"]*)"[^>]*>`)
	hiddenRE    = flow.LazyRE(`<input type="hidden" name="([^"]*)" value="([^"]*)"`)
	tagRE       = flow.LazyRE(`<[^>]*>`)
	linkTagRE   = flow.LazyRE(`</?a\b[^>]*>`)
	detailsRE   = flow.LazyRE(`(?s)<details[^>]*>\s*<summary>(.*?)</summary>.*?</details>`)
)

// parseForm returns the first form's action and hidden fields.
func parseForm(page string) (string, url.Values, bool) {
	m := formRE().FindStringSubmatch(page)
	if m == nil {
		return "", nil, false
	}
	fields := url.Values{}
	for _, h := range hiddenRE().FindAllStringSubmatch(page, -1) {
		fields.Set(html.UnescapeString(h[1]), html.UnescapeString(h[2]))
	}
	return html.UnescapeString(m[1]), fields, true
}

// pageText renders HTML as the lines a person reads: the body's text,
// without what a closed <details> hides (a permission's description, "Show
// details") but with its summary line.
func pageText(page string) string {
	if i := strings.Index(page, "<body>"); i >= 0 {
		page = page[i:]
	}
	page = detailsRE().ReplaceAllString(page, "<p>$1</p>")
	page = linkTagRE().ReplaceAllString(page, "") // a link is part of its sentence
	raw := tagRE().ReplaceAllString(page, "\n")
	var lines []string
	for _, l := range strings.Split(html.UnescapeString(raw), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// inProcess is a RoundTripper that serves requests with s directly.
type inProcess struct{ s *Server }

// RoundTrip serves r with the simulator and returns the recorded response.
func (t inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.s.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}
