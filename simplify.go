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
	return mapRunes(s, func(r rune) rune {
		if t, ok := m[r]; ok {
			return t
		}
		return r
	})
}
