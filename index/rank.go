package index

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/yanyiwu/gojieba"

	"duban"
)

// Ranking: items that hold every word of a query first, then items that
// hold some of them.
//
// The exact matches are found and ordered by the strict query (query.go):
// BM25 over the word and character fields, title and phrase boosts. When
// they are fewer than the result limit, the items holding part of the
// query follow. Each word of the query weighs its IDF in the plan (a word
// the plan never uses weighs most), and an item's coverage is the share of
// that weight it holds (a word neither the plan nor the dictionary knows
// weighs nothing): a word in any of its forms counts whole, the
// dictionary words inside a word (养老 of 养老院) count their share of it,
// and so do a word's head character and its near words (expand.go) half.
// A partial match must
//
//   - hold at least half the weight of one part of the query (the words
//     written together: 垃圾分类 is one part, and 分类 alone is less than
//     half of it), or the distinctive first character of a word the plan
//     never uses where the plan has it as a word's head (茶 of 乌龙茶 for
//     茶叶; not 树 of 树立 for 树苗);
//   - cover at least minCoverage of the whole query;
//   - rest on more than a single character: one character beside longer
//     words (说 in 七十条说什么) counts only together with one of them.
//
// Partial matches are ordered by coverage, BM25 breaking near ties
// (partialBM25Share), and scored below the last exact match.

// Thresholds of a partial match.
const (
	minPartCoverage = 0.4  // of one part of the query
	minCoverage     = 0.25 // of the whole query
	headCharCredit  = 0.5  // share of a word its head character stands for
	nearCredit      = 0.5  // share of a word a near word (forms.near) stands for
	// partialBM25Share is the weight of BM25 (scaled to the best partial
	// match) against coverage in the order of partial matches: it only
	// breaks near ties, so an item holding more of the query goes first.
	partialBM25Share = 0.05
)

// cover is what the ranking knows of the parts of a query.
type cover struct {
	parts []partCover
	total float64 // the weight of the whole query
}

// partCover is one part of a query.
type partCover struct {
	words  []wordCover
	weight float64
	major  float64 // the weight of its words less the minor ones
}

// wordCover is one word of a part (an agency part is one word).
type wordCover struct {
	forms   []string     // the strings that hold it
	folded  []string     // forms, folded, for About
	counted []string     // folded strings whose occurrences count for BM25: folded, then pieces, near words, head
	docs    bitset       // items holding it in one of its forms
	weight  float64      // IDF in the plan
	minor   bool         // one character beside longer words
	agency  bool         // an agency part
	pieces  []pieceCover // dictionary words inside it
	head    bitset       // items holding its head character (headChar), or nil
	near    bitset       // items holding a near word of it (forms.near), or nil
}

// pieceCover is a dictionary word inside a query word.
type pieceCover struct {
	text  string
	docs  bitset
	share float64 // of the word's weight
}

// idf is BM25's inverse document frequency of a string held by df of n
// items.
func idf(df, n int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// newCover weighs the words of a parsed query (ModeFull).
func (ix *Index) newCover(p parsed) *cover {
	n := len(ix.items)
	c := &cover{}
	words := 0 // the query's words, over all parts
	for _, pt := range p.parts {
		words += max(len(pt.words), len(pt.agency))
	}
	for _, pt := range p.parts {
		var pc partCover
		if len(pt.agency) > 0 {
			d := ix.agencyDocs(pt)
			pc.words = []wordCover{{forms: ix.agencies.forms(pt.agency), docs: d, weight: idf(d.count(), n), agency: true}}
		}
		for i, w := range pt.words {
			wc := wordCover{forms: pt.forms[i].all(w)}
			wc.docs = newBitset(n)
			for _, f := range wc.forms {
				wc.docs.or(ix.docsWith(f))
			}
			// One character beside longer words of its part, or one that
			// is not distinctive (distinctiveChar: 厅 of 哪个厅 stands in
			// seven items) beside other words of the query, is a stray
			// character.
			wc.minor = runeLen(w) == 1 && (len(pt.words) > 1 || words > 1 && !distinctiveChar(wc.docs.count(), n))
			wc.weight = idf(wc.docs.count(), n)
			if !wc.docs.any() && !ix.isDictWord(w) && !englishWordRe.MatchString(w) {
				// Neither the plan nor the dictionary knows it: gojieba
				// made it of leftover characters (要建 of 供水管网要建多长),
				// and it is wording rather than a topic the plan lacks.
				// An English word left in the query is a topic (parse
				// keeps one only as such: "quality of cosmetics").
				wc.weight = 0
			}
			var extra []string
			if !wc.minor {
				wc.pieces = ix.pieces(w, n)
				for _, pc := range wc.pieces {
					extra = append(extra, foldText(pc.text))
				}
				if h, ok := ix.headChar(w); ok && !wc.docs.any() && len(pt.forms[i].near) == 0 {
					wc.head = ix.docsWith(h) // the last resort
					extra = append(extra, foldText(h))
				}
				if near := pt.forms[i].near; len(near) > 0 {
					wc.near = newBitset(n)
					for _, f := range near {
						wc.near.or(ix.docsWith(f))
						extra = append(extra, foldText(f))
					}
					if !wc.docs.any() {
						// Weighed by what the plan has for it, not as a
						// word the plan lacks.
						wc.weight = idf(wc.near.count(), n)
					}
				}
			}
			for _, f := range wc.forms {
				wc.folded = append(wc.folded, foldText(f))
			}
			wc.counted = append(wc.counted, wc.folded...)
			wc.counted = append(wc.counted, extra...)
			pc.words = append(pc.words, wc)
		}
		for _, wc := range pc.words {
			pc.weight += wc.weight
			if !wc.minor {
				pc.major += wc.weight
			}
		}
		c.parts = append(c.parts, pc)
		c.total += pc.weight
	}
	return c
}

// agencyDocs returns the items an agency part finds: those the agency is
// responsible for and those naming it.
func (ix *Index) agencyDocs(pt part) bitset {
	d := ix.docsWith(pt.raw)
	for _, f := range ix.agencies.forms(pt.agency) {
		if runeLen(f) >= 3 {
			d.or(ix.docsWith(f))
		}
	}
	for i, it := range ix.items {
		if slices.ContainsFunc(pt.agency, func(a string) bool { return it.RoleOf(a).Responsible() }) {
			d.set(i)
		}
	}
	return d
}

// distinctiveChar reports whether a character standing in df of n items
// says what it is about: it stands in one to three items, and in no more
// than a tenth of them (茶, 笋, 瓷 of the 2021 plan).
func distinctiveChar(df, n int) bool { return df >= 1 && df <= 3 && df*10 <= n }

// isDictWord reports whether gojieba's dictionary (with the user words)
// holds w as one word.
func (ix *Index) isDictWord(w string) bool {
	return len(ix.jieba.Cut(w, false)) == 1
}

// pieces returns the dictionary words of two characters or more inside a
// word of three characters or more (tile), each with its share of the
// word's weight; single characters count in the whole but give no credit.
func (ix *Index) pieces(w string, n int) []pieceCover {
	if runeLen(w) < 3 {
		return nil
	}
	ts := ix.tile(w)
	if len(ts) < 2 {
		return nil
	}
	sum := 0.0
	ws := make([]float64, len(ts))
	for i, t := range ts {
		ws[i] = idf(ix.docsWith(t).count(), n)
		sum += ws[i]
	}
	var out []pieceCover
	for i, t := range ts {
		if runeLen(t) < 2 {
			continue
		}
		if d := ix.docsWith(t); d.any() {
			out = append(out, pieceCover{text: t, docs: d, share: ws[i] / sum})
		}
	}
	return out
}

// tile cuts a word of three characters or more into the dictionary words
// inside it, longest first from the left, single characters where no
// dictionary word starts; a shorter word is returned whole.
func (ix *Index) tile(w string) []string {
	if utf8.RuneCountInString(w) < 3 {
		return []string{w}
	}
	return tileSubs(w, ix.jieba.Tokenize(w, gojieba.SearchMode, true))
}

// credit returns how much of a word item i holds (0 to the word's weight)
// and whether it rests on the head character alone.
func (wc *wordCover) credit(i int) float64 {
	if wc.docs.has(i) {
		return wc.weight
	}
	share := 0.0
	for _, p := range wc.pieces {
		if p.docs.has(i) {
			share += p.share
		}
	}
	if wc.head != nil && wc.head.has(i) {
		share = max(share, headCharCredit)
	}
	if wc.near != nil && wc.near.has(i) {
		share = max(share, nearCredit)
	}
	return wc.weight * min(share, 1)
}

// partCredit returns the weight of a part item i holds. A minor word
// counts only beside another word of the part that the item holds.
func (pc *partCover) partCredit(i int) float64 {
	sum, major := 0.0, false
	var minor float64
	for k := range pc.words {
		c := pc.words[k].credit(i)
		if c == 0 {
			continue
		}
		if pc.words[k].minor {
			minor += c
			continue
		}
		sum += c
		major = true
	}
	if major {
		sum += minor
	}
	return sum
}

// majorCredit returns the weight of a part's words, less the minor ones,
// that item i holds.
func (pc *partCover) majorCredit(i int) float64 {
	sum := 0.0
	for k := range pc.words {
		if !pc.words[k].minor {
			sum += pc.words[k].credit(i)
		}
	}
	return sum
}

// coverage returns item i's share of the query's weight and whether it
// may stand as a partial match.
func (c *cover) coverage(i int) (float64, bool) {
	if c.total == 0 {
		return 0, false
	}
	sum, basis := 0.0, false
	for k := range c.parts {
		pc := &c.parts[k]
		got := pc.partCredit(i)
		sum += got
		// A stray character beside the part's words (看 of 网上看演出)
		// does not raise the share the words must reach.
		if pc.major > 0 && pc.majorCredit(i) >= minPartCoverage*pc.major-1e-9 {
			basis = true
		}
	}
	cov := sum / c.total
	return cov, basis && cov >= minCoverage-1e-9
}

// about returns the IDF-weighted share of the query's text words that
// stand in title (folded): Hit.About.
func (c *cover) about(title string) float64 {
	t := title
	sum, total := 0.0, 0.0
	for _, pc := range c.parts {
		for _, wc := range pc.words {
			if wc.minor || wc.agency {
				continue
			}
			total += wc.weight
			if slices.ContainsFunc(wc.folded, func(f string) bool { return strings.Contains(t, f) }) {
				sum += wc.weight
			}
		}
	}
	if total == 0 {
		return 0
	}
	return sum / total
}

// partialHits returns the items outside exact that may stand as partial
// matches, best first, scored below the last exact match.
func (ix *Index) partialHits(p parsed, c *cover, exact []duban.Hit) ([]duban.Hit, []string) {
	in := make(map[int]bool, len(exact))
	for _, h := range exact {
		in[h.Item] = true
	}
	type cand struct {
		i       int
		cov, bm float64
	}
	var cands []cand
	maxBM := 0.0
	for i, it := range ix.items {
		if in[it.Number] {
			continue
		}
		if cov, ok := c.coverage(i); ok {
			bm := c.bm25(i, ix.occ.folded[i], ix.avgLen)
			cands = append(cands, cand{i, cov, bm})
			maxBM = max(maxBM, bm)
		}
	}
	if len(cands) == 0 {
		return nil, nil
	}
	out := make([]duban.Hit, 0, len(cands))
	for _, cd := range cands {
		s := (1 - partialBM25Share) * cd.cov
		if maxBM > 0 {
			s += partialBM25Share * cd.bm / maxBM
		}
		out = append(out, duban.Hit{Item: ix.items[cd.i].Number, Score: s})
	}
	sortHits(out)
	// Scores stay in rank order across the two groups, so that a reply
	// weighing them sees exact matches first.
	if len(exact) > 0 {
		f := verbatimShare * exact[len(exact)-1].Score / out[0].Score
		for i := range out {
			out[i].Score *= f
		}
	}
	return out, c.extraMarks()
}

// BM25's parameters for the partial matches, as bleve's.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// bm25 scores item i (its folded text) for the query as BM25 does: each
// word's IDF times its saturated frequency in the text, the frequency
// counting every form of the word, the dictionary words inside it, its
// near words and its head character. Partial matches are few and need
// only a tie-break, so the counts come from the text rather than from a
// second bleve query.
func (c *cover) bm25(i int, text string, avgLen float64) float64 {
	norm := bm25K1 * (1 - bm25B + bm25B*float64(len(text))/avgLen)
	sum := 0.0
	for _, pc := range c.parts {
		for _, wc := range pc.words {
			if wc.credit(i) == 0 {
				continue
			}
			tf := 0
			for _, f := range wc.counted {
				tf += strings.Count(text, f)
			}
			sum += wc.weight * float64(tf) * (bm25K1 + 1) / (float64(tf) + norm)
		}
	}
	return sum
}

// extraMarks returns the strings a partial match may hold instead of a
// query word: the dictionary words inside one, its near words and its
// head character.
func (c *cover) extraMarks() []string {
	var out []string
	for _, pc := range c.parts {
		for _, wc := range pc.words {
			out = appendNew(out, wc.counted[len(wc.folded):]...)
		}
	}
	return out
}

// relaxedQuery matches any form of any word of any part, a dictionary
// word inside one, or its head character. It returns the query and the
// extra strings to mark. The analysis modes kept for comparison answer
// with it when nothing matches every word (searchSimple).
func (ix *Index) relaxedQuery(p parsed) (query.Query, []string) {
	var any []query.Query
	var extra []string
	for _, pt := range p.parts {
		if len(pt.agency) > 0 {
			any = append(any, ix.partQuery(pt))
			continue
		}
		for i, w := range pt.words {
			// One character alone (元 of 元宇宙, 5 of 5G) says too little
			// to stand for what was asked.
			if utf8.RuneCountInString(w) > 1 || len(pt.words) == 1 && len(p.parts) == 1 {
				for _, f := range pt.forms[i].all(w) {
					if ix.occurs(f) {
						any = append(any, ix.wordQuery(f))
					}
				}
			}
			for _, s := range ix.subWords(w) {
				if ix.occurs(s) {
					any = append(any, ix.wordQuery(s))
					extra = append(extra, s)
				}
			}
			for _, s := range pt.forms[i].near {
				any = append(any, ix.wordQuery(s))
				extra = append(extra, s)
			}
			if c, ok := ix.headChar(w); ok && len(pt.forms[i].near) == 0 {
				any = append(any, ix.wordQuery(c))
				extra = append(extra, c)
			}
		}
	}
	if len(any) == 0 {
		return nil, nil
	}
	return query.NewDisjunctionQuery(any), extra
}
