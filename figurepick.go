package duban

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// FigureAsk is what a figure question asks for: the kind of figure, the
// measure word it asks in, and the words the asked figure stands before.
type FigureAsk struct {
	Kind FigureKind // FigureAny: any quantitative figure
	Unit string     // the measure word asked: 公里 of 多少公里, 届 of 第几届, % of 百分之几; or ""
	// Head is what the asked figure is said of, as the question words it:
	// 最严 of 几个最严, 防线 of 第几道防线, 计划 of 什么计划, 品质工程建设试点
	// of 品质工程建设试点叫什么. The figure that stands right before these
	// words in the plan answers best (四个最严, 第一道防线, “双万计划”).
	Head string
}

// FigureQuestion is a figure question as PickFigure reads it.
type FigureQuestion struct {
	Ask   FigureAsk
	Text  string   // the question: a name or a date it says itself is not its answer
	Terms []string // the words that were searched for
	// Forms are the plan's own forms of the terms (文化博览交易会 for
	// 文博会): a figure's clause may hold them instead. They never count
	// as the question naming a figure.
	Forms   []string
	Relaxed bool // the search matched only part of the words
	// Aside are the words of what the question sets aside ("rather than
	// review and approval": 审评审批): a figure that stands by them is
	// the wrong one.
	Aside []string
}

// FigureAnswer is the figure that answers a question and the item that
// states it. The figure's Clause is the words it is said of: its clause,
// or its whole sentence for a time that heads it (年底前,将…提高到70%以上).
type FigureAnswer struct {
	Item   int
	Figure Target
}

// PickFigure returns the figure that answers a figure question among the
// items a search found, best first (hits): a figure of the kind asked, in
// the measure word asked, whose clause holds the searched words (or whose
// sentence holds one of three characters or more), standing closest to
// them, in an item ranked high, and best of all standing right before the
// question's Head. It reports false when no figure of the items fits.
func PickFigure(p *Plan, q FigureQuestion, hits []Hit) (FigureAnswer, bool) {
	var best FigureAnswer
	bestScore, found := 0, false
	qtext := Fold(q.Text)
	words := append(slices.Clone(q.Terms), q.Forms...)
	for rank, h := range hits {
		it := p.Item(h.Item)
		if it == nil {
			continue
		}
		for _, c := range figureCandidates(it, q.Ask) {
			fit := kindFit(q.Ask, c.t)
			if fit == 0 || namedInQuestion(c.t, qtext, q.Terms) {
				continue
			}
			if q.Ask.Kind.isName() && q.Ask.Head != "" && c.head == 0 {
				continue // 要开展什么行动 is not answered by a name said of no 行动
			}
			if !clauseHasTerm(c.t.Clause, words, q.Relaxed) && !sentenceHasTerm(it.Text, c.t, words, q.Relaxed) {
				continue // 金牌旅游村 is never answered with the 3个 of 3个100工程
			}
			scored, seps := c.t, listSeparators
			if leadsSentence(it.Text, c.t) {
				// 年底前,将…比例提高到70%以上: a time that heads its
				// sentence is said of all of it.
				start, end := sentenceAround(it.Text, c.t)
				scored.Clause, seps = it.Text[start:end], listSeparators[:len(listSeparators)-len(clauseSeparators)]
			}
			s := targetScore(it.Text, scored, words, seps) - rank*15 + fit*15 + min(c.head, 5)*20
			if len(q.Aside) > 0 {
				s -= targetScore(it.Text, scored, q.Aside, seps)
			}
			s += 20 * numbersShared(it.Text, c.t, qtext)
			if !found || s > bestScore {
				best, bestScore, found = FigureAnswer{Item: h.Item, Figure: scored}, s, true
			}
		}
	}
	return best, found
}

// candidate is a figure that may answer a question, and how many
// characters of the question's Head follow it in the plan.
type candidate struct {
	t    Target
	head int
}

// figureCandidates returns the figures of an item that may answer ask: its
// Figures, and the numerals that stand before the question's Head (三表 for
// 民用几表, 一次大调研 for 几次大调研, 一二三产 for 几产融合), which need no
// measure word of a list.
func figureCandidates(it *Item, ask FigureAsk) []candidate {
	out := make([]candidate, 0, len(it.Figures))
	for _, t := range it.Figures {
		out = append(out, candidate{t, headAfter(it.Text, t, ask.Head)})
	}
	if ask.Head == "" || ask.Kind.isName() || ask.Kind == FigureAny {
		return out
	}
	for _, t := range numeralsBefore(it.Text, ask) {
		head := utf8.RuneCountInString(t.Value[commonSuffixStart(t.Value, ask.Head):])
		dup := false
		for i, c := range out {
			if c.t.Offset != t.Offset {
				continue
			}
			dup = true
			full := head == utf8.RuneCountInString(ask.Head)
			switch {
			case c.t.Kind.Quantitative() && !full:
				// 三级 of 三级医院推进: the figure as the plan counts it,
				// said of part of the question's head.
				out[i].head = max(c.head, head)
			case len(t.Value) >= len(c.t.Value):
				// 三大创建活动 for 几大创建活动, 双平台 for 几个平台: the
				// figure read with the whole of what the question says
				// it counts.
				out[i] = candidate{t, head}
			}
		}
		if !dup {
			out = append(out, candidate{t, head})
		}
	}
	return out
}

// numeralsBefore finds in text a run of numerals (digits, Chinese numerals,
// 双), with 第 before it or not, and a measure word after it or not, that
// the question's Head follows: 四个最严 for 几个最严, 第一道防线 for 第几道防线,
// 双平台 for 几个平台. The figure runs to the end of the words the Head
// shares with the text.
func numeralsBefore(text string, ask FigureAsk) []Target {
	f := figureWords()
	isNum := func(r rune) bool {
		return r >= '0' && r <= '9' || IsChineseNumeral(r) || strings.ContainsRune(f.compoundNumeral, r)
	}
	// The head must follow whole, or three characters of it: 金牌 alone
	// does not make 一批金牌观光工厂 the answer to 多少个金牌旅游村.
	need := min(3, utf8.RuneCountInString(ask.Head))
	var out []Target
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isNum(r) {
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if !isNum(r2) && r2 != '.' {
				break
			}
			j += s2
		}
		start := i
		i = j
		if p := suffixIn(text[:start], f.ordinalPrefix); p != "" {
			start -= len(p)
		}
		k := j
		if ask.Unit != "" && strings.HasPrefix(text[k:], ask.Unit) {
			k += len(ask.Unit)
		} else if m := MeasureAt(text[k:]); m != "" && !strings.HasPrefix(ask.Head, m) {
			k += len(m)
		}
		n := commonPrefix(text[k:], ask.Head)
		if n == 0 || utf8.RuneCountInString(text[k:k+n]) < need {
			continue
		}
		e := k + n
		kind := ask.Kind
		if kind == FigureAny {
			kind = FigureCount
		}
		out = append(out, Target{Value: text[start:e], Clause: clauseAt(text, start, e), Offset: start, Kind: kind, Unit: ask.Unit})
	}
	return out
}

// commonSuffixStart returns where in value the words it shares with the
// start of head begin: value 四个最严 and head 最严 share 最严.
func commonSuffixStart(value, head string) int {
	for i := range value {
		if strings.HasPrefix(head, value[i:]) {
			return i
		}
	}
	return len(value)
}

// commonPrefix returns the length in bytes of the longest common prefix of
// a and b, in whole characters.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) {
		ra, sa := utf8.DecodeRuneInString(a[n:])
		rb, _ := utf8.DecodeRuneInString(b[n:])
		if ra != rb {
			break
		}
		n += sa
	}
	return n
}

// headAfter returns how many characters of head (or of its end) stand right
// after the figure t in text, past closing quotes and the words a question
// skips (等, 的): “双万计划” ends in 计划, “两个新提升”目标 is followed by 目标,
// “云中剧院”等新型演出形式 by 新型演出形式. A figure that ends with the head
// counts too (“一物一码” for 哪种码).
func headAfter(text string, t Target, head string) int {
	if head == "" {
		return 0
	}
	f := figureWords()
	rest := text[min(len(text), t.Offset+len(t.Value)):]
	for {
		w := prefixIn(rest, f.headSkip)
		if w == "" {
			break
		}
		rest = rest[len(w):]
	}
	best := 0
	bare := strings.TrimRight(t.Value, "”’》」")
	for h := head; h != ""; {
		n := utf8.RuneCountInString(h)
		if n < best {
			break
		}
		if strings.HasPrefix(rest, h) || strings.HasSuffix(bare, h) {
			best = n
			break
		}
		// A prefix of the head: 品牌 of 旅游品牌 follows “…”.
		if p := commonPrefix(rest, h); p > 0 && utf8.RuneCountInString(h[:p]) >= min(2, n) {
			best = max(best, utf8.RuneCountInString(h[:p]))
		}
		_, size := utf8.DecodeRuneInString(h)
		h = h[size:]
	}
	if best == 0 {
		// The head's last word later in the clause: “十四五”知识产权保护和
		// 运用规划 is said of a 规划.
		tail := head
		for utf8.RuneCountInString(tail) > 2 {
			_, size := utf8.DecodeRuneInString(tail)
			tail = tail[size:]
		}
		clauseEnd := strings.IndexAny(rest, clauseBreaks)
		if clauseEnd < 0 {
			clauseEnd = len(rest)
		}
		if strings.Contains(rest[:clauseEnd], tail) {
			best = 1
		}
	}
	return best
}

// kindFit rates how well a figure of kind t.Kind answers a question that
// asks for ask: 3 for the kind asked, 1 or 2 for a kind that may do, 0 for
// one that does not. A measure word asked must fit the figure's.
func kindFit(ask FigureAsk, t Target) int {
	fit := 0
	switch ask.Kind {
	case FigureAny:
		if t.Kind.Quantitative() {
			fit = 3
		}
	case FigureCount:
		switch t.Kind {
		case FigureCount:
			fit = 3
		case FigureDuration, FigureLevel, FigureNamed:
			fit = 1
		}
	case FigureRate:
		if t.Kind == FigureRate {
			fit = 3
		}
	case FigureLevel:
		switch t.Kind {
		case FigureLevel:
			fit = 3
		case FigureOrdinal, FigureCount:
			fit = 1
		}
	case FigureDuration:
		switch t.Kind {
		case FigureDuration:
			fit = 3
		case FigureRange:
			fit = 1
		}
	case FigureDate:
		switch t.Kind {
		case FigureDate:
			fit = 3
		case FigureYear, FigureRange:
			fit = 1
		}
	case FigureYear:
		switch t.Kind {
		case FigureYear:
			fit = 3
		case FigureDate, FigureRange:
			fit = 2
		}
	case FigureRange:
		switch t.Kind {
		case FigureRange:
			fit = 3
		case FigureYear:
			fit = 1
		}
	case FigureEdition:
		switch t.Kind {
		case FigureEdition:
			fit = 3
		case FigureOrdinal:
			fit = 1
		}
	case FigureOrdinal:
		switch t.Kind {
		case FigureOrdinal:
			fit = 3
		case FigureEdition, FigureLevel:
			fit = 1
		}
	case FigureNamed, FigureTerm, FigureTitle:
		// A quoted name is how the plan marks a name; an unquoted one led
		// by a numeral is read with less certainty, a document's title
		// names a document rather than a measure or a campaign.
		switch t.Kind {
		case FigureTerm:
			fit = 3
		case FigureNamed:
			fit = 2
		case FigureTitle, FigureOrdinal:
			fit = 1
		}
	}
	if fit > 0 && ask.Unit != "" && !t.Kind.isName() {
		if !UnitFits(t, ask.Unit) {
			return 0 // 多少公里 is never answered with 30个
		}
		if t.Unit == ask.Unit {
			fit += 2 // 多少周年 is answered by 100周年 before 100年
		}
	}
	if fit > 0 && ask.Unit != "" && t.Kind.isName() && ask.Kind != FigureNamed && ask.Kind != FigureTerm {
		return 0 // 第几类 is a class, not a name
	}
	return fit
}

// UnitFits reports whether a figure is written in the measure word a
// question asks in (or one that answers it: 多少人 is answered by 300名,
// 多少千米 by 800公里). A count in general ("多少个") accepts any measure
// word that counts (30大渔业品牌, 12部作品), a rate a percentage.
func UnitFits(t Target, unit string) bool {
	f := figureWords()
	v := t.Value
	switch {
	case unit == "" || strings.Contains(v, unit):
		return true
	case unit == "%":
		return t.Kind == FigureRate
	case unit == "万" || unit == "亿":
		return strings.ContainsAny(v, "0123456789")
	}
	for _, same := range f.sameUnits[unit] {
		if strings.Contains(v, same) {
			return true
		}
	}
	if unit == "个" {
		return t.Kind == FigureCount && strings.ContainsAny(t.Unit, f.anyCount)
	}
	return false
}

// namedInQuestion reports whether the question names the figure itself
// (“闽花”品牌借的是第几届花博会: 闽花 is not the answer), in its own words or
// in the words searched for it (Belt and Road searched as 一带一路). Only
// names, dates and years count: "15分钟便民利企服务圈是多少分钟" is
// answered by 15分钟.
func namedInQuestion(t Target, q string, terms []string) bool {
	switch t.Kind {
	case FigureNamed, FigureTerm, FigureTitle, FigureDate, FigureYear, FigureRange:
	default:
		return false
	}
	for _, part := range strings.FieldsFunc(t.Value, func(r rune) bool {
		return strings.ContainsRune("“”‘’《》「」、", r)
	}) {
		if part != "" && (strings.Contains(q, part) || slices.Contains(terms, part)) {
			return true
		}
	}
	return false
}

// clauseHasTerm reports whether a figure's clause holds a searched word of
// two characters or more: a figure whose clause names nothing asked about
// answers nothing. After a relaxed search, where the terms include pieces
// of the words asked, one short piece is not enough: the clause must hold
// two of them or one of three characters or more.
func clauseHasTerm(clause string, terms []string, relaxed bool) bool {
	n := 0
	for _, t := range terms {
		rc := utf8.RuneCountInString(t)
		if rc < 2 || !strings.Contains(clause, t) {
			continue
		}
		if !relaxed || rc >= 3 {
			return true
		}
		if n++; n >= 2 {
			return true
		}
	}
	return false
}

// sentenceHasTerm reports whether the sentence of a figure holds the
// searched words: the word may stand in the clause before the figure's
// ("推进高频政务服务事项“跨省通办”,2021年底前增加…72项事项" answers 跨省通办新增
// 几项; "…食品安全抽检监测任务,抽样检验完成率达100%" answers the share of food
// sampling to complete). After a relaxed search the sentence must hold a
// word of three characters or more, or two words. A sentence names one
// matter, so a word of another sentence (金牌旅游村 beside 3个100工程) still
// does not count.
func sentenceHasTerm(text string, t Target, terms []string, relaxed bool) bool {
	if t.Offset < 0 || t.Offset+len(t.Value) > len(text) {
		return false
	}
	start, end := sentenceAround(text, t)
	sentence := text[start:end]
	n := 0
	for _, term := range terms {
		rc := utf8.RuneCountInString(term)
		if rc < 2 || !strings.Contains(sentence, term) {
			continue
		}
		if n++; !relaxed || rc >= 3 || n >= 2 {
			return true
		}
	}
	return false
}

// numbersShared counts the numbers written in digits in the question that
// the figure's sentence also holds: "一趟不用跑事项比例什么时候提到70%" asks
// about the sentence that holds 70%, so its date (年底前) answers, not the
// date of the next sentence. The figure itself is not counted.
func numbersShared(text string, t Target, question string) int {
	start, end := sentenceAround(text, t)
	sentence := text[start:t.Offset] + " " + text[min(end, t.Offset+len(t.Value)):end]
	n := 0
	for _, num := range ScanNumbers(question) {
		if num.Script != ScriptDigits {
			continue
		}
		if d := question[num.Start:num.End]; len(d) >= 2 && strings.Contains(sentence, d) && !strings.Contains(t.Value, d) {
			n++
		}
	}
	return n
}

// sentenceAround returns the byte range of the sentence that holds t.
func sentenceAround(text string, t Target) (int, int) {
	start := strings.LastIndexAny(text[:t.Offset], sentenceBreaks) + 1
	if start > 0 {
		_, size := utf8.DecodeRuneInString(text[start-1:])
		start += size - 1
	}
	end := len(text)
	if i := strings.IndexAny(text[t.Offset:], sentenceBreaks); i >= 0 {
		end = t.Offset + i
	}
	return start, end
}

// sentenceBreaks end a sentence of an item.
const sentenceBreaks = "。；;！？!?"

// proximityReach is how far (in bytes; a Chinese character is 3) a term
// still counts as standing by a figure.
const proximityReach = 60

// listSeparators put a searched word to another figure when they stand
// between it and a figure: 污水管网 of 900公里 is not the 800公里 before it.
// The last of them, clauseSeparators, do not when the figure is a time
// that heads its sentence.
const (
	clauseSeparators = "，,"
	listSeparators   = "、;；。" + clauseSeparators
)

// leadsSentence reports whether a date, a year or a range heads its
// sentence ("年底前,将…", "到2021年底,医养结合…"), with at most a word of
// time before it (到, 在, 于).
func leadsSentence(text string, t Target) bool {
	switch t.Kind {
	case FigureDate, FigureYear, FigureRange:
	default:
		return false
	}
	start, _ := sentenceAround(text, t)
	before := strings.TrimSpace(text[start:t.Offset])
	return before == "" || slices.Contains(figureWords().dateLead, before)
}

// targetScore rates how well a figure answers the question: its clause
// holds the searched terms and it stands close to them in the item's text,
// with no separator of seps between them.
func targetScore(text string, t Target, terms []string, seps string) int {
	s := 0
	mass := 0 // each term's length, weighed by how close it stands
	for _, term := range terms {
		if term == "" {
			continue
		}
		runes := utf8.RuneCountInString(term)
		if strings.Contains(t.Clause, term) {
			s += 10 * runes
		}
		near := 1 << 30
		for off := 0; ; {
			i := strings.Index(text[off:], term)
			if i < 0 {
				break
			}
			at := off + i
			var gap string
			d := t.Offset - (at + len(term)) // term before the figure
			if d >= 0 {
				gap = text[at+len(term) : t.Offset]
			}
			if at >= t.Offset+len(t.Value) {
				d = at - (t.Offset + len(t.Value)) // term after the figure
				gap = text[t.Offset+len(t.Value) : at]
			} else if at+len(term) > t.Offset {
				d = 0
			}
			if d < 0 {
				d = -d
			}
			// A list separator between them: the term belongs to another
			// figure (污水管网 of 900公里 is not the 800公里 before it).
			if strings.ContainsAny(gap, seps) {
				d += proximityReach
			}
			// An ordinal names what follows it (第28届全省戏剧会演): a term
			// before it belongs to it less.
			if strings.HasPrefix(t.Value, "第") && at < t.Offset {
				d += proximityReach / 2
			}
			near = min(near, d)
			off = at + len(term)
		}
		if near < proximityReach {
			mass += runes * (proximityReach - near)
		}
	}
	return s + 10*mass/proximityReach
}
