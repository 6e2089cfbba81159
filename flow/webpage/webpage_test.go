package webpage

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestLinkify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Navigate to https://aka.ms/x to learn more.", `Navigate to <a href="https://aka.ms/x" rel="noreferrer noopener">https://aka.ms/x</a> to learn more.`},
		{"at https://go.microsoft.com/fwlink/?linkid=1&a=b.", `at <a href="https://go.microsoft.com/fwlink/?linkid=1&amp;a=b" rel="noreferrer noopener">https://go.microsoft.com/fwlink/?linkid=1&amp;a=b</a>.`},
		{"The redirect URI 'https://evil.example/cb' is wrong", "The redirect URI &#39;https://evil.example/cb&#39; is wrong"},
		{"plain http://localhost:1/ stays text", "plain http://localhost:1/ stays text"},
		{"<b>x</b> & y", "&lt;b&gt;x&lt;/b&gt; &amp; y"},
		{`https://a.example/"><script>`, `<a href="https://a.example/" rel="noreferrer noopener">https://a.example/</a>&#34;&gt;&lt;script&gt;`},
	}
	for _, tt := range tests {
		if got := Linkify(tt.in); got != tt.want {
			t.Errorf("Linkify(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

func TestInitials(t *testing.T) {
	for in, want := range map[string]string{"Acme Hiveku": "AH", "alex": "A", "Émile de la Tour": "ÉD", "": ""} {
		if got := Initials(in); got != want {
			t.Errorf("Initials(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDocEscapesAndIsSelfContained(t *testing.T) {
	d := Doc("<t>", "<badge>", "<p>ok</p>", "<foot>")
	for _, want := range []string{`lang="en"`, `name="viewport"`, "<title>&lt;t&gt;</title>", `<p class="badge">&lt;badge&gt;</p>`, "<footer>&lt;foot&gt;</footer>", "<p>ok</p>"} {
		if !strings.Contains(d, want) {
			t.Errorf("Doc lacks %s", want)
		}
	}
	if strings.Contains(d, "http://") || strings.Contains(d, "https://") || strings.Contains(d, "@import") {
		t.Errorf("Doc refers to something outside the page")
	}
	if strings.Contains(CSS, "</") {
		t.Errorf("CSS would close its <style> element")
	}
}

func TestWriteAndFavicon(t *testing.T) {
	rec := httptest.NewRecorder()
	Write(rec, 418, "<p>x</p>")
	if rec.Code != 418 || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" || rec.Body.String() != "<p>x</p>" {
		t.Errorf("Write = %d %q %q", rec.Code, rec.Header(), rec.Body)
	}
	rec = httptest.NewRecorder()
	Favicon(rec)
	if rec.Code != 204 || rec.Body.Len() != 0 {
		t.Errorf("Favicon = %d %q", rec.Code, rec.Body)
	}
}
