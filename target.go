package duban

import (
	"strings"
)

// ExtractTargets returns the quantitative figures of text in the order they
// stand, each with its kind and clause: counts with a measure word (5000个,
// 800公里, 15.86万批次, 300名以上, 12 部, 30大, 400系列, 两项, 三大),
// percentages with the verb that makes them a target (减少2%, 提升到92%,
// 达100%, 70%以上), grades (3A级及以上, 二级以上, 三级), durations (三年,
// 2年内, 15分钟) and editions (第28届, 第十批). Years (2021年), bare numbers
// inside names (12315平台) and 一 as an article (一批) are not targets. A
// figure that the text repeats word for word in the same clause (items 4 and
// 41 repeat sentences) is listed once. ExtractFigures returns these and the
// other figures of text.
func ExtractTargets(text string) []Target {
	return quantitative(ExtractFigures(text))
}

// quantitative returns the figures whose kind is a quantitative target.
func quantitative(figs []Target) []Target {
	var out []Target
	for _, t := range figs {
		if t.Kind.Quantitative() {
			out = append(out, t)
		}
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
