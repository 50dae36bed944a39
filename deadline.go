package duban

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// DateRef is a date written in a text: a day ("6月30日", "2021-06-30") or
// a period of the year ("年底前", "上半年", "三季度", "6月底"), read as the
// last day it names.
type DateRef struct {
	Date       time.Time // the last day named, at midnight China time
	Text       string    // as written, with the words that make it a limit
	Start, End int       // byte range in the text read
	// Limit reports whether the text says it as a limit: a word before or
	// after it ("到2021年底", "6月30日前"), or a period of the year, which a
	// plan names only as the time work is due in.
	Limit bool
}

// dateLexicon is the parsed lexicon/deadlines.txt; word lists are sorted
// longest first.
type dateLexicon struct {
	period    map[string][2]int // word -> month, day
	periods   []string
	thisYear  map[string]int
	years     []string
	yearMark  []string
	monthMark []string
	dayMark   []string
	monthPart map[string]int
	parts     []string
	digitSep  []string
	before    []string
	lead      []string
	minYear   int64
}

var dateWords = sync.OnceValue(func() *dateLexicon {
	lx := mustLexicon("deadlines.txt")
	d := &dateLexicon{period: map[string][2]int{}, thisYear: map[string]int{}, monthPart: map[string]int{}}
	fields := func(section string, n int, put func(word string, nums []int)) []string {
		var words []string
		for _, line := range lx[section] {
			f := strings.Fields(line)
			if len(f) < n+1 {
				panic(fmt.Sprintf("deadlines.txt [%s]: bad line %q", section, line))
			}
			word := strings.ToLower(strings.Join(f[:len(f)-n], " "))
			nums := make([]int, n)
			for i := range n {
				v, err := strconv.Atoi(f[len(f)-n+i])
				if err != nil {
					panic(fmt.Sprintf("deadlines.txt [%s]: %v", section, err))
				}
				nums[i] = v
			}
			put(word, nums)
			words = append(words, word)
		}
		return longestFirst(words)
	}
	d.periods = fields("period", 2, func(w string, n []int) { d.period[w] = [2]int{n[0], n[1]} })
	d.years = fields("this-year", 1, func(w string, n []int) { d.thisYear[w] = n[0] })
	d.parts = fields("month-part", 1, func(w string, n []int) { d.monthPart[w] = n[0] })
	d.yearMark = longestFirst(lx["year-mark"])
	d.monthMark = longestFirst(lx["month-mark"])
	d.dayMark = longestFirst(lx["day-mark"])
	d.digitSep = longestFirst(lx["digit-sep"])
	d.before = longestFirst(lx["before"])
	d.lead = longestFirst(lx["lead"])
	if v := lx["min-year"]; len(v) == 1 {
		d.minYear, _ = strconv.ParseInt(v[0], 10, 64)
	}
	if d.minYear == 0 || len(d.yearMark) == 0 || len(d.monthMark) == 0 || len(d.periods) == 0 {
		panic("deadlines.txt: missing sections")
	}
	return d
})

// longestFirst returns the words lower-cased, longest first.
func longestFirst(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = strings.ToLower(w)
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// wordAt returns the first of words (longest first, lower case) that text
// has at i, or "". An English word must end at a word boundary.
func wordAt(text string, i int, words []string) string {
	for _, w := range words {
		if len(text)-i < len(w) || !strings.EqualFold(text[i:i+len(w)], w) {
			continue
		}
		if end := i + len(w); isASCIILetter(w[len(w)-1]) && end < len(text) && isASCIILetter(text[end]) {
			continue
		}
		return w
	}
	return ""
}

// civil returns the day y-m-d at midnight China time, and whether it is a
// real day.
func civil(y, m, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || y < 1 || y > 9999 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, chinaTime)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// monthEnd returns the last day of month m of year y.
func monthEnd(y, m int) time.Time {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, chinaTime)
}

// ReadDates returns the dates written in text (width-folded, see Fold), in
// order: days in digits or Chinese ("2021-06-30", "2021年6月30日", "六月底")
// and periods of a year ("年底", "上半年", "三季度", "2021年底"), each with the
// words that make it a limit ("前", "到 … "). A date without a year is in
// year; "明年" adds one. A number of years before 年内 is a duration
// ("2年内"), and a year alone ("2021年") is no date.
func ReadDates(text string, year int) []DateRef {
	lx := dateWords()
	nums := map[int]Number{}
	for _, n := range ScanNumbers(text) {
		nums[n.Start] = n
	}
	var out []DateRef
	for i := 0; i < len(text); {
		if ref, ok := readDateAt(text, i, year, lx, nums); ok {
			out = append(out, ref)
			i = ref.End
			continue
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return out
}

// readDateAt reads a date starting at text[i:] (a limit word may lead it).
func readDateAt(text string, i, year int, lx *dateLexicon, nums map[int]Number) (DateRef, bool) {
	start := i
	lead := wordAt(text, i, lx.lead)
	j := i
	if lead != "" {
		j = skipSpaces(text, i+len(lead))
	}
	d, end, period, ok := readDate(text, j, year, lx, nums)
	if !ok {
		return DateRef{}, false
	}
	if lead == "" {
		start = j
	}
	limit := lead != "" || period
	if k := skipSpaces(text, end); wordAt(text, k, lx.before) != "" {
		end = k + len(wordAt(text, k, lx.before))
		limit = true
	}
	return DateRef{Date: d, Text: text[start:end], Start: start, End: end, Limit: limit}, true
}

// readDate reads the date itself at text[j:], without limit words; period
// is set for a period of the year (not a day or a month).
func readDate(text string, j, year int, lx *dateLexicon, nums map[int]Number) (t time.Time, end int, period, ok bool) {
	y := year
	if w := wordAt(text, j, lx.years); w != "" {
		y += lx.thisYear[w]
		// 明年底: the period word may hold the year word's year mark.
		for _, at := range []int{j + len(w), j + len(w) - len(lastYearMark(w, lx))} {
			if w2 := wordAt(text, at, lx.periods); w2 != "" && at > j {
				md := lx.period[w2]
				t, ok := civil(y, md[0], md[1])
				return t, at + len(w2), true, ok
			}
		}
		j += len(w)
	} else if w := wordAt(text, j, lx.periods); w != "" && !afterNumeral(text, j) {
		md := lx.period[w]
		t, ok := civil(y, md[0], md[1])
		return t, j + len(w), true, ok
	}
	n, isNum := nums[j]
	if !isNum || n.Decimal || n.Overflow {
		return time.Time{}, 0, false, false
	}
	k := n.End
	// A year: 2021-06-30, 2021年底, 2021年上半年, 2021年6月.
	if n.Value >= lx.minYear && n.Value <= 9999 && n.Script != ScriptEnglish {
		if sep := wordAt(text, k, lx.digitSep); sep != "" && n.Script == ScriptDigits {
			if m, ok := nums[k+len(sep)]; ok && m.Script == ScriptDigits {
				if sep2 := wordAt(text, m.End, lx.digitSep); sep2 == sep {
					if d, ok := nums[m.End+len(sep2)]; ok && d.Script == ScriptDigits {
						t, ok := civil(int(n.Value), int(m.Value), int(d.Value))
						return t, d.End, false, ok
					}
				}
			}
		}
		if p := wordAt(text, k, lx.periods); p != "" && wordAt(text, k, lx.yearMark) != "" {
			md := lx.period[p] // 2021年底: the period word holds the year mark
			t, ok := civil(int(n.Value), md[0], md[1])
			return t, k + len(p), true, ok
		}
		ym := wordAt(text, k, lx.yearMark)
		if ym == "" {
			return time.Time{}, 0, false, false
		}
		y, k = int(n.Value), k+len(ym)
		if p := wordAt(text, k, lx.periods); p != "" {
			md := lx.period[p]
			t, ok := civil(y, md[0], md[1])
			return t, k + len(p), true, ok
		}
		var isMonth bool
		if n, isMonth = nums[k]; !isMonth {
			return time.Time{}, 0, false, false // a year alone
		}
		k = n.End
	}
	// A month: 6月30日, 6月底, 6月.
	mm := wordAt(text, k, lx.monthMark)
	if mm == "" || n.Value < 1 || n.Value > 12 || n.Script == ScriptEnglish || n.Decimal {
		return time.Time{}, 0, false, false
	}
	m := int(n.Value)
	k += len(mm)
	if d, ok := nums[k]; ok && !d.Decimal && d.Script != ScriptEnglish {
		if dm := wordAt(text, d.End, lx.dayMark); dm != "" {
			t, ok := civil(y, m, int(d.Value))
			return t, d.End + len(dm), false, ok
		}
	}
	if p := wordAt(text, k, lx.parts); p != "" {
		day := lx.monthPart[p]
		if day == 0 {
			return monthEnd(y, m), k + len(p), false, true
		}
		t, ok := civil(y, m, day)
		return t, k + len(p), false, ok
	}
	// A month alone: by its end, but "6月前" is before June begins.
	if b := wordAt(text, skipSpaces(text, k), lx.before); b != "" {
		return monthEnd(y, m-1), k, false, true
	}
	return monthEnd(y, m), k, false, true
}

// ParseDate reads a date the office types: 2021-06-30, 2021/6/30,
// 20210630, 6-30, 6月30日, 6月底, 年底, 三季度, 2021年上半年, with or without
// a limit word (前, 到). A date without a year is in year. ok is false
// unless the whole text is one date.
func ParseDate(s string, year int) (time.Time, bool) {
	s = strings.TrimSpace(Fold(s))
	s = strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
	if len(s) == 8 && allDigits(s) {
		y, _ := strconv.Atoi(s[:4])
		m, _ := strconv.Atoi(s[4:6])
		d, _ := strconv.Atoi(s[6:])
		return civil(y, m, d)
	}
	lx := dateWords()
	// 2021.6.30: the numeral reader would take 2021.6 for a decimal.
	if a, rest, ok := strings.Cut(s, "."); ok && allDigits(a) {
		if b, c, ok := strings.Cut(rest, "."); ok && allDigits(b) && allDigits(c) {
			s = a + "-" + b + "-" + c
		}
	}
	// Month and day in digits: 6-30, 6/30.
	for _, sep := range lx.digitSep {
		if a, b, ok := strings.Cut(s, sep); ok && allDigits(a) && allDigits(b) && len(a) <= 2 && len(b) <= 2 {
			m, _ := strconv.Atoi(a)
			d, _ := strconv.Atoi(b)
			return civil(year, m, d)
		}
	}
	refs := ReadDates(s, year)
	if len(refs) != 1 || strings.TrimSpace(s[:refs[0].Start]) != "" || strings.TrimSpace(s[refs[0].End:]) != "" {
		return time.Time{}, false
	}
	return refs[0].Date, true
}

// lastYearMark returns the year mark w ends with, or "".
func lastYearMark(w string, lx *dateLexicon) string {
	for _, m := range lx.yearMark {
		if strings.HasSuffix(w, m) {
			return m
		}
	}
	return ""
}

// afterNumeral reports whether a numeral stands right before text[i:]: a
// period word there belongs to a count of years ("2年内").
func afterNumeral(text string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r >= '0' && r <= '9' || IsChineseNumeral(r)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Year returns the year the plan is for: the year its manifest or the
// office gave (ParseOptions.Year), else the year its title starts with,
// else the year of its date of issue, else of its feedback deadline, else
// 0. 今年 and 去年 in questions count from it.
func (p *Plan) Year() int {
	switch {
	case p.year > 0:
		return p.year
	case yearOf(p.Title) > 0:
		return yearOf(p.Title)
	case yearOf(p.Meta.Title) > 0:
		return yearOf(p.Meta.Title)
	case !p.Meta.Date.IsZero():
		return p.Meta.Date.Year()
	case !p.Meta.Deadline.IsZero():
		return p.Meta.Deadline.Year()
	}
	return 0
}

// StatedDeadline returns the deadline item n states in its text: the
// latest of the dates among its figures (ExtractFigures finds them) that
// the text says work is due by ("年底前", "到2021年底", "6月底前", "三季度"),
// in the plan's year unless it names another. A date that is no limit
// (an event's day, "5·18") is not a deadline. ok is false when the item
// states none (or the plan has no such item).
func (p *Plan) StatedDeadline(n int) (DateRef, bool) {
	it := p.Item(n)
	if it == nil {
		return DateRef{}, false
	}
	year := p.Year()
	if year == 0 {
		return DateRef{}, false
	}
	lx := dateWords()
	var best DateRef
	found := false
	for _, f := range it.Figures {
		if f.Kind != FigureDate {
			continue
		}
		refs := ReadDates(Fold(f.Value), year)
		if len(refs) != 1 {
			continue
		}
		d := refs[0]
		// A word before the figure makes it a limit ("到2021年底").
		before := strings.TrimRight(it.Text[:f.Offset], " ")
		for _, w := range lx.lead {
			if strings.HasSuffix(strings.ToLower(before), w) {
				d.Limit, d.Text = true, before[len(before)-len(w):]+d.Text
				break
			}
		}
		if d.Limit && (!found || d.Date.After(best.Date)) {
			d.Start, d.End = f.Offset, f.Offset+len(f.Value)
			best, found = d, true
		}
	}
	return best, found
}

// DeadlineSource says where a pair's deadline comes from.
type DeadlineSource int

// The sources of a deadline, weakest first.
const (
	DeadlineNone   DeadlineSource = iota // no deadline at all
	DeadlinePlan                         // the plan's feedback deadline
	DeadlineStated                       // the item's text states it
	DeadlineSet                          // the office set it
)

// String returns the source as the office would say it.
func (s DeadlineSource) String() string {
	switch s {
	case DeadlinePlan:
		return "通知反馈截止日期"
	case DeadlineStated:
		return "条文所定"
	case DeadlineSet:
		return "办公室设定"
	}
	return "未定"
}

// DeadlineChange is the office setting (or clearing) the deadline of an
// item for one agency, or for every agency responsible for it. Changes are
// kept, never overwritten: the latest that applies to a pair decides.
type DeadlineChange struct {
	Seq      uint64    // assigned by the store, increasing
	Item     int       // the item
	Agency   string    // canonical name; "" for every responsible agency
	Date     time.Time // the new deadline (midnight China time); zero: back to the plan's
	ByID     string    // the admin's user id
	ByName   string    // their display name at the time
	Time     time.Time // when it was set
	SourceID string    // the message that set it
}

// Deadline is the deadline of an (item, agency) pair and where it comes from.
type Deadline struct {
	Date   time.Time // the last day (midnight China time); zero with DeadlineNone
	Source DeadlineSource
	Text   string          // the item's words for it ("年底前") when stated
	Change *DeadlineChange // the change that set it, with DeadlineSet
}

// DeadlineOf returns the deadline of item on agency: the latest change
// that applies (for the agency, or for the whole item), else the date the
// item states, else the plan's feedback deadline. A change that clears a
// deadline gives the pair back the item's or the plan's.
func (p *Plan) DeadlineOf(item int, agency string, changes []DeadlineChange) Deadline {
	var last *DeadlineChange
	for i := range changes {
		c := &changes[i]
		if c.Item != item || c.Agency != "" && c.Agency != agency {
			continue
		}
		if last == nil || c.Seq > last.Seq || c.Seq == last.Seq && c.Time.After(last.Time) {
			last = c
		}
	}
	if last != nil && !last.Date.IsZero() {
		return Deadline{Date: last.Date, Source: DeadlineSet, Change: last}
	}
	if d, ok := p.StatedDeadline(item); ok {
		return Deadline{Date: d.Date, Source: DeadlineStated, Text: d.Text}
	}
	if !p.Meta.Deadline.IsZero() {
		y, m, d := p.Meta.Deadline.Date()
		t, _ := civil(y, int(m), d)
		return Deadline{Date: t, Source: DeadlinePlan, Text: p.Meta.DeadlineText}
	}
	return Deadline{}
}

// DaysUntil returns the number of calendar days in China time from now to
// the day: positive when days are left, 0 on the day itself, negative once
// it has passed.
func DaysUntil(day, now time.Time) int {
	dy, dm, dd := day.In(chinaTime).Date()
	ny, nm, nd := now.In(chinaTime).Date()
	d := time.Date(dy, dm, dd, 0, 0, 0, 0, time.UTC)
	n := time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC)
	return int(d.Sub(n).Hours() / 24)
}
