package index

import (
	"slices"
	"strings"
)

// The user's word is not always the plan's word. Each word of a query is
// searched in every form the plan may write it in, and an item holding any
// of them holds the word:
//
//   - synonyms (lexicon/synonyms.txt): 网购 -> 电子商务, 电商;
//   - a short form of the plan's own compounds, derived by rule when the
//     index is built (abbrev.go): 厦大 -> 厦门大学, 职校 -> 职业院校;
//   - the plan's short form of words written in full: 快速 检测 -> 快检;
//   - for a word of three characters the plan never uses, the plan's words
//     that extend it, keeping its characters in order with the same first
//     and last one: 科研所 -> 科研院所.
//
// A word the plan never uses that CC-CEDICT glosses like a plan word
// (cedict-bridge.tsv: 孩子 -> 儿童, 衣服 -> 服装) finds that word too, but as
// a near word: an item holding it is a partial match, for the bridge is a
// guess (on a sample of 60 bridges about half named the same thing; 目的
// -> 目标, 松开 -> 发布 did not).
//
// Only forms the plan uses are searched (the plan's own words decide), so
// one set of rules serves any plan.

// expandPart returns the part for a piece of a query and its content
// words, each word with the forms it is searched in.
func (ix *Index) expandPart(piece string, words []string) part {
	words = ix.joinKnown(words)
	pt := part{raw: piece, words: words, forms: make([]forms, len(words))}
	for i, w := range words {
		pt.forms[i] = ix.expandWord(w)
	}
	// Words written in full where the plan writes a short form.
	for i := range words {
		for k := 2; k <= 3 && i+k <= len(words); k++ {
			for _, s := range ix.queryShortForms(words[i : i+k]) {
				for j := i; j < i+k; j++ {
					pt.forms[j].alts = appendNew(pt.forms[j].alts, s)
				}
			}
		}
	}
	return pt
}

// joinKnown joins adjacent words of a query whose concatenation is a
// synonym or a short form the index knows (gojieba may cut a short form it
// does not know into characters).
func (ix *Index) joinKnown(words []string) []string {
	if len(words) < 2 {
		return words
	}
	if w := strings.Join(words, ""); ix.synonymsFor(w) != nil || ix.words().abbrev[w] != nil {
		return []string{w}
	}
	var out []string
	for i := 0; i < len(words); {
		joined := false
		for k := min(3, len(words)-i); k >= 2; k-- {
			w := strings.Join(words[i:i+k], "")
			if ix.words().abbrev[w] != nil || ix.synonymsFor(w) != nil {
				out = append(out, w)
				i += k
				joined = true
				break
			}
		}
		if !joined {
			out = append(out, words[i])
			i++
		}
	}
	return out
}

// synonymsFor returns the plan's words for a typed word: its line of the
// synonym table, or for a word the plan does not hold, a variant's
// (synonymVariant).
func (ix *Index) synonymsFor(w string) []string {
	if s := synonyms[w]; s != nil {
		return s
	}
	if ix.occurs(w) {
		return nil
	}
	return synonymVariant(w)
}

// expandWord returns the forms one query word is searched in.
func (ix *Index) expandWord(w string) forms {
	f := forms{self: ix.occurs(w)}
	add := func(cands ...string) {
		for _, c := range cands {
			if c != w && ix.occurs(c) {
				f.alts = appendNew(f.alts, c)
			}
		}
	}
	add(ix.synonymsFor(w)...)
	if full, ok := ix.words().abbrev[w]; ok {
		// The plan never writes a short form as a word: where it holds
		// one only across two of its words (食安 in 粮食安全), it is not
		// searched as written.
		f.self = false
		add(full...)
	}
	if !f.self && len(f.alts) == 0 && ix.mode == ModeFull {
		add(ix.extensions(w)...)
	}
	if !f.self && ix.mode == ModeFull {
		for _, b := range cedictBridge(w) {
			if !slices.Contains(f.alts, b) && ix.occurs(b) {
				f.near = append(f.near, b)
			}
		}
	}
	return f
}

// maxExtension is how many characters an extension may add to a word.
const maxExtension = 2

// extensions returns the plan's words that extend w: w's characters in
// order, the same first and last character, at most maxExtension more
// (科研所 -> 科研院所, 高速路 -> 高速公路, 药监局 -> 药品监管局). Only
// words of three characters that are no common word of their own are
// extended: among the dictionary's two-character words the plan does not
// use, an extension was as often wrong (呼机 -> 呼吸机, 武山 -> 武夷山) as
// right (婴儿 -> 婴幼儿); two-character words have the synonyms and the
// derived short forms.
func (ix *Index) extensions(w string) []string {
	rs := []rune(w)
	if len(rs) != 3 || !allHan(w) || commonWords()[w] {
		return nil
	}
	var out []string
	for _, v := range ix.vocab.words {
		if len(v.runes) <= len(rs) || len(v.runes) > len(rs)+maxExtension ||
			v.runes[0] != rs[0] || v.runes[len(v.runes)-1] != rs[len(rs)-1] {
			continue
		}
		if isSubsequence(rs, v.runes) {
			out = append(out, v.word)
		}
	}
	return out
}

// isSubsequence reports whether a's runes stand in b in order.
func isSubsequence(a, b []rune) bool {
	i := 0
	for _, r := range b {
		if i < len(a) && a[i] == r {
			i++
		}
	}
	return i == len(a)
}
