package prompt

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/hiveku/byok/ui/text"
)

// msPage is what a person copies from a Microsoft sign-in error page:
// blank lines included.
const msPage = "Sign in\n" +
	"Sorry, but we're having trouble signing you in.\n" +
	"\n" +
	"AADSTS50011: The redirect URI 'https://app.hiveku.com/callback' specified in the request does not match the redirect URIs configured for the application '11111111-2222-3333-4444-555555555555'.\n" +
	"\n" +
	"Troubleshooting details\n" +
	"Request Id: 0a1b2c3d-0000-0000-0000-000000000000\n"

func TestDecoder(t *testing.T) {
	page := strings.ReplaceAll(msPage, "\n", "\r")
	tests := []struct {
		name   string
		chunks []string // what each read of the terminal delivers
		want   string
		done   bool
		err    error
	}{
		{"typed line", []string{"h", "t", "t", "p", "\r"}, "http", true, nil},
		{"typed with backspace", []string{"ab", "\x7f", "c", "\r"}, "ac", true, nil},
		{"bracketed page then Enter", []string{pasteStart + page + pasteEnd, "\r"}, msPage, true, nil},
		{"bracketed page split across reads", []string{pasteStart + page[:30], page[30:] + pasteEnd[:3], pasteEnd[3:], "\r"}, msPage, true, nil},
		{"bracketed CRLF", []string{pasteStart + "a\r\nb" + pasteEnd + "\r"}, "a\nb", true, nil},
		{"unbracketed burst keeps its newlines", []string{"line one\rline two\r"}, "line one\nline two", true, nil},
		{"enter after a paste ends even mid-chunk", []string{pasteStart + "x" + pasteEnd + "\rleftover"}, "x", true, nil},
		{"arrow keys dropped", []string{"a\x1b[Db", "\r"}, "ab", true, nil},
		{"escape inside a paste dropped", []string{pasteStart + "a\x1b]52;c;evil\x07b" + pasteEnd, "\r"}, "", true, nil},
		{"utf-8 across reads", []string{"\xc3", "\xa9\r"}, "é", true, nil},
		{"ctrl+c", []string{"abc\x03"}, "abc", true, ErrInterrupted},
		{"ctrl+d", []string{"abc\x04"}, "abc", true, nil},
		{"no end yet", []string{"abc"}, "abc", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var echo bytes.Buffer
			d := &decoder{echo: &echo, limit: DefaultPasteLimit}
			var done bool
			var err error
			for _, c := range tt.chunks {
				if done, err = d.feed([]byte(c)); done {
					break
				}
			}
			if done != tt.done || !errors.Is(err, tt.err) {
				t.Fatalf("done %v err %v, want %v %v", done, err, tt.done, tt.err)
			}
			got := d.text()
			if tt.name == "escape inside a paste dropped" {
				// An OSC sequence is dropped up to its end; what is
				// left must hold no escape.
				if strings.ContainsRune(got, 0x1b) || strings.ContainsRune(echo.String(), 0x1b) {
					t.Errorf("escape kept: %q / echo %q", got, echo.String())
				}
				return
			}
			if got != tt.want {
				t.Errorf("text %q, want %q", got, tt.want)
			}
			if strings.ContainsAny(echo.String(), "\x1b\x07") {
				t.Errorf("echo holds control characters: %q", echo.String())
			}
		})
	}
}

func TestReadPasteLines(t *testing.T) {
	// Complete: the text holds an AADSTS code or an address.
	complete := func(s string) bool { return strings.Contains(s, "AADSTS") || strings.Contains(s, "code=") }
	tests := []struct {
		name, in, want, rest string
	}{
		{"page to the line with the code", msPage, "Sign in\nSorry, but we're having trouble signing you in.\n\n" + strings.Split(msPage, "\n")[3] + "\n", "\nTroubleshooting details\n"},
		{"address ends at its line", "https://x/cb?code=abc\nls\n", "https://x/cb?code=abc\n", "ls\n"},
		{"unknown text ends at two empty lines", "hello\n\nworld\n\n\nls\n", "hello\n\nworld\n\n", "ls\n"},
		{"end of input", "garbage", "garbage\n", ""},
		{"CRLF", "a AADSTS1\r\nrest", "a AADSTS1\n", "rest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.NewReader(tt.in)
			got, err := ReadPaste(context.Background(), in, PasteOptions{TTY: true, Complete: complete})
			if err != nil || got != tt.want {
				t.Fatalf("ReadPaste = %q, %v; want %q", got, err, tt.want)
			}
			// Nothing past the answer was taken.
			rest := make([]byte, 64)
			n, _ := in.Read(rest)
			if !strings.HasPrefix(string(rest[:n]), tt.rest) {
				t.Errorf("left %q, want %q next", rest[:n], tt.rest)
			}
		})
	}
}

func TestReadPasteAll(t *testing.T) {
	got, err := ReadPaste(context.Background(), strings.NewReader(msPage), PasteOptions{})
	if err != nil || got != msPage {
		t.Fatalf("ReadPaste = %q, %v", got, err)
	}
	got, err = ReadPaste(context.Background(), strings.NewReader(msPage), PasteOptions{Limit: 7})
	if err != nil || got != "Sign in" {
		t.Fatalf("limited ReadPaste = %q, %v", got, err)
	}
}

func TestPasteMode(t *testing.T) {
	in := strings.NewReader("")
	if m := (PasteOptions{}).Mode(in); m != PasteAll || m.Hint() != "" {
		t.Errorf("pipe: %v %q", m, m.Hint())
	}
	if m := (PasteOptions{TTY: true}).Mode(in); m != PasteLines || !strings.Contains(m.Hint(), "twice") {
		t.Errorf("tty without a descriptor: %v %q", m, m.Hint())
	}
}

func TestReadPasteCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, w := ioPipe()
	defer w.Close()
	if _, err := ReadPaste(ctx, r, PasteOptions{TTY: true}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestReadPasteLinesNoComplete(t *testing.T) {
	got, err := ReadPaste(context.Background(), strings.NewReader("\none\ntwo\n\nls\n"), PasteOptions{TTY: true})
	if err != nil || got != "\none\ntwo\n" {
		t.Fatalf("ReadPaste = %q, %v", got, err)
	}
}

// TestDecoderEchoKeepsWords: a paste that arrives in several reads is
// echoed without a word cut at a read's boundary, so the echo's wrapping
// (text.Writer) sees whole words.
func TestDecoderEchoKeepsWords(t *testing.T) {
	line := "AADSTS50011: The redirect URI 'https://app.hiveku.com/callback' specified in the request does not match."
	cut := strings.Index(line, "specified") + 4 // inside a word
	var echo bytes.Buffer
	d := &decoder{echo: text.NewWriter(&echo, 40), limit: DefaultPasteLimit}
	for _, c := range []string{pasteStart + line[:cut], line[cut:] + pasteEnd, "\r"} {
		if _, err := d.feed([]byte(c)); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := strings.Fields(echo.String()), strings.Fields(line); !reflect.DeepEqual(got, want) {
		t.Errorf("echo words %q,\nwant %q", got, want)
	}
	for _, l := range strings.Split(echo.String(), "\n") {
		if text.Width(l) > 40 && strings.Contains(strings.TrimSpace(l), " ") {
			t.Errorf("echo line wider than 40: %q", l)
		}
	}
}
