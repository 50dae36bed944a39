package index

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// English questions are searched in the plan's Chinese words. The English
// words of a query are read in runs (words next to each other, function
// and question words of lexicon/stop_en.txt dropped and breaking a run);
// in each run the longest phrase of up to four words that translates is
// taken first ("food safety sampling": "food safety", then "sampling").
// A phrase translates through the hand glossary (lexicon/glossary_en.txt)
// when it has the phrase, else through CC-CEDICT (cedict.go): its words of
// two characters or more that the plan holds. One word stands in the query
// as written; several are one word of the query with alternatives (online
// shop: 网店, 电商 …), searched all, and the plan's own words decide by
// their weight. A word without a translation stays as written (ODR).

// maxPhraseWords is the longest English phrase looked up.
const maxPhraseWords = 4

// Candidates taken from CC-CEDICT for one phrase.
const (
	maxExactCandidates   = 4 // words whose gloss is the phrase
	maxPartialCandidates = 2 // words whose longer gloss holds a phrase, when no gloss is the phrase
)

// glossary maps English words and phrases to the plan's word for them
// (lexicon/glossary_en.txt).
var glossary = func() map[string]string {
	data, err := lexiconFS.ReadFile("lexicon/glossary_en.txt")
	if err != nil {
		panic(err)
	}
	out := map[string]string{}
	for n, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		en, zh, ok := strings.Cut(l, " = ")
		if !ok || strings.TrimSpace(en) == "" || strings.TrimSpace(zh) == "" {
			panic(fmt.Sprintf("lexicon glossary_en.txt line %d: want \"english = 中文\", got %q", n+1, l))
		}
		key, zh := normalizeEnglishKey(en), strings.TrimSpace(zh)
		out[key] = zh
		// post-market is also written post market and postmarket (a
		// question's hyphen may reach the lookup as a space).
		for _, k := range []string{strings.ReplaceAll(key, "-", " "), strings.ReplaceAll(key, "-", "")} {
			if _, ok := out[k]; !ok {
				out[k] = zh
			}
		}
	}
	return out
}()

// englishCandidates returns the plan's words for an English word or
// phrase, best first; nil when it has none. CC-CEDICT's words for a
// phrase that are found together in more than a third of the items (实施,
// 推行, 贯彻 … for "carry out") say nothing about a topic: the phrase is
// wording, and wording reports it. The glossary's words are topics.
func (ix *Index) englishCandidates(phrase string, t *textSet) (cands []string, wording bool) {
	key := normalizeEnglishKey(phrase)
	if key == "" {
		return nil, false
	}
	if strings.Contains(key, " ") && !slices.ContainsFunc(firstWords(key), func(w string) bool { return phraseStarts()[w] }) {
		return nil, false // no key of several words starts with it
	}
	forms := englishKeyForms(key)
	for _, k := range forms {
		if zh, ok := glossary[k]; ok {
			return []string{zh}, false
		}
	}
	// A single character (质 beside 质量 for quality) is found inside
	// too many other words to stand beside longer ones: it is taken only
	// when nothing longer fits, and where the plan writes it as a word or
	// a word's head (假 of 制假 for fake; not 履 of 履行 for shoes), as for
	// headChar. A word whose longer gloss
	// merely holds a single English word is mostly another sense (育
	// "children"): such words are taken for phrases only.
	multi := strings.Contains(key, " ")
	var exact, partial, single []string
	for _, h := range cedictEnglishForms(forms) {
		switch {
		case !t.holds(h.Word):
		case utf8.RuneCountInString(h.Word) < 2:
			if r, _ := utf8.DecodeRuneInString(h.Word); h.Exact && len(single) == 0 && ix.heads[r] {
				single = append(single, h.Word)
			}
		case h.Exact:
			if len(exact) < maxExactCandidates {
				exact = append(exact, h.Word)
			}
		case multi && len(partial) < maxPartialCandidates:
			partial = append(partial, h.Word)
		}
	}
	switch {
	case len(exact) > 0:
		cands = exact
	case len(partial) > 0:
		cands = partial
	default:
		cands = single
	}
	if len(cands) > 0 && t.exact && len(t.folded) > 0 {
		in := newBitset(len(t.folded))
		for _, c := range cands {
			in.or(t.occ.docs(foldText(c)))
		}
		if in.count()*3 > len(t.folded) {
			return nil, true
		}
	}
	return cands, false
}

// phraseStarts holds the first words of the glossary's and CC-CEDICT's
// keys of several words, in every form englishKeyForms may give a query's
// first word: a phrase starting with another word is looked up no
// further.
var phraseStarts = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	add := func(k string) {
		if strings.Contains(k, " ") {
			for _, w := range firstWords(k) {
				out[w] = true
			}
		}
	}
	for k := range glossary {
		add(k)
	}
	for k := range cedictData().en {
		add(k)
	}
	return out
})

// firstWords returns the first word of a normalised key in the forms it
// is compared in: singular and in American spelling, cut at a hyphen and
// without the hyphen.
func firstWords(key string) []string {
	w, _, _ := strings.Cut(key, " ")
	cut, _, _ := strings.Cut(w, "-")
	return []string{
		americanEnglish(singularEnglish(cut)),
		americanEnglish(singularEnglish(strings.ReplaceAll(w, "-", ""))),
	}
}

// Markers of translateEnglish: around a translation, for a dropped
// function word (which keeps the translations beside it apart), and
// around the number of a group of translations.
const (
	zhOpen     = "\uE000"
	zhClose    = "\uE001"
	zhStop     = "\uE002"
	groupOpen  = "\uE003"
	groupClose = "\uE004"
)

var (
	// adjacentZhRe matches the white space between two translations.
	adjacentZhRe = regexp.MustCompile(zhClose + `\s*` + zhOpen)
	// groupRe matches the marker of a group of translations.
	groupRe = regexp.MustCompile("^" + groupOpen + `(\d+)` + groupClose + "$")
)

// textSet is the texts translations are looked for in: the items, or
// the passages.
type textSet struct {
	folded []string
	occ    *occurrences
	exact  bool // holds answers exactly (the character field); else every word counts as held
}

// holds reports whether some text holds s.
func (t *textSet) holds(s string) bool {
	return !t.exact || t.occ.docs(foldText(s)).any()
}

// englishToken is an English word of a query and where it stands.
type englishToken struct {
	start, end int
	word       string
}

// translateEnglish replaces the English words of q by the plan's words for
// them and drops English function words; other words stay. A phrase with
// several translations becomes a group marker (groupRe) standing alone,
// the translations in groups.
func (ix *Index) translateEnglish(q string, t *textSet) (string, [][]string) {
	if !strings.ContainsFunc(q, func(r rune) bool { return r >= 'a' && r <= 'z' }) {
		return q, nil
	}
	var toks []englishToken
	for _, loc := range asciiWordRe.FindAllStringIndex(q, -1) {
		i, j := loc[0], loc[1]
		if i > 0 && isDigit(q[i-1]) || j < len(q) && isDigit(q[j]) {
			continue // a code: the A of 3A级, the G of 5G
		}
		toks = append(toks, englishToken{i, j, q[i:j]})
	}
	var b strings.Builder
	var groups [][]string
	last := 0
	emit := func(from, to int, s string) {
		b.WriteString(q[last:from])
		b.WriteString(s)
		last = to
	}
	for i := 0; i < len(toks); {
		if englishStop[toks[i].word] {
			emit(toks[i].start, toks[i].end, zhStop)
			i++
			continue
		}
		// The longest phrase of words next to each other that
		// translates; it may hold function words, not end on one
		// (internet of things).
		n := 1
		for n < maxPhraseWords && i+n < len(toks) && strings.TrimSpace(q[toks[i+n-1].end:toks[i+n].start]) == "" {
			n++
		}
		for n > 1 && englishStop[toks[i+n-1].word] {
			n--
		}
		done := false
		for ; n >= 1 && !done; n-- {
			if englishStop[toks[i+n-1].word] {
				continue
			}
			words := make([]string, n)
			for k := range n {
				words[k] = toks[i+k].word
			}
			cands, wording := ix.englishCandidates(strings.Join(words, " "), t)
			switch {
			case wording:
				emit(toks[i].start, toks[i+n-1].end, zhStop)
			case len(cands) == 1:
				emit(toks[i].start, toks[i+n-1].end, zhOpen+cands[0]+zhClose)
			case len(cands) > 1:
				emit(toks[i].start, toks[i+n-1].end, " "+groupOpen+strconv.Itoa(len(groups))+groupClose+" ")
				groups = append(groups, cands)
			default:
				continue
			}
			i += n
			done = true
		}
		if !done {
			// A word nothing translates may be a typing error of one
			// that something does (vacines, graphine).
			var cands []string
			for _, c := range englishTypo(toks[i].word) {
				if cs, wording := ix.englishCandidates(c, t); !wording {
					cands = appendNew(cands, cs...)
				}
			}
			switch {
			case len(cands) == 1:
				emit(toks[i].start, toks[i].end, zhOpen+cands[0]+zhClose)
			case len(cands) > 1:
				emit(toks[i].start, toks[i].end, " "+groupOpen+strconv.Itoa(len(groups))+groupClose+" ")
				groups = append(groups, cands)
			}
			i++ // kept as written, or its correction
		}
	}
	b.WriteString(q[last:])
	out := b.String()
	// English words next to each other name one thing, and so do their
	// translations: "food safety sampling" is 食品安全抽检, one compound
	// that an item may hold as written, not three words.
	out = adjacentZhRe.ReplaceAllString(out, "")
	return strings.NewReplacer(zhOpen, " ", zhClose, " ", zhStop, " ").Replace(out), groups
}

// group returns the translations a group marker stands for.
func group(raw string, groups [][]string) ([]string, bool) {
	m := groupRe.FindStringSubmatch(raw)
	if m == nil {
		return nil, false
	}
	i, err := strconv.Atoi(m[1])
	if err != nil || i >= len(groups) {
		return nil, false
	}
	return groups[i], true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// englishVocab are the single English words the glossary and CC-CEDICT's
// table translate, by first letter: what an English typing error is
// corrected to.
var englishVocab = sync.OnceValue(func() map[byte][]string {
	out := map[byte][]string{}
	add := func(k string) {
		if len(k) < 4 || strings.ContainsFunc(k, func(r rune) bool { return r < 'a' || r > 'z' }) {
			return
		}
		out[k[0]] = append(out[k[0]], k)
	}
	for k := range glossary {
		add(k)
	}
	for k := range cedictData().en {
		add(k)
	}
	for _, ws := range out {
		slices.Sort(ws)
	}
	return out
})

// englishWords are the English words of CC-CEDICT's glosses
// (dict/cedict-words.txt, tools/cedict/words.mjs): a word among them is a
// real word, never taken for a typing error (lottery is no lot…, however
// close a word of the tables).
var englishWords = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, l := range strings.Split(cedictWordsData, "\n") {
		if l != "" && l[0] != '#' {
			out[l] = true
		}
	}
	return out
})

// englishTypos caches englishTypo's answers.
var englishTypos sync.Map

// minTypoLetters is the shortest English word taken for a typing error:
// shorter ones are too close to too many words.
const minTypoLetters = 6

// maxTypoCandidates is how many words a typing error may stand for; more,
// and it stands for none.
const maxTypoCandidates = 3

// englishTypo returns the words of englishVocab that w, a word of six
// letters or more that no table translates and that is no English word
// (englishWords), is a typing error of: one letter wrong, missing, extra
// or two swapped (two for words of eight letters or more), with the same
// first letter, the closest ones (graphine: graphene and graphite, both
// searched; the plan's words decide); none when more than
// maxTypoCandidates are as close. w's singular is matched too (vacinnes:
// vaccine).
func englishTypo(w string) []string {
	if len(w) < minTypoLetters || englishStop[w] || strings.ContainsAny(w, "'-") {
		return nil // possessives and compounds are read as they were
	}
	if c, ok := englishTypos.Load(w); ok {
		return c.([]string)
	}
	forms := []string{w}
	for _, f := range englishWordForms(w) {
		forms = appendNew(forms, f, americanEnglish(f))
	}
	forms = appendNew(forms, americanEnglish(w))
	var best []string
	if !slices.ContainsFunc(forms, func(f string) bool { return englishWords()[f] }) {
		maxD := 1
		if len(w) >= 8 {
			maxD = 2
		}
		bestD := maxD + 1
		for _, k := range englishVocab()[w[0]] {
			d := bestD + 1
			for i, f := range forms {
				lim := maxD
				if i > 0 {
					lim = 1 // a derived form (exhibitor of exhibitors) may miss by one letter only
				}
				if len(k) >= len(f)-lim && len(k) <= len(f)+lim {
					if fd := osaDistance(f, k); fd <= lim {
						d = min(d, fd)
					}
				}
			}
			switch {
			case d < bestD:
				best, bestD = []string{k}, d
			case d == bestD:
				best = append(best, k)
			}
		}
		if len(best) > maxTypoCandidates {
			best = nil
		}
	}
	englishTypos.Store(w, best)
	return best
}

// osaDistance is the optimal string alignment distance of two ASCII words:
// insertions, deletions, substitutions and swaps of neighbours.
func osaDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
