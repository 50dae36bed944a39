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

// LeadIn returns a message without the words that may open a command
// without being part of it ([lead-in] of lexicon/commands.txt: 请, 帮我,
// 出个, 看看 …), one after another, and without the particles that may
// close one ([tail]: 吧, 呗 …): "帮我催一下省林业局吧" is read as
// "催一下省林业局". The message is folded (Normalize) and trimmed of
// closing punctuation.
func LeadIn(message string) string {
	s := strings.TrimRight(strings.TrimSpace(Normalize(message)), "?？。.!！~ ")
	lx := leadInWords()
	for {
		w := wordPrefix(strings.ToLower(s), lx.lead)
		if w == "" || len(w) == len(s) {
			break
		}
		s = strings.TrimLeft(s[len(w):], " ,，:：")
	}
	for {
		w := wordSuffix(strings.ToLower(s), lx.tail)
		if w == "" || len(w) == len(s) {
			break
		}
		s = strings.TrimRight(s[:len(s)-len(w)], " ,，~")
	}
	return s
}

// leadInWords are the [lead-in] and [tail] words, longest first.
var leadInWords = sync.OnceValue(func() struct{ lead, tail []string } {
	lx := lexicon("commands.txt")
	return struct{ lead, tail []string }{byLength(lower(lx["lead-in"])), byLength(lower(lx["tail"]))}
})

// lower returns the words lower-cased.
func lower(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = strings.ToLower(w)
	}
	return out
}
