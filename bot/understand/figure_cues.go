package understand

import (
	"strings"
	"sync"
	"unicode/utf8"
)

var figureBook = sync.OnceValue(func() *phrasebook { return newPhrasebook(lexicon("figure-cues.txt")) })

// figureAsked reports whether a question asks for a figure: a figure cue,
// a rate at its end, or 几/多少 before a measure word; a question that
// counts items or asks where a topic stands does not.
func figureAsked(text string) bool {
	fb := figureBook()
	ms := fb.scan(text)
	for _, m := range ms {
		if m.Is("not-figure") {
			return false
		}
	}
	for i, m := range ms {
		switch {
		case m.Is("figure"):
			return true
		case m.Is("count-word"):
			rest := strings.TrimLeft(text[m.End:], " ")
			r, _ := utf8.DecodeRuneInString(rest)
			if fb.has(string(r), "measure") || strings.HasPrefix(rest, "千米") {
				return true
			}
		case m.Is("rate-end") && strings.TrimRight(text[m.End:], " ") == "":
			return true
		}
		_ = i
	}
	return false
}
