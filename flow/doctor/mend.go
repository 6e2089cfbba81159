package doctor

import "strings"

// mendCodes writes every AADSTS code in s the one way the scanner looks
// for: the prefix in capitals ("aaDSTS90093" is typed by hand), and a
// prefix or number broken by a line wrap joined again ("AADS\nTS50011",
// "AADSTS700\n016: …", as terminals and tickets wrap long lines). A
// number is joined across a break only when the part before the break
// is too short to be a code, or the part after it ends with the colon
// Microsoft puts after a code, so a code followed by a date on the next
// line stays as it is. It returns s itself when nothing changes; the
// work is linear in len(s).
func mendCodes(s string) string {
	var b *strings.Builder
	last := 0 // s[last:] is not yet copied to b
	for i := 0; i < len(s); i++ {
		if s[i] != 'a' && s[i] != 'A' {
			continue
		}
		end, digits, ok := matchCode(s, i)
		if !ok {
			continue
		}
		if s[i:end] == "AADSTS"+digits {
			i = end - 1
			continue
		}
		if b == nil {
			b = &strings.Builder{}
			b.Grow(len(s))
		}
		b.WriteString(s[last:i])
		b.WriteString("AADSTS")
		b.WriteString(digits)
		last = end
		i = end - 1
	}
	if b == nil {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// matchCode matches "aadsts" (any case) at s[i:] followed by digits,
// allowing one line break (with the blanks around it) inside the prefix
// or the number. It returns the end of the match and the digits.
func matchCode(s string, i int) (end int, digits string, ok bool) {
	const prefix = "aadsts"
	j := i
	broken := false
	for k := 0; k < len(prefix); k++ {
		if j < len(s) && lower(s[j]) == prefix[k] {
			j++
			continue
		}
		if k == 0 || broken {
			return 0, "", false
		}
		n, ok := lineBreak(s, j)
		if !ok || n == j || !(n < len(s) && lower(s[n]) == prefix[k]) {
			return 0, "", false
		}
		broken, j = true, n+1
	}
	start := j
	for j < len(s) && isDigit(s[j]) && j-start < 10 {
		j++
	}
	d := s[start:j]
	if len(d) == 0 {
		return 0, "", false
	}
	if !broken && len(d) < 9 {
		if n, ok := lineBreak(s, j); ok && n > j && n < len(s) && isDigit(s[n]) {
			k := n
			for k < len(s) && isDigit(s[k]) && k-n < 9 {
				k++
			}
			more := s[n:k]
			if total := len(d) + len(more); total <= 9 && (len(d) < 5 || (k < len(s) && s[k] == ':')) {
				return k, d + more, true
			}
		}
	}
	return j, d, true
}

// lineBreak skips blanks, one newline and blanks from s[j:], returning
// where the next text starts; ok is false when there is no newline.
func lineBreak(s string, j int) (int, bool) {
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
	}
	if j >= len(s) || s[j] != '\n' {
		return j, false
	}
	j++
	for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '>') {
		j++
	}
	return j, true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
