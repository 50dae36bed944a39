package index

import (
	"bufio"
	"embed"
	"fmt"
	"slices"
	"strings"
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
