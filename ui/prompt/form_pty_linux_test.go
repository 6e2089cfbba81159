package prompt

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

// vscreen is the little of a terminal emulator these tests need: text,
// carriage return, line feed, cursor up and down, erase below and erase
// line. Other escape sequences are skipped.
type vscreen struct {
	mu       sync.Mutex
	lines    [][]rune
	row, col int
	raw      strings.Builder
}

func (s *vscreen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw.Write(p)
	in := []rune(string(p))
	for i := 0; i < len(in); i++ {
		switch r := in[i]; {
		case r == '\r':
			s.col = 0
		case r == '\n':
			s.row++
		case r == 0x1b && i+1 < len(in) && in[i+1] == '[':
			j := i + 2
			for j < len(in) && (in[j] < 0x40 || in[j] > 0x7e) {
				j++
			}
			if j == len(in) {
				return len(p), nil // the tests' writes end sequences whole
			}
			params := string(in[i+2 : j])
			n, err := strconv.Atoi(params)
			if err != nil || n == 0 {
				n = 1
			}
			switch in[j] {
			case 'A':
				s.row = max(s.row-n, 0)
			case 'B':
				s.row += n
			case 'J':
				if params == "" || params == "0" {
					s.cut(s.row, s.col)
					if len(s.lines) > s.row+1 {
						s.lines = s.lines[:s.row+1]
					}
				}
			case 'K':
				if params == "" || params == "0" {
					s.cut(s.row, s.col)
				}
			}
			i = j
		case r == 0x1b && i+1 < len(in) && in[i+1] == ']':
			for i < len(in) && in[i] != 0x07 && !(in[i] == 0x1b && i+1 < len(in) && in[i+1] == '\\') {
				i++
			}
		case r == 0x1b:
			i++
		case r < 0x20:
		default:
			for len(s.lines) <= s.row {
				s.lines = append(s.lines, nil)
			}
			for len(s.lines[s.row]) <= s.col {
				s.lines[s.row] = append(s.lines[s.row], ' ')
			}
			s.lines[s.row][s.col] = r
			s.col++
		}
	}
	return len(p), nil
}

// cut erases row from col on.
func (s *vscreen) cut(row, col int) {
	if row < len(s.lines) && col < len(s.lines[row]) {
		s.lines[row] = s.lines[row][:col]
	}
}

// String is what the screen shows, trailing blanks trimmed.
func (s *vscreen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.lines))
	for i, l := range s.lines {
		out[i] = strings.TrimRight(string(l), " ")
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n")
}

func (s *vscreen) rawString() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw.String()
}

// TestFormCancelClears: Ctrl+C at a question wipes it like an answer
// does, so that only byok's "cancelled" follows on the screen (huh's
// own Run left the question there).
func TestFormCancelClears(t *testing.T) {
	for _, tt := range []struct {
		name string
		ask  func(p Prompter) error
	}{
		{"confirm", func(p Prompter) error {
			_, err := p.Confirm(context.Background(), "Accept these permissions?", true)
			return err
		}},
		{"form", func(p Prompter) error {
			v := ""
			return p.Form(context.Background(), "Accept these permissions?", "a note", Field{Title: "Secret value", Value: &v, Secret: true})
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			master, slave := openPTY(t)
			if err := unix.IoctlSetWinsize(int(slave.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 24, Col: 80}); err != nil {
				t.Skipf("set terminal size: %v", err)
			}
			scr := &vscreen{}
			drawn, ended := make(chan struct{}), make(chan struct{})
			go func() {
				buf := make([]byte, 4096)
				var once, end sync.Once
				for {
					n, err := master.Read(buf)
					_, _ = scr.Write(buf[:n])
					if strings.Contains(scr.String(), "Accept these permissions?") {
						once.Do(func() { close(drawn) })
					}
					if strings.Contains(scr.rawString(), "<end>") {
						end.Do(func() { close(ended) })
					}
					if err != nil {
						return
					}
				}
			}()
			p := Prompter{In: slave, Out: slave, NoColor: true, Width: 80}
			done := make(chan error, 1)
			go func() { done <- tt.ask(p) }()
			<-drawn
			if _, err := master.WriteString("\x03"); err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != ErrAborted {
				t.Fatalf("err = %v, want ErrAborted", err)
			}
			_, _ = slave.WriteString("<end>")
			<-ended
			if got := strings.TrimSuffix(scr.String(), "<end>"); strings.TrimSpace(got) != "" {
				t.Errorf("the cancelled question stays on the screen:\n%s", got)
			}
		})
	}
}

// TestReadPasteEchoWraps: with the terminal's width, the echo of a
// pasted Microsoft error page wraps at word boundaries (the terminal
// alone cuts lines mid-word: "callba" / "ck").
func TestReadPasteEchoWraps(t *testing.T) {
	master, slave := openPTY(t)
	scr := &vscreen{}
	reading, ended := make(chan struct{}), make(chan struct{})
	go func() {
		buf := make([]byte, 4096)
		var read, end sync.Once
		for {
			n, err := master.Read(buf)
			_, _ = scr.Write(buf[:n])
			if strings.Contains(scr.rawString(), pasteOn) {
				read.Do(func() { close(reading) }) // raw mode: the terminal echoes no more
			}
			if strings.Contains(scr.rawString(), "<end>") {
				end.Do(func() { close(ended) })
			}
			if err != nil {
				return
			}
		}
	}()
	type answer struct {
		s   string
		err error
	}
	got := make(chan answer, 1)
	go func() {
		s, err := ReadPaste(context.Background(), slave, PasteOptions{TTY: true, Term: "xterm", Echo: slave, Width: 40})
		got <- answer{s, err}
	}()
	<-reading
	page := strings.ReplaceAll(msPage, "\n", "\r")
	if _, err := master.WriteString(pasteStart + page + pasteEnd + "\r"); err != nil {
		t.Fatal(err)
	}
	if a := <-got; a.err != nil || a.s != msPage {
		t.Fatalf("ReadPaste = %q, %v", a.s, a.err)
	}
	_, _ = slave.WriteString("<end>")
	<-ended
	shown := strings.TrimSuffix(scr.String(), "<end>")
	for _, l := range strings.Split(shown, "\n") {
		if len([]rune(l)) > 40 {
			t.Errorf("echo line wider than 40: %q", l)
		}
	}
	if got, want := strings.Fields(shown), strings.Fields(msPage); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("echo cut words:\n%s", shown)
	}
}
