package duban

import (
	"strings"
	"unicode/utf8"
)

// Fold normalises the width of a text the way people expect to compare it:
// full-width ASCII (Ａ１，：) becomes half-width, the ideographic space a
// space, and the ratio colon ∶ (U+2236) and the full-width colon a colon.
// Chinese punctuation with no half-width twin (。、“”《》) is kept. Fold
// keeps invalid bytes as they are.
func Fold(s string) string {
	if isHalfWidth(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteRune(foldRune(r))
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

func isHalfWidth(s string) bool {
	for _, r := range s {
		if foldRune(r) != r {
			return false
		}
	}
	return true
}
