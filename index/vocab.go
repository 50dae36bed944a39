package index

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// vocabulary holds the words of the plan: for the extensions of a query
// word, typing errors and the plan's main topics.
type vocabulary struct {
	words []vocabWord
	items int // number of items
}

type vocabWord struct {
	word  string
	runes []rune
	df    int // number of items holding it
}

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

// topics returns the plan's n most widespread terms of four characters
// or more (食品安全, 知识产权 in the 2021 plan), none inside another: what
// to suggest for a question outside the plan.
func (v *vocabulary) topics(n int) []string {
	var out []string
	for _, w := range v.words { // most frequent first
		if len(out) == n {
			break
		}
		if len(w.runes) < 4 || !allHan(w.word) || slices.ContainsFunc(out, func(s string) bool {
			return strings.Contains(s, w.word) || strings.Contains(w.word, s)
		}) {
			continue
		}
		out = append(out, w.word)
	}
	return out
}
