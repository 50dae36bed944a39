package index

import (
	_ "embed"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yanyiwu/gojieba"
)

// Abbreviations, derived by rule from the plan's own words.
//
// A Chinese short form takes one character of each word of a compound: the
// first, and for the last word the first or the last, or both when it has
// three characters or more (福州大学 -> 福大, 文化和旅游部 -> 文旅部,
// 消费者协会 -> 消协, 职业院校 -> 职校, 粮食交易大会 -> 粮交会, 老年人 ->
// 老人). When the index is built, every run of two or three adjacent words
// of the plan, and of the dictionary words inside one long word (知识产权 ->
// 知识 产权), gives its short forms; a short form the plan never writes as
// a word is kept with the run it stands for, so that a question using it
// finds the run. The same rule runs the other way at query time: words of
// a question written in full (快速 检测) find the plan's short form (快检).
//
// Only nouns make a compound (gojieba's part-of-speech tags): 推进 信用
// gives no 推信. A short form that is a common word of its own (老人, 手机,
// 产量: gojieba's dictionary counts it commonWordFreq times or more) is no
// abbreviation, and one standing for more than maxFullForms runs says too
// little: both are dropped.

// derivedWords are the words the index derives from the plan's text.
type derivedWords struct {
	abbrev    map[string][]string // short form the plan never writes -> the runs it stands for
	planWords map[string]bool     // the plan's words as gojieba cuts them (no overlaps)
}

// words returns the derived words.
func (ix *Index) words() *derivedWords { return &ix.derived }

// commonWordFreq is the dictionary frequency from which a word is a word
// of its own rather than an abbreviation. In gojieba's dictionary the
// abbreviations of institutions and events count a few dozen (消协 28, 职校
// 52, 福大 41, 社保 119) and everyday words thousands (老人 4424, 手机
// 4789, 房价 655).
const commonWordFreq = 300

// maxFullForms is the most runs one short form may stand for; beyond it
// the short form says too little to be searched.
const maxFullForms = 4

// jiebaDict is gojieba's dictionary as dictFS holds it, read without a
// copy.
//
//go:embed dict/jieba.dict.utf8
var jiebaDict string

// eachDictWord calls f with every word of gojieba's dictionary and the
// rest of its line (frequency, part-of-speech tag: dictFields), without
// copying them.
func eachDictWord(f func(word, rest string)) {
	data := jiebaDict
	for len(data) > 0 {
		line := data
		if i := strings.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = ""
		}
		if sp := strings.IndexByte(line, ' '); sp > 0 {
			f(line[:sp], line[sp+1:])
		}
	}
}

// dictFields splits the rest of a dictionary line into the word's
// frequency and its part-of-speech tag.
func dictFields(rest string) (freq int, tag string) {
	f, t, _ := strings.Cut(rest, " ")
	freq, _ = strconv.Atoi(f)
	return freq, strings.TrimSpace(t)
}

// commonWords holds the dictionary's words of two and three characters
// counted commonWordFreq times or more.
var commonWords = sync.OnceValue(func() map[string]bool {
	out := make(map[string]bool, 8192)
	eachDictWord(func(word, rest string) {
		if n := len(word); n < 6 || n > 9 { // two or three Chinese characters
			return
		}
		if f, _ := dictFields(rest); f >= commonWordFreq {
			if n := utf8.RuneCountInString(word); n >= 2 && n <= 3 {
				out[word] = true
			}
		}
	})
	return out
})

// dictTags returns the dictionary's part-of-speech tags of the words.
func dictTags(words map[string]bool) map[string]string {
	// Most dictionary words start with a character no word of the plan
	// starts with: a bit per character of the Basic Multilingual Plane
	// rules them out before the map is asked.
	var first [1 << 16 / 64]uint64
	for w := range words {
		if r, _ := utf8.DecodeRuneInString(w); r < 1<<16 {
			first[r/64] |= 1 << (r % 64)
		}
	}
	out := make(map[string]string, len(words))
	eachDictWord(func(word, rest string) {
		if r, _ := utf8.DecodeRuneInString(word); r < 1<<16 && first[r/64]&(1<<(r%64)) == 0 {
			return
		}
		if words[word] {
			_, out[word] = dictFields(rest)
		}
	})
	return out
}

// segWord is a word of the plan as gojieba cuts it (default mode), with
// the dictionary words inside it.
type segWord struct {
	text string
	subs []gojieba.Word // offsets relative to text
}

// segment turns gojieba's search-mode words of a text (each word after
// the dictionary words inside it) into its default-mode words: the words
// no other word's span holds.
func segment(toks []gojieba.Word) []segWord {
	type span struct {
		w    gojieba.Word
		subs []gojieba.Word
	}
	var out []span
	for _, t := range toks {
		var subs []gojieba.Word
		for len(out) > 0 && out[len(out)-1].w.Start >= t.Start && out[len(out)-1].w.End <= t.End {
			last := out[len(out)-1]
			subs = append(append(last.subs, last.w), subs...)
			out = out[:len(out)-1]
		}
		if n := len(out); n > 0 && out[n-1].w.Start <= t.Start && t.End <= out[n-1].w.End {
			continue
		}
		out = append(out, span{t, subs})
	}
	words := make([]segWord, len(out))
	for i, sp := range out {
		words[i].text = sp.w.Str
		for _, s := range sp.subs {
			s.Start -= sp.w.Start
			s.End -= sp.w.Start
			words[i].subs = append(words[i].subs, s)
		}
	}
	return words
}

// tileSubs cuts a word of three characters or more into the dictionary
// words inside it (subs, as gojieba's search mode gives them), longest
// first from the left, single characters where none starts; a shorter
// word, or one no dictionary word divides, is returned whole.
func tileSubs(w string, subs []gojieba.Word) []string {
	rs := []rune(w)
	if len(rs) < 3 {
		return []string{w}
	}
	longest := make([]int, len(rs)) // longest sub-word starting at rune i, in runes
	byteToRune := make(map[int]int, len(rs))
	for i, b := 0, 0; i < len(rs); i++ {
		byteToRune[b] = i
		b += utf8.RuneLen(rs[i])
	}
	for _, t := range subs {
		n := utf8.RuneCountInString(t.Str)
		if t.Str == w || n < 2 {
			continue
		}
		if i, ok := byteToRune[t.Start]; ok && n > longest[i] {
			longest[i] = n
		}
	}
	var out []string
	for i := 0; i < len(rs); {
		n := max(1, longest[i])
		out = append(out, string(rs[i:i+n]))
		i += n
	}
	if len(out) == 1 {
		return []string{w}
	}
	return out
}

// shortForms returns the short forms of a compound of two or three words:
// the first character of each word, and for the last word its first or
// its last character.
func shortForms(words []string) []string {
	var head []rune
	for _, w := range words[:len(words)-1] {
		r, _ := utf8.DecodeRuneInString(w)
		head = append(head, r)
	}
	last := words[len(words)-1]
	first, _ := utf8.DecodeRuneInString(last)
	end, _ := utf8.DecodeLastRuneInString(last)
	out := []string{string(append(slices.Clone(head), first))}
	if end != first {
		out = append(out, string(append(slices.Clone(head), end)))
	}
	if len(words) == 2 && utf8.RuneCountInString(last) >= 3 {
		out = append(out, string(append(head, first, end)))
	}
	return out
}

// isAbbreviation reports whether s may be taken for a short form: two or
// three Chinese characters and no common word of its own.
func isAbbreviation(s string) bool {
	n := utf8.RuneCountInString(s)
	return n >= 2 && n <= 3 && allHan(s) && !commonWords()[s]
}

// runOK reports whether words form a compound to abbreviate: two or three
// of them, each of two characters or more but the last (老年 人).
func runOK(words []string) bool {
	if len(words) < 2 || len(words) > 3 {
		return false
	}
	for _, w := range words[:len(words)-1] {
		if utf8.RuneCountInString(w) < 2 {
			return false
		}
	}
	return true
}

// nounTag reports whether a gojieba part-of-speech tag marks a noun: a
// common or proper noun (n, nr, ns, nt, nz …), a verb or adjective used as
// one (vn, an), or a set phrase (l, 义务教育).
func nounTag(tag string) bool {
	return strings.HasPrefix(tag, "n") || tag == "vn" || tag == "an" || tag == "l"
}

// deriveAbbreviations collects the short forms of the runs of two or three
// adjacent nouns of the plan's items (福州/ns 大学/n, not 福建/ns 十大/j or
// 推进/v 信用/n: the dictionary's tags; the plan's own terms and agency
// names are nouns), and of the dictionary words inside one long noun
// (知识产权 -> 知识 产权), that the plan does not write as a word itself.
// It reads the items' words from segs (segment) and also returns them.
func deriveAbbreviations(segs [][]segWord, userWords []string) (abbrev map[string][]string, planWords map[string]bool) {
	planWords = map[string]bool{}
	for _, ws := range segs {
		for _, w := range ws {
			planWords[w.text] = true
		}
	}
	return abbreviate(planWords, func(yield func([]segWord)) {
		for _, ws := range segs {
			yield(ws)
		}
	}, userWords), planWords
}

// abbreviate is deriveAbbreviations given the plan's words and a walk over
// its items' words (which may cut them again rather than keep them: they
// take more memory than anything else a large build holds).
func abbreviate(planWords map[string]bool, each func(yield func([]segWord)), userWords []string) map[string][]string {
	tags := dictTags(planWords)
	for _, w := range userWords {
		if _, ok := tags[w]; !ok {
			tags[w] = "n" // as they were added
		}
	}
	runs := map[string][]string{} // short form -> full forms
	common := commonWords()
	var short []byte
	add := func(words []string, full string) {
		if !runOK(words) {
			return
		}
		// The short forms, built without allocating: the first character
		// of each word, then the first or the last of the last word.
		short = short[:0]
		for _, w := range words[:len(words)-1] {
			_, n := utf8.DecodeRuneInString(w)
			short = append(short, w[:n]...)
		}
		head := len(short)
		last := words[len(words)-1]
		_, nf := utf8.DecodeRuneInString(last)
		_, nl := utf8.DecodeLastRuneInString(last)
		ends := []string{last[:nf], last[len(last)-nl:]}
		if len(words) == 2 && utf8.RuneCountInString(last) >= 3 {
			// 旅游部 -> 旅部 of 文化和旅游部 -> 文旅部, 博览会 -> 博会 of
			// 花卉博览会 -> 花博会: a word of three characters or more
			// may give its first and its last.
			ends = append(ends, last[:nf]+last[len(last)-nl:])
		}
		for k, end := range ends {
			if k == 1 && nf == len(last) {
				break // one character: first and last are the same
			}
			short = append(short[:head], end...)
			if common[string(short)] || !allHan(string(short)) {
				continue
			}
			s := string(short)
			if !slices.Contains(runs[s], full) {
				runs[s] = append(runs[s], full)
			}
		}
	}
	var nouns []string // the run of nouns so far
	var joins []string // the conjunction written before each noun of the run, or ""
	flush := func() {
		for i := range nouns {
			full := nouns[i]
			for k := 2; k <= 3 && i+k <= len(nouns); k++ {
				full += joins[i+k-1] + nouns[i+k-1]
				add(nouns[i:i+k], full)
			}
		}
		nouns, joins = nouns[:0], joins[:0]
	}
	join := ""
	each(func(ws []segWord) {
		for _, sw := range ws {
			w := sw.text
			if conjunctions[w] && len(nouns) > 0 && join == "" {
				join = w // 文化 和 旅游部: one name
				continue
			}
			if !allHan(w) || stopWords[w] || !nounTag(tags[w]) || utf8.RuneCountInString(w) < 2 {
				flush()
				join = ""
				continue
			}
			nouns = append(nouns, w)
			joins = append(joins, join)
			join = ""
			if t := tileSubs(w, sw.subs); len(t) > 1 {
				for i := range t {
					for k := 2; k <= 3 && i+k <= len(t); k++ {
						add(t[i:i+k], strings.Join(t[i:i+k], ""))
					}
				}
			}
		}
		flush()
		join = ""
	})
	abbrev := map[string][]string{}
	for s, full := range runs {
		if planWords[s] || len(full) > maxFullForms {
			continue
		}
		slices.Sort(full)
		abbrev[s] = full
	}
	return abbrev
}

// queryShortForms returns, for a run of adjacent query words written in
// full, the plan's short forms of it: 快速 检测 -> 快检 where the plan
// writes 快检 as a word of its own.
func (ix *Index) queryShortForms(words []string) []string {
	if len(words) < 2 || len(words) > 3 {
		return nil
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) < 2 || !allHan(w) {
			return nil
		}
	}
	var out []string
	for _, s := range shortForms(words) {
		if isAbbreviation(s) && ix.words().planWords[s] {
			out = append(out, s)
		}
	}
	return out
}

func allHan(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !isHan(r) {
			return false
		}
	}
	return true
}
