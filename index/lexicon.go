package index

import (
	"bufio"
	"embed"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// The word lists of the search, one entry a line, each file with a header
// saying what it is and where its data came from (index/lexicon/*.txt).
//
//go:embed lexicon/*.txt
var lexiconFS embed.FS

// lexiconLines returns the entries of a lexicon file: its lines without
// comments (#) and blank lines, each with the [section] it stands in.
func lexiconLines(name string) ([]lexiconLine, error) {
	data, err := lexiconFS.ReadFile("lexicon/" + name)
	if err != nil {
		return nil, fmt.Errorf("lexicon %s: %w", name, err)
	}
	var out []lexiconLine
	section := ""
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	n := 0
	for sc.Scan() {
		n++
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]") {
			section = strings.TrimSpace(l[1 : len(l)-1])
			continue
		}
		out = append(out, lexiconLine{section: section, fields: strings.Fields(l), line: n})
	}
	return out, nil
}

// lexiconLine is one entry of a lexicon file.
type lexiconLine struct {
	section string
	fields  []string
	line    int
}

// mustWordSet reads a lexicon file of one word a line as a set. The files
// are embedded, so a missing or malformed one is a build defect: the
// tests read every file.
func mustWordSet(name string) map[string]bool {
	lines, err := lexiconLines(name)
	if err != nil {
		panic(err)
	}
	out := make(map[string]bool, len(lines))
	for _, l := range lines {
		if len(l.fields) != 1 {
			panic(fmt.Sprintf("lexicon %s line %d: want one word, got %q", name, l.line, l.fields))
		}
		out[l.fields[0]] = true
	}
	return out
}

// synonymTable maps a word people type to the words a plan writes for it.
type synonymTable map[string][]string

// mustSynonyms reads lexicon/synonyms.txt.
func mustSynonyms() synonymTable {
	lines, err := lexiconLines("synonyms.txt")
	if err != nil {
		panic(err)
	}
	out := synonymTable{}
	for _, l := range lines {
		if len(l.fields) < 2 {
			panic(fmt.Sprintf("lexicon synonyms.txt line %d: want a word and at least one plan word, got %q", l.line, l.fields))
		}
		k := l.fields[0]
		for _, v := range l.fields[1:] {
			if v != k && !slices.Contains(out[k], v) {
				out[k] = append(out[k], v)
			}
		}
	}
	return out
}

var (
	// stopWords are Chinese function and question words (lexicon/stop_zh.txt).
	stopWords = mustWordSet("stop_zh.txt")
	// englishStop are English function and question words (lexicon/stop_en.txt).
	englishStop = mustWordSet("stop_en.txt")
	// conjunctions join the nouns of one name (lexicon/conjunctions.txt).
	conjunctions = mustWordSet("conjunctions.txt")
	// synonyms are the typed words and the plan's words for them (lexicon/synonyms.txt).
	synonyms = mustSynonyms()
)

// minVariantRunes is the shortest typed word whose variants are looked
// for: an idiom or a phrase of four characters or more (缺斤短两 for
// 缺斤少两); shorter words differ in meaning with one character.
const minVariantRunes = 4

// variantKeys are the typed words of the synonym table by length in runes.
var variantKeys = sync.OnceValue(func() map[int][][]rune {
	out := map[int][][]rune{}
	for k := range synonyms {
		rs := []rune(k)
		if len(rs) >= minVariantRunes && allHan(k) {
			out[len(rs)] = append(out[len(rs)], rs)
		}
	}
	return out // in map order: synonymVariant takes a variant only when it is the one
})

// synonymVariant returns, for a word of minVariantRunes characters or
// more, the plan's words of the one typed word of the synonym table that
// differs from it in a single character, neither the first nor the last
// (缺斤短两 is 缺斤少两); nil when there is none or more than one. Callers
// ask it only for words the plan does not hold.
func synonymVariant(w string) []string {
	rs := []rune(w)
	if len(rs) < minVariantRunes || !allHan(w) {
		return nil
	}
	var found []rune
	for _, k := range variantKeys()[len(rs)] {
		if k[0] != rs[0] || k[len(k)-1] != rs[len(rs)-1] {
			continue
		}
		diff := 0
		for i := range rs {
			if rs[i] != k[i] {
				diff++
			}
		}
		if diff == 1 {
			if found != nil {
				return nil // two variants: neither is sure
			}
			found = k
		}
	}
	if found == nil {
		return nil
	}
	return synonyms[string(found)]
}
