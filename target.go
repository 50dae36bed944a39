package duban

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// The figures a work plan sets: counts with a measure word (5000个, 800公里,
// 15.86万批次, 300名以上, 72项, 12 部, 30大, 400系列), percentages with the verb
// that makes them a target (减少2%, 提升到92%, 达100%, 70%以上), grades (3A级及以上,
// 二级以上) and editions (第28届, 第十批). Years (2021年) and bare numbers inside
// names (12315平台) are not figures.
var targetRes = []*regexp.Regexp{
	regexp.MustCompile(`第[0-9一二三四五六七八九十百]+(?:届|批|次|期)`),
	regexp.MustCompile(`[0-9]+A级(?:及以上)?`),
	regexp.MustCompile(`[一二三四五六七八九十]级(?:以上|以下|及以上)`),
	regexp.MustCompile(`(?:减少|降低|下降|提升到|提升至|提高到|提高至|达到|达|增加|增长|超过|不低于|不少于)?[0-9]+(?:\.[0-9]+)?\s?%(?:以上|以下|左右|以内)?`),
	regexp.MustCompile(`[0-9]+(?:\.[0-9]+)?\s?(?:万|亿|千)?\s?(?:个|公里|千米|米|批次|名|项|家|部|条|大|系列|元|吨|人|所|座|场|处|亩|台|套|件|份|篇|类|分钟|小时|天|户|只|种|门|支|期|批|场次|万人次|人次)(?:以上|以下|左右|以内)?`),
}

// ExtractTargets returns the figures in text in the order they stand, each
// with its clause. A figure that the text repeats word for word in the same
// clause (items 4 and 41 repeat sentences) is listed once.
func ExtractTargets(text string) []Target {
	type span struct{ s, e int }
	var spans []span
	taken := func(s, e int) bool {
		for _, sp := range spans {
			if s < sp.e && e > sp.s {
				return true
			}
		}
		return false
	}
	// No figure spans a clause break, so only clauses that hold a digit,
	// 第 or 级 are searched: most of a plan is prose.
	for _, c := range clauses(text) {
		part := text[c.s:c.e]
		if !strings.ContainsAny(part, "0123456789第级") {
			continue
		}
		for _, re := range targetRes {
			for _, m := range re.FindAllStringIndex(part, -1) {
				s, e := c.s+m[0], c.s+m[1]
				if taken(s, e) || isYearOrCode(text, s, e) {
					continue
				}
				spans = append(spans, span{s, e})
			}
		}
	}
	// In document order.
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j].s < spans[j-1].s; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	var out []Target
	seen := map[string]bool{}
	for _, sp := range spans {
		t := Target{Value: text[sp.s:sp.e], Clause: clauseAt(text, sp.s, sp.e), Offset: sp.s}
		key := t.Value + "\x00" + t.Clause
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, t)
	}
	return out
}

// isYearOrCode rejects a match whose digits continue a longer number (the
// 315 of 12315) or follow a letter.
func isYearOrCode(text string, s, e int) bool {
	if s > 0 {
		c := text[s-1]
		if c >= '0' && c <= '9' || c == '.' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '+' {
			return true
		}
	}
	return false
}

// clauses returns the byte ranges of text between clause breaks.
func clauses(text string) []struct{ s, e int } {
	var out []struct{ s, e int }
	start := 0
	for i, r := range text {
		if strings.ContainsRune(clauseBreaks, r) {
			out = append(out, struct{ s, e int }{start, i})
			start = i + utf8.RuneLen(r)
		}
	}
	return append(out, struct{ s, e int }{start, len(text)})
}

// clauseBreaks end a clause.
const clauseBreaks = "。;；,，!！?？:：\n"

// clauseAt returns the clause of text around [s, e): from the last break
// before s to the first break at or after e.
func clauseAt(text string, s, e int) string {
	start := 0
	if i := strings.LastIndexAny(text[:s], clauseBreaks); i >= 0 {
		start = i + runeLenAt(text, i)
	}
	end := len(text)
	if i := strings.IndexAny(text[e:], clauseBreaks); i >= 0 {
		end = e + i
	}
	return strings.TrimSpace(text[start:end])
}

func runeLenAt(s string, i int) int {
	for j := i + 1; j <= len(s); j++ {
		if j == len(s) || s[j]&0xC0 != 0x80 {
			return j - i
		}
	}
	return 1
}
