package index

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Abbreviations, derived by rule from the plan's own words.
//
// A Chinese short form takes one character of each word of a compound: the
// first, and for the last word the first or the last (福州大学 -> 福大,
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
	planWords map[string]bool     // the plan's words as gojieba cuts them (default mode, no overlaps)
}

// words returns the derived words, waiting until they are made.
func (ix *Index) words() *derivedWords {
	<-ix.derivedOK
	return &ix.derived
}

// commonWordFreq is the dictionary frequency from which a word is a word
// of its own rather than an abbreviation. In gojieba's dictionary the
// abbreviations of institutions and events count a few dozen (消协 28, 职校
// 52, 福大 41, 社保 119) and everyday words thousands (老人 4424, 手机
// 4789, 房价 655).
const commonWordFreq = 300

// maxFullForms is the most runs one short form may stand for; beyond it
// the short form says too little to be searched.
const maxFullForms = 4

// dictWords maps the dictionary's words of two and three characters to
// their frequency.
var dictWords = sync.OnceValue(func() map[string]int {
	data, err := dictFS.ReadFile("dict/jieba.dict.utf8")
	if err != nil {
		return map[string]int{}
	}
	out := make(map[string]int, 1<<16)
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		sp := bytes.IndexByte(line, ' ')
		if sp < 0 {
			continue
		}
		word := line[:sp]
		if n := utf8.RuneCount(word); n < 2 || n > 3 {
			continue
		}
		rest := line[sp+1:]
		if sp2 := bytes.IndexByte(rest, ' '); sp2 >= 0 {
			rest = rest[:sp2]
		}
		f, _ := strconv.Atoi(string(rest))
		out[string(word)] = f
	}
	return out
})

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
		out = append(out, string(append(head, end)))
	}
	return out
}

// isAbbreviation reports whether s may be taken for a short form: two or
// three Chinese characters and no common word of its own.
func isAbbreviation(s string) bool {
	n := utf8.RuneCountInString(s)
	return n >= 2 && n <= 3 && allHan(s) && dictWords()[s] < commonWordFreq
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
// 推进/v 信用/n), and of the dictionary words inside one long noun
// (知识产权 -> 知识 产权), that the plan does not write as a word itself.
// It also returns the plan's words as gojieba cuts them.
func (ix *Index) deriveAbbreviations() (abbrev map[string][]string, planWords map[string]bool) {
	runs := map[string][]string{} // short form -> full forms
	planWords = map[string]bool{}
	tiles := map[string][]string{}
	add := func(words []string) {
		if !runOK(words) {
			return
		}
		full := strings.Join(words, "")
		for _, s := range shortForms(words) {
			if isAbbreviation(s) && !slices.Contains(runs[s], full) {
				runs[s] = append(runs[s], full)
			}
		}
	}
	var nouns []string // the run of nouns so far
	flush := func() {
		for i := range nouns {
			for k := 2; k <= 3 && i+k <= len(nouns); k++ {
				add(nouns[i : i+k])
			}
		}
		nouns = nouns[:0]
	}
	for _, it := range ix.items {
		for _, wt := range ix.jieba.Tag(cString(ix.docs[it.Number])) {
			i := strings.LastIndexByte(wt, '/')
			if i <= 0 {
				flush()
				continue
			}
			w, tag := wt[:i], wt[i+1:]
			planWords[w] = true
			if !allHan(w) || stopWords[w] || !nounTag(tag) || utf8.RuneCountInString(w) < 2 {
				flush()
				continue
			}
			nouns = append(nouns, w)
			if utf8.RuneCountInString(w) < 3 {
				continue
			}
			t, ok := tiles[w]
			if !ok {
				t = ix.tile(w)
				tiles[w] = t
			}
			if len(t) > 1 {
				for i := range t {
					for k := 2; k <= 3 && i+k <= len(t); k++ {
						add(t[i : i+k])
					}
				}
			}
		}
		flush()
	}
	abbrev = map[string][]string{}
	for s, full := range runs {
		if planWords[s] || len(full) > maxFullForms {
			continue
		}
		slices.Sort(full)
		abbrev[s] = full
	}
	return abbrev, planWords
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
