package understand

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"duban"
)

// This file is the report grammar: it reads a progress report in the ways
// agencies write one, whatever the order of its parts.
//
//	report  := [mention] [KEYWORD [filler]] head text
//	head    := { item-list [AFTER-ITEM] | [agency] | 【agency】 | STATUS | PERCENT } separated or not
//	item    := 第三条 | 三条 | 3条 | #3 | 3号 | item 3 | #3、#53 | 第3至5条 … (duban.FindItemRefs)
//	PERCENT := 40% | 百分之四十 | 四成 | 七成五 | 完成40% … (duban.ScanPercents)
//	STATUS  := 已完成 | 进行中 | 滞后 | 未开始 and their synonyms (lexicon/status.txt)
//	text    := the rest, kept exactly as written
//
// A message of several lines that each start with an item is one report
// per line. Whether a message is a report at all is a Verdict: a report
// (perhaps with something missing, which the handler names), perhaps a
// report (the handler asks before storing), or not a report (a question,
// which the question intents answer). The words are data, in
// lexicon/report.txt.

// Verdict says whether a message is a progress report.
type Verdict int

// The verdicts.
const (
	NotReport   Verdict = iota // a question or another command
	MaybeReport                // perhaps a report: ask, with the report shown, before storing
	IsReport                   // a report, perhaps with something missing
)

// String names the verdict, for tests and logs.
func (v Verdict) String() string {
	switch v {
	case MaybeReport:
		return "maybe"
	case IsReport:
		return "report"
	}
	return "not"
}

// Report is a progress report as understood.
type Report struct {
	Verdict Verdict
	// Entries has one entry per item: several for "#3、#53 …" (the same
	// status and text) or for one line per item. A report without an item
	// has one entry with Item 0.
	Entries []Entry
	Agency  string // the agency named in brackets, as written; "" if none
	Keyword string // the report word it starts with (进展, update …), folded; "" if none
	// FormOnly is set for a report word alone ("进展", "update"): the
	// writer wants to report but said nothing of it (adapters with forms
	// open one).
	FormOnly bool
}

// Entry is what a report says of one item.
type Entry struct {
	Item       int          // the plan's item; 0 when none was written, -1 when the plan has no such item
	Written    int          // with Item -1: the number written (0, 72 …), or -1 when unreadable (negative, too large)
	Status     duban.Status // StatusNone when none was written
	StatusWord string       // the status word as read, "" if none
	Percent    int          // duban.NoPercent when none was written
	Text       string       // as written, trimmed; "" when there is none
}

// MissingItem reports whether the report names no item.
func (r Report) MissingItem() bool {
	return len(r.Entries) == 0 || len(r.Entries) == 1 && r.Entries[0].Item == 0
}

// Items returns the items of the report's entries, in order.
func (r Report) Items() []int {
	var out []int
	for _, e := range r.Entries {
		if e.Item > 0 && !slices.Contains(out, e.Item) {
			out = append(out, e.Item)
		}
	}
	return out
}

// reportWords is the parsed lexicon/report.txt.
type reportWords struct {
	keyword, keywordAlone, keywordFiller, afterItem, separator, statement  []string
	question, questionEnd, questionText                                    []string
	retract, retractFiller, correct, record, yes, no, mine, agencyProgress []string
	filterStatus                                                           map[duban.Status][]string
	filterAgencies, filterAround                                           []string
	overdue                                                                []string
	finalParticle, dateUnit, mineTail, questionStart, modal                []string
}

var reportLexicon = sync.OnceValue(func() *reportWords {
	lx := lexicon("report.txt")
	byLen := func(s []string) []string {
		s = slices.Clone(s)
		for i := range s {
			s[i] = strings.ToLower(s[i])
		}
		slices.SortStableFunc(s, func(a, b string) int { return len(b) - len(a) })
		return s
	}
	w := &reportWords{
		keyword: byLen(lx["keyword"]), keywordAlone: byLen(lx["keyword-alone"]), keywordFiller: byLen(lx["keyword-filler"]),
		afterItem: byLen(lx["after-item"]), separator: byLen(lx["separator"]), statement: byLen(lx["statement"]),
		question: byLen(lx["question"]), questionEnd: byLen(lx["question-end"]), questionText: byLen(lx["question-text"]),
		retract: byLen(lx["retract"]), retractFiller: byLen(lx["retract-filler"]), correct: byLen(lx["correct"]),
		record: byLen(lx["record"]), yes: byLen(lx["yes"]), no: byLen(lx["no"]), mine: byLen(lx["mine"]),
		agencyProgress: byLen(lx["agency-progress"]),
		filterStatus: map[duban.Status][]string{
			duban.StatusDelayed:    byLen(lx["filter-status-delayed"]),
			duban.StatusDone:       byLen(lx["filter-status-done"]),
			duban.StatusNotStarted: byLen(lx["filter-status-not-started"]),
			duban.StatusInProgress: byLen(lx["filter-status-in-progress"]),
		},
		filterAgencies: byLen(lx["filter-agencies"]), filterAround: byLen(lx["filter-around"]),
		overdue:       byLen(lx["filter-overdue"]),
		finalParticle: byLen(lx["final-particle"]), dateUnit: byLen(lx["date-unit"]), mineTail: byLen(lx["mine-tail"]),
		questionStart: byLen(lx["question-start"]), modal: byLen(lx["modal"]),
	}
	return w
})

// text is a message as the grammars read it: width folded, ASCII letters
// lower-cased, control and zero-width characters as spaces, invalid bytes
// as U+FFFD, rune for rune, so that every position maps back to the
// message as written (the text of a report is kept as written).
type text struct {
	raw string
	s   string // folded
	off []int  // off[i]: the byte offset in raw of the rune at byte i of s; len(s)+1 entries
}

func newText(raw string) text {
	var b strings.Builder
	b.Grow(len(raw))
	off := make([]int, 0, len(raw)+1)
	// Fold maps rune to rune (and keeps invalid bytes): walk both at once.
	folded := duban.Fold(raw)
	for i, j := 0, 0; i < len(raw); {
		r, size := utf8.DecodeRuneInString(raw[i:])
		f, fsize := utf8.DecodeRuneInString(folded[j:])
		j += fsize
		switch {
		case r == utf8.RuneError && size == 1:
			f = utf8.RuneError
		case f == '\n':
		case unicode.IsControl(f) || f == '\u200b' || f == '\u200c' || f == '\u200d' || f == '\ufeff' || f == '\u2060':
			f = ' '
		case f >= 'A' && f <= 'Z':
			f += 'a' - 'A'
		}
		n := utf8.RuneLen(f)
		for range n {
			off = append(off, i)
		}
		b.WriteRune(f)
		i += size
	}
	off = append(off, len(raw))
	return text{raw: raw, s: b.String(), off: off}
}

// rawText returns the message as written between two folded positions,
// trimmed.
func (t text) rawText(start, end int) string {
	return strings.TrimSpace(t.raw[t.off[start]:t.off[end]])
}

// head is what the start of a report says before its text.
type head struct {
	keyword    string
	keywordEnd int
	items      []duban.ItemRef
	afterItem  bool // 进展 after the item
	agency     string
	status     duban.Status
	statusWord string
	percent    *duban.Percent
	textStart  int
}

// hasSignal reports whether the head says more than an item: a status, a
// percent or an agency.
func (h head) hasSignal() bool {
	return h.status != duban.StatusNone || h.percent != nil || h.agency != ""
}

// grammar holds one message being read.
type grammar struct {
	w    *reportWords
	t    text
	refs []duban.ItemRef
	pcts []duban.Percent
	nums []duban.Number // read when first needed
}

func newGrammar(msg string) *grammar {
	t := newText(msg)
	return &grammar{w: reportLexicon(), t: t, refs: duban.FindItemRefs(t.s), pcts: duban.ScanPercents(t.s)}
}

// isSep reports whether the folded text has a separator at i.
func (g *grammar) sepAt(i, to int) int {
	s := g.t.s[i:to]
	r, size := utf8.DecodeRuneInString(s)
	if unicode.IsSpace(r) {
		return size
	}
	if w := wordPrefix(s, g.w.separator); w != "" {
		return len(w)
	}
	return 0
}

// skipSep skips separators and Slack mentions (<@U123>) from i.
func (g *grammar) skipSep(i, to int) int {
	for i < to {
		if n := g.sepAt(i, to); n > 0 {
			i += n
			continue
		}
		if strings.HasPrefix(g.t.s[i:to], "<@") || strings.HasPrefix(g.t.s[i:to], "<!") {
			if j := strings.IndexByte(g.t.s[i:to], '>'); j > 0 {
				i += j + 1
				continue
			}
		}
		break
	}
	return i
}

// endsToken reports whether a word that ends at i stands alone: the end,
// or a separator follows.
func (g *grammar) endsToken(i, to int) bool { return i >= to || g.sepAt(i, to) > 0 }

func (g *grammar) refAt(i int) *duban.ItemRef {
	for k := range g.refs {
		if g.refs[k].Start == i && !g.refs[k].Bare {
			return &g.refs[k]
		}
	}
	return nil
}

func (g *grammar) pctAt(i int) *duban.Percent {
	for k := range g.pcts {
		if g.pcts[k].CueStart == i {
			return &g.pcts[k]
		}
	}
	return nil
}

// nextRef returns the item reference that continues a list after i: only
// separators, list words and item prefixes stand between ("#3、#53",
// "第3、53条", "#3 and #5").
func (g *grammar) nextRef(i, to int) *duban.ItemRef {
	for k := range g.refs {
		r := &g.refs[k]
		if r.Start < i || r.Start >= to || r.Bare {
			continue
		}
		gap := strings.TrimSpace(g.t.s[i:r.Start])
		for _, w := range []string{"、", ",", "，", "和", "与", "及", "/", "&", "and", "#", "第", "items", "item"} {
			gap = strings.TrimSpace(strings.ReplaceAll(gap, w, ""))
		}
		if gap == "" {
			return r
		}
		return nil
	}
	return nil
}

// keywordAt reads a report word at i that stands on its own: followed by
// a separator, an item, a status, a percent, a bracket or the end
// ("进展 #3", "进展#3", "进展：…"), not by another character of a word
// ("进展顺利吗", "更新改造").
func (g *grammar) keywordAt(i, to int) (string, int) {
	k := wordPrefix(g.t.s[i:to], g.w.keyword)
	if k == "" {
		return "", i
	}
	end := i + len(k)
	if g.endsToken(end, to) || g.refAt(end) != nil || g.pctAt(end) != nil || strings.HasPrefix(g.t.s[end:to], "#") ||
		strings.HasPrefix(g.t.s[end:to], "[") || strings.HasPrefix(g.t.s[end:to], "【") {
		return k, end
	}
	if _, n, ok := duban.ParseStatusPrefix(g.t.s[end:to]); ok && g.endsToken(end+n, to) {
		return k, end
	}
	return "", i
}

// readHead reads the head of a report in s[from:to].
func (g *grammar) readHead(from, to int, allowKeyword bool) head {
	h := head{}
	pos := g.skipSep(from, to)
	first := true
	for pos < to {
		if first && allowKeyword {
			first = false
			if k, end := g.keywordAt(pos, to); k != "" {
				h.keyword, h.keywordEnd = k, end
				pos = g.skipSep(end, to)
				if f := wordPrefix(g.t.s[pos:to], g.w.keywordFiller); f != "" {
					pos = g.skipSep(pos+len(f), to)
				}
				continue
			}
		}
		first = false
		if r := g.refAt(pos); r != nil && len(h.items) == 0 {
			h.items = append(h.items, *r)
			pos = r.End
			for {
				n := g.nextRef(pos, to)
				if n == nil {
					break
				}
				h.items = append(h.items, *n)
				pos = n.End
			}
			if a := wordPrefix(g.t.s[pos:to], g.w.afterItem); a != "" && (g.endsToken(pos+len(a), to) || g.statusAt(pos+len(a), to)) {
				h.afterItem = true
				pos += len(a)
			}
			pos = g.skipSep(pos, to)
			continue
		}
		// "进展 3 进行中": a plain number right after the report word.
		if h.keyword != "" && len(h.items) == 0 && h.status == duban.StatusNone && h.percent == nil {
			if n, end, ok := g.plainNumber(pos, to); ok {
				h.items = append(h.items, duban.ItemRef{Start: pos, End: end, N: n})
				pos = g.skipSep(end, to)
				continue
			}
		}
		if h.agency == "" {
			if name, end, ok := g.bracket(pos, to); ok {
				h.agency = name
				pos = g.skipSep(end, to)
				continue
			}
		}
		if p := g.pctAt(pos); p != nil && h.percent == nil {
			h.percent = p
			if g.endsToken(p.CueEnd, to) {
				pos = g.skipSep(p.CueEnd, to)
				continue
			}
			break // 完成40%的造林任务: the percent runs on into the text, which keeps it
		}
		if h.status == duban.StatusNone {
			if st, n, ok := duban.ParseStatusPrefix(g.t.s[pos:to]); ok {
				word := g.t.s[pos : pos+n]
				if g.endsToken(pos+n, to) {
					h.status, h.statusWord = st, word
					pos = g.skipSep(pos+n, to)
					continue
				}
				if duban.StatusGlued(word) { // 进行中已改造12个
					h.status, h.statusWord = st, word
					pos += n
					continue
				}
			}
		}
		break
	}
	h.textStart = pos
	return h
}

// statusAt reports whether a status word that stands alone starts at i.
func (g *grammar) statusAt(i, to int) bool {
	_, n, ok := duban.ParseStatusPrefix(g.t.s[i:to])
	return ok && g.endsToken(i+n, to)
}

// plainNumber reads a number written in digits at i (the one numeral
// reader, duban.ScanNumbers) followed by a separator or the end.
func (g *grammar) plainNumber(i, to int) (int64, int, bool) {
	n, end, ok := g.number(i, to)
	if !ok || g.pctAt(i) != nil || g.t.s[i] < '0' || g.t.s[i] > '9' {
		return 0, i, false
	}
	return n, end, true
}

// numbers returns the numbers of the message (duban.ScanNumbers), read
// when first needed.
func (g *grammar) numbers() []duban.Number {
	if g.nums == nil {
		g.nums = duban.ScanNumbers(g.t.s)
	}
	return g.nums
}

// number reads a number (digits or Chinese numerals, duban.ScanNumbers) at
// i followed by the end or a separator.
func (g *grammar) number(i, to int) (int64, int, bool) {
	for _, n := range g.numbers() {
		if n.Start == i && !n.Decimal && !n.Overflow && !n.Ordinal && n.End <= to && g.endsToken(n.End, to) {
			return n.Value, n.End, true
		}
	}
	return 0, i, false
}

// bracket reads an agency in brackets at i: [厦门海关] or 【厦门海关】.
func (g *grammar) bracket(i, to int) (string, int, bool) {
	s := g.t.s[i:to]
	var closer string
	switch {
	case strings.HasPrefix(s, "["):
		closer = "]"
	case strings.HasPrefix(s, "【"):
		closer = "】"
	default:
		return "", i, false
	}
	open := len("[")
	if closer == "】" {
		open = len("【")
	}
	j := strings.Index(s[open:], closer)
	if j < 0 || j > 120 {
		return "", i, false
	}
	name := g.t.rawText(i+open, i+open+j)
	if name == "" || strings.ContainsAny(name, "[]【】\n") {
		return "", i, false
	}
	return name, i + open + j + len(closer), true
}

// ReadReport reads a message as a progress report against the plan (for
// its item numbers). It never fails: what it cannot read stays in the
// text, and the verdict says whether the message is a report at all.
func ReadReport(msg string, plan *duban.Plan) Report {
	g := newGrammar(sentencesAtItems(msg))
	if r, ok := g.perLine(plan); ok {
		return r
	}
	end := len(g.t.s)
	h := g.readHead(0, end, true)
	e := g.entry(h, end)
	body := g.t.rawText(h.textStart, end)
	r := Report{Agency: h.agency, Keyword: h.keyword}
	r.Verdict = g.verdict(h, h.textStart, end)
	if r.Verdict == NotReport {
		return Report{}
	}
	r.Entries = entries(plan, h.items, e)
	if h.keyword != "" && len(h.items) == 0 && !h.hasSignal() && body == "" {
		r.FormOnly = wordPrefix(h.keyword, g.w.keywordAlone) == h.keyword
		if !r.FormOnly {
			return Report{}
		}
	}
	return r
}

// sentenceEnds end a sentence before an item that starts the next one.
const sentenceEnds = "。；;.!！?？"

// sentencesAtItems puts each sentence that starts with an item reference
// on a line of its own, when two or more do ("Item 3: 70% done. Item 53:
// delayed.", "第3条已完成。第53条滞后，资金未到位"), so that each is read as
// the report on its item, as lines are (perLine). A message of one line
// only; others are returned as they are.
func sentencesAtItems(msg string) string {
	if strings.Contains(msg, "\n") {
		return msg
	}
	t := newText(msg)
	var cuts []int // raw offsets to break before
	starts := 0
	for _, r := range duban.FindItemRefs(t.s) {
		if r.Bare {
			continue
		}
		k := r.Start
		for k > 0 && t.s[k-1] == ' ' {
			k--
		}
		if k == 0 {
			starts++
			continue
		}
		if last, _ := utf8.DecodeLastRuneInString(t.s[:k]); strings.ContainsRune(sentenceEnds, last) {
			starts++
			cuts = append(cuts, t.off[r.Start])
		}
	}
	if starts < 2 || len(cuts) == 0 {
		return msg
	}
	var b strings.Builder
	from := 0
	for _, c := range cuts {
		b.WriteString(msg[from:c])
		b.WriteString("\n")
		from = c
	}
	b.WriteString(msg[from:])
	return b.String()
}

// entry is what a head and the text after it, up to end, say of an item.
// The percent is the head's, else the first one a cue marks in the text.
// When the head leaves no text but says how much is done in words
// ("已完成百分之七十", "完成100%"), those words are the text.
func (g *grammar) entry(h head, end int) Entry {
	e := Entry{Status: h.status, StatusWord: h.statusWord, Percent: duban.NoPercent, Text: g.t.rawText(h.textStart, end)}
	switch {
	case h.percent != nil:
		e.Percent = h.percent.Value
		if e.Text == "" && h.percent.Cued {
			e.Text = g.t.rawText(h.percent.CueStart, h.textStart)
		}
	default:
		if p := g.cuedPercent(h.textStart, end); p != nil {
			e.Percent = p.Value
		}
	}
	return e
}

// cuedPercent returns the first percentage in s[from:to] that a cue marks
// as the share of work done (…，完成70%).
func (g *grammar) cuedPercent(from, to int) *duban.Percent {
	for k := range g.pcts {
		p := &g.pcts[k]
		if p.CueStart >= from && p.CueEnd <= to && p.Cued {
			return p
		}
	}
	return nil
}

// entries makes one entry per item the references name (ranges expanded),
// each with the fields of e; with no references, one entry without item.
func entries(plan *duban.Plan, refs []duban.ItemRef, e Entry) []Entry {
	if len(refs) == 0 {
		return []Entry{e}
	}
	var out []Entry
	seen := map[int]bool{}
	for _, ref := range refs {
		items, bad := plan.ResolveItemRefs([]duban.ItemRef{ref})
		for _, n := range items {
			if !seen[n] {
				seen[n] = true
				x := e
				x.Item = n
				out = append(out, x)
			}
		}
		for _, b := range bad {
			x := e
			x.Item, x.Written = -1, -1
			if b >= 0 && b < 1<<30 {
				x.Written = int(b)
			}
			if !seen[-2-x.Written] {
				seen[-2-x.Written] = true
				out = append(out, x)
			}
		}
	}
	return out
}

// verdict decides whether a message with this head is a report.
func (g *grammar) verdict(h head, textStart, end int) Verdict {
	body := strings.TrimSpace(g.t.s[textStart:end])
	whole := strings.TrimSpace(g.t.s)
	items := len(h.items) > 0
	switch {
	case h.keyword != "" && items:
		if g.endsAsQuestion(whole, true) {
			return NotReport
		}
		if !h.hasSignal() && body != "" && (madeOf(body, g.w.questionText) || g.hasQuestionWord(body) && utf8.RuneCountInString(body) <= 8) {
			return NotReport // 进展 #3 怎么样: the history is asked for
		}
		return IsReport
	case h.keyword != "":
		if body == "" && !h.hasSignal() {
			return IsReport // the report word alone
		}
		if g.endsAsQuestion(whole, true) || g.hasQuestionWord(body) && utf8.RuneCountInString(body) <= 12 {
			return NotReport
		}
		if h.hasSignal() || wordIn(body, g.w.statement) && !madeOf(body, g.w.questionText) ||
			strings.HasPrefix(body, "#") || strings.HasPrefix(body, "第") {
			return IsReport // no item, or one that cannot be read: the handler asks for it
		}
		return NotReport
	case items && g.startsWith(h.items[0].Start):
		if g.endsAsQuestion(whole, false) || g.hasQuestionWord(whole) {
			return NotReport
		}
		if h.afterItem {
			if body == "" && !h.hasSignal() || madeOf(body, g.w.questionText) {
				return NotReport // 第3条进展: the history
			}
			return IsReport
		}
		if h.hasSignal() {
			return IsReport
		}
		if wordIn(body, g.w.statement) && utf8.RuneCountInString(body) >= 4 {
			return MaybeReport
		}
		return NotReport
	case !items && h.status != duban.StatusNone && g.startsWithStatus():
		// "进行中 已完成造林10万亩": a report that forgot its item. The
		// status must open the message, separated from the text.
		if body == "" || g.endsAsQuestion(whole, false) || g.hasQuestionWord(whole) || !wordIn(body, g.w.statement) {
			return NotReport
		}
		return IsReport
	}
	return NotReport
}

// startsWith reports whether only separators and mentions stand before i.
func (g *grammar) startsWith(i int) bool { return g.skipSep(0, i) == i }

// startsWithStatus reports whether the message opens with a status word
// that stands alone.
func (g *grammar) startsWithStatus() bool {
	i := g.skipSep(0, len(g.t.s))
	return g.statusAt(i, len(g.t.s))
}

// endsAsQuestion reports whether the message ends like a question: a
// question mark, or (loose) a final particle such as 吗 or 呢.
func (g *grammar) endsAsQuestion(s string, strict bool) bool {
	s = strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '。' || r == '.' || r == '!' || r == '！' })
	if strings.HasSuffix(s, "?") {
		return true
	}
	if strict {
		return strings.HasSuffix(s, "吗") || strings.HasSuffix(s, "呢") || strings.HasSuffix(s, "么")
	}
	return wordSuffix(s, g.w.questionEnd) != ""
}

// hasQuestionWord reports whether s holds a question word.
func (g *grammar) hasQuestionWord(s string) bool { return wordIn(s, g.w.question) }

// perLine reads a message of several lines that each start with an item
// ("#3 进行中 …\n#53 已完成 …"), perhaps under a line holding only a
// report word: one entry per line, each line's text running on over the
// lines after it that start with no item.
func (g *grammar) perLine(plan *duban.Plan) (Report, bool) {
	if !strings.Contains(g.t.s, "\n") {
		return Report{}, false
	}
	type line struct{ from, to int }
	var lines []line
	from := 0
	for i := 0; i <= len(g.t.s); i++ {
		if i == len(g.t.s) || g.t.s[i] == '\n' {
			if strings.TrimSpace(g.t.s[from:i]) != "" {
				lines = append(lines, line{from, i})
			}
			from = i + 1
		}
	}
	if len(lines) < 2 {
		return Report{}, false
	}
	var (
		r       Report
		starts  []int  // indexes of lines with an item
		heads   []head // their heads
		keyword bool
	)
	for k, l := range lines {
		h := g.readHead(l.from, l.to, true)
		if k == 0 && h.keyword != "" && len(h.items) == 0 && !h.hasSignal() && h.textStart >= l.to {
			keyword = true
			r.Keyword = h.keyword
			continue
		}
		// A line starts an item when its item stands alone ("#53 …",
		// "#53：…") or a status, percent or 进展 follows it; "#53号线路已
		// 改造" on a later line is text.
		if len(h.items) == 0 || !g.startsWithin(l.from, h) ||
			!h.hasSignal() && !h.afterItem && !g.endsToken(h.items[len(h.items)-1].End, l.to) {
			if k == 0 {
				return Report{}, false
			}
			continue
		}
		if h.keyword != "" {
			keyword = true
		}
		starts = append(starts, k)
		heads = append(heads, h)
	}
	if len(starts) == 0 || len(starts) == 1 && !keyword {
		return Report{}, false
	}
	for n, k := range starts {
		h := heads[n]
		end := len(g.t.s)
		if n+1 < len(starts) {
			end = lines[starts[n+1]].from
		}
		if g.endsAsQuestion(g.t.s[lines[k].from:lines[k].to], !keyword) || !keyword && !h.hasSignal() && !h.afterItem {
			return Report{}, false
		}
		e := g.entry(h, end)
		if h.agency != "" && r.Agency == "" {
			r.Agency = h.agency
		}
		r.Entries = append(r.Entries, entries(plan, h.items, e)...)
	}
	r.Verdict = IsReport
	return r, true
}

// startsWithin reports whether a line's head starts with its item (after
// a report word, if any).
func (g *grammar) startsWithin(from int, h head) bool {
	i := from
	if h.keyword != "" {
		i = h.keywordEnd
	}
	return g.skipSep(i, len(g.t.s)) == h.items[0].Start || g.skipSep(from, len(g.t.s)) == h.items[0].Start
}

// wordPrefix returns the first of words (longest first) that s starts with;
// English words must end at a word boundary.
func wordPrefix(s string, words []string) string {
	for _, w := range words {
		if strings.HasPrefix(s, w) && (!latinWord(w) || len(s) == len(w) || !isASCIILetter(rune(s[len(w)]))) {
			return w
		}
	}
	return ""
}

// wordSuffix returns the first of words that s ends with; English words
// must start at a word boundary.
func wordSuffix(s string, words []string) string {
	for _, w := range words {
		if strings.HasSuffix(s, w) && (!latinWord(w) || len(s) == len(w) || !isASCIILetter(rune(s[len(s)-len(w)-1]))) {
			return w
		}
	}
	return ""
}

// wordIn reports whether s holds one of words: Chinese ones anywhere,
// English ones as whole words.
func wordIn(s string, words []string) bool {
	for _, w := range words {
		if _, _, ok := findWordAt(s, w, 0); ok {
			return true
		}
	}
	return false
}

// findWordAt returns where w first stands in s from byte from: anywhere
// for a Chinese word, as a whole word for an English one.
func findWordAt(s, w string, from int) (int, int, bool) {
	for from <= len(s) {
		i := strings.Index(s[from:], w)
		if i < 0 {
			return 0, 0, false
		}
		a, b := from+i, from+i+len(w)
		if !latinWord(w) || (a == 0 || !isASCIILetter(rune(s[a-1]))) && (b == len(s) || !isASCIILetter(rune(s[b]))) {
			return a, b, true
		}
		from = a + 1
	}
	return 0, 0, false
}

// madeOf reports whether s is made of nothing but the words, spaces
// and punctuation.
func madeOf(s string, words []string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for s != "" {
		r, size := utf8.DecodeRuneInString(s)
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			s = s[size:]
			continue
		}
		w := wordPrefix(s, words)
		if w == "" {
			return false
		}
		s = s[len(w):]
	}
	return true
}

func latinWord(w string) bool { return w != "" && isASCIILetter(rune(w[0])) }
