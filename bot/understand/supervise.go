package understand

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"duban"
)

// superviseBook holds the words of lexicon/supervise.txt.
var superviseBook = sync.OnceValue(func() *phrasebook {
	lx := lexicon("supervise.txt")
	delete(lx, "reason") // not commands: ReasonText's
	delete(lx, "reason-separator")
	delete(lx, "item-first-lead") // deadlineItemFirst's
	return newPhrasebook(lx)
})

// itemFirstLead are the words of [item-first-lead] (deadlineItemFirst).
var itemFirstLead = sync.OnceValue(func() []string { return byLength(lexicon("supervise.txt")["item-first-lead"]) })

// reasonWords is lexicon/supervise.txt, for ReasonText.
var reasonWords = sync.OnceValue(func() map[string][]string { return lexicon("supervise.txt") })

// ReasonText is a 退回 reason without its lead word and what follows it
// ("理由：材料不全" -> 材料不全; lexicon/supervise.txt, [reason]).
func ReasonText(s string) string {
	lx := reasonWords()
	sep := strings.Join(lx["reason-separator"], "")
	s = strings.TrimSpace(s)
	for _, w := range lx["reason"] {
		if len(s) >= len(w) && strings.EqualFold(s[:len(w)], w) {
			s = strings.TrimLeftFunc(s[len(w):], func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(sep, r) })
			break
		}
	}
	return strings.TrimSpace(s)
}

// lightBook holds the words of light questions: the lights and their fillers.
var lightBook = sync.OnceValue(func() *phrasebook {
	lx := lexicon("supervise.txt")
	m := map[string][]string{}
	for _, k := range append(LightKinds, "light-filler") {
		m[k] = lx[k]
	}
	return newPhrasebook(m)
})

// The kinds of supervision commands (sections of lexicon/supervise.txt).
const (
	CmdSetDeadline   = "set-deadline"   // 设置截止 #19 [单位] 2021-06-30
	CmdClearDeadline = "clear-deadline" // 取消截止 #19 [单位]
	CmdDeadline      = "deadline"       // 截止 #19 [date]
	CmdRound         = "round"          // 报送周期 每月 25日 / 关闭 / (show)
	CmdReview        = "review"         // 审核 开启 / 关闭 / (show)
	CmdPass          = "pass"           // 通过 #19 [单位]
	CmdReturn        = "return"         // 退回 #19 [单位] 理由…
	CmdDigest        = "digest"         // 通报
	CmdChart         = "chart"          // 汇总 图
)

// commandKinds are the command sections, in the order they are checked.
var commandKinds = []string{CmdSetDeadline, CmdClearDeadline, CmdDeadline, CmdRound, CmdReview, CmdPass, CmdReturn, CmdDigest, CmdChart}

// LightKinds are the kinds of light questions: the lights, overdue pairs
// and completions awaiting review.
var LightKinds = []string{"red", "yellow", "green", "overdue", "pending"}

// SuperviseCommand is an office command on supervision.
type SuperviseCommand struct {
	Kind string // one of the Cmd constants
	// Rest is what follows the command word: item references, an agency,
	// a date or a reason, for the engine to read.
	Rest string
	// Setting is, for 审核 and 报送周期, "on", "off" or "" (show how it
	// stands); for 报送周期 also "monthly" or "quarterly" with Day, or
	// "invalid" when the rest cannot be read.
	Setting string
	Day     int // the day of the month a round closes on (0: the last)
}

// ReadSuperviseCommand reads an office command on supervision at the start
// of a message: a command word, then what the command takes. Deadline and
// review commands need an item reference right after the word ("截止时间
// 是什么时候" is a question, not a command); 审核 takes only a setting;
// 通报 and the chart take nothing more.
func ReadSuperviseCommand(message string) (SuperviseCommand, bool) {
	text := strings.TrimLeft(LeadIn(message), "/")
	text = strings.TrimRight(text, "?？。.!！~ ")
	text = deadlineItemFirst(text)
	ms := superviseBook().scan(text)
	if len(ms) == 0 || ms[0].Start != 0 {
		return SuperviseCommand{}, false
	}
	m := ms[0]
	kind := ""
	for _, k := range commandKinds {
		if m.Is(k) {
			kind = k
			break
		}
	}
	if kind == "" {
		return SuperviseCommand{}, false
	}
	rest := strings.TrimLeft(text[m.End:], " :,，、")
	cmd := SuperviseCommand{Kind: kind, Rest: rest}
	switch kind {
	case CmdSetDeadline, CmdClearDeadline, CmdDeadline, CmdPass, CmdReturn:
		refs := duban.FindItemRefs(rest)
		if len(refs) == 0 || strings.TrimSpace(rest[:refs[0].Start]) != "" {
			return SuperviseCommand{}, false
		}
	case CmdReview:
		s, ok := readSetting(rest)
		if !ok {
			return SuperviseCommand{}, false
		}
		cmd.Setting = s
	case CmdRound:
		cmd.Setting, cmd.Day = readCadence(rest)
	case CmdDigest, CmdChart:
		if !onlyFillers(rest) {
			return SuperviseCommand{}, false
		}
	}
	return cmd, true
}

// deadlineItemFirst puts a deadline command written after its items
// first: "第3条截止日期设为6月30日" is read as "截止日期设为 第3条 6月30日",
// "第19条的截止时间" as "截止时间 第19条". Only deadline commands are
// read so: "第19条通过了吗" asks, it does not approve.
func deadlineItemFirst(text string) string {
	for _, w := range itemFirstLead() {
		if t, ok := strings.CutPrefix(text, w); ok { // 把第19条的截止时间改为…
			if r := duban.FindItemRefs(strings.TrimLeft(t, " ")); len(r) > 0 && r[0].Start == 0 {
				text = strings.TrimLeft(t, " ")
			}
			break
		}
	}
	refs := duban.FindItemRefs(text)
	if len(refs) == 0 || refs[0].Start != 0 {
		return text
	}
	end := refs[0].End
	for _, r := range refs[1:] {
		if strings.TrimLeft(text[end:r.Start], " 、,，和及与#第") != "" {
			break
		}
		end = r.End
	}
	after := strings.TrimLeft(text[end:], " ")
	after = strings.TrimLeft(strings.TrimPrefix(after, "的"), " ")
	ms := superviseBook().scan(after)
	if len(ms) == 0 || ms[0].Start != 0 {
		return text
	}
	m := ms[0]
	if !m.Is(CmdSetDeadline) && !m.Is(CmdClearDeadline) && !m.Is(CmdDeadline) {
		return text
	}
	return strings.TrimSpace(after[:m.End] + " " + text[:end] + " " + strings.TrimLeft(after[m.End:], " :,，"))
}

// readSetting reads "开启", "关闭", "状态" or nothing.
func readSetting(rest string) (string, bool) {
	if strings.TrimSpace(rest) == "" {
		return "", true
	}
	ms := superviseBook().scan(rest)
	if len(ms) != 1 || strings.TrimSpace(rest[:ms[0].Start]+rest[ms[0].End:]) != "" {
		return "", false
	}
	switch {
	case ms[0].Is("on"):
		return "on", true
	case ms[0].Is("off"):
		return "off", true
	case ms[0].Is("status"):
		return "", true
	}
	return "", false
}

// readCadence reads the rest of 报送周期: "每月 25日", "每季度 25号",
// "monthly:25", "关闭", "状态" or nothing.
func readCadence(rest string) (setting string, day int) {
	if s, ok := readSetting(rest); ok {
		return s, 0
	}
	period := ""
	mark := make([]bool, len(rest))
	for _, m := range superviseBook().scan(rest) {
		switch {
		case m.Is("monthly") && period == "":
			period = "monthly"
		case m.Is("quarterly") && period == "":
			period = "quarterly"
		case m.Is("day-filler"):
		default:
			return "invalid", 0
		}
		for i := m.Start; i < m.End; i++ {
			mark[i] = true
		}
	}
	if period == "" {
		return "invalid", 0
	}
	for _, n := range duban.ScanNumbers(rest) {
		if day != 0 || n.Value < 1 || n.Value > 31 || n.Decimal {
			return "invalid", 0
		}
		day = int(n.Value)
		for i := n.Start; i < n.End; i++ {
			mark[i] = true
		}
	}
	for i, r := range rest {
		if !mark[i] && !unicode.IsSpace(r) && !strings.ContainsRune(":：,，、-", r) {
			return "invalid", 0
		}
	}
	return period, day
}

// onlyFillers reports whether rest says nothing beyond particles.
func onlyFillers(rest string) bool {
	return strings.TrimFunc(rest, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || strings.ContainsRune("一下吧呢", r)
	}) == ""
}

// light returns the kind of light question text asks ("red", "yellow",
// "green", "overdue", "pending") when, besides the masked spans (item
// references, agencies), it holds only light words, their fillers and
// question words; else "".
func (rd *Reader) light(text string, masks [][2]int) string {
	kind := ""
	for _, m := range lightBook().scan(text) {
		for _, k := range LightKinds {
			if m.Is(k) && kind == "" {
				kind = k
			}
		}
	}
	if kind == "" {
		return ""
	}
	rest := stripWithout(maskSpans(text, masks), books().stop, lightBook())
	for _, w := range rest {
		if utf8.RuneCountInString(w) > 1 || w != "" && w[0] < utf8.RuneSelf && len(w) > 2 {
			return ""
		}
	}
	return kind
}

// LightCue reports whether a message holds a word of a light question
// (红灯, 黄灯, 绿灯, 待审核 …), so that the engine reads it as one before
// the report grammar sees it. Overdue questions (逾期的有哪些) are left to
// the status filter of reports, which answers them with what was reported
// 滞后 and whatever is past its deadline and not done.
func LightCue(message string) bool {
	text := Normalize(message)
	cue := false
	for _, m := range lightBook().scan(text) {
		for _, k := range LightKinds {
			if m.Is(k) && k != "overdue" {
				cue = true
			}
		}
	}
	return cue
}
