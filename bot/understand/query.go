package understand

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"duban"
)

// Query is what a question asks, read once; every handler of package bot
// works from it.
type Query struct {
	Text string // the message, normalised (Normalize)

	Items    []int   // item numbers asked about, in the order written
	BadItems []int64 // numbers the plan does not have (negative, too large)
	Bare     bool    // the only reference is a bare number ("六十八是什么")
	// ExcludedItems are the items named in a clause that excludes them
	// ("除了第三条，林业局还有啥").
	ExcludedItems []int

	Agencies []AgencyRef // the agencies asked about
	Excluded []AgencyRef // agencies named in a clause that excludes them ("跟证监局一起落实的不算")
	Unknown  string      // an agency-like name the directory does not know

	Roles    Roles // the roles asked, with negation and inclusion
	Who      bool  // asks which agencies are responsible
	Together bool  // asks for what several agencies share
	Figure   bool  // asks for a figure
	Meta     string
	Letter   bool // names the cover letter or the paragraph before the items (通知, 总体要求, opening paragraph)
	// Light is the kind of traffic-light question ("red", "yellow",
	// "green", "overdue", "pending"; see LightKinds) when the question
	// asks nothing else; "" otherwise.
	Light string
	// Topic is what is left to search for: the message without its item
	// references, its agencies, its cue and question words and the clauses
	// that exclude something.
	Topic string
	// Residue is Topic without the words of a cover-letter question;
	// empty when a Meta question asks about nothing else.
	Residue string
	// Rest is the message without its item references and agencies, its
	// question words kept, for handlers that read them (a figure's unit).
	Rest string

	Cues []Match // the cue words found, for handlers that need them

	// Plans are the plans the question names (FindPlanRefs), as the
	// engine resolved them; the text read is the message without them.
	Plans []PlanRef
}

// AgencyRef is an agency a question names.
type AgencyRef struct {
	Text      string   // as written
	Names     []string // canonical; several for an ambiguous name (海关)
	Corrected bool     // Text is a typing error or a clipped form of Names
	Start     int      // byte offset in Query.Text; -1 when derived
}

// Polarity is whether a question asks for a role, excludes it, or says
// nothing of it.
type Polarity int

// The polarities of a role in a question.
const (
	Unsaid Polarity = iota
	Asked
	Excluded
)

// Roles are the roles a question asks about.
type Roles struct {
	Lead, Joint Polarity
	Involved    bool // a word for every role (负责, 涉及, involved)
	Include     bool // a word that adds the joint role to the lead (含, 包括, lead or support)
}

// Any reports whether the question names a role at all.
func (r Roles) Any() bool { return r.Lead != Unsaid || r.Joint != Unsaid || r.Involved || r.Include }

// Set returns the roles the question asks for: those asked, else every
// role, less those excluded. An inclusion word asks for every role.
func (r Roles) Set() []duban.Role {
	lead, joint := r.Lead == Asked, r.Joint == Asked
	if r.Include || !lead && !joint {
		lead, joint = true, true
	}
	if r.Lead == Excluded {
		lead = false
	}
	if r.Joint == Excluded {
		joint = false
	}
	if !lead && !joint {
		lead, joint = true, true // both excluded: nothing left to ask, ask all
	}
	var out []duban.Role
	if lead {
		out = append(out, duban.RoleLead)
	}
	if joint {
		out = append(out, duban.RoleJoint)
	}
	return out
}

// Segmenter cuts a text into words. Package index implements it with the
// plan's segmenter (gojieba); without one, question words are removed
// only where they stand apart.
type Segmenter interface {
	Segment(text string) []string
}

// Reader reads questions about one plan. It is safe for concurrent use.
type Reader struct {
	plan   *duban.Plan
	seg    Segmenter
	notice *phrasebook // the cover letter's own names: contact, issuer, title
}

// NewReader returns a reader for the plan; seg may be nil.
func NewReader(plan *duban.Plan, seg Segmenter) *Reader {
	m := plan.Meta
	var words []string
	for _, w := range []string{m.ContactPerson, m.ContactDept, m.Issuer, m.Title, m.Phone, m.Fax, m.Email} {
		if w = strings.TrimSpace(Normalize(w)); w != "" {
			words = append(words, w)
		}
	}
	// The plan named by part of its title (质量强省工作要点 of
	// 2021年福建省质量强省工作要点): every run of four characters or more
	// of the title.
	t := []rune(Normalize(m.Title))
	for i := 0; i+4 <= len(t); i++ {
		for j := i + 4; j <= len(t); j++ {
			words = append(words, string(t[i:j]))
		}
	}
	return &Reader{plan: plan, seg: seg, notice: newPhrasebook(map[string][]string{"notice": words})}
}

// books are the package's phrasebooks, built once.
var books = sync.OnceValue(func() struct {
	cues, stop, meta *phrasebook
	metaOrder        []string
} {
	meta := lexicon("meta.txt")
	order := meta["order"]
	delete(meta, "order")
	return struct {
		cues, stop, meta *phrasebook
		metaOrder        []string
	}{newPhrasebook(lexicon("cues.txt")), newPhrasebook(lexicon("question.txt")), newPhrasebook(meta), order}
})

// clause is a span of the text between clause breaks.
type clause struct {
	start, end int
	negated    bool // holds a word that excludes what the clause names
}

// clauseBreaks end a clause; 、 too, so that "不是牵头、只是配合" reads as two.
const clauseBreaks = ",，;；。?？!！:：、()（）"

// Read understands one question. plans are the plans it names, which the
// caller has found (FindPlanRefs), resolved and removed from the message
// (StripPlanRefs); they are kept in Query.Plans.
func (rd *Reader) Read(message string, plans ...PlanRef) Query {
	b := books()
	text := strings.TrimRight(Normalize(message), "?？。.!！~ ")
	q := Query{Text: text, Plans: plans}
	cues := rd.wholeWords(text, b.cues.scan(text))
	refs := duban.FindItemRefs(text)
	clauses := splitClauses(text, cues, refs)
	clauseOf := func(pos int) *clause {
		for i := range clauses {
			if pos >= clauses[i].start && pos < clauses[i].end {
				return &clauses[i]
			}
		}
		return nil
	}
	var masks [][2]int // spans the topic leaves out

	// Item references; one in a clause that excludes it ("68条它牵头的不算")
	// is no item asked about.
	var kept []duban.ItemRef
	for _, r := range refs {
		if r.Bare && len(refs) == 1 {
			if items, _ := rd.plan.ResolveItemRefs(refs); len(items) == 0 {
				q.BadItems, q.Bare = []int64{r.N}, true // "12315": perhaps a search
				break
			}
		}
		masks = append(masks, [2]int{r.Start, r.End})
		if c := clauseOf(r.Start); c != nil && c.negated {
			ex, _ := rd.plan.ResolveItemRefs([]duban.ItemRef{r})
			q.ExcludedItems = append(q.ExcludedItems, ex...)
			continue
		}
		kept = append(kept, r)
	}
	if !q.Bare {
		q.Items, q.BadItems = rd.plan.ResolveItemRefs(kept)
		q.Bare = len(kept) == 1 && kept[0].Bare
	}

	// Agencies, and the agencies of clauses that exclude them.
	for _, m := range rd.withSharedHeads(text, rd.plan.Directory.Find(text)) {
		ref := AgencyRef{Text: m.Text, Names: m.Names, Start: m.Start}
		masks = append(masks, [2]int{m.Start, m.End})
		if c := clauseOf(m.Start); c != nil && c.negated {
			q.Excluded = append(q.Excluded, ref)
			continue
		}
		q.Agencies = append(q.Agencies, ref)
	}
	cues = unmasked(cues, masks)
	cues = topicRoleWords(text, cues)

	// The roles, with the negation of their clause or of the word before.
	for i, m := range cues {
		role := ""
		switch {
		case m.Is("lead"):
			role = "lead"
		case m.Is("joint"):
			role = "joint"
		case m.Is("include"):
			q.Roles.Include = true
			continue
		case m.Is("involved"):
			q.Roles.Involved = true
			continue
		default:
			continue
		}
		neg := false
		if c := clauseOf(m.Start); c != nil && c.negated {
			neg = true
		}
		if i > 0 && cues[i-1].Is("negate-near") && nearBefore(text, cues[i-1].End, m.Start) {
			neg = true
		}
		p := &q.Roles.Lead
		if role == "joint" {
			p = &q.Roles.Joint
		}
		switch {
		case neg:
			*p = Excluded
		case *p == Unsaid:
			*p = Asked
		}
	}
	for _, m := range cues {
		q.Who = q.Who || m.Is("who")
		q.Together = q.Together || m.Is("together")
	}
	q.Cues = cues

	// The agency a role question names in words the directory lacks:
	// clipped (文旅口, 林业部门), listed with one head (科技、教育两个厅),
	// or mistyped (省农业农材厅).
	if len(q.Agencies) == 0 && (q.Roles.Any()) && !q.Who {
		if subj, start, weak := subjectBefore(text, cues); subj != "" {
			refs, unknown := rd.resolveSubject(subj, start)
			q.Agencies = append(q.Agencies, refs...)
			switch {
			case len(refs) > 0:
				masks = append(masks, [2]int{start, start + len(subj)})
			case !weak:
				q.Unknown = unknown
			}
		}
	}
	if len(q.Agencies) == 0 && len(q.Excluded) > 0 && !q.Who && len(q.Items) == 0 {
		// Nothing else named: they are the subject ("海关牵头的不算"); a
		// who question asks for the others ("除了海关还有谁负责第34条"), and
		// so does one about items ("第34条里面海关以外的单位").
		q.Agencies, q.Excluded = q.Excluded, nil
	}

	q.Rest = strings.Join(strings.Fields(maskSpans(text, masks)), " ")

	// What the rest asks about: no clause that excludes something, no
	// cue, no question word.
	for _, c := range clauses {
		if c.negated && (q.Roles.Any() || len(q.Agencies) > 0) {
			masks = append(masks, [2]int{c.start, c.end})
		}
	}
	for _, m := range cues {
		if len(m.Classes) == 1 && m.Is("agency-join") {
			continue // 和, and: they join names, and topics too
		}
		masks = append(masks, [2]int{m.Start, m.End})
	}
	q.Figure = figureInWords(text)
	q.Meta, q.Residue = rd.meta(text, masks)
	for _, m := range books().meta.scan(text) {
		q.Letter = q.Letter || m.Is("letter")
	}
	q.Light = rd.light(text, masks)
	q.Topic = rd.topic(text, masks, true)
	if g := hanGloss(text); g != "" {
		q.Topic = g // "food safety sampling (食品安全抽检)": the Chinese is the topic
	}
	return q
}

// wholeWords drops the one-character cue words that stand inside a word
// of the segmented text (非 of 非洲, 管 of 监管), unless the word is made of
// cue words only (不牵头). Without a segmenter every match stands.
func (rd *Reader) wholeWords(text string, cues []Match) []Match {
	if rd.seg == nil {
		return cues
	}
	var out []Match
	at := 0
	toks := rd.seg.Segment(text)
	ti := 0
	tokStart := make([]int, 0, len(toks))
	for _, t := range toks {
		tokStart = append(tokStart, at)
		at += len(t)
	}
	for _, m := range cues {
		if utf8.RuneCountInString(m.Word) > 1 {
			out = append(out, m)
			continue
		}
		for ti+1 < len(toks) && tokStart[ti+1] <= m.Start {
			ti++
		}
		ts, te := tokStart[ti], tokStart[ti]+len(toks[ti])
		if ts == m.Start && te == m.End || coveredBy(ts, te, cues) {
			out = append(out, m)
		}
	}
	return out
}

// coveredBy reports whether the matches cover every byte of [s, e).
func coveredBy(s, e int, ms []Match) bool {
	for i := s; i < e; {
		next := i
		for _, m := range ms {
			if m.Start <= i && m.End > i {
				next = max(next, m.End)
			}
		}
		if next == i {
			return false
		}
		i = next
	}
	return true
}

// splitClauses cuts text at clause breaks and marks the clauses that hold
// a word excluding what they name.
func splitClauses(text string, cues []Match, refs []duban.ItemRef) []clause {
	var base []clause
	start := 0
	for i, r := range text {
		if strings.ContainsRune(clauseBreaks, r) || r == '.' && i+1 < len(text) && text[i+1] == ' ' {
			base = append(base, clause{start: start, end: i})
			start = i + utf8.RuneLen(r)
		}
	}
	base = append(base, clause{start: start, end: len(text)})
	var out []clause
	for _, c := range base {
		out = append(out, negatedSpans(text, c, cues, refs)...)
	}
	return out
}

// negatedSpans cuts a clause into the spans that exclude something and
// the rest. A word that opens an exclusion (除了, besides) excludes what
// follows it up to a word that closes one (以外, 之外), a word after which
// the question goes on (还有, 另外, else: [negate-end]) or a who word, or
// else to the end of the clause: "除了海关还有谁负责第34条" excludes 海关
// and asks about item 34. A closing word with no opener before it (跟科技厅
// 一起落实的不算) excludes the clause up to it; one that starts its clause
// opens (不算配合打假那条); one that qualifies a noun (海关以外的单位) excludes
// back to the item reference before it, which stays asked (第34条里面海关以外
// 的单位有哪些).
func negatedSpans(text string, c clause, cues []Match, refs []duban.ItemRef) []clause {
	var spans [][2]int
	at := c.start // where the next span may start
	for i := 0; i < len(cues); i++ {
		m := cues[i]
		if m.Start < at || m.Start >= c.end || !m.Is("negate-clause") {
			continue
		}
		if m.Is("negate-close") && m.Start > at {
			from := at
			if strings.HasPrefix(text[m.End:], "的") {
				for _, r := range refs {
					if r.End > from && r.End <= m.Start {
						from = r.End
					}
				}
			}
			spans = append(spans, [2]int{from, m.End})
			at = m.End
			continue
		}
		end := c.end
		for j := i + 1; j < len(cues) && cues[j].Start < c.end; j++ {
			n := cues[j]
			if n.Is("negate-close") {
				end, i = n.End, j
				break
			}
			if n.Is("negate-end") || n.Is("who") {
				end, i = n.Start, j-1
				break
			}
		}
		spans = append(spans, [2]int{m.Start, end})
		at = end
	}
	if len(spans) == 0 {
		return []clause{c}
	}
	var out []clause
	from := c.start
	for _, sp := range spans {
		if sp[0] > from {
			out = append(out, clause{start: from, end: sp[0]})
		}
		out = append(out, clause{start: sp[0], end: sp[1], negated: true})
		from = sp[1]
	}
	if from < c.end {
		out = append(out, clause{start: from, end: c.end})
	}
	return out
}

// topicRoleWords drops the English role words that stand after the
// question's who or responsibility words with other words between, or
// right after one that ends in of or for: "responsible for financial
// support" and "in charge of support" ask about support, not for the
// joint role. After a role word, another is a role ("share … rather than
// lead"), and so are words joined by or, and or a comma.
func topicRoleWords(text string, cues []Match) []Match {
	var out []Match
	prevEnd, prevWord := -1, ""
	for _, m := range cues {
		role := m.Is("lead") || m.Is("joint")
		if role && prevEnd >= 0 && latinWord(m.Word) &&
			(!onlyJoins(text[prevEnd:m.Start]) || strings.HasSuffix(prevWord, " of") || strings.HasSuffix(prevWord, " for")) {
			continue // part of the topic: responsible for financial support, in charge of support
		}
		switch {
		case role:
			prevEnd, prevWord = -1, "" // share … rather than lead: both roles
		case (m.Is("who") || m.Is("involved")) && !m.Is("weak"):
			prevEnd, prevWord = m.End, m.Word
		}
		out = append(out, m)
	}
	return out
}

// onlyJoins reports whether s holds nothing but words that join two role
// words (or, and, a comma, a slash) and spaces.
func onlyJoins(s string) bool {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '/' || r == '，' }) {
		if w != "or" && w != "and" && w != "either" {
			return false
		}
	}
	return true
}

// unmasked drops the cue matches that lie inside masked spans (an agency
// name that holds a cue word, such as 省卫健委's 委 … or 联席会议办公室).
func unmasked(cues []Match, masks [][2]int) []Match {
	var out []Match
	for _, m := range cues {
		inside := false
		for _, s := range masks {
			if m.Start < s[1] && m.End > s[0] {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, m)
		}
	}
	return out
}

// nearBefore reports whether a negation ending at from stands right before
// a role word starting at to: nothing between, or only a few filler words
// ("不是作为牵头", "not the lead").
func nearBefore(text string, from, to int) bool {
	gap := strings.TrimSpace(text[from:to])
	if gap == "" {
		return true
	}
	for _, w := range strings.Fields(gap) {
		if !slices.Contains([]string{"the", "a", "an", "as", "作为", "是", "再", "去"}, strings.ToLower(w)) {
			return false
		}
	}
	return true
}

// blocksName reports whether a cue word ends the name before a role word:
// a role, negation or question word does; 部门 or 和 may be part of it.
func blocksName(c Match) bool {
	for _, k := range []string{"lead", "joint", "involved", "include", "negate-clause", "negate-near", "only", "who", "together"} {
		if c.Is(k) {
			return true
		}
	}
	return false
}

// subjectBefore returns the words before the first role cue of its clause
// (the subject of "文旅口牵头的要点") and where they start, without the
// question words before them, the words that qualify the role ("自己",
// "只是") and the words that count or distribute ("各", "两家").
func subjectBefore(text string, cues []Match) (subj string, start int, weak bool) {
	for i, m := range cues {
		if !m.Is("lead") && !m.Is("joint") && !m.Is("involved") {
			continue
		}
		weak = m.Is("weak")
		end := m.Start
		for k := i - 1; k >= 0 && cues[k].End == end && (cues[k].Is("only") || cues[k].Is("negate-near") || cues[k].Is("include")); k-- {
			end = cues[k].Start
		}
		start = end
		for start > 0 {
			r, size := utf8.DecodeLastRuneInString(text[:start])
			if !unicode.Is(unicode.Han, r) && r != '、' && r != '(' && r != ')' {
				break
			}
			if slices.ContainsFunc(cues[:i], func(c Match) bool { return c.End == start && blocksName(c) }) {
				break
			}
			start -= size
		}
		subj = text[start:end]
		// Leading question or polite words are not part of a name.
		for _, s := range books().stop.scan(subj) {
			if s.Start != 0 {
				break
			}
			subj, start = subj[s.End:], start+s.End
		}
		for changed := true; changed; {
			changed = false
			for _, t := range append(agencyWords()["tail"], "相关", "有关") {
				if r, ok := strings.CutSuffix(subj, t); ok && r != "" {
					subj, changed = r, true
				}
			}
		}
		if utf8.RuneCountInString(strings.Trim(subj, "、")) >= 2 {
			return subj, start, weak
		}
		return "", 0, false
	}
	return "", 0, false
}

// hanGloss returns the Chinese an English question gives in parentheses
// ("Who is responsible for food safety sampling (食品安全抽检)?" ->
// 食品安全抽检): the English around it glosses the same thing and only
// dilutes the search. It returns "" when Chinese stands outside the
// parentheses too.
func hanGloss(s string) string {
	var inside, outside []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(', '（':
			if depth == 0 {
				outside = append(outside, s[start:i])
				start = i + utf8.RuneLen(r)
			}
			depth++
		case ')', '）':
			if depth == 1 {
				inside = append(inside, s[start:i])
				start = i + utf8.RuneLen(r)
			}
			depth = max(depth-1, 0)
		}
	}
	outside = append(outside, s[start:])
	hasHan := func(parts []string) bool {
		for _, p := range parts {
			if strings.ContainsFunc(p, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				return true
			}
		}
		return false
	}
	if !hasHan(inside) || hasHan(outside) {
		return ""
	}
	var han []string
	for _, p := range inside {
		if hasHan([]string{p}) {
			han = append(han, strings.TrimSpace(p))
		}
	}
	return strings.Join(han, " ")
}
