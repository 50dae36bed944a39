package understand

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// A phrasebook finds the words of a lexicon in a text: leftmost, longest
// first, every match carrying all the sections its word stands in.
// Chinese entries match wherever they stand; English ones (ASCII) only as
// whole words, case-insensitively.
type phrasebook struct {
	byFirst map[rune][]string   // entries by their first rune, longest first
	classes map[string][]string // entry -> sections
}

// newPhrasebook builds a phrasebook from lexicon sections.
func newPhrasebook(sections map[string][]string) *phrasebook {
	pb := &phrasebook{byFirst: map[rune][]string{}, classes: map[string][]string{}}
	names := make([]string, 0, len(sections))
	for name := range sections {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, w := range sections[name] {
			w = strings.ToLower(w)
			if !slices.Contains(pb.classes[w], name) {
				pb.classes[w] = append(pb.classes[w], name)
			}
		}
	}
	for w := range pb.classes {
		r, _ := utf8.DecodeRuneInString(w)
		pb.byFirst[r] = append(pb.byFirst[r], w)
	}
	for r := range pb.byFirst {
		slices.SortFunc(pb.byFirst[r], func(a, b string) int {
			if len(a) != len(b) {
				return len(b) - len(a)
			}
			return strings.Compare(a, b)
		})
	}
	return pb
}

// Match is a lexicon word found in a text.
type Match struct {
	Start, End int      // byte range in the text
	Word       string   // the entry, lower-cased
	Classes    []string // the sections it stands in
}

// Is reports whether the match stands in the section.
func (m Match) Is(class string) bool { return slices.Contains(m.Classes, class) }

// scan returns the lexicon words of text, leftmost-longest, not
// overlapping.
func (pb *phrasebook) scan(text string) []Match {
	lower := asciiLower(text)
	var out []Match
	for i := 0; i < len(lower); {
		r, size := utf8.DecodeRuneInString(lower[i:])
		if w := pb.longestAt(lower, i, r); w != "" {
			out = append(out, Match{Start: i, End: i + len(w), Word: w, Classes: pb.classes[w]})
			i += len(w)
			continue
		}
		if isASCIILetter(r) {
			for i < len(lower) && isWordByte(lower[i]) {
				i++ // skip the rest of an English word
			}
			continue
		}
		i += size
	}
	return out
}

// covered marks the bytes of text that some entry of the phrasebook
// covers where it stands, overlapping entries included: what is left
// unmarked is what the text says besides the lexicon's words.
func (pb *phrasebook) covered(text string, mark []bool) {
	lower := asciiLower(text)
	for i := 0; i < len(lower); {
		r, size := utf8.DecodeRuneInString(lower[i:])
		if isASCIILetter(r) && i > 0 && isWordByte(lower[i-1]) {
			i += size
			continue
		}
		for _, w := range pb.byFirst[r] {
			if !strings.HasPrefix(lower[i:], w) {
				continue
			}
			end := i + len(w)
			if isASCIILetter(rune(w[len(w)-1])) && end < len(lower) && isWordByte(lower[end]) {
				continue
			}
			for k := i; k < end; k++ {
				mark[k] = true
			}
		}
		i += size
	}
}

// longestAt returns the longest entry that starts at lower[i:] (first
// rune r), or "".
func (pb *phrasebook) longestAt(lower string, i int, r rune) string {
	if isASCIILetter(r) && i > 0 && isWordByte(lower[i-1]) {
		return "" // inside an English word
	}
	for _, w := range pb.byFirst[r] {
		if !strings.HasPrefix(lower[i:], w) {
			continue
		}
		end := i + len(w)
		last := w[len(w)-1]
		if isASCIILetter(rune(last)) && end < len(lower) && isWordByte(lower[end]) && !strings.HasSuffix(w, "-") {
			continue // "lead" in "leader"
		}
		return w
	}
	return ""
}

// has reports whether the word is an entry of the section.
func (pb *phrasebook) has(word, class string) bool {
	return slices.Contains(pb.classes[strings.ToLower(word)], class)
}

// asciiLower lower-cases ASCII letters only, keeping byte offsets.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '\''
}
