package understand

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"duban"
)

// Figure questions: what kind of figure a question asks for (a count, a
// rate, a grade, a period, a date, a year or years, an edition, an ordinal,
// a name), in what measure word, and what the figure is said of. The word
// lists are lexicon/figure.txt; the measure words are the domain's.

// cue is one entry of a cue section: the words, and the measure word the
// figure is written in ("" when the cue does not say).
type cue struct {
	words string // Chinese as written; English lower case, "*" a gap
	unit  string
}

// figureLexicon is the parsed lexicon/figure.txt.
type figureLexicon struct {
	zh                 map[string][]cue // Chinese cues per section, longest first
	enCue              map[string][]cue // English cues per section, longest first
	enUnit             map[string]string
	notBefore, notHead []string
	headStop, headTrim []string
	numericNot         []string
	plainHead          []string
	which              []string // before 几: which ones (哪几)
	negation, negEnd   []string
}

var figureCues = sync.OnceValue(func() *figureLexicon {
	lx := lexicon("figure.txt")
	f := &figureLexicon{zh: map[string][]cue{}, enCue: map[string][]cue{}, enUnit: map[string]string{}}
	for name, lines := range lx {
		if !strings.HasPrefix(name, "zh-") && !strings.HasPrefix(name, "en-") || name == "en-unit" {
			continue
		}
		for _, line := range lines {
			c := cue{words: line}
			if w, u, ok := strings.Cut(line, " = "); ok {
				c = cue{words: strings.TrimSpace(w), unit: strings.TrimSpace(u)}
			}
			if strings.HasPrefix(name, "en-") {
				c.words = strings.ToLower(c.words)
				f.enCue[name] = append(f.enCue[name], c)
			} else {
				f.zh[name] = append(f.zh[name], c)
			}
		}
		// Longest first: the first cue that matches is the longest.
		slices.SortStableFunc(f.zh[name], func(a, b cue) int { return len(b.words) - len(a.words) })
		slices.SortStableFunc(f.enCue[name], func(a, b cue) int { return len(b.words) - len(a.words) })
	}
	for _, line := range lx["en-unit"] {
		if w, u, ok := strings.Cut(line, " "); ok {
			f.enUnit[strings.ToLower(w)] = strings.TrimSpace(u)
		}
	}
	f.notBefore = lx["zh-named-not-before"]
	f.notHead = lx["zh-named-not-head"]
	f.headStop = lx["head-stop"]
	f.headTrim = lx["head-before-trim"]
	f.numericNot = lx["zh-numeric-not"]
	f.plainHead = lx["zh-named-plain-head"]
	f.which = lx["zh-which"]
	f.negation = lx["negation"]
	f.negEnd = lx["negation-end"]
	return f
})

// FigureAsked reads what kind of figure a question asks for: 多少公里 a
// count in 公里, 百分之几 / what percentage a rate, 哪一级 / 几级 / what
// level a grade, 多长时间 / 几年 / how long a period, 什么时候 / when a date,
// 哪一年 a year, 哪几年 / which years a range of years, 第几届 / which
// edition an edition, 第几类 / which class an ordinal, 叫什么 / 什么样的 /
// 哪种 / 什么计划 / what is it called / what kind / which approach a name.
// The ask's Head is what the figure is said of in the question's words
// (最严 of 几个最严, 计划 of 什么计划). It reports false when the question
// asks for no figure.
func FigureAsked(text string) (duban.FigureAsk, bool) {
	ask, _, ok := readFigureAsk(Normalize(text))
	if ask.Kind == duban.FigureNamed && slices.Contains(figureCues().plainHead, ask.Head) {
		ask.Head = "" // 什么方式: the plan names the way, not the word 方式
	}
	return ask, ok
}

// FigureSetAside returns the parts of a figure question that say what is
// not asked ("Which class … only needs filing rather than review and
// approval": review and approval; "要加强的不是备案而是哪一类": 备案), and the
// question without them. A figure that stands by the words set aside is
// the wrong one.
func FigureSetAside(text string) (rest string, aside []string) {
	t := Normalize(text)
	f := figureCues()
	var b strings.Builder
	at := 0
	for at < len(t) {
		s, cueLen := -1, 0
		for _, w := range f.negation {
			if i := indexWord(t[at:], w); i >= 0 && (s < 0 || at+i < s) {
				s, cueLen = at+i, len(w)
			}
		}
		if s < 0 {
			break
		}
		e := s + cueLen
		end := len(t)
		if i := strings.IndexAny(t[e:], ",，;；。?？!！"); i >= 0 {
			end = e + i
		}
		for _, w := range f.negEnd {
			if i := indexWord(t[e:end], w); i >= 0 {
				end = e + i
			}
		}
		if part := strings.TrimSpace(t[e:end]); part != "" {
			aside = append(aside, part)
		}
		b.WriteString(t[at:s])
		b.WriteByte(' ')
		at = end
	}
	b.WriteString(t[at:])
	return strings.Join(strings.Fields(b.String()), " "), aside
}

// indexWord returns where w stands in s: anywhere for Chinese, as whole
// words for English; -1 when it does not.
func indexWord(s, w string) int {
	if w == "" {
		return -1
	}
	if w[0] >= utf8.RuneSelf {
		return strings.Index(s, w)
	}
	l := strings.ToLower(s)
	for from := 0; ; {
		i := strings.Index(l[from:], w)
		if i < 0 {
			return -1
		}
		i += from
		if (i == 0 || !isWordByte(l[i-1])) && (i+len(w) == len(l) || !isWordByte(l[i+len(w)])) {
			return i
		}
		from = i + 1
	}
}

// figureInWords reports whether a question asks for a figure that the cue
// words of figureAsked do not name: a name (叫什么, 什么样的, what is it
// called), a date (什么时候), a grade, an ordinal (第几类).
func figureInWords(text string) bool {
	_, ok := FigureAsked(text)
	return ok
}

// FigureTopic returns the question without the words that ask for the
// figure (什么样的, 叫什么, 几个, what is … called), for the search: what
// the figure is said of stays ("几个最严" keeps 最严).
func FigureTopic(text string) string {
	t := Normalize(text)
	_, spans, ok := readFigureAsk(t)
	if !ok {
		return t
	}
	var b strings.Builder
	at := 0
	for _, sp := range spans {
		if sp[0] < at || sp[0] == sp[1] {
			continue
		}
		b.WriteString(t[at:sp[0]])
		b.WriteByte(' ')
		at = sp[1]
	}
	b.WriteString(t[at:])
	return strings.Join(strings.Fields(b.String()), " ")
}

// readFigureAsk is FigureAsked on a normalised text; it also returns the
// byte spans of the cue words. A question that counts items or asks where a
// topic stands (figure-cues.txt [not-figure]: 多少条涉及茶, 电梯在第几条)
// asks for no figure.
func readFigureAsk(t string) (duban.FigureAsk, [][2]int, bool) {
	for _, m := range figureBook().scan(t) {
		if m.Is("not-figure") {
			return duban.FigureAsk{}, nil, false
		}
	}
	f := figureCues()
	if ask, spans, ok := englishAsk(f, t); ok {
		return ask, spans, true
	}
	// Dates, years and ranges of years: fixed cues.
	for _, sec := range []struct {
		name string
		kind duban.FigureKind
	}{{"zh-range", duban.FigureRange}, {"zh-year", duban.FigureYear}, {"zh-date", duban.FigureDate}} {
		if c, s, ok := findCue(t, f.zh[sec.name]); ok {
			return duban.FigureAsk{Kind: sec.kind, Unit: c.unit, Head: headAfter(f, t[s+len(c.words):])}, [][2]int{{s, s + len(c.words)}}, true
		}
	}
	// 第几届, 第几类, 第几道防线.
	if c, s, ok := findCue(t, f.zh["zh-ordinal"]); ok {
		e := s + len(c.words)
		ask := duban.FigureAsk{Kind: duban.FigureOrdinal}
		if m := duban.MeasureAt(t[e:]); m != "" {
			if k, ok := duban.MeasureKind(m, true); ok {
				ask.Kind, ask.Unit = k, m
				e += len(m)
			}
		}
		ask.Head = headAfter(f, t[e:])
		return ask, [][2]int{{s, e}}, true
	}
	// Names.
	if c, s, ok := findCue(t, f.zh["zh-named-strong"]); ok {
		e := s + len(c.words)
		ask := duban.FigureAsk{Kind: duban.FigureNamed, Unit: c.unit, Head: headAfter(f, t[e:])}
		if ask.Head == "" {
			ask.Head = headBefore(f, t[:s])
		}
		return ask, [][2]int{{s, e}}, true
	}
	if ask, span, ok := generalAsk(f, t); ok {
		return ask, [][2]int{span}, true
	}
	// Rates, grades, periods.
	for _, sec := range []struct {
		name string
		kind duban.FigureKind
	}{{"zh-rate", duban.FigureRate}, {"zh-level", duban.FigureLevel}, {"zh-duration", duban.FigureDuration}} {
		if c, s, ok := findCue(t, f.zh[sec.name]); ok {
			e := s + len(c.words)
			ask := duban.FigureAsk{Kind: sec.kind, Unit: c.unit, Head: headAfter(f, t[e:])}
			span := [2]int{s, e}
			if sec.kind == duban.FigureRate && c.words == "率" {
				// 利用率: the word stays in the topic, and what follows it
				// is no head.
				span, ask.Head = [2]int{e, e}, ""
			}
			return ask, [][2]int{span}, true
		}
	}
	// 多少公里, 几项, 几个最严, 几产融合, 多少年内.
	if ask, span, ok := numericAsk(f, t); ok {
		return ask, [][2]int{span}, true
	}
	if c, s, ok := findCue(t, f.zh["zh-any"]); ok {
		return duban.FigureAsk{Kind: duban.FigureAny, Unit: c.unit}, [][2]int{{s, s}}, true
	}
	return duban.FigureAsk{}, nil, false
}

// findCue returns the first cue of the list (longest first) that t holds,
// and where.
func findCue(t string, cues []cue) (cue, int, bool) {
	for _, c := range cues {
		if i := strings.Index(t, c.words); i >= 0 {
			return c, i, true
		}
	}
	return cue{}, 0, false
}

// generalAsk reads "启动什么工程", "哪个系列", "哪一级", "哪些沿线国家": which
// or what before a noun. A measure word after the cue makes it a figure of
// that measure (哪个系列 a count in 系列, 哪一级 a grade, 哪届 an edition);
// another noun makes it a name said of that noun, unless the noun names an
// item, an agency or a time (哪些工作, 哪个部门) or the cue follows 有 or 为
// (有什么, 为什么).
func generalAsk(f *figureLexicon, t string) (duban.FigureAsk, [2]int, bool) {
	for from := 0; from < len(t); {
		c, s, ok := findCue(t[from:], f.zh["zh-named-general"])
		if !ok {
			break
		}
		s += from
		e := s + len(c.words)
		from = e
		rest := t[e:]
		if hasPrefixAny(rest, f.notHead) || endsWithAny(t[:s], f.notBefore) {
			continue
		}
		if m := duban.MeasureAt(rest); m != "" {
			if k, ok := duban.MeasureKind(m, false); ok {
				if k == duban.FigureDuration && m == "年" {
					k = duban.FigureYear // 哪年 is a year, 几年 a period
				}
				return duban.FigureAsk{Kind: k, Unit: m, Head: headAfter(f, rest[len(m):])}, [2]int{s, e + len(m)}, true
			}
		}
		head := headAfter(f, rest)
		if head == "" {
			continue // 是什么, 做什么: no noun, no name
		}
		return duban.FigureAsk{Kind: duban.FigureNamed, Head: head}, [2]int{s, e}, true
	}
	return duban.FigureAsk{}, [2]int{}, false
}

// numericAsk reads 多少 / 几 and the measure word after it: 多少公里 (a count
// in 公里), 几年 (a period), 几级 (a grade), 几个最严 (a count in 个, said of
// 最严), 几产融合 (a count said of 产融合), 多少 alone (any figure).
func numericAsk(f *figureLexicon, t string) (duban.FigureAsk, [2]int, bool) {
	for from := 0; from < len(t); {
		c, s, ok := findCue(t[from:], f.zh["zh-numeric"])
		if !ok {
			break
		}
		s += from
		e := s + len(c.words)
		from = e
		if hasPrefixAny(t[s:], f.numericNot) {
			continue
		}
		rest := t[e:]
		if endsWithAny(t[:s], f.which) {
			// 哪几防, 哪几个平台: which ones, their names.
			if m := duban.MeasureAt(rest); m != "" {
				if k, _ := duban.MeasureKind(m, false); k == duban.FigureCount {
					rest, e = rest[len(m):], e+len(m)
				}
			}
			if head := headAfter(f, rest); head != "" {
				return duban.FigureAsk{Kind: duban.FigureNamed, Head: head}, [2]int{s - len(suffixOf(t[:s], f.which)), e}, true
			}
		}
		if m := duban.MeasureAt(rest); m != "" {
			if k, ok := duban.MeasureKind(m, false); ok {
				return duban.FigureAsk{Kind: k, Unit: m, Head: headAfter(f, rest[len(m):])}, [2]int{s, e + len(m)}, true
			}
		}
		ask := duban.FigureAsk{Kind: duban.FigureAny, Head: headAfter(f, rest)}
		if c.words == "几" {
			ask.Kind = duban.FigureCount // 几产融合: a count said of 产融合
		}
		return ask, [2]int{s, e}, true
	}
	return duban.FigureAsk{}, [2]int{}, false
}

// maxHeadRunes is how many characters of a question a figure's head takes.
const maxHeadRunes = 10

// headAfter returns the words right after a cue, which the figure is said
// of: up to maxHeadRunes characters, to the first stop word or punctuation.
func headAfter(f *figureLexicon, rest string) string {
	rest = strings.TrimLeft(rest, " ")
	for _, w := range []string{"的"} {
		rest = strings.TrimPrefix(rest, w)
	}
	n, end := 0, 0
	for i, r := range rest {
		if n == maxHeadRunes || n > 0 && hasPrefixAny(rest[i:], f.headStop) || unicode.IsSpace(r) || unicode.IsPunct(r) {
			break
		}
		n++
		end = i + utf8.RuneLen(r)
	}
	return rest[:end]
}

// headBefore returns the words before a cue that ends the question
// ("品质工程建设试点叫什么"): up to maxHeadRunes characters back to
// punctuation, a space or a stop word, without 是 / 叫 / 的 before the cue.
func headBefore(f *figureLexicon, before string) string {
	before = strings.TrimRight(before, " ")
	for trimmed := true; trimmed; {
		trimmed = false
		if w := suffixOf(before, f.headTrim); w != "" {
			before, trimmed = before[:len(before)-len(w)], true
		}
	}
	start, n := len(before), 0
	for start > 0 && n < maxHeadRunes {
		r, size := utf8.DecodeLastRuneInString(before[:start])
		if unicode.IsSpace(r) || unicode.IsPunct(r) || !unicode.Is(unicode.Han, r) || endsWithAny(before[:start], f.headStop) {
			break
		}
		start -= size
		n++
	}
	return before[start:]
}

// englishAsk reads an English figure question. The sections are tried from
// the most particular (which edition, which class) to the most general
// (how many, how much); the word after "how many" may name the measure
// ("how many kilometres").
func englishAsk(f *figureLexicon, t string) (duban.FigureAsk, [][2]int, bool) {
	toks := englishTokens(t)
	if len(toks) == 0 {
		return duban.FigureAsk{}, nil, false
	}
	for _, sec := range []struct {
		name string
		kind duban.FigureKind
	}{
		{"en-edition", duban.FigureEdition}, {"en-ordinal", duban.FigureOrdinal}, {"en-level", duban.FigureLevel},
		{"en-rate", duban.FigureRate}, {"en-range", duban.FigureRange}, {"en-year", duban.FigureYear},
		{"en-duration", duban.FigureDuration}, {"en-date", duban.FigureDate}, {"en-named", duban.FigureNamed},
		{"en-count", duban.FigureCount}, {"en-any", duban.FigureAny},
	} {
		for _, c := range f.enCue[sec.name] {
			spans, end, ok := matchTokens(toks, strings.Fields(c.words))
			if !ok {
				continue
			}
			ask := duban.FigureAsk{Kind: sec.kind, Unit: c.unit}
			if sec.kind == duban.FigureCount && end < len(toks) {
				if u, ok := f.enUnit[toks[end].word]; ok {
					ask.Unit = u
					spans = append(spans, [2]int{toks[end].start, toks[end].end})
				}
			}
			return ask, spans, true
		}
	}
	return duban.FigureAsk{}, nil, false
}

// token is an English word of a question, lower case, with its byte span.
type token struct {
	word       string
	start, end int
}

// englishTokens splits the ASCII words of t ("what's" is one word).
func englishTokens(t string) []token {
	var out []token
	for i := 0; i < len(t); {
		if !isWordByte(t[i]) {
			i++
			continue
		}
		j := i
		for j < len(t) && isWordByte(t[j]) {
			j++
		}
		out = append(out, token{strings.ToLower(t[i:j]), i, j})
		i = j
	}
	return out
}

// matchTokens finds the cue words in the tokens, "*" standing for up to
// three words; it returns the spans of the cue's words (not the gap's) and
// the index of the token after the match.
func matchTokens(toks []token, cue []string) ([][2]int, int, bool) {
	var try func(i, k int) ([][2]int, int, bool)
	try = func(i, k int) ([][2]int, int, bool) {
		if k == len(cue) {
			return nil, i, true
		}
		if cue[k] == "*" {
			for gap := 0; gap <= 3 && i+gap <= len(toks); gap++ {
				if spans, end, ok := try(i+gap, k+1); ok {
					return spans, end, true
				}
			}
			return nil, 0, false
		}
		if i >= len(toks) || toks[i].word != cue[k] {
			return nil, 0, false
		}
		spans, end, ok := try(i+1, k+1)
		if !ok {
			return nil, 0, false
		}
		return append([][2]int{{toks[i].start, toks[i].end}}, spans...), end, true
	}
	for i := range toks {
		if spans, end, ok := try(i, 0); ok {
			return spans, end, true
		}
	}
	return nil, 0, false
}

func hasPrefixAny(s string, words []string) bool {
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}
