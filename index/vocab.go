package index

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// vocabulary holds the words of the plan, to suggest nearby terms when a
// query finds nothing.
type vocabulary struct {
	words []vocabWord
	items int // number of items
}

type vocabWord struct {
	word  string
	runes []rune
	df    int // number of items holding it
}

// fallbackTopics are suggested when no word of the plan is near the query.
var fallbackTopics = []string{"食品安全", "知识产权", "标准化"}

func newVocabulary(ix *Index) *vocabulary {
	df := map[string]int{}
	for w, in := range ix.tokens {
		if utf8.RuneCountInString(w) < 2 || !strings.ContainsFunc(w, isHan) || stopWords[w] {
			continue
		}
		df[w] = in.count()
	}
	v := &vocabulary{items: len(ix.items)}
	for w, n := range df {
		v.words = append(v.words, vocabWord{word: w, runes: []rune(w), df: n})
	}
	slices.SortFunc(v.words, func(a, b vocabWord) int {
		if a.df != b.df {
			return b.df - a.df
		}
		return strings.Compare(a.word, b.word)
	})
	return v
}

// suggest returns up to n words of the plan that share the most characters
// with the query, more frequent words first; or general topics when none
// does.
func (v *vocabulary) suggest(p parsed, n int) []string {
	want := map[rune]bool{}
	for _, pt := range p.parts {
		for _, r := range pt.raw {
			if isHan(r) {
				want[r] = true
			}
		}
	}
	type cand struct {
		word   string
		shared int
		df     int
	}
	var cands []cand
	for _, w := range v.words {
		shared := 0
		seen := map[rune]bool{}
		for _, r := range w.runes {
			if want[r] && !seen[r] {
				seen[r] = true
				shared++
			}
		}
		// One shared character is a weak tie: skip the plan's generic words
		// (发展, 推进) that would then win by frequency.
		if shared == 0 || shared == 1 && w.df > v.items/4 {
			continue
		}
		cands = append(cands, cand{w.word, shared, w.df})
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		if a.shared != b.shared {
			return b.shared - a.shared
		}
		return b.df - a.df
	})
	var out []string
	for _, c := range cands {
		if len(out) == n {
			break
		}
		// Skip a word inside one already chosen (or containing one).
		if slices.ContainsFunc(out, func(s string) bool {
			return strings.Contains(s, c.word) || strings.Contains(c.word, s)
		}) {
			continue
		}
		out = append(out, c.word)
	}
	// Too few near words: fill up with the plan's main topics.
	if len(out) < 2 {
		for _, t := range fallbackTopics {
			if len(out) < n && !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}
