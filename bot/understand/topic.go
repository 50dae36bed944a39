package understand

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"duban"
)

// topic returns what a question asks about: text without the masked spans
// and without question words. Words that stood together stay together
// ("电梯安全"); words that something removed stood between are separated
// by a space, which the searcher reads as "all of these". The text is
// segmented whole, so that a mask never splits a word (哪些条|目).
func (rd *Reader) topic(text string, masks [][2]int, _ bool) string {
	if rd.seg == nil {
		return rd.strip(maskSpans(text, masks), nil)
	}
	var toks []string
	at := 0
	for _, t := range rd.seg.Segment(text) {
		start, end := at, at+len(t)
		at = end
		masked := false
		for _, m := range masks {
			if start < m[1] && end > m[0] {
				masked = true
				break
			}
		}
		if masked {
			t = " "
		}
		toks = append(toks, t)
	}
	return stripTokens(toks, nil)
}

// strip removes question words (and the words of more) from text, whose
// masked parts are already spaces.
func (rd *Reader) strip(text string, more *phrasebook) string {
	if rd.seg != nil {
		return stripTokens(rd.seg.Segment(text), more)
	}
	return joinWords(stripWithout(text, books().stop, more))
}

// stripTokens removes question words from segmented text. An English
// question word goes only where it does not stand between two words of
// the topic ("belt and road" keeps its "and"); digits and letters written
// together are one word ("3A").
func stripTokens(toks []string, more *phrasebook) string { return stripTokensMore(toks, more) }

// stripTokensMore is stripTokens; a token marked with a leading NUL is a
// character of a word that only looks like a question word, and is kept.
func stripTokensMore(toks []string, more *phrasebook) string {
	stop := books().stop
	isStop := func(w string) bool {
		w = strings.ToLower(strings.TrimSpace(w))
		return w == "" || stop.has(w, "zh") || stop.has(w, "en") || more != nil && len(more.classes[w]) > 0
	}
	toks = joinAlnum(toks)
	kinds := make([]int, len(toks)) // 0 kept, 1 removed, 2 separator
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if strings.HasPrefix(t, "\x00") {
			toks[i] = t[1:]
			continue
		}
		if strings.TrimSpace(t) == "" || isSeparator(t) {
			kinds[i] = 2
			continue
		}
		// The longest run of tokens that makes one question word ("哪" +
		// "几条", "takes" + " " + "care" + " " + "of").
		n := 0
		acc := ""
		for j := i; j < len(toks) && j < i+7; j++ {
			acc += toks[j]
			if strings.TrimSpace(toks[j]) != "" && isStop(acc) {
				n = j - i + 1
			}
		}
		if n > 0 || isCount(t) {
			for k := i; k < i+max(n, 1); k++ {
				kinds[k] = 1
			}
			i += max(n, 1) - 1
		}
	}
	// English question words between two English words of the topic stay.
	for i, t := range toks {
		if kinds[i] != 1 || !isASCIIWordStart(t) {
			continue
		}
		if englishNeighbour(toks, kinds, i, -1) && englishNeighbour(toks, kinds, i, +1) {
			kinds[i] = 0
		}
	}
	words := make([]string, len(toks))
	for i, t := range toks {
		if kinds[i] == 0 {
			words[i] = t
		}
	}
	return joinWords(words)
}

// englishNeighbour reports whether the nearest word of toks before (dir
// -1) or after (+1) i, past spaces and removed English words, is a kept
// English word.
func englishNeighbour(toks []string, kinds []int, i, dir int) bool {
	for j := i + dir; j >= 0 && j < len(toks); j += dir {
		switch {
		case kinds[j] == 2 && strings.TrimSpace(toks[j]) == "":
			continue
		case kinds[j] == 1 && isASCIIWordStart(toks[j]):
			continue
		case kinds[j] == 0 && isASCIIWordStart(toks[j]):
			return true
		}
		return false
	}
	return false
}

// joinAlnum joins letters and digits written together ("3" "A" -> "3A").
func joinAlnum(toks []string) []string {
	var out []string
	for _, t := range toks {
		if n := len(out); n > 0 && isASCIIWordStart(t) && endsASCIIWord(out[n-1]) && isASCIIWordStart(out[n-1]) {
			out[n-1] += t
			continue
		}
		out = append(out, t)
	}
	return out
}

// joinWords joins kept words: together when they stood together, with a
// space where something removed stood between them ("" marks it).
func joinWords(words []string) string {
	var b strings.Builder
	gap := false
	for _, w := range words {
		if w == "" {
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		gap = false
	}
	return strings.Join(strings.Fields(strings.Trim(b.String(), " \"“”'‘’「」《》")), " ")
}

// stripWithout removes question words without a segmenter: the text is
// cut at the lexicon's words (the question words become words of their
// own, the rest runs of letters) and stripped as segmented text, except
// that a one-character question word glued to a word of the topic goes
// only when it is a particle ([edge]: 的 of 茶的, not 中 of 中小学).
func stripWithout(text string, stop, more *phrasebook) []string {
	var toks []string
	at := 0
	cut := func(to int) {
		for at < to {
			r, size := utf8.DecodeRuneInString(text[at:])
			switch {
			case r == ' ' || isSeparator(string(r)):
				toks = append(toks, string(r))
				at += size
			default:
				end := at
				for end < to {
					r2, s2 := utf8.DecodeRuneInString(text[end:])
					if r2 == ' ' || isSeparator(string(r2)) || isASCIIWordStart(string(r2)) != isASCIIWordStart(string(r)) {
						break
					}
					end += s2
				}
				toks = append(toks, text[at:end])
				at = end
			}
		}
	}
	var ms []Match
	ms = append(ms, stop.scan(text)...)
	if more != nil {
		for _, m := range more.scan(text) {
			if !slices.ContainsFunc(ms, func(o Match) bool { return m.Start < o.End && o.Start < m.End }) {
				ms = append(ms, m)
			}
		}
		slices.SortFunc(ms, func(a, b Match) int { return a.Start - b.Start })
	}
	for _, m := range ms {
		if m.Start < at {
			continue
		}
		cut(m.Start)
		word := text[m.Start:m.End]
		if utf8.RuneCountInString(word) == 1 && word[0] >= utf8.RuneSelf && !stop.has(word, "edge") && gluedToWord(text, m, ms) {
			toks = append(toks, "\x00"+word) // a character of a word, not a question word
		} else {
			toks = append(toks, word)
		}
		at = m.End
	}
	cut(len(text))
	return splitWords(stripTokensMore(toks, more))
}

// gluedToWord reports whether a match stands right beside a letter that
// no other match takes (中 of 中小学), not a space, punctuation or another
// question word.
func gluedToWord(text string, m Match, ms []Match) bool {
	taken := func(pos int) bool {
		return slices.ContainsFunc(ms, func(o Match) bool { return o.Start != m.Start && o.Start <= pos && pos < o.End })
	}
	if m.Start > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:m.Start])
		if r != ' ' && !isSeparator(string(r)) && !taken(m.Start-size) {
			return true
		}
	}
	if m.End < len(text) {
		r, _ := utf8.DecodeRuneInString(text[m.End:])
		if r != ' ' && !isSeparator(string(r)) && !taken(m.End) {
			return true
		}
	}
	return false
}

// splitWords turns a stripped text back into words for joinWords.
func splitWords(s string) []string {
	var out []string
	for i, w := range strings.Split(s, " ") {
		if i > 0 {
			out = append(out, "")
		}
		out = append(out, w)
	}
	return out
}

// maskSpans replaces the spans with spaces.
func maskSpans(text string, masks [][2]int) string {
	b := []byte(text)
	for _, m := range masks {
		for i := max(m[0], 0); i < m[1] && i < len(b); i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

// isSeparator reports whether a token is punctuation or space only.
func isSeparator(t string) bool {
	for _, r := range t {
		if !unicode.IsPunct(r) && !unicode.IsSpace(r) && !unicode.IsSymbol(r) {
			return false
		}
	}
	return true
}

// isCount reports whether a token is a count of items (两条, 那条, 几项):
// numerals or a demonstrative with an item measure word, which asks
// nothing of a topic.
func isCount(t string) bool {
	rs := []rune(t)
	if len(rs) < 2 {
		return false
	}
	stop := books().stop
	if !stop.has(string(rs[len(rs)-1]), "item-measure") {
		return false
	}
	for _, r := range rs[:len(rs)-1] {
		if !duban.IsChineseNumeral(r) && !stop.has(string(r), "count-lead") && !stop.has(string(r), "item-measure") {
			return false
		}
	}
	return true
}

func isASCIIWordStart(w string) bool { return w != "" && w[0] < utf8.RuneSelf && isWordByte(w[0]) }

func endsASCIIWord(s string) bool { return s != "" && isWordByte(s[len(s)-1]) }
