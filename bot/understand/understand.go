// Package understand is duban's understanding step: it turns a chat message
// into a typed Query (item references, agencies with their roles and
// negations, topic words, the kind of figure or cover-letter fact asked)
// and a progress report into a typed report, once, so that every handler
// of package bot works from the same reading.
//
// It uses the standard library and the domain (package duban) only, so it
// is tested without bleve or gojieba. Its word lists (cue words, question
// words, fillers, status words) are embedded data files in lexicon/, one
// entry a line; the code holds the mechanisms.
package understand

import (
	"embed"
	"strings"
	"unicode"

	"duban"
)

//go:embed lexicon/*.txt
var lexiconFS embed.FS

// lexicon reads an embedded word list of this package (the section format
// of duban.ParseLexicon). A missing or malformed file is a build defect,
// caught by the tests.
func lexicon(file string) map[string][]string {
	data, err := lexiconFS.ReadFile("lexicon/" + file)
	if err != nil {
		panic(err)
	}
	m, err := duban.ParseLexicon(data)
	if err != nil {
		panic("lexicon/" + file + ": " + err.Error())
	}
	return m
}

// Normalize returns a message as the understanding step reads it: width
// folded (full-width letters, digits and punctuation to half width),
// traditional characters simplified (條 -> 条),
// control and zero-width characters as spaces, runs of spaces as one, and
// trimmed. It keeps punctuation, which separates clauses.
func Normalize(s string) string {
	s = duban.Simplify(duban.Fold(s))
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || r == '\u2060' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
