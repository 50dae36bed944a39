package index

import (
	"slices"
	"strings"
	"unicode/utf8"

	"duban"
)

// snippetRunes is the length of a snippet in characters.
const snippetRunes = 80

// snippet is a piece of an item's text with the matched terms marked.
type snippet struct {
	text  string
	marks []duban.Span
}

// snippetFor cuts about snippetRunes characters of item n's text around
// the place where most of the terms occur, and marks every occurrence of
// every term in it. Cuts fall on character boundaries; an ellipsis shows
// where text was left out.
func (ix *Index) snippetFor(n int, terms []string) snippet {
	t := ix.snipTexts[n]
	if t == nil {
		t = newSnipText(ix.docs[n])
	}
	return t.cut(terms, snippetRunes)
}

// snipText is a text prepared for cutting snippets: made once per item
// when the index is built, since a search cuts one for every hit.
type snipText struct {
	text   string
	lower  string // text with ASCII letters lower-cased (same offsets)
	starts []int  // starts[i] is the byte offset of rune i; starts[len] = len(text)
}

func newSnipText(text string) *snipText {
	starts := make([]int, 0, len(text)/2+1)
	for i := range text {
		starts = append(starts, i)
	}
	return &snipText{text: text, lower: asciiLower(text), starts: append(starts, len(text))}
}

// occurrence is a term found in a text.
type occurrence struct {
	start, end int // byte range
	term       int // index of the term
}

func cutSnippet(text string, terms []string, width int) snippet {
	return newSnipText(text).cut(terms, width)
}

func (t *snipText) cut(terms []string, width int) snippet {
	text, starts := t.text, t.starts
	occ := findTermsLower(t.lower, terms)
	runes := len(starts) - 1
	if runes <= width {
		return snippet{text: text, marks: spans(occ, 0, len(text), 0)}
	}
	runeAt := func(b int) int { // the rune holding byte b
		i, found := slices.BinarySearch(starts, b)
		if !found {
			i--
		}
		return i
	}

	// Try a window starting a little before each occurrence (at a sentence
	// start when one is close by); keep the one covering the most distinct
	// terms, then the most occurrences, then the earliest.
	bestStart, bestScore := 0, -1
	count := make([]int, len(terms))
	for k, o := range occ {
		if k > 0 && occ[k-1].start == o.start {
			continue
		}
		r0 := max(0, runeAt(o.start)-width/5)
		if i := lastSentenceEnd(text[starts[r0]:o.start]); i >= 0 {
			r0 = runeAt(starts[r0] + i)
		}
		r0 = min(r0, runes-width)
		b0, b1 := starts[r0], starts[r0+width]
		clear(count)
		score := 0
		first, _ := slices.BinarySearchFunc(occ, b0, func(o occurrence, b int) int { return o.start - b })
		for _, p := range occ[first:] {
			if p.start >= b1 {
				break
			}
			if p.end <= b1 {
				if count[p.term] == 0 {
					score += 1000 + utf8.RuneCountInString(terms[p.term])*10
				}
				count[p.term]++
				score++
			}
		}
		if score > bestScore {
			bestStart, bestScore = r0, score
		}
	}
	b0, b1 := starts[bestStart], starts[bestStart+width]
	var sb strings.Builder
	shift := -b0
	if b0 > 0 {
		sb.WriteString("…")
		shift += len("…")
	}
	sb.WriteString(text[b0:b1])
	if b1 < len(text) {
		sb.WriteString("…")
	}
	return snippet{text: sb.String(), marks: spans(occ, b0, b1, shift)}
}

// findTerms returns every occurrence of every term in text (ASCII letters
// compared without case), by position.
func findTerms(text string, terms []string) []occurrence {
	return findTermsLower(asciiLower(text), terms)
}

// findTermsLower is findTerms on a text already lower-cased (ASCII).
func findTermsLower(lower string, terms []string) []occurrence {
	var occ []occurrence
	for ti, t := range terms {
		t = asciiLower(t)
		if t == "" || !utf8.ValidString(t) { // a valid term in valid text never cuts a character
			continue
		}
		for off := 0; ; {
			i := strings.Index(lower[off:], t)
			if i < 0 {
				break
			}
			occ = append(occ, occurrence{off + i, off + i + len(t), ti})
			off += i + len(t)
		}
	}
	slices.SortFunc(occ, func(a, b occurrence) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	return occ
}

// spans merges the occurrences inside [b0, b1) into ascending,
// non-overlapping spans, shifted by shift.
func spans(occ []occurrence, b0, b1, shift int) []duban.Span {
	var out []duban.Span
	for _, o := range occ {
		s, e := max(o.start, b0), min(o.end, b1)
		if s >= e {
			continue
		}
		if n := len(out); n > 0 && s <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, e)
			continue
		}
		out = append(out, duban.Span{Start: s, End: e})
	}
	for i := range out {
		out[i].Start += shift
		out[i].End += shift
	}
	return out
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// lastSentenceEnd returns the offset just after the last 。；; in s, or -1.
func lastSentenceEnd(s string) int {
	i := strings.LastIndexAny(s, "。；;")
	if i < 0 {
		return -1
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return i + size
}
