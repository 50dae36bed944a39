package duban

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// simplified maps traditional characters to simplified ones
// (lexicon/traditional.txt, generated from CC-CEDICT).
var simplified = sync.OnceValue(func() map[rune]rune {
	m := map[rune]rune{}
	for _, line := range mustLexicon("traditional.txt")["traditional"] {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		t, _ := utf8.DecodeRuneInString(f[0])
		s, _ := utf8.DecodeRuneInString(f[1])
		m[t] = s
	}
	return m
})

// Simplify writes traditional characters as simplified ones (條 -> 条,
// 質 -> 质), character by character; characters whose simplified form
// depends on the word are kept. Everything else, invalid bytes included,
// stays as it is.
func Simplify(s string) string {
	m := simplified()
	need := false
	for _, r := range s {
		if _, ok := m[r]; ok {
			need = true
			break
		}
	}
	if !need {
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
		if t, ok := m[r]; ok {
			r = t
		}
		b.WriteRune(r)
		i += size
	}
	return b.String()
}
