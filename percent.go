package duban

import (
	"math"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"
)

// Percent is a percentage written in a text: 40%, 40.5%, 百分之四十, 百分之百,
// 四成, 七成五, with the word that makes it the share of work done when there
// is one (完成40%, 进度为六成, 40% complete).
type Percent struct {
	Start, End int // byte range of the figure itself (40%, 百分之四十, 七成五)
	// CueStart and CueEnd widen the range to a cue before or after the
	// figure (完成40%, 40% complete); they equal Start and End when there
	// is none.
	CueStart, CueEnd int
	Value            int  // whole percent, rounded down (40.5% is 40); may exceed 100
	Decimal          bool // written with a decimal part
	Cued             bool // a cue says it is the share of work done
}

// percentWords is the parsed lexicon/percent.txt.
type percentWords struct {
	sign, ofHundred, tenth, notTenth, half, cue, cueAfter []string
}

var percentLexicon = sync.OnceValue(func() *percentWords {
	lx := mustLexicon("percent.txt")
	byLen := func(s []string) []string {
		s = slices.Clone(s)
		slices.SortStableFunc(s, func(a, b string) int { return len(b) - len(a) })
		return s
	}
	return &percentWords{
		sign: byLen(lx["sign"]), ofHundred: byLen(lx["of-hundred"]), tenth: byLen(lx["tenth"]), notTenth: byLen(lx["not-tenth"]),
		half: byLen(lx["half"]), cue: byLen(lx["cue"]), cueAfter: byLen(lx["cue-after"]),
	}
})

// ScanPercents returns the percentages written in text, in order: digits
// with a percent sign (40%, 40 %, 40.5%, 40 percent), 百分之 with a number
// (百分之四十, 百分之40, 百分之百), and tenths (四成, 7成, 七成五, 七成半,
// 十成). Each says whether a cue word marks it as the share of work done
// (完成40%, 已完成七成, 进度为60%, 40% complete). The text should be
// width-folded (Fold) first, so that ４０％ reads as 40%. ScanPercents uses
// the one numeral reader, ScanNumbers.
func ScanPercents(text string) []Percent {
	w := percentLexicon()
	nums := ScanNumbers(text)
	var out []Percent
	for i := 0; i < len(nums); i++ {
		n := nums[i]
		p := Percent{Start: n.Start, End: n.End}
		found := false
		// 百分之 before the number.
		if of := suffixAny(text[:n.Start], w.ofHundred); of != "" {
			p.Start -= len(of)
			p.Value, p.Decimal = percentValue(text, n)
			found = true
			// 百分之百: ScanNumbers read the first 百 as a number of its own.
			if len(out) > 0 && out[len(out)-1].End > p.Start {
				continue
			}
		}
		if !found && n.Script == ScriptDigits {
			// 40%, 40 %, 40 percent.
			after := skipSpaces(text, n.End)
			if s := matchAny(text[after:], w.sign); s != "" {
				p.End = after + len(s)
				p.Value, p.Decimal = percentValue(text, n)
				found = true
			}
		}
		if !found && !n.Decimal && n.Value >= 1 && n.Value <= 10 {
			// 四成, 七成五, 七成半.
			if t := matchAny(text[n.End:], w.tenth); t != "" && matchAny(text[n.End:], w.notTenth) == "" {
				p.End = n.End + len(t)
				p.Value = int(n.Value) * 10
				found = true
				if h := matchAny(text[p.End:], w.half); h != "" && n.Value < 10 {
					p.Value += 5
					p.End += len(h)
				} else if i+1 < len(nums) && nums[i+1].Start == p.End && nums[i+1].Value <= 9 && !nums[i+1].Decimal &&
					utf8.RuneCountInString(text[nums[i+1].Start:nums[i+1].End]) == 1 && n.Value < 10 {
					p.Value += int(nums[i+1].Value)
					p.End = nums[i+1].End
					i++
				}
			}
		}
		if !found {
			continue
		}
		if n.Overflow {
			p.Value = math.MaxInt32
		}
		p.CueStart, p.CueEnd = p.Start, p.End
		before := skipSpacesBack(text, p.Start)
		if c := suffixAny(text[:before], w.cue); c != "" && wordBoundaryBefore(text, before-len(c), c) {
			p.CueStart, p.Cued = before-len(c), true
		}
		after := skipSpaces(text, p.End)
		if c := matchAny(text[after:], w.cueAfter); c != "" {
			p.CueEnd, p.Cued = after+len(c), true
		}
		out = append(out, p)
	}
	return out
}

// percentValue is the whole percent a number stands for, rounded down, and
// whether it was written with a decimal part.
func percentValue(text string, n Number) (int, bool) {
	if n.Overflow || n.Value > math.MaxInt32 {
		return math.MaxInt32, n.Decimal
	}
	if n.Decimal {
		if f, err := strconv.ParseFloat(text[n.Start:n.End], 64); err == nil {
			return int(math.Floor(f)), true
		}
	}
	return int(n.Value), n.Decimal
}

// suffixAny returns the longest of words that s ends with (English words
// compared case-insensitively), or "".
func suffixAny(s string, words []string) string {
	for _, w := range words {
		if hasSuffixFold(s, w) {
			return s[len(s)-len(w):]
		}
	}
	return ""
}

// wordBoundaryBefore reports whether an English word w at text[i:] starts
// a word (Chinese words always do).
func wordBoundaryBefore(text string, i int, w string) bool {
	return !isASCIIWord(w) || i == 0 || !isASCIILetter(text[i-1])
}
