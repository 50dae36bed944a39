package understand

import (
	"strings"
	"unicode"

	"duban"
)

// This file reads the short commands around progress reports: retracting
// and correcting a record, confirming what the bot asked, a user's own
// items, an agency's progress and the status filters. Their words are in
// lexicon/report.txt.

// RetractKind says what a retraction names.
type RetractKind int

// What a retraction may name.
const (
	RetractLatest RetractKind = iota // 撤回: the user's latest report
	RetractItem                      // 撤回 #53: the user's latest report on the item
	RetractRecord                    // 撤回 记录12: that record
)

// Retraction is a retraction as understood.
type Retraction struct {
	Kind   RetractKind
	Item   int    // RetractItem: the item as written (perhaps one the plan lacks; -1: unreadable)
	Record uint64 // RetractRecord: the record number
}

// ReadRetraction reads 撤回, 撤回我的上一条, 撤回 #53, 撤回第53条, 撤回 记录12,
// retract, undo last, retract record 12. Anything else after the word
// ("撤回第3条的要求是什么") makes it no retraction.
func ReadRetraction(msg string, plan *duban.Plan) (Retraction, bool) {
	w := reportLexicon()
	s := commandFold(msg)
	k := wordPrefix(s, w.retract)
	if k == "" {
		return Retraction{}, false
	}
	rest := s[len(k):]
	for {
		rest = stripWords(rest, nil)
		if n, ok := recordRef(rest); ok {
			return Retraction{Kind: RetractRecord, Record: n}, true
		}
		f := wordPrefix(rest, w.retractFiller)
		if f == "" {
			break
		}
		rest = rest[len(f):]
	}
	if rest == "" {
		return Retraction{Kind: RetractLatest}, true
	}
	if item, ok := onlyItem(rest, plan); ok {
		return Retraction{Kind: RetractItem, Item: item}, true
	}
	return Retraction{}, false
}

// Correction is 更正 记录12 … as understood: the record it corrects (or
// the item whose latest report it corrects) and the corrected report.
type Correction struct {
	Record uint64 // the record corrected; 0 when an item was named
	Item   int    // the item named instead (更正 #53 …); 0 if none
	Entry  Entry  // the corrected status, percent and text (Item unset)
	// Usage is set when the message is a correction word with no record
	// or item: the handler says how to write one.
	Usage bool
}

// ReadCorrection reads 更正 记录12 已完成 全部完成, 更正 #53 进行中 …,
// correct record 12: … . A correction word alone, or followed by a text
// with no record, is a correction without a reference (Usage).
func ReadCorrection(msg string, plan *duban.Plan) (Correction, bool) {
	w := reportLexicon()
	g := newGrammar(msg)
	s := g.t.s
	start := g.skipSep(0, len(s))
	k := wordPrefix(s[start:], w.correct)
	if k == "" {
		return Correction{}, false
	}
	pos := g.skipSep(start+len(k), len(s))
	c := Correction{}
	switch {
	case pos >= len(s):
		return Correction{Usage: true}, true
	case wordPrefix(s[pos:], w.record) != "":
		r := wordPrefix(s[pos:], w.record)
		q := skipBlanks(s, pos+len(r))
		q = skipHash(s, q)
		n, end, ok := g.number(q, len(s))
		if !ok {
			return Correction{Usage: true}, true
		}
		c.Record, pos = uint64(n), end
	case g.refAt(pos) != nil:
		ref := g.refAt(pos)
		items, bad := plan.ResolveItemRefs([]duban.ItemRef{*ref})
		switch {
		case len(items) == 1 && len(bad) == 0:
			c.Item = items[0]
		default:
			c.Item = -1
		}
		pos = ref.End
	default:
		// 更正错误的数据 …: a word, not the command.
		if !g.endsToken(start+len(k), len(s)) {
			return Correction{}, false
		}
		return Correction{Usage: true}, true
	}
	h := g.readHead(pos, len(s), false)
	c.Entry = g.entry(h, len(s))
	return c, true
}

// Answer is a reply to what the bot asked to confirm.
type Answer int

// The answers.
const (
	NoAnswer Answer = iota // the message is something else
	Yes                    // 是, 确认, yes
	No                     // 否, 取消, no
)

// ReadAnswer reads a message that is only a yes or a no.
func ReadAnswer(msg string) Answer {
	w := reportLexicon()
	s := strings.TrimFunc(commandFold(msg), func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	switch {
	case s == "":
		return NoAnswer
	case madeOf(s, w.yes) && len([]rune(s)) <= 6:
		return Yes
	case madeOf(s, w.no) && len([]rune(s)) <= 6:
		return No
	}
	return NoAnswer
}

// ReadMine reports whether a message asks for the user's own items and
// their progress: 我的进展, 我的条目, 本单位进展, my items.
func ReadMine(msg string) bool {
	w := reportLexicon()
	s := strings.TrimSpace(commandFold(LeadIn(msg)))
	for {
		t := wordSuffix(s, w.mineTail)
		if t == "" || len(t) == len(s) {
			break
		}
		s = strings.TrimSpace(s[:len(s)-len(t)])
	}
	return s != "" && wordPrefix(s, w.mine) == s
}

// ReadAgencyProgress reads "省林业局进展如何", "林业局报了吗", "海关的进展情况":
// an agency's name followed by words that ask for its progress, and
// nothing else. It returns the canonical names (several for a name such as
// 海关) and the name as written.
func ReadAgencyProgress(msg string, dir *duban.Directory) ([]string, string, bool) {
	if dir == nil {
		return nil, "", false
	}
	w := reportLexicon()
	s := strings.TrimSpace(commandFold(msg))
	s = strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	found := dir.Find(s)
	if len(found) != 1 {
		return nil, "", false
	}
	m := found[0]
	i := strings.Index(s, m.Text)
	if i < 0 {
		return nil, "", false
	}
	before := strings.TrimSpace(LeadIn(s[:i]))
	if strings.TrimSpace(s[:i]) == "" {
		before = ""
	}
	after := strings.TrimSpace(s[i+len(m.Text):])
	if before != "" || after == "" || wordPrefix(after, w.agencyProgress) != after {
		return nil, "", false
	}
	return m.Names, m.Text, true
}

// Filter is a status filter as understood: the status asked for, and
// whether the list is one of agencies rather than items.
type Filter struct {
	Status   duban.Status
	Agencies bool
	Overdue  bool // 逾期, 超期: delayed, and everything not done once the deadline has passed
}

// ReadFilter reads 哪些工作滞后, 已完成的有哪些, 还没开始的, 哪些单位逾期了,
// 进行中的条目: a status and words that ask for a list, and nothing else.
func ReadFilter(msg string) (Filter, bool) {
	w := reportLexicon()
	s := strings.TrimSpace(commandFold(msg))
	s = strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	var (
		f     Filter
		word  string
		found bool
	)
	for _, st := range []duban.Status{duban.StatusNotStarted, duban.StatusDone, duban.StatusDelayed, duban.StatusInProgress} {
		for _, x := range w.filterStatus[st] {
			if len(x) > len(word) && strings.Contains(s, x) {
				word, f.Status, found = x, st, true
			}
		}
	}
	if !found {
		return Filter{}, false
	}
	f.Overdue = wordIn(word, w.overdue)
	rest := strings.Replace(s, word, " ", 1)
	if wordIn(rest, w.filterAgencies) {
		f.Agencies, rest = true, stripAnywhere(rest, w.filterAgencies)
	}
	if !f.Agencies && !wordIn(rest, w.filterAround) {
		return Filter{}, false // 滞后 alone is a search
	}
	if stripAnywhere(rest, w.filterAround) != "" {
		return Filter{}, false
	}
	return f, true
}

// commandFold is a short command as the readers compare it: folded, ASCII
// lower case, Slack mentions removed, spaces collapsed.
func commandFold(msg string) string {
	t := newText(msg)
	s := t.s
	for {
		i := strings.Index(s, "<@")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		s = s[:i] + " " + s[i+j+1:]
	}
	return strings.Join(strings.Fields(s), " ")
}

// stripWords removes from the start of s, over and over, any of the words,
// spaces and punctuation, and returns what is left, trimmed.
func stripWords(s string, words []string) string {
	for {
		s = strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '#' })
		w := wordPrefix(s, words)
		if w == "" {
			return strings.TrimSpace(s)
		}
		s = s[len(w):]
	}
}

// stripAnywhere removes every occurrence of the words (longest first;
// English ones as whole words) and punctuation from s.
func stripAnywhere(s string, words []string) string {
	for _, w := range words {
		for from := 0; ; {
			a, b, ok := findWordAt(s, w, from)
			if !ok {
				break
			}
			s = s[:a] + " " + s[b:]
			from = a + 1
		}
	}
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
}

// recordRef reads a record reference that is all of s: 记录12, 记录 #12,
// 记录编号12, 记录十二, record 12.
func recordRef(s string) (uint64, bool) {
	w := reportLexicon()
	r := wordPrefix(s, w.record)
	if r == "" {
		return 0, false
	}
	rest := strings.TrimSpace(s[len(r):])
	rest = strings.TrimSpace(strings.TrimPrefix(rest, "#"))
	rest = strings.TrimRightFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	nums := duban.ScanNumbers(rest)
	if len(nums) != 1 || nums[0].Start != 0 || nums[0].End != len(rest) || nums[0].Decimal || nums[0].Overflow || nums[0].Value <= 0 {
		return 0, false
	}
	return uint64(nums[0].Value), true
}

// onlyItem reads an item reference that is all of s (but for words such
// as 的进展): #53, 第53条, 53号.
func onlyItem(s string, plan *duban.Plan) (int, bool) {
	refs := duban.FindItemRefs(s)
	if len(refs) != 1 {
		return 0, false
	}
	r := refs[0]
	rest := strings.TrimSpace(s[:r.Start] + " " + s[r.End:])
	rest = stripWords(rest, reportLexicon().retractFiller)
	if rest != "" {
		return 0, false
	}
	items, bad := plan.ResolveItemRefs(refs)
	switch {
	case len(items) == 1 && len(bad) == 0:
		return items[0], true
	case len(items) == 0 && len(bad) == 1 && bad[0] >= 0 && bad[0] < 1<<30:
		return int(bad[0]), true // 撤回 #72: the handler says the plan has no such item
	}
	return -1, true
}

func skipBlanks(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

func skipHash(s string, i int) int {
	if i < len(s) && s[i] == '#' {
		return skipBlanks(s, i+1)
	}
	return i
}

// RosterColumns finds the user id and agency columns of a roster file's
// header row ("用户ID,单位", "user id,agency,name"). ok is false when the
// row names neither, so that it is no header.
func RosterColumns(header []string) (user, agency int, ok bool) {
	lx := lexicon("report.txt")
	norm := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
		return strings.Join(strings.Fields(s), " ")
	}
	find := func(words []string) int {
		for i, h := range header {
			h = norm(h)
			for _, w := range words {
				if h == norm(w) || strings.ReplaceAll(h, " ", "") == strings.ReplaceAll(norm(w), " ", "") {
					return i
				}
			}
		}
		return -1
	}
	user, agency = find(lx["roster-user"]), find(lx["roster-agency"])
	switch {
	case user < 0 && agency < 0:
		return 0, 1, false
	case user < 0:
		user = 0
		if agency == 0 {
			user = 1
		}
	case agency < 0:
		agency = 1
		if user == 1 {
			agency = 0
		}
	}
	return user, agency, user != agency
}
