package bot

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"duban"
)

// The grammar of the commands that write or read progress reports.
//
//	report   := KEYWORD item [agency] [status|percent]* text
//	KEYWORD  := 进展 | 更新 | 汇报 | update | report
//	item     := #3 | 第3条 | 第三条 | 3号 | item 3 | 3
//	agency   := [厦门海关] | 【厦门海关】     (admins report for any agency)
//	status   := 未开始|未启动 | 进行中|推进中 | 已完成|完成|办结 | 滞后|延期|受阻
//	            | not started | in progress | done | delayed …
//	percent  := 40% | 完成40% | 完成度40% | 进度40%
//	text     := 2 to 2000 characters, kept exactly as written
//
// Examples: "进展 #53 进行中 已改造森林公园12个", "汇报第3条 完成40%：……",
// "update #3 in progress: ...", "进展 #34 [厦门海关] 进行中 ……".
//
// Width is folded (＃３ is #3) for reading the head of the message only;
// the text is stored as the user wrote it.

// Text limits of a report, in characters (runes).
const (
	MinReportText = 2
	MaxReportText = 2000
)

// reportCmd is a progress report as written, before it is checked against
// the plan, the author's binding and the limits.
type reportCmd struct {
	Item    int    // the item number as written; -1 when it could not be read
	Agency  string // the agency named in brackets, as written; "" if none
	Status  duban.Status
	Percent int // 0..999 as written, or duban.NoPercent
	Text    string
}

// reportKind says what parseReport found.
type reportKind int

const (
	notReport    reportKind = iota // not a report; other intents may answer
	reportNoItem                   // a report keyword without an item number
	reportFull                     // a report with an item (and perhaps no text)
)

var (
	// reportHeadRe matches the keyword and the item of a report, on the
	// folded, ASCII-lower-cased text.
	reportHeadRe = regexp.MustCompile(`^\s*(?:<@[^<>]*>\s*)*` +
		`(?:进展|更新|汇报|(?:update|report)\b)\s*[:,]?\s*` +
		`(?:` +
		`#\s*([0-9]{1,6})` +
		`|第\s*([0-9]{1,6}|[零一二三四五六七八九十百两〇]{1,8})\s*(?:条|项|号|点)?` +
		`|(?:item|no\.?)\s*#?\s*([0-9]{1,6})` +
		`|([0-9]{1,6}|[零一二三四五六七八九十百两〇]{1,8})\s*(?:号|条)` +
		`|([0-9]{1,6})(?:[\s:,;]|$)` +
		`)`)
	// reportKeywordRe matches a message that is only a report keyword, or
	// a keyword followed by an item marker that cannot be read.
	reportKeywordRe = regexp.MustCompile(`^\s*(?:<@[^<>]*>\s*)*(?:进展|更新|汇报|update|report)\s*(?:[:,]\s*)?(?:(?:#|第)\S*)?\s*$`)
	// agencyTagRe reads an agency in brackets.
	agencyTagRe = regexp.MustCompile(`^[\[【]\s*([^\[\]【】]{1,40}?)\s*[\]】]`)
	// percentRe reads a percentage, optionally introduced by 完成 or 进度.
	percentRe = regexp.MustCompile(`^(?:已?完成(?:度|了)?|进度(?:为)?|完成比例|percent)?\s*([0-9]{1,3})\s*%`)
	// progressWordRe is a 进展 that may follow the item ("汇报第3条进展：…").
	progressWordRe = regexp.MustCompile(`^的?(?:进展情况|进展|进度|情况)`)
)

// unambiguousStatus are the status words that mean a status even when the
// text runs on without a separator ("进行中已改造12个"); they then stay in
// the text. Other words count only when a separator follows: "已完成调研"
// reports a finished step, not a finished item.
var unambiguousStatus = map[string]bool{
	"进行中": true, "推进中": true, "正在推进": true, "实施中": true,
	"未开始": true, "未启动": true, "尚未开始": true, "已滞后": true,
}

// parseReport reads a progress report. It never fails: whatever it cannot
// read stays in the text, and the handler checks the result.
func parseReport(text string) (reportCmd, reportKind) {
	raw := []rune(text)
	fold := []rune(strings.ToLower(duban.Fold(string(raw))))
	if len(fold) != len(raw) {
		// Lower-casing changed the length (a rare non-ASCII letter); read
		// the head from the raw text instead.
		fold = []rune(strings.ToLower(string(raw)))
		if len(fold) != len(raw) {
			fold = raw
		}
	}
	folded := string(fold)
	m := reportHeadRe.FindStringSubmatchIndex(folded)
	if m == nil {
		if reportKeywordRe.MatchString(folded) {
			return reportCmd{Item: -1, Percent: duban.NoPercent}, reportNoItem
		}
		return reportCmd{}, notReport
	}
	cmd := reportCmd{Item: -1, Percent: duban.NoPercent}
	for g := 1; g <= 5; g++ {
		if m[2*g] >= 0 {
			if n, ok := itemNumber(folded[m[2*g]:m[2*g+1]]); ok {
				cmd.Item = n
			}
			break
		}
	}
	// Continue on runes: p indexes both fold and raw.
	p := len([]rune(folded[:m[1]]))
	p = skipSep(fold, p)
	if loc := progressWordRe.FindStringIndex(string(fold[p:])); loc != nil {
		q := p + len([]rune(string(fold[p:])[:loc[1]]))
		if q == len(fold) || isSep(fold[q]) {
			p = skipSep(fold, q)
		}
	}
	if loc := agencyTagRe.FindStringSubmatchIndex(string(fold[p:])); loc != nil {
		rest := string(raw[p:])
		restFold := string(fold[p:])
		// The name is read from the raw text, by rune positions.
		s := len([]rune(restFold[:loc[2]]))
		e := len([]rune(restFold[:loc[3]]))
		cmd.Agency = strings.TrimSpace(string([]rune(rest)[s:e]))
		p = skipSep(fold, p+len([]rune(restFold[:loc[1]])))
	}
	for range 2 {
		q, ok := cmd.readStatusOrPercent(fold, p)
		if !ok {
			break
		}
		if q == p { // recognised, but it runs on into the text: keep it there
			break
		}
		p = skipSep(fold, q)
	}
	cmd.Text = strings.TrimSpace(string(raw[p:]))
	return cmd, reportFull
}

// readStatusOrPercent reads a status word or a percentage at fold[p:]. It
// returns where the token ends when a separator follows it, p itself when
// the token is recognised but runs on into the text (it then stays in the
// text), and ok false when there is none, or the slot is already filled.
func (cmd *reportCmd) readStatusOrPercent(fold []rune, p int) (int, bool) {
	rest := string(fold[p:])
	if cmd.Percent == duban.NoPercent {
		if m := percentRe.FindStringSubmatchIndex(rest); m != nil {
			n, _ := strconv.Atoi(rest[m[2]:m[3]])
			cmd.Percent = n
			q := p + len([]rune(rest[:m[1]]))
			if q == len(fold) || isSep(fold[q]) {
				return q, true
			}
			return p, true
		}
	}
	if cmd.Status != duban.StatusNone {
		return p, false
	}
	// Longest status word first.
	for k := min(len(fold)-p, 11); k >= 2; k-- {
		word := fold[p : p+k]
		if unicode.IsSpace(word[k-1]) {
			continue
		}
		st, ok := duban.ParseStatus(string(word))
		if !ok {
			continue
		}
		q := p + k
		ascii := word[0] < 0x80
		if ascii && q < len(fold) && isASCIILetterRune(fold[q]) {
			continue // "done" in "doneness"
		}
		switch {
		case q == len(fold) || isSep(fold[q]):
			cmd.Status = st
			return q, true
		case ascii:
			cmd.Status = st
			return q, true
		case unambiguousStatus[string(word)]:
			cmd.Status = st
			return p, true
		}
		return p, false
	}
	return p, false
}

// isSep reports whether r separates the parts of a report's head.
func isSep(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune(":,;、-—–/|。.", r)
}

func skipSep(fold []rune, p int) int {
	for p < len(fold) && isSep(fold[p]) {
		p++
	}
	return p
}

func isASCIILetterRune(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// itemNumber reads an item number written in digits or Chinese numerals.
func itemNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	return duban.ParseChineseNumber(s)
}
