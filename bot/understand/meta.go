package understand

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// meta returns the cover-letter fact a question asks (by the first kind in
// lexicon/meta.txt's order whose cue it holds) and what the question says
// besides its cues, its question words and the words of the notice
// itself: a residue of two characters or more names a matter of the
// items, not the letter ("跨省通办新增的事项截止到什么时候").
func (rd *Reader) meta(text string, masks [][2]int) (kind, residue string) {
	b := books()
	found := b.meta.scan(text)
	for _, k := range b.metaOrder {
		for _, m := range found {
			if m.Is(k) && kind == "" && k != "letter" {
				kind = k
			}
		}
	}
	if kind == "" {
		return "", ""
	}
	mark := make([]bool, len(text))
	for _, m := range masks {
		for i := max(m[0], 0); i < m[1] && i < len(mark); i++ {
			mark[i] = true
		}
	}
	b.meta.covered(text, mark)
	b.stop.covered(text, mark)
	b.cues.covered(text, mark)
	rd.notice.covered(text, mark)
	var words []string
	var cur strings.Builder
	for i, r := range text {
		if mark[i] || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			if cur.Len() > 0 {
				words = append(words, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		words = append(words, cur.String())
	}
	// A single character between cues is a particle, not a matter.
	words = dropShort(words)
	return kind, strings.Join(words, " ")
}

// dropShort drops the one-character Chinese words of a residue.
func dropShort(words []string) []string {
	var out []string
	for _, w := range words {
		if utf8.RuneCountInString(w) == 1 && w[0] >= utf8.RuneSelf {
			continue
		}
		out = append(out, w)
	}
	return out
}
