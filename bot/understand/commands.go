package understand

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

var commandBook = sync.OnceValue(func() *phrasebook { return newPhrasebook(lexicon("commands.txt")) })

// Whole returns the kind of a message made of nothing but the words of
// one section of lexicon/commands.txt ("help", "greeting", "thanks",
// "ack", "more") and particles, or "".
func Whole(message string) string {
	text := strings.TrimSpace(Normalize(message))
	if strings.TrimFunc(text, skippable) == "" {
		return "help" // nothing, or "?"
	}
	kind := ""
	at := 0
	for _, m := range commandBook().scan(text) {
		if strings.TrimFunc(text[at:m.Start], skippable) != "" {
			return ""
		}
		at = m.End
		for _, k := range []string{"help", "greeting", "thanks", "ack", "more"} {
			if m.Is(k) {
				if kind != "" && kind != k {
					return ""
				}
				kind = k
			}
		}
		if !m.Is("particle") && kind == "" {
			return ""
		}
	}
	if strings.TrimFunc(text[at:], skippable) != "" {
		return ""
	}
	return kind
}

func skippable(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) }

// SearchCommand returns what follows a word that asks for a full-text
// search ("搜索 省住建厅" -> "省住建厅"), and whether the message starts so.
func SearchCommand(message string) (string, bool) {
	text := strings.TrimSpace(Normalize(message))
	ms := commandBook().scan(text)
	if len(ms) == 0 || ms[0].Start != 0 || !ms[0].Is("search") {
		return "", false
	}
	rest := strings.TrimLeft(text[ms[0].End:], " :")
	if rest == "" || !utf8.ValidString(rest) {
		return "", false
	}
	return strings.TrimRight(rest, "?？。.!！~ "), true
}
