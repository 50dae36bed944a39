package index

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Tables cut from CC-CEDICT for the plan (dict/README.md, dict/CEDICT-LICENSE):
// English words and phrases to the plan's Chinese words, Chinese words the
// plan lacks to plan words of the same meaning, and the toneless pinyin of
// characters. tools/cedict/build.mjs writes them; nothing here reads the
// network or the disk.
var (
	//go:embed dict/cedict-en.tsv
	cedictEnData string
	//go:embed dict/cedict-bridge.tsv
	cedictBridgeData string
	//go:embed dict/cedict-words.txt
	cedictWordsData string
	//go:embed dict/cedict-pinyin.tsv
	cedictPinyinData string
)

// cedictHit is one Chinese word the dictionary gives for an English word or
// phrase.
type cedictHit struct {
	Word  string // a word of the plan text
	Exact bool   // a gloss of the word (or of what it was derived from) is the key itself, not a longer gloss holding it
}

// cedictTables holds the parsed tables. Their strings point into the
// embedded data; nothing is copied.
type cedictTables struct {
	en     map[string][]cedictHit // lower-cased key -> hits, exact ones first, each group best first
	bridge map[string][]string    // Chinese word outside the plan -> plan words, best first
	pinyin map[rune][]string      // character -> toneless syllables, ü as v
}

var (
	cedictOnce sync.Once
	cedictTab  *cedictTables
)

// cedictData parses the embedded tables on first use. The data is checked by
// the tests, so a parse error cannot happen in a released binary; should it
// happen all the same, lookups find nothing rather than stop the bot.
func cedictData() *cedictTables {
	cedictOnce.Do(func() {
		t, err := parseCedict(cedictEnData, cedictBridgeData, cedictPinyinData)
		if err != nil {
			t = &cedictTables{}
		}
		cedictTab = t
	})
	return cedictTab
}

// cedictEnglish returns the plan words CC-CEDICT gives for an English word or
// phrase, exact glosses first, each group best first; nil when it knows
// none. Case, surrounding punctuation, white space and a leading "to", "a",
// "an" or "the" do not matter. Keys are written as CC-CEDICT writes its
// glosses (mostly singular, verbs in their base form), so a phrase is also
// tried in the other forms englishKeyForms lists ("libraries",
// "facility", "monitoring", "spot-check"); the first form with an exact hit
// wins, else the first form found at all. The slice is shared: do not modify
// it.
func cedictEnglish(q string) []cedictHit {
	t := cedictData()
	key := normalizeEnglishKey(q)
	if key == "" {
		return nil
	}
	if hits, ok := t.en[key]; ok && hits[0].Exact {
		return hits // the common case, without building the other forms
	}
	return cedictEnglishForms(englishKeyForms(key))
}

// cedictEnglishForms is cedictEnglish over the forms of a key that
// englishKeyForms made.
func cedictEnglishForms(forms []string) []cedictHit {
	t := cedictData()
	var found []cedictHit
	for _, k := range forms {
		hits, ok := t.en[k]
		if !ok {
			continue
		}
		if hits[0].Exact {
			return hits
		}
		if found == nil {
			found = hits
		}
	}
	return found
}

// cedictBridge returns the plan words that mean what the Chinese word w
// means, when w itself is not in the plan (奶粉 -> 乳粉, 衣服 -> 服装), best
// first; nil when CC-CEDICT shows none. The slice is shared: do not modify it.
func cedictBridge(w string) []string {
	return cedictData().bridge[strings.TrimSpace(w)]
}

// cedictPinyin returns the toneless pinyin syllables of a character (ü
// written v), CC-CEDICT's readings in its order: every character of the plan
// and of the agency table, and the common characters that sound like one of
// them (悌 sounds like 梯: "ti"). Nil for other characters. The slice is
// shared: do not modify it.
func cedictPinyin(r rune) []string {
	return cedictData().pinyin[r]
}

// normalizeEnglishKey lower-cases q, folds typographic apostrophes, trims
// punctuation around it, joins its words by single spaces and drops a
// leading "to" and article, as the generator did with glosses.
func normalizeEnglishKey(q string) string {
	q = strings.ToLower(strings.ReplaceAll(q, "’", "'"))
	q = strings.Join(strings.Fields(q), " ")
	q = strings.TrimFunc(q, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	q = strings.TrimPrefix(q, "to ")
	for _, a := range []string{"a ", "an ", "the "} {
		if s, ok := strings.CutPrefix(q, a); ok {
			q = s
			break
		}
	}
	return q
}

// englishKeyForms lists the forms a normalised key is looked up under, in
// order. For the key as given, when it has hyphens for the key with them as
// spaces and without them, and for each of these in American spelling
// (CC-CEDICT's): the key; its last word singular or in
// its base form (englishWordForms); every word singular; and, when the last
// word looks like no inflection, its plural.
func englishKeyForms(key string) []string {
	var forms []string
	add := func(ws []string) {
		if f := strings.Join(ws, " "); !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	bases := []string{key}
	if strings.Contains(key, "-") {
		bases = append(bases, strings.ReplaceAll(key, "-", " "), strings.ReplaceAll(key, "-", ""))
	}
	for _, b := range bases {
		if us := americanEnglish(b); us != b && !slices.Contains(bases, us) {
			bases = append(bases, us)
		}
	}
	for _, base := range bases {
		words := strings.Split(base, " ")
		last := len(words) - 1
		add(words)
		inflected := false
		for _, w := range englishWordForms(words[last]) {
			inflected = inflected || w != words[last]
			add(append(slices.Clone(words[:last]), w))
		}
		all := make([]string, len(words))
		for i, w := range words {
			all[i] = singularEnglish(w)
		}
		add(all)
		if !inflected {
			add(append(slices.Clone(words[:last]), pluralEnglish(words[last])))
		}
	}
	return forms
}

// englishWordForms returns what w may be an inflection of, most likely
// first: its singular, and the base forms of a verb in -ing or -ed
// (monitoring -> monitor, filing -> file, running -> run; used -> use,
// imported -> import, planned -> plan). Forms that are no key simply miss.
func englishWordForms(w string) []string {
	forms := []string{singularEnglish(w)}
	undouble := func(b string) {
		if n := len(b); n >= 2 && b[n-1] == b[n-2] && !strings.ContainsRune("aeiouls", rune(b[n-1])) {
			forms = append(forms, b[:n-1])
		}
	}
	switch {
	case len(w) > 5 && strings.HasSuffix(w, "ing"):
		b := w[:len(w)-3]
		forms = append(forms, b, b+"e")
		undouble(b)
	case len(w) > 4 && strings.HasSuffix(w, "ied"):
		forms = append(forms, w[:len(w)-3]+"y")
	case len(w) > 3 && strings.HasSuffix(w, "ed"):
		b := w[:len(w)-2]
		forms = append(forms, w[:len(w)-1], b)
		undouble(b)
	}
	return forms
}

// americanEnglish spells the words of s the American way, as CC-CEDICT
// does: personalised -> personalized, organisation -> organization, centre
// -> center, labour -> labor, programme -> program. Words it would wrongly change (enterprise)
// are found as written before this form is tried.
func americanEnglish(s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		if len(w) < 6 {
			continue
		}
		for _, r := range [][2]string{
			{"isation", "ization"}, {"isations", "izations"}, {"ise", "ize"}, {"ised", "ized"}, {"ises", "izes"},
			{"ising", "izing"}, {"our", "or"}, {"ours", "ors"}, {"tre", "ter"}, {"tres", "ters"},
			{"mme", "m"}, {"mmes", "ms"},
		} {
			if b, ok := strings.CutSuffix(w, r[0]); ok {
				words[i] = b + r[1]
				break
			}
		}
	}
	return strings.Join(words, " ")
}

// singularEnglish undoes the regular English plural: libraries -> library,
// boxes -> box, cigarettes -> cigarette. Short words and words in -ss, -us,
// -is are left alone.
func singularEnglish(w string) string {
	switch {
	case len(w) <= 3 || strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us") || strings.HasSuffix(w, "is"):
		return w
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "ches"),
		strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "zes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s"):
		return w[:len(w)-1]
	}
	return w
}

// pluralEnglish makes the regular English plural: facility -> facilities,
// box -> boxes, tool -> tools.
func pluralEnglish(w string) string {
	switch {
	case len(w) > 1 && strings.HasSuffix(w, "y") && !strings.ContainsRune("aeiou", rune(w[len(w)-2])):
		return w[:len(w)-1] + "ies"
	case strings.HasSuffix(w, "s"), strings.HasSuffix(w, "x"), strings.HasSuffix(w, "z"),
		strings.HasSuffix(w, "ch"), strings.HasSuffix(w, "sh"):
		return w + "es"
	}
	return w + "s"
}

// parseCedict parses the three tables: lines of tab-separated fields, lines
// starting with # are comments. The word lists of each table are cut from
// one backing array (capped, so that an append by a caller copies).
func parseCedict(en, bridge, pinyin string) (*cedictTables, error) {
	t := &cedictTables{
		en:     make(map[string][]cedictHit, strings.Count(en, "\n")),
		bridge: make(map[string][]string, strings.Count(bridge, "\n")),
		pinyin: make(map[rune][]string, strings.Count(pinyin, "\n")),
	}
	hits := make([]cedictHit, 0, strings.Count(en, " ")+strings.Count(en, "\t"))
	err := eachTSVLine(en, "cedict-en.tsv", 3, func(f []string) error {
		start := len(hits)
		for w := range strings.FieldsSeq(f[1]) {
			hits = append(hits, cedictHit{Word: w, Exact: true})
		}
		for w := range strings.FieldsSeq(f[2]) {
			hits = append(hits, cedictHit{Word: w})
		}
		if f[0] == "" || len(hits) == start {
			return fmt.Errorf("no key or no words")
		}
		t.en[f[0]] = hits[start:len(hits):len(hits)]
		return nil
	})
	if err != nil {
		return nil, err
	}
	words := make([]string, 0, strings.Count(bridge, " ")+strings.Count(bridge, "\t")+
		strings.Count(pinyin, " ")+strings.Count(pinyin, "\t"))
	fields := func(s string) ([]string, bool) {
		start := len(words)
		for w := range strings.FieldsSeq(s) {
			words = append(words, w)
		}
		return words[start:len(words):len(words)], len(words) > start
	}
	err = eachTSVLine(bridge, "cedict-bridge.tsv", 2, func(f []string) error {
		ws, ok := fields(f[1])
		if f[0] == "" || !ok {
			return fmt.Errorf("no word or no plan words")
		}
		t.bridge[f[0]] = ws
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachTSVLine(pinyin, "cedict-pinyin.tsv", 2, func(f []string) error {
		r, n := utf8.DecodeRuneInString(f[0])
		ss, ok := fields(f[1])
		if r == utf8.RuneError || n != len(f[0]) || !ok {
			return fmt.Errorf("not one character and its syllables")
		}
		t.pinyin[r] = ss
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// eachTSVLine calls f with the n tab-separated fields of every line of data
// that is neither empty nor a comment.
func eachTSVLine(data, name string, n int, f func([]string) error) error {
	fields := make([]string, 0, n)
	for no := 1; data != ""; no++ {
		var line string
		line, data, _ = strings.Cut(data, "\n")
		if line == "" || line[0] == '#' {
			continue
		}
		fields = fields[:0]
		for s := range strings.SplitSeq(line, "\t") {
			fields = append(fields, s)
		}
		if len(fields) != n {
			return fmt.Errorf("%s line %d: %d fields, want %d", name, no, len(fields), n)
		}
		if err := f(fields); err != nil {
			return fmt.Errorf("%s line %d: %w", name, no, err)
		}
	}
	return nil
}
