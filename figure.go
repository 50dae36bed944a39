package duban

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// FigureKind is what kind of figure a Target is, or what kind a question
// asks for.
type FigureKind int

// The kinds of figures. FigureAny is what a question asks when it asks for
// a figure without saying which kind ("化肥农药使用量要减少多少").
const (
	FigureAny      FigureKind = iota
	FigureCount               // 800公里, 两项, 三大
	FigureRate                // 提升到92%, 百分之七十
	FigureLevel               // 二级以上, 3A级及以上, 三级
	FigureDuration            // 三年, 2年内, 15分钟, 100周年
	FigureDate                // 2021年底前, 6月底前, 3月17日, 5·18, 年底前
	FigureYear                // 2021年
	FigureRange               // 2019—2022年, 2021-2022年度
	FigureEdition             // 第28届, 第十批, 十九届
	FigureOrdinal             // 第二类, 第一道
	FigureNamed               // a name led by a numeral: 一企一策, 双平台, 五好讲解员
	FigureTerm                // a quoted name: “四个最严”, ‘网剑’
	FigureTitle               // a document's title: 《福建省绿色建筑发展条例》
)

var figureKindNames = [...]string{"any", "count", "rate", "level", "duration", "date", "year", "range", "edition", "ordinal", "named", "term", "title"}

// String returns the English name of the kind: count, rate, level ….
func (k FigureKind) String() string {
	if k < 0 || int(k) >= len(figureKindNames) {
		return fmt.Sprintf("FigureKind(%d)", int(k))
	}
	return figureKindNames[k]
}

// Quantitative reports whether figures of the kind are the quantitative
// targets of an item (what "第13条有哪些量化指标" lists): counts, rates,
// grades, durations and editions. Dates, years, ranges, ordinals and names
// are figures a question may ask for, but not targets.
func (k FigureKind) Quantitative() bool {
	switch k {
	case FigureCount, FigureRate, FigureLevel, FigureDuration, FigureEdition:
		return true
	}
	return false
}

// isName reports whether figures of the kind are names rather than numbers.
func (k FigureKind) isName() bool {
	return k == FigureNamed || k == FigureTerm || k == FigureTitle
}

// quotePair is a pair of quotation marks and the kind of name they hold.
type quotePair struct {
	open, close string
	kind        FigureKind
}

// figureLexicon is the parsed lexicon/figures.txt. Word lists are sorted
// longest first, so that the first entry that matches is the longest.
type figureLexicon struct {
	count, period, qualifier, level, edition, editionBare, ordinal []string
	ordinalPrefix, rateVerb, percent, percentWord                  []string
	yearDate, yearWord, rangeSep                                   []string
	monthWord, monthDate, dayWord, dateDot, dateWord               []string
	phraseStop, phraseVerb, quoteJoin, headSkip, dateLead          []string
	compoundNumeral, levelTier                                     string
	quotes                                                         []quotePair
	sameUnits                                                      map[string][]string
	anyCount                                                       string
}

// Limits of the figure grammar.
const (
	maxQuoteRunes  = 40 // a quoted name longer than this is prose, not a name
	maxPhraseRunes = 7  // an unquoted named quantity: 五好讲解员, 八闽美食嘉年华
)

var figureWords = sync.OnceValue(func() *figureLexicon {
	lx := mustLexicon("figures.txt")
	byLen := func(section string) []string {
		s := slices.Clone(lx[section])
		if len(s) == 0 {
			panic("figures.txt: empty section [" + section + "]")
		}
		slices.SortStableFunc(s, func(a, b string) int { return len(b) - len(a) })
		return s
	}
	f := &figureLexicon{
		count: byLen("count-unit"), period: byLen("period-unit"), qualifier: byLen("qualifier"),
		level: byLen("level-unit"), edition: byLen("edition-unit"), editionBare: byLen("edition-bare"),
		ordinal: byLen("ordinal-unit"), ordinalPrefix: byLen("ordinal-prefix"), rateVerb: byLen("rate-verb"),
		percent: byLen("percent"), percentWord: byLen("percent-word"), yearDate: byLen("year-date"),
		yearWord: byLen("year-word"), rangeSep: byLen("range-sep"), monthWord: byLen("month-word"),
		monthDate: byLen("month-date"), dayWord: byLen("day-word"), dateDot: byLen("date-dot"),
		dateWord: byLen("date-word"), phraseStop: byLen("phrase-stop"), phraseVerb: byLen("phrase-verb"),
		quoteJoin: byLen("quote-join"), headSkip: byLen("head-skip"), dateLead: byLen("date-lead"),
		compoundNumeral: strings.Join(lx["compound-numeral"], ""),
		levelTier:       strings.Join(lx["level-tier"], ""),
		anyCount:        strings.Join(lx["count-any"], ""),
		sameUnits:       map[string][]string{},
	}
	for _, line := range lx["quote"] {
		p := strings.Fields(line)
		if len(p) != 3 || (p[2] != "term" && p[2] != "title") {
			panic(fmt.Sprintf("figures.txt [quote]: bad line %q", line))
		}
		kind := FigureTerm
		if p[2] == "title" {
			kind = FigureTitle
		}
		f.quotes = append(f.quotes, quotePair{p[0], p[1], kind})
	}
	for _, line := range lx["same-unit"] {
		p := strings.Fields(line)
		if len(p) < 2 {
			panic(fmt.Sprintf("figures.txt [same-unit]: bad line %q", line))
		}
		f.sameUnits[p[0]] = p[1:]
	}
	return f
})

// MeasureKind returns the kind of figure a measure word makes after a
// number, as a question asks it ("多少公里" a count, "几年" a duration,
// "第几届" an edition, "几级" a grade), and whether w is a measure word at
// all. ordinal says whether 第 stands before the number.
func MeasureKind(w string, ordinal bool) (FigureKind, bool) {
	f := figureWords()
	if ordinal {
		switch {
		case slices.Contains(f.edition, w):
			return FigureEdition, true
		case slices.Contains(f.ordinal, w):
			return FigureOrdinal, true
		}
		return FigureAny, false
	}
	switch {
	case slices.Contains(f.level, w):
		return FigureLevel, true
	case slices.Contains(f.editionBare, w):
		return FigureEdition, true
	case slices.Contains(f.period, w):
		return FigureDuration, true
	case slices.Contains(f.count, w):
		return FigureCount, true
	}
	return FigureAny, false
}

// MeasureAt returns the longest measure word of any kind that text starts
// with (公里, 个月, 届, 级, A级, 周年 …), or "".
func MeasureAt(text string) string {
	f := figureWords()
	best := ""
	for _, list := range [][]string{f.count, f.period, f.level, f.edition, f.ordinal} {
		if w := prefixIn(text, list); len(w) > len(best) {
			best = w
		}
	}
	return best
}

// prefixIn returns the first (longest) word of list that s starts with.
func prefixIn(s string, list []string) string {
	for _, w := range list {
		if strings.HasPrefix(s, w) {
			return w
		}
	}
	return ""
}

// suffixIn returns the first (longest) word of list that s ends with.
func suffixIn(s string, list []string) string {
	for _, w := range list {
		if strings.HasSuffix(s, w) {
			return w
		}
	}
	return ""
}

// ExtractFigures returns every figure of text, in the order they stand,
// each with its kind and clause: the quantitative targets of
// ExtractTargets, and also dates (2021年底前, 6月底前, 5·18, 年底前), years,
// year ranges (2019—2022年), ordinals (第二类, 第一道), named quantities led
// by a numeral (一企一策, 一二三产, 双平台, 五好讲解员) and quoted names
// (“四个最严”, ‘网剑’, 《…条例》). Numbers are read by ScanNumbers, in digits
// or Chinese numerals. A quoted name may hold figures of its own (“3个100
// 工程” holds 3个); other figures do not overlap. A figure the text repeats
// word for word in the same clause is listed once.
func ExtractFigures(text string) []Target {
	x := &figureScan{text: text, f: figureWords()}
	x.quoted()
	x.numbers()
	x.compounds()
	x.dateWords()
	out := append(x.names, x.figs...)
	slices.SortStableFunc(out, func(a, b Target) int { return a.Offset - b.Offset })
	seen := map[string]bool{}
	kept := out[:0]
	for _, t := range out {
		key := t.Value + "\x00" + t.Clause
		if seen[key] {
			continue
		}
		seen[key] = true
		kept = append(kept, t)
	}
	return kept
}

// figureScan is one run of ExtractFigures over a text.
type figureScan struct {
	text  string
	f     *figureLexicon
	names []Target // quoted names, which may hold other figures
	figs  []Target // every other figure; these never overlap
}

// taken reports whether [s, e) overlaps a figure found already.
func (x *figureScan) taken(s, e int) bool {
	for _, t := range x.figs {
		if s < t.Offset+len(t.Value) && e > t.Offset {
			return true
		}
	}
	return false
}

// inName reports whether offset i stands inside a quoted name.
func (x *figureScan) inName(i int) bool {
	for _, t := range x.names {
		if i >= t.Offset && i < t.Offset+len(t.Value) {
			return true
		}
	}
	return false
}

func (x *figureScan) add(s, e int, kind FigureKind, unit string) {
	x.figs = append(x.figs, Target{Value: x.text[s:e], Clause: clauseAt(x.text, s, e), Offset: s, Kind: kind, Unit: unit})
}

// quoted finds the quoted names. Names that stand side by side, with
// nothing or a list comma between them, are one figure (“清新福建”“全福游、
// 有全福”品牌, “六个一批”“一城七线”项目): what follows them is said of all.
func (x *figureScan) quoted() {
	text := x.text
	type span struct {
		s, e int
		kind FigureKind
	}
	var spans []span
	for _, q := range x.f.quotes {
		for i := 0; ; {
			j := strings.Index(text[i:], q.open)
			if j < 0 {
				break
			}
			s := i + j
			inner := s + len(q.open)
			k := strings.Index(text[inner:], q.close)
			if k <= 0 || utf8.RuneCountInString(text[inner:inner+k]) > maxQuoteRunes || strings.ContainsAny(text[inner:inner+k], "。\n") {
				i = inner
				continue
			}
			e := inner + k + len(q.close)
			spans = append(spans, span{s, e, q.kind})
			i = e
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return a.s - b.s })
	for i := 0; i < len(spans); i++ {
		s, e, kind := spans[i].s, spans[i].e, spans[i].kind
		for i+1 < len(spans) && spans[i+1].kind == kind {
			gap := text[e:spans[i+1].s]
			if gap != "" && !slices.Contains(x.f.quoteJoin, gap) {
				break
			}
			i++
			e = spans[i].e
		}
		x.names = append(x.names, Target{Value: text[s:e], Clause: clauseAt(text, s, e), Offset: s, Kind: kind})
	}
}

// numbers reads the figures that hold a number: counts, rates, grades,
// durations, editions and ordinals, dates, years and year ranges.
func (x *figureScan) numbers() {
	text, f := x.text, x.f
	nums := ScanNumbers(text)
	used := make([]bool, len(nums))
	// next returns the index of the number that starts at byte i.
	next := func(k, i int) int {
		if k+1 < len(nums) && nums[k+1].Start == i && !used[k+1] {
			return k + 1
		}
		return -1
	}
	for k, n := range nums {
		if used[k] || n.Script == ScriptEnglish || n.Ordinal || isYearOrCode(text, n.Start, n.End) {
			continue
		}
		s, j := n.Start, n.End
		if x.taken(s, j) {
			continue
		}
		// 第N届, 第二类, 第一道.
		if p := suffixIn(text[:s], f.ordinalPrefix); p != "" {
			if u := prefixIn(text[j:], f.edition); u != "" {
				x.add(s-len(p), j+len(u), FigureEdition, u)
			} else if u := prefixIn(text[j:], f.ordinal); u != "" {
				x.add(s-len(p), j+len(u), FigureOrdinal, u)
			}
			continue
		}
		if w := text[s:j]; n.Script == ScriptChinese {
			// 百年, 千年: a unit alone is no count; 一批, 统一部署: 一 is an
			// article; 零部件: 零 counts nothing; “四个最严”: the numerals
			// of a quoted name are part of the name.
			if strings.Trim(w, "十百千万亿") == "" && w != "十" || w == "一" || n.Value == 0 || x.inName(s) {
				continue
			}
		}
		// Years: a range, a date in a year, a year.
		if isYearNumber(text, n) {
			if sep := prefixIn(text[j:], f.rangeSep); sep != "" {
				if k2 := next(k, j+len(sep)); k2 >= 0 && isYearNumber(text, nums[k2]) && nums[k2].Value > n.Value {
					used[k2] = true
					e := nums[k2].End
					e += len(prefixIn(text[e:], f.yearWord))
					x.add(s, e, FigureRange, "年")
					continue
				}
			}
			if w := prefixIn(text[j:], f.yearWord); w != "" {
				e := j + len(w)
				if d := prefixIn(text[e:], f.yearDate); d != "" && w == "年" {
					x.add(s, e+len(d), FigureDate, "")
				} else {
					x.add(s, e, FigureYear, "年")
				}
			}
			continue // 2021中国福建…: a year or a code, no figure
		}
		sp := j
		if sp < len(text) && text[sp] == ' ' && n.Script == ScriptDigits {
			sp++ // "12 部"
		}
		// Percentages: 提升到92%, 百分之七十.
		if u := prefixIn(text[sp:], f.percent); u != "" && n.Script == ScriptDigits {
			x.addRate(s, sp+len(u), u)
			continue
		}
		if w := suffixIn(text[:s], f.percentWord); w != "" {
			x.addRate(s-len(w), j, "%")
			continue
		}
		// Dates: 3月17日, 6月底前, 5·18.
		if n.Value >= 1 && n.Value <= 12 && !n.Decimal {
			if m := prefixIn(text[j:], f.monthWord); m != "" {
				e := j + len(m)
				if k2 := next(k, e); k2 >= 0 && nums[k2].Value >= 1 && nums[k2].Value <= 31 {
					if d := prefixIn(text[nums[k2].End:], f.dayWord); d != "" {
						used[k2] = true
						x.add(s, nums[k2].End+len(d), FigureDate, "")
						continue
					}
				}
				if d := prefixIn(text[e:], f.monthDate); d != "" {
					x.add(s, e+len(d), FigureDate, "")
					continue
				}
			}
			if dot := prefixIn(text[j:], f.dateDot); dot != "" {
				if k2 := next(k, j+len(dot)); k2 >= 0 && nums[k2].Value >= 1 && nums[k2].Value <= 31 && !nums[k2].Decimal {
					used[k2] = true
					x.add(s, nums[k2].End, FigureDate, "")
					continue
				}
			}
		}
		// Grades, editions without 第, durations and counts: the longest
		// measure word decides.
		kind, unit := FigureAny, ""
		for _, c := range []struct {
			kind FigureKind
			list []string
		}{{FigureLevel, f.level}, {FigureEdition, f.editionBare}, {FigureDuration, f.period}, {FigureCount, f.count}} {
			if u := prefixIn(text[sp:], c.list); len(u) > len(unit) {
				kind, unit = c.kind, u
			}
		}
		if unit == "" {
			continue
		}
		e := sp + len(unit)
		if kind != FigureEdition {
			e += len(prefixIn(text[e:], f.qualifier))
		}
		if kind == FigureLevel {
			s = x.tiersBefore(s)
		}
		x.add(s, e, kind, unit)
	}
}

// tiersBefore returns where the tiers listed before a grade at s begin
// ("省市县三级", "省、市、校三级"), or s when fewer than two stand there.
func (x *figureScan) tiersBefore(s int) int {
	start, n := s, 0
	for i := s; i > 0; {
		r, size := utf8.DecodeLastRuneInString(x.text[:i])
		switch {
		case strings.ContainsRune(x.f.levelTier, r):
			n++
			i -= size
			start = i
			continue
		case r == '、' && n > 0:
			i -= size
			continue
		}
		break
	}
	if n < 2 || x.taken(start, s) {
		return s
	}
	return start
}

// addRate adds a percentage from s to e with the verb before it that makes
// it a target (减少2%, 提升到92%) and the qualifier after it (70%以上).
func (x *figureScan) addRate(s, e int, unit string) {
	if v := suffixIn(x.text[:s], x.f.rateVerb); v != "" {
		s -= len(v)
	}
	e += len(prefixIn(x.text[e:], x.f.qualifier))
	if !x.taken(s, e) {
		x.add(s, e, FigureRate, unit)
	}
}

// isYearNumber reports whether n is a year: four digits (2021) or four
// Chinese digits (二〇二一) between 1900 and 2100.
func isYearNumber(text string, n Number) bool {
	if n.Decimal || n.Value < 1900 || n.Value > 2100 {
		return false
	}
	w := text[n.Start:n.End]
	switch n.Script {
	case ScriptDigits:
		return len(w) == 4
	case ScriptChinese:
		return utf8.RuneCountInString(w) == 4
	}
	return false
}

// compounds reads the named quantities led by a numeral and not quoted:
// 一企一策 and 一中心两平台 (a numeral, a word, a numeral, a word of the same
// length), 一二三产 (numerals that read as no number), 双平台, 五好讲解员,
// 八闽美食嘉年华 (a numeral before a word), 1+X. The name runs to the first
// stop word, verb or clause break, at most maxPhraseRunes characters. A
// lone 一 or a lone unit (百, 千) leads a name only in the first pattern:
// 一 is mostly an article (一批, 进一步).
func (x *figureScan) compounds() {
	text, f := x.text, x.f
	isNum := func(r rune) bool { return IsChineseNumeral(r) || strings.ContainsRune(f.compoundNumeral, r) }
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		// 1+X
		if r >= '0' && r <= '9' && (i == 0 || !isDigitOrLetter(text[i-1])) {
			j := i
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				j++
			}
			if j+1 < len(text) && text[j] == '+' && isASCIILetter(text[j+1]) {
				e := j + 1
				for e < len(text) && isASCIILetter(text[e]) {
					e++
				}
				if !x.taken(i, e) && !x.inName(i) {
					x.add(i, e, FigureNamed, "")
				}
			}
			i = j
			continue
		}
		if !isNum(r) {
			i += size
			continue
		}
		// A run of numerals, not after 第 or another numeral.
		j := i
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if !isNum(r2) {
				break
			}
			j += s2
		}
		start := i
		i = j
		if x.inName(start) || x.taken(start, j) || suffixIn(text[:start], f.ordinalPrefix) != "" {
			continue
		}
		run := text[start:j]
		word := func(p int) (int, bool) { // a Han word of 1-2 characters at p, then a numeral
			for n, q := 0, p; n < 2; n++ {
				r2, s2 := utf8.DecodeRuneInString(text[q:])
				if !unicode.Is(unicode.Han, r2) || isNum(r2) {
					return 0, false
				}
				q += s2
				if r3, _ := utf8.DecodeRuneInString(text[q:]); q < len(text) && isNum(r3) {
					return q, true
				}
			}
			return 0, false
		}
		single := utf8.RuneCountInString(run) == 1
		from := j // where the name's words start
		if single {
			if q, ok := word(j); ok {
				_, s3 := utf8.DecodeRuneInString(text[q:])
				xLen := utf8.RuneCountInString(text[j:q])
				yLen := 0
				for _, r4 := range text[q+s3:] {
					if yLen == xLen || !unicode.Is(unicode.Han, r4) || isNum(r4) {
						break
					}
					yLen++
				}
				if yLen == xLen {
					from = q + s3 // 一企一|策, 一对一|开展
				}
			}
		}
		if strings.Trim(run, "零〇") == "" || from == j && single && (r == '一' || strings.ContainsRune("百千万亿", r)) {
			continue
		}
		if _, ok, _ := parseHan([]rune(run)); ok && !single && from == j {
			continue // a number with no measure word after it (三十): no name
		}
		e := x.phraseEnd(start, from)
		if e > j && !x.taken(start, e) {
			x.add(start, e, FigureNamed, "")
		}
	}
}

// phraseEnd returns where the unquoted name that starts at s ends, reading
// its words from j: at the first stop word, verb, space, punctuation or
// clause break, and at most maxPhraseRunes characters from s.
func (x *figureScan) phraseEnd(s, j int) int {
	text, f := x.text, x.f
	e, n := j, utf8.RuneCountInString(text[s:j])
	for e < len(text) && n < maxPhraseRunes {
		rest := text[e:]
		if prefixIn(rest, f.phraseStop) != "" || (e > s && prefixIn(rest, f.phraseVerb) != "") {
			break
		}
		r, size := utf8.DecodeRuneInString(rest)
		if !unicode.Is(unicode.Han, r) && !unicode.IsLetter(r) || strings.ContainsRune(clauseBreaks, r) {
			break
		}
		e += size
		n++
	}
	return e
}

// dateWords reads dates written without a number (年底前, 上半年) that no
// figure holds already.
func (x *figureScan) dateWords() {
	text := x.text
	for _, w := range x.f.dateWord {
		for i := 0; ; {
			j := strings.Index(text[i:], w)
			if j < 0 {
				break
			}
			s := i + j
			i = s + len(w)
			prev, _ := utf8.DecodeLastRuneInString(text[:s])
			if s > 0 && (prev >= '0' && prev <= '9' || IsChineseNumeral(prev)) || x.taken(s, s+len(w)) {
				continue
			}
			x.add(s, s+len(w), FigureDate, "")
		}
	}
}

func isDigitOrLetter(b byte) bool { return b >= '0' && b <= '9' || isASCIILetter(b) }
