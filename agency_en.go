package duban

import (
	"slices"
	"sort"
	"strings"
	"sync"
)

// englishKeywords is the parsed lexicon/agencies-en.txt: the words that
// identify each agency in an English description, and the head nouns
// such a description ends in.
type englishKeywords struct {
	heads    map[string]bool
	agencies []englishAgency
}

type englishAgency struct {
	name string
	alts []englishAlt
}

// englishAlt is one way to describe an agency: all its words must stand in
// the description; a bare one needs no head noun.
type englishAlt struct {
	words []string
	bare  bool
}

var englishWords = sync.OnceValue(func() *englishKeywords {
	lx := mustLexicon("agencies-en.txt")
	k := &englishKeywords{heads: map[string]bool{}}
	for _, h := range lx["head"] {
		k.heads[h] = true
	}
	for _, line := range lx["keywords"] {
		name, rest, ok := strings.Cut(line, "\t")
		if !ok {
			panic("agencies-en.txt: no tab in " + line)
		}
		a := englishAgency{name: strings.TrimSpace(name)}
		for _, alt := range strings.Split(rest, "|") {
			alt = strings.TrimSpace(alt)
			bare := strings.HasSuffix(alt, "!")
			a.alts = append(a.alts, englishAlt{words: strings.Split(strings.TrimSuffix(alt, "!"), "+"), bare: bare})
		}
		k.agencies = append(k.agencies, a)
	}
	return k
})

// englishBoundary are words that end a description before its head noun
// ("which items does | the health commission").
var englishBoundary = map[string]bool{
	"does": true, "do": true, "did": true, "is": true, "are": true, "was": true, "were": true, "which": true,
	"what": true, "who": true, "whom": true, "items": true, "item": true, "for": true, "by": true, "with": true,
	"on": true, "about": true, "to": true, "lead": true, "leads": true, "share": true, "shares": true,
	"support": true, "supports": true, "in": true, "from": true, "than": true, "rather": true, "or": true,
}

// wordSpan is an ASCII word of a text and its byte range.
type wordSpan struct {
	w          string
	start, end int
}

// asciiWords returns the ASCII words of lower (letters, digits, ' and -).
func asciiWords(lower string) []wordSpan {
	var out []wordSpan
	for i := 0; i < len(lower); {
		c := lower[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			i++
			continue
		}
		j := i
		for j < len(lower) && (lower[j] >= 'a' && lower[j] <= 'z' || lower[j] >= '0' && lower[j] <= '9' || lower[j] == '\'' || lower[j] == '-') {
			j++
		}
		out = append(out, wordSpan{w: strings.TrimRight(lower[i:j], "'-"), start: i, end: j})
		i = j
	}
	return out
}

// findEnglishWords adds the agencies described in English words ("the
// drug regulator", "the department of culture and tourism", "the police")
// that overlap no match found so far.
func (d *Directory) findEnglishWords(text, lower string, out []Match) []Match {
	k := englishWords()
	words := asciiWords(lower)
	taken := func(s, e int) bool {
		for _, m := range out {
			if s < m.End && m.Start < e {
				return true
			}
		}
		return false
	}
	add := func(s, e int, names []string) {
		if len(names) == 0 || taken(s, e) {
			return
		}
		var known []string
		for _, n := range names {
			if d.byName[n] != nil {
				known = append(known, n)
			}
		}
		if len(known) > 0 {
			out = append(out, Match{Start: s, End: e, Text: text[s:e], Names: known})
		}
	}
	for i, h := range words {
		if !k.heads[h.w] {
			continue
		}
		// The words before the head: "the marine and fisheries bureau".
		var win []wordSpan
		for j := i - 1; j >= 0 && j >= i-5 && !englishBoundary[words[j].w] && !k.heads[words[j].w]; j-- {
			win = append([]wordSpan{words[j]}, win...)
		}
		if names, first := k.best(win, false); len(names) > 0 {
			add(first, h.end, names)
			continue
		}
		// The words after "head of": "the department of culture and tourism".
		if i+1 < len(words) && words[i+1].w == "of" {
			win = nil
			for j := i + 2; j < len(words) && j <= i+6 && !englishBoundary[words[j].w]; j++ {
				win = append(win, words[j])
			}
			if names, _ := k.best(win, false); len(names) > 0 {
				add(h.start, win[len(win)-1].end, names)
			}
		}
	}
	// Names that need no head: "customs", "the police".
	for i := range words {
		if names, _ := k.best(words[i:min(i+3, len(words))], true); len(names) > 0 {
			end := words[i].end
			for _, a := range k.agencies {
				for _, alt := range a.alts {
					if alt.bare && slices.Contains(names, a.name) && len(alt.words) > 1 && i+len(alt.words) <= len(words) {
						end = max(end, words[i+len(alt.words)-1].end)
					}
				}
			}
			add(words[i].start, end, names)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// best returns the agencies whose description the words fit best (the most
// words of one alternative, all present; ties give several), and where the
// first word of the fitting alternative stands. With bare, only
// alternatives that need no head count, and they must start at win[0].
func (k *englishKeywords) best(win []wordSpan, bare bool) ([]string, int) {
	if len(win) == 0 {
		return nil, 0
	}
	has := map[string]int{}
	for i, w := range win {
		if _, ok := has[w.w]; !ok {
			has[w.w] = i
		}
		if s, ok := strings.CutSuffix(w.w, "s"); ok && len(s) > 2 {
			if _, ok := has[s]; !ok {
				has[s] = i
			}
		}
	}
	bestScore, first := 0, len(win)
	var names []string
	for _, a := range k.agencies {
		score, at := 0, len(win)
		for _, alt := range a.alts {
			if alt.bare != bare && bare {
				continue
			}
			pos, ok := len(win), true
			for _, w := range alt.words {
				p, found := has[w]
				if !found {
					ok = false
					break
				}
				pos = min(pos, p)
			}
			if !ok || bare && pos != 0 {
				continue
			}
			if len(alt.words) > score {
				score, at = len(alt.words), pos
			}
		}
		switch {
		case score == 0:
		case score > bestScore:
			bestScore, names, first = score, []string{a.name}, at
		case score == bestScore:
			names = append(names, a.name)
			first = min(first, at)
		}
	}
	if len(names) == 0 {
		return nil, 0
	}
	return names, win[first].start
}
