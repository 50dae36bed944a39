package duban

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// ItemRef is a reference to plan items in a message: one item, a range, or
// an item counted from the end.
type ItemRef struct {
	Start, End int   // byte range of the reference in the text
	N          int64 // the item number; the first of a range
	To         int64 // the last number of a range (inclusive), else 0
	FromEnd    bool  // N counts from the end: 1 is the last item
	LastN      bool  // the last N items (后五条, the last 5 items)
	ToEnd      bool  // from N to the plan's last item (第20条以后: N is 21)
	Bare       bool  // a number with no item word, all the message holds
	Invalid    bool  // negative, or too large to be any item: refuse it
}

// itemGrammar is the parsed lexicon/itemrefs.txt.
type itemGrammar struct {
	prefix, classifier, weak, ordinalNoun []string
	rangeWords, listWords                 []string
	countBefore                           string
	last, fromEnd, bareAround             []string
	numeralWords                          []string
	firstN, lastN, after, before          []string
	countNoun, afterPrefix, beforePrefix  []string
	toLast, penultimate                   []string
}

var itemWords = sync.OnceValue(func() *itemGrammar {
	lx := mustLexicon("itemrefs.txt")
	byLen := func(s []string) []string {
		s = slices.Clone(s)
		slices.SortStableFunc(s, func(a, b string) int { return len(b) - len(a) })
		return s
	}
	return &itemGrammar{
		prefix:       byLen(lx["prefix"]),
		classifier:   byLen(lx["classifier"]),
		weak:         byLen(lx["weak-classifier"]),
		ordinalNoun:  byLen(lx["ordinal-noun"]),
		rangeWords:   byLen(lx["range"]),
		listWords:    byLen(lx["list"]),
		countBefore:  strings.Join(lx["count-before"], ""),
		last:         byLen(lx["last"]),
		fromEnd:      byLen(lx["from-end"]),
		bareAround:   byLen(lx["bare-around"]),
		numeralWords: byLen(lx["numeral-word"]),
		firstN:       byLen(lx["first-n"]),
		lastN:        byLen(lx["last-n"]),
		after:        byLen(lx["after"]),
		before:       byLen(lx["before"]),
		countNoun:    byLen(lx["count-noun"]),
		afterPrefix:  byLen(lx["after-prefix"]),
		beforePrefix: byLen(lx["before-prefix"]),
		toLast:       byLen(lx["to-last"]),
		penultimate:  byLen(lx["penultimate"]),
	}
})

// FindItemRefs returns the item references in text, in order: 第39条,
// 第三十九条, 53号, 三条, #3, 要点35, item 35, item seventy, the
// forty-eighth item, ranges (第3至5条, 五十一至五十二条, points 15 through 16),
// lists (第3、5条, #3、#53, items 3 and 5), the last item (最后一条, the final
// work point), 倒数第二条, and a bare number when the message holds nothing
// else ("六十八是什么", "53", "看看53"). The text should be width-folded
// (Fold) first. Numbers are read whole: #1000000 is item 1000000 (which no
// plan has), never a shorter one.
func FindItemRefs(text string) []ItemRef {
	g := itemWords()
	var out []ItemRef
	// The references to the last item are found first, in any order; those
	// of numbers follow in the order of the text, so that a number can only
	// overlap the last of them, or a word reference (found by binary search
	// once they are sorted). Checking every reference made a long message
	// quadratic.
	var words []ItemRef // the word references, sorted by Start once all are found
	sorted := false
	taken := func(s, e int) bool {
		if !sorted {
			for _, r := range out {
				if s < r.End && e > r.Start {
					return true
				}
			}
			return false
		}
		if k := len(out) - 1; k >= 0 && s < out[k].End && e > out[k].Start {
			return true
		}
		// Word references do not overlap: sorted by Start, their Ends
		// ascend too.
		i := sort.Search(len(words), func(i int) bool { return words[i].End > s })
		return i < len(words) && words[i].Start < e
	}
	// The last item, in words, and the one before it.
	lower := asciiLower(text)
	for _, w := range g.penultimate {
		for from := 0; ; {
			s, e, ok := findWord(text, lower, w, from)
			if !ok {
				break
			}
			if !taken(s, e) {
				out = append(out, ItemRef{Start: s, End: e, N: 2, FromEnd: true})
			}
			from = e
		}
	}
	for _, w := range g.last {
		for from := 0; ; {
			s, e, ok := findWord(text, lower, w, from)
			if !ok {
				break
			}
			if !taken(s, e) {
				out = append(out, ItemRef{Start: s, End: e, N: 1, FromEnd: true})
			}
			from = e
		}
	}
	words = slices.Clone(out)
	slices.SortFunc(words, func(a, b ItemRef) int { return a.Start - b.Start })
	sorted = true
	nums := ScanNumbers(text)
	var bare []int // indexes into nums of unclassified numbers
	for i := 0; i < len(nums); i++ {
		n := nums[i]
		if taken(n.Start, n.End) || n.Decimal || g.startsWord(text, n) {
			continue
		}
		// A chain of numbers joined by range or list words: 第3、5条,
		// 五十一至五十二条, items 3 and 5.
		chain := []Number{n}
		joins := []bool{} // true: a range between chain[k] and chain[k+1]
		end := n.End
		for j := i + 1; j < len(nums); j++ {
			isRange, ok := joined(text, end, nums[j].Start, g)
			if !ok || nums[j].Decimal {
				break
			}
			chain = append(chain, nums[j])
			joins = append(joins, isRange)
			end = nums[j].End
		}
		refs, ok := g.chainRefs(text, chain, joins)
		if !ok {
			if n.Script != ScriptEnglish || !n.Ordinal {
				bare = append(bare, i)
			}
			continue
		}
		out = append(out, refs...)
		i += len(chain) - 1
	}
	if len(out) == 0 && len(bare) == 1 {
		if r, ok := g.bareRef(text, nums[bare[0]]); ok {
			out = append(out, r)
		}
	}
	// By start, the longer first; a reference inside an earlier, longer
	// one (last item of "the second-to-last item") is part of it.
	slices.SortFunc(out, func(a, b ItemRef) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return b.End - a.End
	})
	kept, reach := out[:0], -1
	for _, r := range out {
		if r.End <= reach {
			continue
		}
		kept = append(kept, r)
		reach = max(reach, r.End)
	}
	return kept
}

// chainRefs decides whether a chain of joined numbers names items and
// returns their references. It does when the first number has an item
// prefix or the last an item classifier (or, after 第, nothing that makes
// it another ordinal such as 第十四届), or an English ordinal stands before
// an item noun.
func (g *itemGrammar) chainRefs(text string, chain []Number, joins []bool) ([]ItemRef, bool) {
	first, last := chain[0], chain[len(chain)-1]
	start, end := first.Start, last.End
	pre, preStart := g.prefixBefore(text, first.Start)
	negative := false
	if pre == "" {
		// 第-1条, #-3: a minus sign between prefix and number.
		if k := skipSpacesBack(text, first.Start); k > 0 && text[k-1] == '-' {
			if p, ps := g.prefixBefore(text, k-1); p != "" {
				pre, preStart, negative = p, ps, true
			}
		}
	}
	fromEnd := false
	if pre == "第" {
		for _, w := range g.fromEnd {
			if strings.HasSuffix(text[:preStart+len("第")], w) {
				fromEnd, preStart = true, preStart+len("第")-len(w)
			}
		}
	}
	after := skipSpaces(text, end)
	cls := matchAny(text[after:], g.classifier)
	weak := matchAny(text[after:], g.weak)
	if len(chain) == 1 && pre == "" {
		counted := cls
		if counted == "" {
			counted = weak
		}
		if r, ok := g.countedRef(text, first, after, counted); ok {
			return []ItemRef{r}, true
		}
	}
	// An English ordinal before an item noun: the forty-eighth item; or
	// counted from the end: the second-to-last item, the third from last.
	if len(chain) == 1 && first.Ordinal && pre == "" {
		if w := matchAny(strings.ToLower(text[after:]), g.toLast); w != "" {
			end := after + len(w)
			if noun := matchWordAny(text[skipSpaces(text, end):], g.ordinalNoun); noun != "" {
				end = skipSpaces(text, end) + len(noun)
			}
			return []ItemRef{{Start: first.Start, End: end, N: first.Value, FromEnd: true}}, true
		}
		noun := matchWordAny(text[after:], g.ordinalNoun)
		if noun == "" {
			return nil, false
		}
		return []ItemRef{{Start: first.Start, End: after + len(noun), N: first.Value}}, true
	}
	switch {
	case pre == "第":
		if cls == "" && weak == "" && !endsReference(text[after:]) {
			return nil, false // 第十四届, 第二类: another ordinal
		}
	case pre != "":
		// 要点35, #3, item 35: the prefix is enough.
	case cls != "":
		if strings.ContainsRune(g.countBefore, lastRune(text[:skipSpacesBack(text, start)])) {
			return nil, false // 有三条, 这两条: a count
		}
		if first.Script == ScriptEnglish {
			return nil, false
		}
	default:
		return nil, false
	}
	if pre != "" {
		start = preStart
	}
	switch {
	case cls != "":
		end = after + len(cls)
	case weak != "" && (pre == "第" || pre == ""):
		end = after + len(weak)
	}
	var out []ItemRef
	if len(chain) == 1 && !fromEnd && !negative && !first.Overflow {
		if r, ok := g.openRef(text, first.Value, start, end); ok {
			return []ItemRef{r}, true
		}
	}
	for k := 0; k < len(chain); k++ {
		n := chain[k]
		r := ItemRef{Start: n.Start, End: n.End, N: n.Value, FromEnd: fromEnd, Invalid: n.Overflow || negative}
		if k == 0 {
			r.Start = start
		}
		if k < len(joins) && joins[k] {
			r.To = chain[k+1].Value
			r.End = chain[k+1].End
			if r.To < r.N {
				r.N, r.To = r.To, r.N
			}
			r.Invalid = r.Invalid || chain[k+1].Overflow
			k++
		}
		if k == len(chain)-1 {
			r.End = end
		}
		out = append(out, r)
	}
	return out, true
}

// countedRef reads the first or the last N items: 前十条, 头三条, 后五条,
// 最后三条, the first 10 items, the last five points. n is the number, at
// the offset after it (spaces skipped) cls is the classifier, if any.
func (g *itemGrammar) countedRef(text string, n Number, at int, cls string) (ItemRef, bool) {
	if n.Overflow || n.Value < 1 {
		return ItemRef{}, false
	}
	end := at + len(cls)
	if cls == "" {
		noun := matchWordAny(text[at:], g.countNoun)
		if noun == "" {
			return ItemRef{}, false
		}
		end = at + len(noun)
	}
	head := text[:skipSpacesBack(text, n.Start)]
	for _, w := range g.firstN {
		if hasSuffixFold(head, w) && (!isASCIIWord(w) || len(head) == len(w) || !isASCIILetter(head[len(head)-len(w)-1])) {
			return ItemRef{Start: len(head) - len(w), End: end, N: 1, To: n.Value}, true
		}
	}
	for _, w := range g.lastN {
		if hasSuffixFold(head, w) && (!isASCIIWord(w) || len(head) == len(w) || !isASCIILetter(head[len(head)-len(w)-1])) {
			return ItemRef{Start: len(head) - len(w), End: end, N: n.Value, LastN: true}, true
		}
	}
	return ItemRef{}, false
}

// openRef reads a reference to item n as one end of a range the plan
// closes: 第20条以后 (21 to the last), 第10条之前 (1 to 9), after item 60,
// before item 5. start and end span the reference to item n.
func (g *itemGrammar) openRef(text string, n int64, start, end int) (ItemRef, bool) {
	at := skipSpaces(text, end)
	if w := matchAny(text[at:], g.after); w != "" {
		return ItemRef{Start: start, End: at + len(w), N: n + 1, ToEnd: true}, true
	}
	if w := matchAny(text[at:], g.before); w != "" && n > 1 {
		return ItemRef{Start: start, End: at + len(w), N: 1, To: n - 1}, true
	}
	head := text[:skipSpacesBack(text, start)]
	for _, w := range g.afterPrefix {
		if hasSuffixFold(head, w) {
			return ItemRef{Start: len(head) - len(w), End: end, N: n + 1, ToEnd: true}, true
		}
	}
	for _, w := range g.beforePrefix {
		if hasSuffixFold(head, w) && n > 1 {
			return ItemRef{Start: len(head) - len(w), End: end, N: 1, To: n - 1}, true
		}
	}
	return ItemRef{}, false
}

// startsWord reports whether a Chinese numeral begins a word that is no
// number (一共, 一下, 十四五).
func (g *itemGrammar) startsWord(text string, n Number) bool {
	if n.Script != ScriptChinese {
		return false
	}
	head := text[:skipSpacesBack(text, n.Start)]
	for _, w := range append(slices.Clone(g.firstN), g.lastN...) {
		if !isASCIIWord(w) && strings.HasSuffix(head, w) {
			return false // 前两条: the first two items, whatever 两条 may mean alone
		}
	}
	for _, w := range g.numeralWords {
		if strings.HasPrefix(text[n.Start:], w) && n.Start+len(w) > n.End {
			return true
		}
	}
	return false
}

// bareRef returns a number as an item reference when the message holds
// nothing else but words that may stand around one ("六十八是什么").
func (g *itemGrammar) bareRef(text string, n Number) (ItemRef, bool) {
	if n.Script == ScriptChinese && utf8.RuneCountInString(text[n.Start:n.End]) < 2 {
		return ItemRef{}, false // 三 alone is a one-character search
	}
	end := n.End
	if w := matchAny(text[skipSpaces(text, end):], g.weak); w != "" {
		end = skipSpaces(text, end) + len(w)
	}
	rest := text[:n.Start] + " " + text[end:]
	if !onlyWords(strings.ToLower(rest), g.bareAround) {
		return ItemRef{}, false
	}
	return ItemRef{Start: n.Start, End: end, N: n.Value, Bare: true, Invalid: n.Overflow}, true
}

// onlyWords reports whether s is made of nothing but the words (Chinese
// ones anywhere, English ones as whole words), spaces and punctuation.
func onlyWords(s string, words []string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			i += size
			continue
		}
		w := ""
		for _, cand := range words {
			if strings.HasPrefix(s[i:], cand) && (!isASCIIWord(cand) || i+len(cand) == len(s) || !isASCIILetter(s[i+len(cand)])) {
				w = cand
				break
			}
		}
		if w == "" || isASCIIWord(w) && i > 0 && isASCIILetter(s[i-1]) {
			return false
		}
		i += len(w)
	}
	return true
}

// prefixBefore returns the item prefix that ends (spaces aside) just
// before pos, and where it starts.
func (g *itemGrammar) prefixBefore(text string, pos int) (string, int) {
	k := skipSpacesBack(text, pos)
	head := text[:k]
	for _, p := range g.prefix {
		if !hasSuffixFold(head, p) {
			continue
		}
		s := k - len(p)
		if isASCIIWord(p) && s > 0 && isASCIILetter(text[s-1]) {
			continue // "item" inside another word
		}
		// "item #35": a hash after an English prefix.
		if p == "#" {
			if q, qs := g.prefixBefore(text, s); q != "" && isASCIIWord(q) {
				return q, qs
			}
		}
		return p, s
	}
	return "", pos
}

// joined reports whether the text between two numbers joins them, and
// whether as a range. A repeated prefix may stand before the second
// number ("第3条和第5条", "#3、#53"), and a classifier after the first.
func joined(text string, from, to int, g *itemGrammar) (isRange, ok bool) {
	between := strings.TrimSpace(text[from:to])
	lower := strings.ToLower(between)
	if c := matchAny(lower, g.classifier); c != "" {
		lower = strings.TrimSpace(lower[len(c):])
	} else if c := matchAny(lower, g.weak); c != "" {
		lower = strings.TrimSpace(lower[len(c):])
	}
	for _, p := range g.prefix {
		if strings.HasSuffix(lower, p) && len(lower) > len(p) {
			lower = strings.TrimSpace(lower[:len(lower)-len(p)])
			break
		}
	}
	if lower == "" {
		return false, false
	}
	if slices.Contains(g.rangeWords, lower) {
		return true, true
	}
	if slices.Contains(g.listWords, lower) {
		return false, true
	}
	return false, false
}

// endsReference reports whether what follows 第N lets it stand as an
// item reference: the end, a space or punctuation, a list or range word,
// or words that ask about it (是什么, 讲什么).
func endsReference(rest string) bool {
	rest = strings.TrimLeft(rest, " ")
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	if unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r) || r < utf8.RuneSelf {
		return true
	}
	g := itemWords()
	return matchAny(rest, g.bareAround) != "" || matchAny(rest, g.listWords) != "" || matchAny(rest, g.rangeWords) != ""
}

// findWord finds w in text from byte from: Chinese words anywhere, English
// ones (case-insensitively) as whole words. lower is asciiLower(text).
func findWord(text, lower, w string, from int) (int, int, bool) {
	for from <= len(text) {
		i := strings.Index(lower[from:], w)
		if i < 0 {
			return 0, 0, false
		}
		s, e := from+i, from+i+len(w)
		if !isASCIIWord(w) || (s == 0 || !isASCIILetter(text[s-1])) && (e == len(text) || !isASCIILetter(text[e])) {
			return s, e, true
		}
		from = s + 1
	}
	return 0, 0, false
}

// matchAny returns the first of words (longest first) that s starts with;
// English words must end at a word boundary.
func matchAny(s string, words []string) string {
	for _, w := range words {
		if hasPrefixFold(s, w) && (!isASCIIWord(w) || len(s) == len(w) || !isASCIILetter(s[len(w)])) {
			return w
		}
	}
	return ""
}

// asciiLower lower-cases the ASCII letters of s only, byte for byte, so
// that offsets in the result are offsets in s (strings.ToLower would turn
// an invalid byte into a 3-byte U+FFFD, and some letters change length).
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// hasPrefixFold reports whether s starts with w, a lower-case word, with
// the ASCII letters of s compared case-insensitively. It reads only as
// many bytes of s as w has.
func hasPrefixFold(s, w string) bool {
	return len(s) >= len(w) && asciiLower(s[:len(w)]) == w
}

// hasSuffixFold is hasPrefixFold at the end of s.
func hasSuffixFold(s, w string) bool {
	return len(s) >= len(w) && asciiLower(s[len(s)-len(w):]) == w
}

// matchWordAny is matchAny for English nouns, which may be plural.
func matchWordAny(s string, words []string) string {
	if w := matchAny(s, words); w != "" {
		return w
	}
	for _, w := range words {
		if p := w + "s"; matchAny(s, []string{p}) != "" {
			return p
		}
	}
	return ""
}

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

func skipSpacesBack(s string, i int) int {
	for i > 0 && s[i-1] == ' ' {
		i--
	}
	return i
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// MaxRange is the most items a range reference ("第3至60条") expands to.
const MaxRange = 200

// ResolveItemRefs turns references into item numbers of the plan, in the
// order written, each once: ranges expanded (at most MaxRange items),
// references from the end counted back from the last item. Numbers the
// plan does not have are returned in bad (negative and oversized
// references as -1 and math.MaxInt64).
func (p *Plan) ResolveItemRefs(refs []ItemRef) (items []int, bad []int64) {
	add := func(n int64) {
		switch {
		case n >= 1 && n <= int64(len(p.Items)):
			if !slices.Contains(items, int(n)) {
				items = append(items, int(n))
			}
		case !slices.Contains(bad, n):
			bad = append(bad, n)
		}
	}
	for _, r := range refs {
		switch {
		case r.Invalid && r.N >= 0 && r.N != math.MaxInt64:
			bad = append(bad, -r.N)
		case r.Invalid:
			bad = append(bad, r.N)
		case r.FromEnd:
			add(int64(len(p.Items)) + 1 - r.N)
		case r.LastN:
			for n := max(int64(len(p.Items))+1-r.N, 1); n <= int64(len(p.Items)); n++ {
				add(n)
			}
		case r.ToEnd:
			for n := r.N; n <= int64(len(p.Items)) && n < r.N+MaxRange; n++ {
				add(n)
			}
		case r.To > 0:
			for n := r.N; n <= r.To && n < r.N+MaxRange; n++ {
				add(n)
			}
		default:
			add(r.N)
		}
	}
	return items, bad
}
