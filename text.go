package duban

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Fold normalises the width of a text the way people expect to compare it:
// full-width ASCII (Ａ１，：) becomes half-width, the ideographic space a
// space, and the ratio colon ∶ (U+2236) and the full-width colon a colon.
// Chinese punctuation with no half-width twin (。、“”《》) is kept. Fold
// keeps invalid bytes as they are.
func Fold(s string) string { return mapRunes(s, foldRune) }

// mapRunes returns s with every character r written as f(r), or s itself
// when f changes none. Unlike strings.Map it keeps invalid bytes as they
// are.
func mapRunes(s string, f func(rune) rune) string {
	start := -1
	for i, r := range s {
		if f(r) != r {
			start = i
			break
		}
	}
	if start < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:start])
	for i := start; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteRune(f(r))
		i += size
	}
	return b.String()
}

func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFF01 + '!'
	case r == 0x3000:
		return ' '
	case r == 0x2236:
		return ':'
	}
	return r
}

// EscapeControls returns s with every control character other than newline
// and tab, and every bidirectional formatting control, written out as an
// escape (\x1b, \u202e), so that text shown on a terminal cannot send it
// escape sequences (retitle the window, clear the screen) or reorder what
// is read. Adapters that print to a terminal apply it to what they show.
func EscapeControls(s string) string {
	clean := true
	for _, r := range s {
		if isHiddenControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for _, r := range s {
		switch {
		case !isHiddenControl(r):
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	return b.String()
}
