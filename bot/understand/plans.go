package understand

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"duban"
)

// planBook finds the words of lexicon/plans.txt.
var planBook = sync.OnceValue(func() *phrasebook {
	lx := lexicon("plans.txt")
	delete(lx, "plan-word") // not references: OnlyPlanWords's
	delete(lx, "plan-word-trim")
	return newPhrasebook(lx)
})

// planWords holds the words OnlyPlanWords allows and the characters it
// trims off them.
var planWords = sync.OnceValue(func() struct {
	words []string
	trim  string
} {
	lx := lexicon("plans.txt")
	return struct {
		words []string
		trim  string
	}{lx["plan-word"], strings.Join(lx["plan-word-trim"], "")}
})

// OnlyPlanWords reports whether a topic says nothing but "the work",
// "items", "plans" (lexicon/plans.txt, [plan-word]): a comparison of
// plans as a whole, not of a topic.
func OnlyPlanWords(topic string) bool {
	pw := planWords()
	for _, w := range strings.Fields(strings.ToLower(topic)) {
		if w = strings.Trim(w, pw.trim); w != "" && !slices.Contains(pw.words, w) {
			return false
		}
	}
	return true
}

// PlanRef is a plan a question names: a year ("2022年", "plan 2022"), a
// year counted from the asker's plan ("去年", "last year's"), a plan id, or
// every plan ("全部计划"). Which plan it is, is for the engine to say: it
// knows the plans loaded.
type PlanRef struct {
	Text       string // as written, with the word that links it ("去年的")
	Start, End int    // byte range in the text read
	Year       int    // the year named; 0 for a relative year, an id or all
	Relative   int    // with IsRelative: 0 this year, -1 last year, -2 the year before
	IsRelative bool
	ID         string // a plan id as written (fujian-2022-quality)
	All        bool   // every plan
	// Named is set when the words say it is a plan ("2022年计划", "plan
	// 2022", an id after 计划): when no such plan is loaded, say so. A
	// reference not Named that fits no plan is read as ordinary words
	// ("2020年" in "比2020年减少2%").
	Named bool
	// Bare is a year standing alone ("compare 2021 2022"): a plan only in
	// a comparison.
	Bare bool
}

// FindPlanRefs returns the plan references of a message (width folded),
// in order, not overlapping.
func FindPlanRefs(text string) []PlanRef {
	pb := planBook()
	words := pb.scan(text)
	var out []PlanRef
	add := func(r PlanRef) {
		r.End = extendLink(text, r.End, pb)
		r.Text = text[r.Start:r.End]
		out = append(out, r)
	}
	for _, m := range words {
		switch {
		case m.Is("all"):
			add(PlanRef{Start: m.Start, End: m.End, All: true, Named: true})
		case m.Is("this-year"):
			add(PlanRef{Start: m.Start, End: m.End, IsRelative: true, Relative: 0})
		case m.Is("last-year"):
			add(PlanRef{Start: m.Start, End: m.End, IsRelative: true, Relative: -1})
		case m.Is("year-before-last"):
			add(PlanRef{Start: m.Start, End: m.End, IsRelative: true, Relative: -2})
		}
	}
	for _, n := range duban.ScanNumbers(text) {
		if r, ok := yearRef(text, n, pb); ok {
			add(r)
		}
	}
	for _, r := range idRefs(text, pb) {
		add(r)
	}
	slices.SortStableFunc(out, func(a, b PlanRef) int { return a.Start - b.Start })
	var kept []PlanRef
	for _, r := range out {
		if len(kept) > 0 && r.Start < kept[len(kept)-1].End {
			continue
		}
		kept = append(kept, r)
	}
	return kept
}

// yearRef reads a number as a plan's year: 2022年(计划/的), 计划2022,
// plan 2022, 2022 plan, or a bare year.
func yearRef(text string, n duban.Number, pb *phrasebook) (PlanRef, bool) {
	if n.Decimal || n.Ordinal || n.Overflow || n.Value < 1950 || n.Value > 2150 {
		return PlanRef{}, false
	}
	if n.Script == duban.ScriptDigits && n.End-n.Start != 4 || n.Script == duban.ScriptEnglish {
		return PlanRef{}, false
	}
	before := strings.TrimRight(text[:n.Start], " ")
	if strings.HasSuffix(before, "第") || strings.HasSuffix(before, "#") || endsInRange(before) {
		return PlanRef{}, false // an item number, or the second year of a range
	}
	r := PlanRef{Start: n.Start, End: n.End, Year: int(n.Value)}
	after := text[n.End:]
	if startsRange(after) {
		return PlanRef{}, false // 2021-2023年
	}
	if rest, ok := strings.CutPrefix(after, "年"); ok {
		if m := pb.prefix(rest); m != nil && m.Is("date") {
			return PlanRef{}, false
		}
		r.End += len("年")
		if m := pb.prefix(rest); m != nil && m.Is("plan") {
			r.End += len(m.Word)
			r.Named = true
		}
	} else {
		if m := pb.prefix(strings.TrimLeft(strings.TrimPrefix(after, "'s"), " ")); m != nil && m.Is("plan") {
			r.End = n.End + (len(after) - len(strings.TrimLeft(strings.TrimPrefix(after, "'s"), " "))) + len(m.Word)
			r.Named = true
		}
		if w, at := lastWord(before, pb); w != nil && w.Is("plan") {
			r.Start = at
			r.Named = true
		}
		r.Bare = !r.Named
	}
	if !r.Named {
		if w, at := lastWord(before, pb); w != nil && w.Is("plan") {
			r.Start, r.Named, r.Bare = at, true, false
		}
	}
	return r, true
}

// startsRange reports whether s starts the rest of a year range ("-2023").
func startsRange(s string) bool {
	for _, sep := range []string{"-", "—", "–", "~", "至", "到"} {
		if rest, ok := strings.CutPrefix(s, sep); ok {
			r, _ := utf8.DecodeRuneInString(rest)
			return unicode.IsDigit(r) || duban.IsChineseNumeral(r)
		}
	}
	return false
}

// endsInRange reports whether s ends with the first year of a range
// ("2021-").
func endsInRange(s string) bool {
	for _, sep := range []string{"-", "—", "–", "~", "至", "到"} {
		if rest, ok := strings.CutSuffix(s, sep); ok {
			r, _ := utf8.DecodeLastRuneInString(rest)
			return unicode.IsDigit(r)
		}
	}
	return false
}

// idRefs finds plan ids: ASCII words of letters, digits and hyphens with a
// hyphen and a letter (fujian-2022-quality); Named after a plan word.
func idRefs(text string, pb *phrasebook) []PlanRef {
	var out []PlanRef
	for i := 0; i < len(text); {
		if !isIDByte(text[i]) || i > 0 && isIDByte(text[i-1]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isIDByte(text[j]) {
			j++
		}
		w := strings.ToLower(strings.Trim(text[i:j], "-"))
		if strings.Contains(w, "-") && strings.ContainsFunc(w, func(r rune) bool { return r >= 'a' && r <= 'z' }) && duban.CheckPlanID(w) == nil {
			r := PlanRef{Start: i, End: i + len(strings.TrimRight(text[i:j], "-")), ID: w}
			if m, at := lastWord(strings.TrimRight(text[:i], " "), pb); m != nil && m.Is("plan") {
				r.Start, r.Named = at, true
			}
			out = append(out, r)
		}
		i = j
	}
	return out
}

func isIDByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-'
}

// lastWord returns the lexicon word that ends s (spaces trimmed) and where
// it starts.
func lastWord(s string, pb *phrasebook) (*Match, int) {
	ms := pb.scan(s)
	if len(ms) == 0 || ms[len(ms)-1].End != len(s) {
		return nil, 0
	}
	m := ms[len(ms)-1]
	return &m, m.Start
}

// prefix returns the lexicon word s starts with, or nil.
func (pb *phrasebook) prefix(s string) *Match {
	lower := asciiLower(s)
	r, _ := utf8.DecodeRuneInString(lower)
	if w := pb.longestAt(lower, 0, r); w != "" {
		return &Match{Start: 0, End: len(w), Word: w, Classes: pb.classes[w]}
	}
	return nil
}

// extendLink extends a reference ending at end over the link word after
// it (的, 里, 中): "去年的第3条" takes "去年的".
func extendLink(text string, end int, pb *phrasebook) int {
	rest := text[end:]
	trimmed := strings.TrimLeft(rest, " ")
	if m := pb.prefix(trimmed); m != nil && m.Is("link") && !m.Is("plan") {
		// An English link word must be followed by a space or the end.
		if isASCIILetter(rune(m.Word[0])) {
			return end
		}
		return end + len(rest) - len(trimmed) + len(m.Word)
	}
	return end
}

// StripPlanRefs returns text without the given references (and without a
// word that only joins two of them: "今年和去年"), with spaces tidied.
func StripPlanRefs(text string, refs []PlanRef) string {
	if len(refs) == 0 {
		return text
	}
	var b strings.Builder
	at := 0
	for i, r := range refs {
		if r.Start < at || r.End > len(text) {
			continue
		}
		gap := text[at:r.Start]
		if i > 0 && joinsRefs(gap) {
			gap = " "
		}
		b.WriteString(gap)
		b.WriteString(" ")
		at = r.End
	}
	b.WriteString(text[at:])
	return strings.Join(strings.Fields(b.String()), " ")
}

// joinsRefs reports whether what stands between two references only joins
// them: 和, 与, 跟, 、, and, vs, to.
func joinsRefs(gap string) bool {
	g := strings.ToLower(strings.TrimSpace(gap))
	for _, w := range []string{"和", "与", "跟", "同", "及", "、", ",", "and", "vs", "vs.", "versus", "to", "对比", "比"} {
		if g == w {
			return true
		}
	}
	return g == ""
}

// CompareWords returns the words of a message that ask to compare plans
// ("对比", "compare").
func CompareWords(text string) []Match {
	var out []Match
	for _, m := range planBook().scan(text) {
		if m.Is("compare") {
			out = append(out, m)
		}
	}
	return out
}

// StripMatches returns text without the matched words, spaces tidied.
func StripMatches(text string, ms []Match) string {
	var b strings.Builder
	at := 0
	for _, m := range ms {
		if m.Start < at || m.End > len(text) {
			continue
		}
		b.WriteString(text[at:m.Start])
		b.WriteString(" ")
		at = m.End
	}
	b.WriteString(text[at:])
	return strings.Join(strings.Fields(b.String()), " ")
}

// PlanCommand is an office command about plans.
type PlanCommand struct {
	Kind string // "list", "switch" or "import"
	// Arg is what follows the command word: the plan to switch to (a
	// year, an id, or a title's words), or what import was given.
	Arg string
	// Scope says whose choice a switch sets: "user" (the asker's own),
	// "channel" (the channel's default), "global" (everyone's default) or
	// "reset" (back to the default).
	Scope string
}

// ReadPlanCommand reads a message that starts with a plan command word:
// 计划列表, 切换计划 2022 [本频道|全局], 切换计划 默认, 导入计划 [FILE].
func ReadPlanCommand(message string) (PlanCommand, bool) {
	text := strings.TrimSpace(Normalize(message))
	ms := planBook().scan(text)
	if len(ms) == 0 || ms[0].Start != 0 {
		return PlanCommand{}, false
	}
	m := ms[0]
	rest := strings.TrimSpace(strings.TrimLeft(text[m.End:], " :："))
	switch {
	case m.Is("list-plans"):
		if strings.Trim(rest, "?？。.!！~ ") != "" {
			return PlanCommand{}, false // "plans for 2022 …": a question
		}
		return PlanCommand{Kind: "list"}, true
	case m.Is("import-plan"):
		return PlanCommand{Kind: "import", Arg: rest}, true
	case m.Is("switch-plan"):
		c := PlanCommand{Kind: "switch", Scope: "user"}
		var left []string
		at := 0
		for _, w := range planBook().scan(rest) {
			switch {
			case w.Is("scope-channel"):
				c.Scope = "channel"
			case w.Is("scope-global"):
				c.Scope = "global"
			case w.Is("scope-reset"):
				c.Scope = "reset"
			default:
				continue
			}
			left = append(left, rest[at:w.Start])
			at = w.End
		}
		left = append(left, rest[at:])
		c.Arg = strings.Trim(strings.Join(strings.Fields(strings.Join(left, " ")), " "), "?？。.!！~ ")
		return c, true
	}
	return PlanCommand{}, false
}
