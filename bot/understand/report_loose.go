package understand

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"duban"
)

// ReadLooseReport reads a message that says how an item's work stands in
// an order the report grammar (ReadReport) does not expect: the item
// anywhere ("我们局第53条推进中"), a status or the share done anywhere
// ("第三条这边进度大概六成", "item 53 is about 80% complete"), or a
// statement of work done with a figure ("这周第53条新建森林步道20公里").
// Its verdict is IsReport with a status word or a share of the work,
// MaybeReport with an item and a statement only (the writer confirms
// before it is stored), and NotReport for questions and for messages that say nothing
// of progress. A report without an item is returned with an entry of
// item 0, for the handler to ask which item it is: nothing that reads as
// a report is dropped without a word. The text of the report is the whole
// message as written.
func ReadLooseReport(msg string, plan *duban.Plan) Report {
	// Several sentences each starting with its item: each read on its
	// own ("第3条已完成抽检。第53条卡住了，资金未到位").
	if split := sentencesAtItems(msg); split != msg {
		var out Report
		for _, seg := range strings.Split(split, "\n") {
			r := readLoose(seg, plan)
			if r.Verdict == NotReport || r.MissingItem() {
				return readLoose(msg, plan)
			}
			if out.Verdict == NotReport || r.Verdict == MaybeReport {
				out.Verdict = r.Verdict
			}
			out.Entries = append(out.Entries, r.Entries...)
		}
		return out
	}
	return readLoose(msg, plan)
}

// readLoose is ReadLooseReport on one sentence or message.
func readLoose(msg string, plan *duban.Plan) Report {
	g := newGrammar(msg)
	s := g.t.s
	whole := strings.TrimSpace(s)
	if whole == "" || g.endsAsQuestion(whole, false) || g.hasQuestionWord(whole) || wordPrefix(whole, g.w.questionStart) != "" {
		return Report{} // is item 3 done: a question
	}
	var refs []duban.ItemRef
	for _, r := range g.refs {
		if !r.Bare {
			refs = append(refs, r)
		}
	}
	st, word := g.looseStatus(refs)
	pct := duban.NoPercent
	for _, p := range g.pcts {
		if p.Cued || p.End > p.Start && strings.Contains(s[p.Start:p.End], "成") {
			pct = p.Value
			break
		}
	}
	if pct == duban.NoPercent {
		for _, p := range g.pcts { // "item 3: 80%": a share right after its item
			if slices.ContainsFunc(refs, func(r duban.ItemRef) bool { return g.skipSep(r.End, len(s)) == p.Start }) {
				pct = p.Value
				break
			}
		}
	}
	strong := st != duban.StatusNone || pct != duban.NoPercent
	// A statement of work: with a figure; with an item, a statement word
	// is enough (第3条已完成抽检), as in the report grammar.
	weak := !strong && (g.statesWork(refs) || len(refs) > 0 && g.states())
	if !strong && !weak {
		return Report{}
	}
	if g.onlyAsks(refs) {
		return Report{} // 第53条完成情况: the item's progress is asked for
	}
	e := Entry{Status: st, StatusWord: word, Percent: pct, Text: strings.TrimSpace(g.t.raw)}
	r := Report{Verdict: IsReport, Entries: entries(plan, refs, e)}
	if !strong && len(refs) > 0 {
		r.Verdict = MaybeReport // without an item the handler asks for it anyway
	}
	return r
}

// looseStatus returns the first status word of the message that stands as
// a status: at the end, before a separator or a final particle (了, 啦),
// or a word that is a status wherever it stands (推进中). A status word
// before 的 qualifies a noun (完成的工作) and one before more words is a
// verb with its object (完成抽检120批次): neither says how the item stands.
func (g *grammar) looseStatus(refs []duban.ItemRef) (duban.Status, string) {
	s := g.t.s
	inRef := func(i int) bool {
		for _, r := range refs {
			if i >= r.Start && i < r.End {
				return true
			}
		}
		for _, p := range g.pcts { // 80% complete: the share's cue
			if i >= p.CueStart && i < p.CueEnd {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if inRef(i) || r < utf8.RuneSelf && unicode.IsLetter(r) && i > 0 && isLatinLetterBefore(s, i) {
			i += size
			continue
		}
		st, n, ok := duban.ParseStatusPrefix(s[i:])
		if !ok {
			i += size
			continue
		}
		word, end := s[i:i+n], i+n
		rest := s[end:]
		switch {
		case strings.HasPrefix(rest, "的"):
		case g.modalBefore(i):
		case g.countBefore(i, refs): // 12 parks done, 3 to go: those parks, not the item
		case duban.StatusGlued(word), g.endsToken(end, len(s)), wordPrefix(rest, g.w.finalParticle) != "":
			return st, word
		}
		i += size
	}
	return duban.StatusNone, ""
}

// modalBefore reports whether a word of [modal] (计划, 要求, 应该, will …)
// stands in the clause before position i: what follows is planned,
// required or guessed, not reported.
func (g *grammar) modalBefore(i int) bool {
	return wordIn(g.t.s[g.clauseStart(i):i], g.w.modal)
}

// clauseStart returns where the clause holding position i starts: at the
// last separator before it other than a space, or at 0.
func (g *grammar) clauseStart(i int) int {
	for k := i - 1; k >= 0; k-- {
		if g.sepAt(k, i) > 0 && !strings.HasPrefix(g.t.s[k:], " ") {
			return k
		}
	}
	return 0
}

// countBefore reports whether a number other than an item's stands in
// the clause before position i: a status after it is about what was
// counted ("12 parks done"), not the item.
func (g *grammar) countBefore(i int, refs []duban.ItemRef) bool {
	from := g.clauseStart(i)
	for _, n := range g.numbers() {
		if n.Start < from || n.End > i {
			continue
		}
		if !slices.ContainsFunc(refs, func(r duban.ItemRef) bool { return n.Start >= r.Start && n.End <= r.End }) {
			return true
		}
	}
	return false
}

// isLatinLetterBefore reports whether an ASCII letter stands right before i.
func isLatinLetterBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r < utf8.RuneSelf && unicode.IsLetter(r)
}

// statesWork reports whether the message states work done: a statement
// word ([statement]) not qualifying a noun, and a figure that is neither
// an item number nor a date (森林步道20公里, 120批次).
func (g *grammar) statesWork(refs []duban.ItemRef) bool {
	s := g.t.s
	if !g.states() {
		return false
	}
	for _, n := range g.numbers() {
		inRef := false
		for _, r := range refs {
			if n.Start >= r.Start && n.End <= r.End {
				inRef = true
			}
		}
		if inRef || wordPrefix(s[n.End:], g.w.dateUnit) != "" {
			continue
		}
		return true
	}
	return false
}

// states reports whether the message holds a statement word ([statement])
// that does not qualify a noun (完成的工作).
func (g *grammar) states() bool {
	s := g.t.s
	for _, w := range g.w.statement {
		for from := 0; ; {
			a, b, ok := findWordAt(s, w, from)
			if !ok {
				break
			}
			if !strings.HasPrefix(s[b:], "的") {
				return true
			}
			from = a + 1
		}
	}
	return false
}

// onlyAsks reports whether the message, without its item references and
// status words, is made of words that ask for a record (情况, 进度,
// history): "第53条完成情况".
func (g *grammar) onlyAsks(refs []duban.ItemRef) bool {
	s := g.t.s
	var b strings.Builder
	last := 0
	for _, r := range refs {
		b.WriteString(s[last:r.Start])
		b.WriteString(" ")
		last = r.End
	}
	b.WriteString(s[last:])
	rest := b.String()
	for _, w := range duban.StatusWords() {
		rest = strings.ReplaceAll(rest, w, " ")
	}
	rest = strings.NewReplacer("的", " ", "了", " ").Replace(rest)
	return madeOf(rest, g.w.questionText)
}
