package index

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/yanyiwu/gojieba"
	"golang.org/x/text/unicode/norm"

	"duban"
)

// How a query is answered:
//
//  1. normalise: Unicode NFKC (full width to half width), Slack markup
//     removed (<@U…>, <#C…|name>, <!here>, <url|text> keeps text), ASCII
//     lower-cased, English words translated into the plan's words (the
//     hand glossary, then CC-CEDICT, phrases first: english.go) and English
//     function and question words dropped (lexicon/stop_en.txt).
//     Question words ("哪些工作涉及", "items about") are the engine's
//     business and are mostly removed before the query gets here.
//  2. split into parts at spaces and punctuation; every part is required
//     for an exact match. Agency names in a part become parts of their
//     own, matched against the canonical names in the agency field (and
//     the text as written).
//  3. a text part is cut into words by gojieba, without function and
//     question words (lexicon/stop_zh.txt); each word must occur, either as
//     a gojieba token or as a phrase of consecutive characters (so 茶
//     finds 乌龙茶 but 林业 never matches 产业), in any of the forms the plan
//     writes it in (synonyms, short and full forms: expand.go). The part as
//     a whole, found verbatim, and words in the title raise the score.
//  4. the items holding every part are the exact matches. When they are
//     fewer than the limit, the items holding enough of the query follow
//     them, ranked by the share of the query they cover (rank.go); when
//     there are no exact matches, the result says Relaxed.
//  5. when nothing matches at all, the result suggests the plan's words
//     that a mistyped word likely stands for (typo.go), or says the
//     question is outside the plan (OutOfPlan).

// part is one required piece of a query.
type part struct {
	raw    string   // as written, normalised
	words  []string // content words (text parts)
	forms  []forms  // forms[i]: how words[i] is searched (text parts)
	agency []string // canonical names (agency parts)
}

// forms are the strings searched for one word of a query: the word as
// typed (unless the plan holds it only across two of its own words, as 食安
// in 粮食安全), and the plan's words for it (expand.go).
type forms struct {
	self bool     // the word itself is searched
	alts []string // other forms, in the order found
	near []string // words of the same gloss: an item holding one is a partial match
}

// all returns the forms searched for w.
func (f forms) all(w string) []string {
	if !f.self {
		return f.alts
	}
	return append([]string{w}, f.alts...)
}

// parsed is a normalised query.
type parsed struct {
	parts []part
	marks []string            // strings to mark in snippets
	terms []string            // what was searched, for SearchResult.Terms
	alts  map[string][]string // other forms of terms, for SearchResult.Alternatives
}

var (
	slackUserRe    = regexp.MustCompile(`<[@!][^>]*>`)
	slackChannelRe = regexp.MustCompile(`<#[A-Z0-9]+(?:\|([^>]*))?>`)
	slackLinkRe    = regexp.MustCompile(`<([a-z][a-z0-9+.-]*:[^>|]*)(?:\|([^>]*))?>`)
	itemNumberRe   = regexp.MustCompile(`^(?:#|第|item\s*|no\.?\s*)?(\d{1,3})(?:条|项)?$`)
	asciiWordRe    = regexp.MustCompile(`[a-z][a-z'-]*`)
	englishWordRe  = regexp.MustCompile(`^[a-z][a-z'-]*$`)
)

// fold applies step 1 but the translation of English.
func fold(q string) string {
	q = cString(q)
	q = slackUserRe.ReplaceAllString(q, " ")
	q = slackChannelRe.ReplaceAllString(q, " ")
	q = slackLinkRe.ReplaceAllStringFunc(q, func(m string) string {
		sub := slackLinkRe.FindStringSubmatch(m)
		return " " + sub[2] + " "
	})
	q = norm.NFKC.String(q)
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf {
			return unicode.ToLower(r)
		}
		return r
	}, q)
}

// normalize applies step 1, translating English into words that the
// texts of t hold. It returns the groups of translations that group
// markers in the text stand for (english.go).
func (ix *Index) normalize(q string, t *textSet) (string, [][]string) {
	return ix.translateEnglish(fold(q), t)
}

// isSeparator reports whether r splits a query into parts.
func isSeparator(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// maxQueryRunes bounds the work a query can cause: longer queries are cut
// (a pasted paragraph is still found by its first sentences).
const maxQueryRunes = 200

// parse applies steps 1 to 3 to q.
func (ix *Index) parse(q string) parsed {
	var p parsed
	q, groups := ix.normalize(q, ix.itemTexts)
	if utf8.RuneCountInString(q) > maxQueryRunes {
		q = string([]rune(q)[:maxQueryRunes])
	}
	seen := map[string]bool{}
	var dropped []string // English words taken for wording
	han := len(groups) > 0 || strings.ContainsFunc(q, func(r rune) bool { return unicode.Is(unicode.Han, r) })
	for _, raw := range strings.FieldsFunc(q, isSeparator) {
		if seen[raw] {
			continue
		}
		seen[raw] = true
		if cands, ok := group(raw, groups); ok {
			// English with several translations: one word, searched in
			// every translation the plan holds.
			w := cands[0]
			f := forms{self: ix.occurs(w)}
			for _, c := range cands[1:] {
				if ix.occurs(c) {
					f.alts = append(f.alts, c)
				}
			}
			p.parts = append(p.parts, part{raw: w, words: []string{w}, forms: []forms{f}})
			continue
		}
		// An English word the plan never uses, beside Chinese terms (the
		// glossary's or typed), is wording ("how many km of 供水 pipes
		// will be newly built"): requiring it would leave nothing to match.
		if han && englishWordRe.MatchString(raw) && !ix.occurs(raw) {
			dropped = append(dropped, raw)
			continue
		}
		rest := raw
		n := len(p.parts)
		for _, m := range ix.agencies.dir.Find(raw) {
			p.parts = append(p.parts, part{raw: m.Text, agency: m.Names})
			rest = strings.Replace(rest, m.Text, " ", 1)
		}
		for _, piece := range strings.Fields(rest) {
			words := ix.cut(piece)
			if len(words) == 0 {
				continue
			}
			p.parts = append(p.parts, ix.expandPart(piece, words))
		}
		if rest != raw && len(p.parts) > n {
			p.marks = append(p.marks, raw)
		}
	}
	// Taken for wording beside words most items hold, they were the
	// topic: "quality of cosmetics" asks about cosmetics, which no item
	// names, not about quality.
	if len(dropped) > 0 && ix.onlyCommon(p.parts) {
		for _, w := range dropped {
			if words := ix.cut(w); len(words) > 0 {
				p.parts = append(p.parts, ix.expandPart(w, words))
			}
		}
	}
	// A piece of function words only (的 in "的 电梯") asks for nothing
	// beside pieces that do.
	if slices.ContainsFunc(p.parts, func(pt part) bool { return !pt.functionWords() }) {
		p.parts = slices.DeleteFunc(p.parts, part.functionWords)
	}
	for _, pt := range p.parts {
		if len(pt.agency) > 0 {
			p.marks = append(p.marks, ix.agencies.forms(pt.agency)...)
			p.terms = append(p.terms, pt.agency...)
			continue
		}
		p.marks = append(p.marks, pt.raw)
		for i, w := range pt.words {
			p.marks = append(p.marks, pt.forms[i].all(w)...)
			p.terms = append(p.terms, w)
			if alts := pt.forms[i].alts; len(alts) > 0 {
				if p.alts == nil {
					p.alts = map[string][]string{}
				}
				p.alts[w] = appendNew(p.alts[w], alts...)
			}
		}
	}
	p.terms = dedupe(p.terms)
	p.marks = dedupe(p.marks)
	return p
}

// commonShare is the share of the items a word must stand in to say
// nothing of a topic on its own (质量, 工作, 监管).
const commonShare = 3 // one item in three

// onlyCommon reports whether every word of the parts stands in at least
// one item in commonShare (and no part names an agency).
func (ix *Index) onlyCommon(parts []part) bool {
	n := len(ix.plan.Items)
	for _, pt := range parts {
		if len(pt.agency) > 0 {
			return false
		}
		for _, w := range pt.words {
			if ix.docsWith(w).count()*commonShare < n {
				return false
			}
		}
	}
	return true
}

// functionWords reports whether a text part holds function words only.
func (pt part) functionWords() bool {
	return len(pt.agency) == 0 && !slices.ContainsFunc(pt.words, func(w string) bool { return !stopWords[w] })
}

// cut splits a query piece into content words: gojieba's default mode,
// without punctuation and function words (unless nothing else is left).
func (ix *Index) cut(s string) []string {
	var all, content []string
	for _, w := range ix.jieba.Tokenize(cString(s), gojieba.DefaultMode, true) {
		if !hasWordRune(w.Str) {
			continue
		}
		all = append(all, w.Str)
		if !stopWords[w.Str] {
			content = append(content, w.Str)
		}
	}
	if len(content) == 0 {
		return dedupe(all)
	}
	// A short piece the plan holds as written that gojieba cuts leaving a
	// single character (物 联网 of 物联网) stays whole: the character alone
	// would stand for nothing, and the rest would find other words (互联网).
	if len(content) > 1 && runeLen(s) <= 4 && slices.ContainsFunc(content, func(w string) bool { return runeLen(w) == 1 }) &&
		ix.mode == ModeFull && ix.occurs(s) {
		return []string{s}
	}
	return dedupe(content)
}

// subWords returns the dictionary words of at least two characters inside
// w (gojieba's search mode), without w itself.
func (ix *Index) subWords(w string) []string {
	var out []string
	for _, t := range ix.jieba.Tokenize(cString(w), gojieba.SearchMode, true) {
		if t.Str != w && utf8.RuneCountInString(t.Str) >= 2 && hasWordRune(t.Str) && !stopWords[t.Str] {
			out = append(out, t.Str)
		}
	}
	return dedupe(out)
}

func dedupe(in []string) []string {
	out := in[:0:0]
	for _, s := range in {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// appendNew appends the strings of s that list lacks.
func appendNew(list []string, s ...string) []string {
	for _, x := range s {
		if !slices.Contains(list, x) {
			list = append(list, x)
		}
	}
	return list
}

// runeLen is utf8.RuneCountInString.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

// Boosts of the query clauses.
const (
	agencyBoost = 4.0 // an agency's own items before items that mention it
	phraseBoost = 1.5 // the whole part found verbatim
	titleBoost  = 0.5 // a word in the item's title
)

// docsWith returns the positions (in ix.items) of the items where s
// occurs. With the character field, a word can match only where it occurs
// (a gojieba token and a phrase of characters are both substrings of the
// text), so these sets spare bleve queries that cannot match; they change
// no result.
func (ix *Index) docsWith(s string) bitset {
	return ix.occ.docs(foldText(s))
}

// occurs reports whether s occurs in some item (always true without the
// character field, where the check does not hold).
func (ix *Index) occurs(s string) bool {
	return ix.mode != ModeFull || ix.docsWith(s).any()
}

// wordQuery matches one word: a gojieba token or a phrase of characters
// (ModeFull), a gojieba token (ModeWords) or all its bigrams (ModeCJK).
func (ix *Index) wordQuery(w string) query.Query {
	switch ix.mode {
	case ModeCJK:
		m := query.NewMatchQuery(w)
		m.SetField(fieldWord)
		m.Analyzer = "cjk"
		m.SetOperator(query.MatchQueryOperatorAnd)
		return m
	case ModeWords:
		return termQuery(fieldWord, w, 1)
	}
	// The character phrase is there for the places where gojieba did not
	// cut the word out (茶 in 乌龙茶); where the word field holds the word
	// in every item it occurs in, the term alone matches the same items.
	if tok := ix.tokens[foldText(w)]; tok != nil && slices.Equal(tok, ix.docsWith(w)) {
		return termQuery(fieldWord, w, 1)
	}
	return query.NewDisjunctionQuery([]query.Query{termQuery(fieldWord, w, 1), charQuery(w, 1)})
}

func termQuery(field, term string, boost float64) query.Query {
	q := query.NewTermQuery(term)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// charQuery matches s as consecutive characters of the character field.
func charQuery(s string, boost float64) query.Query {
	cs := chars(s)
	if len(cs) == 1 {
		return termQuery(fieldChar, cs[0], boost)
	}
	q := query.NewPhraseQuery(cs, fieldChar)
	q.SetBoost(boost)
	return q
}

// strictQuery requires every part.
func (ix *Index) strictQuery(p parsed) query.Query {
	var must []query.Query
	for _, pt := range p.parts {
		must = append(must, ix.partQuery(pt))
	}
	return query.NewConjunctionQuery(must)
}

// partQuery matches one part.
func (ix *Index) partQuery(pt part) query.Query {
	if len(pt.agency) > 0 {
		var any []query.Query
		for _, c := range pt.agency {
			any = append(any, termQuery(fieldAgency, c, agencyBoost))
		}
		any = append(any, ix.wordQuery(pt.raw))
		// Other forms the plan writes the agency in (item 10 names
		// 省工信厅 as 工信厅), so that a search finds every mention.
		for _, f := range ix.agencies.forms(pt.agency) {
			if f != pt.raw && utf8.RuneCountInString(f) >= 3 && ix.occurs(f) {
				any = append(any, ix.wordQuery(f))
			}
		}
		return query.NewDisjunctionQuery(any)
	}
	var must, should []query.Query
	for i, w := range pt.words {
		fs := pt.forms[i].all(w)
		if len(fs) == 0 { // nothing of the plan stands for this word
			return query.NewMatchNoneQuery()
		}
		var any []query.Query
		for k, f := range fs {
			any = append(any, ix.wordQuery(f))
			// Another form of the word raises the score only where a
			// title holds it (it would match nothing else).
			if ix.mode != ModeCJK && (k == 0 && pt.forms[i].self || strings.Contains(ix.titleText, foldText(f))) {
				should = append(should, termQuery(fieldTitle, f, titleBoost))
			}
		}
		if len(any) == 1 {
			must = append(must, any[0])
		} else {
			must = append(must, query.NewDisjunctionQuery(any))
		}
	}
	if len(pt.words) > 1 && ix.mode == ModeFull && len(chars(pt.raw)) > 1 && ix.occurs(pt.raw) {
		should = append(should, charQuery(pt.raw, phraseBoost))
	}
	if len(should) == 0 && len(must) == 1 {
		return must[0]
	}
	return newBoostQuery(must, should)
}

// headChar returns the first character of a two-character word the plan
// never uses when that character is distinctive (it occurs in one to
// three items, and in no more than a tenth of them) and the plan writes it
// as a word or as the head (last character) of one: 茶叶 -> 茶 of 乌龙茶,
// 鞋子 -> 鞋 of 制鞋, 瓷砖 -> 瓷 of 陶瓷. A common first character (发 of
// 发射) says nothing, and one the plan has only at the start of a word of
// another sense (树 of 树立 for 树苗, 说 of 说明) is a stray character:
// neither is returned.
func (ix *Index) headChar(w string) (string, bool) {
	rs := []rune(w)
	if ix.mode != ModeFull || len(rs) != 2 || !unicode.Is(unicode.Han, rs[0]) || ix.occurs(w) || !ix.heads[rs[0]] {
		return "", false
	}
	c := string(rs[0])
	if !distinctiveChar(ix.docsWith(c).count(), len(ix.items)) {
		return "", false
	}
	return c, true
}

// search runs the steps above.
func (ix *Index) search(ctx context.Context, q string, limit int) (duban.SearchResult, error) {
	var res duban.SearchResult
	if n, ok := ix.itemShortcut(q); ok {
		res.Terms = []string{strconv.Itoa(n)}
		res.Hits = []duban.Hit{{Item: n, Score: 1, Snippet: ix.snippetFor(n, nil).text}}
		res.Exact = 1
		return res, nil
	}
	p := ix.parse(q)
	res.Terms, res.Alternatives = p.terms, p.alts
	if len(p.parts) == 0 {
		if strings.TrimSpace(q) != "" {
			ix.noHits(p, &res)
		}
		return res, nil
	}
	if ix.mode != ModeFull {
		return ix.searchSimple(ctx, p, limit, res)
	}
	var hits []duban.Hit
	var err error
	if ix.canMatchAll(p) {
		if hits, err = ix.runQuery(ctx, ix.strictQuery(p)); err != nil {
			return res, err
		}
		hits = ix.verbatimFirst(p, hits)
	}
	cov := ix.newCover(p)
	marks := p.marks
	res.Exact = min(len(hits), limit)
	if len(hits) < limit {
		if partial, extra := ix.partialHits(p, cov, hits); len(partial) > 0 {
			hits = append(hits, partial...)
			marks = dedupe(append(slices.Clone(marks), extra...))
		}
	}
	if len(hits) == 0 {
		ix.noHits(p, &res)
		return res, nil
	}
	res.Relaxed = res.Exact == 0
	if res.Relaxed {
		// Only part of the query found: a mistyped word may be why.
		res.Suggestions = ix.typoSuggestions(p, 3)
	}
	if len(hits) > limit {
		hits = hits[:limit]
	}
	for i := range hits {
		s := ix.snippetFor(hits[i].Item, marks)
		hits[i].Snippet, hits[i].Marks = s.text, s.marks
		hits[i].About = cov.about(ix.titles[hits[i].Item])
	}
	res.Hits = hits
	return res, nil
}

// searchSimple answers in the analysis modes kept for comparison (ModeWords,
// ModeCJK), where the character index does not say where a word occurs:
// the exact matches, or when there are none, the items matching any word.
func (ix *Index) searchSimple(ctx context.Context, p parsed, limit int, res duban.SearchResult) (duban.SearchResult, error) {
	hits, err := ix.runQuery(ctx, ix.strictQuery(p))
	if err != nil {
		return res, err
	}
	res.Exact = min(len(hits), limit)
	marks := p.marks
	if len(hits) == 0 {
		if rq, extra := ix.relaxedQuery(p); rq != nil {
			if hits, err = ix.runQuery(ctx, rq); err != nil {
				return res, err
			}
			res.Relaxed = len(hits) > 0
			marks = dedupe(append(slices.Clone(marks), extra...))
		}
	}
	if len(hits) == 0 {
		ix.noHits(p, &res)
		return res, nil
	}
	if len(hits) > limit {
		hits = hits[:limit]
	}
	for i := range hits {
		s := ix.snippetFor(hits[i].Item, marks)
		hits[i].Snippet, hits[i].Marks = s.text, s.marks
	}
	res.Hits = hits
	return res, nil
}

// verbatimFirst moves the items that hold every compound part of the query
// as written (职业教育 in 提升职业教育质量) before the items that hold its
// words only apart (职业 技能 … 教育 培养 in a short item), keeping the
// order within each group: the phrase boost alone did not outweigh the
// length of a long item that holds the compound. Parts of one word and
// agency parts put no item ahead.
func (ix *Index) verbatimFirst(p parsed, hits []duban.Hit) []duban.Hit {
	if ix.mode != ModeFull || len(hits) < 2 {
		return hits
	}
	var in bitset
	for _, pt := range p.parts {
		if len(pt.agency) > 0 || len(pt.words) < 2 {
			continue
		}
		d := ix.docsWith(pt.raw)
		if in == nil {
			in = slices.Clone(d)
		} else {
			in.and(d)
		}
	}
	if in == nil || !in.any() {
		return hits
	}
	pos := make(map[int]int, len(ix.items))
	for i, it := range ix.items {
		pos[it.Number] = i
	}
	var verb, rest []duban.Hit
	for _, h := range hits {
		if in.has(pos[h.Item]) {
			verb = append(verb, h)
		} else {
			rest = append(rest, h)
		}
	}
	if len(verb) == 0 || len(rest) == 0 {
		return hits
	}
	// Scores stay in rank order, so that a reply weighing them (a who
	// question names the items close to the best) sees the new order: the
	// best item holding the words only apart scores at most
	// verbatimShare of the last item holding them as written.
	minVerb, maxRest := verb[len(verb)-1].Score, rest[0].Score
	if maxRest > verbatimShare*minVerb && maxRest > 0 {
		f := verbatimShare * minVerb / maxRest
		for i := range rest {
			rest[i].Score *= f
		}
	}
	return append(verb, rest...)
}

// verbatimShare is the most an item that holds a compound's words only
// apart may score, as a share of the items that hold it as written.
const verbatimShare = 0.8

// canMatchAll reports whether some item holds every word of every text
// part and one of the names of every agency part; when none does, the
// strict query cannot match.
func (ix *Index) canMatchAll(p parsed) bool {
	if ix.mode != ModeFull {
		return true
	}
	all := newBitset(len(ix.items))
	for i := range ix.items {
		all.set(i)
	}
	for _, pt := range p.parts {
		if len(pt.agency) > 0 {
			in := ix.docsWith(pt.raw)
			for i, it := range ix.items {
				if slices.ContainsFunc(pt.agency, func(a string) bool { return it.RoleOf(a).Responsible() }) {
					in.set(i)
				}
			}
			all.and(in)
			continue
		}
		for i, w := range pt.words {
			in := newBitset(len(ix.items))
			for _, f := range pt.forms[i].all(w) {
				in.or(ix.docsWith(f))
			}
			all.and(in)
		}
	}
	return all.any()
}

// itemShortcut recognises a bare item number (13, #13, 第13条).
func (ix *Index) itemShortcut(q string) (int, bool) {
	s := strings.TrimSpace(fold(q))
	m := itemNumberRe.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || ix.plan.Item(n) == nil {
		return 0, false
	}
	return n, true
}
