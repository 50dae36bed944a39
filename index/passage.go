package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"duban"
)

// Passages: the sentences of the cover letter (recipients, opening
// paragraph, contact, issuer, date), the title and the preamble, searched
// apart from the items so that a question about the letter that no cue
// list foresaw is still answered from the right sentence.
//
// A passage is found by the words of the question that stand in it, each
// weighing its IDF over the passages (a word counts as in a passage when
// it stands in it or names its place), and, at half weight more, by the
// words naming its place (lexicon/places.txt: 联系人 and contact name the
// contact sentences). A piece of the question that names a place as a
// whole (发文日期) counts as a place word besides its words. A question word in its synonyms or short forms
// counts as in the items search. One character beside longer words counts
// only together with one of them.

// placeWordsCredit is what a word naming a passage's place counts, as a
// share of a word in the passage itself.
const placeWordsCredit = 0.5

// passageIndex holds the passages of a plan.
type passageIndex struct {
	list   []duban.Passage // without Score and Marks
	folded []string        // folded text of each passage
	labels []string        // folded words naming each passage's place, space-separated
	texts  *textSet        // the passages, for translating English
}

// placeWords are the words naming each place (lexicon/places.txt).
var placeWords = func() map[duban.Place][]string {
	lines, err := lexiconLines("places.txt")
	if err != nil {
		panic(err)
	}
	out := map[duban.Place][]string{}
	for _, l := range lines {
		if len(l.fields) < 2 {
			panic(fmt.Sprintf("lexicon places.txt line %d: want a place and its words, got %q", l.line, l.fields))
		}
		p := duban.Place(l.fields[0])
		out[p] = append(out[p], l.fields[1:]...)
	}
	return out
}()

// placeWordSet holds every word of placeWords, folded.
var placeWordSet = func() map[string]bool {
	out := map[string]bool{}
	for _, ws := range placeWords {
		for _, w := range ws {
			out[foldText(w)] = true
		}
	}
	return out
}()

// newPassageIndex splits the cover letter and the preamble into sentences.
func newPassageIndex(m duban.Meta) *passageIndex {
	px := &passageIndex{}
	add := func(place duban.Place, texts ...string) {
		n := 0
		for _, t := range texts {
			t = strings.TrimSpace(t)
			if t == "" {
				continue
			}
			n++
			px.list = append(px.list, duban.Passage{Place: place, Sentence: n, Text: t})
			px.folded = append(px.folded, foldText(t))
			px.labels = append(px.labels, " "+foldText(strings.Join(placeWords[place], " "))+" ")
		}
	}
	if len(m.RecipientsRaw) > 0 {
		add(duban.PlaceRecipients, strings.Join(m.RecipientsRaw, "、"))
	}
	add(duban.PlaceOpening, sentences(m.Opening)...)
	var contact []string
	if m.ContactPerson != "" {
		s := "联系人: " + m.ContactPerson
		if m.ContactDept != "" {
			s += "(" + m.ContactDept + ")"
		}
		contact = append(contact, s)
	}
	for _, f := range []struct{ label, value string }{{"联系电话", m.Phone}, {"传真", m.Fax}, {"电子邮箱", m.Email}} {
		if f.value != "" {
			contact = append(contact, f.label+": "+f.value)
		}
	}
	add(duban.PlaceContact, contact...)
	add(duban.PlaceIssuer, m.Issuer)
	add(duban.PlaceDate, m.DateText)
	add(duban.PlaceTitle, m.Title)
	add(duban.PlacePreamble, sentences(m.Preamble)...)
	px.texts = &textSet{folded: px.folded, occ: newOccurrences(px.folded), exact: true}
	return px
}

// sentences splits a paragraph after each 。！？ (and their ASCII forms),
// keeping the mark with its sentence.
func sentences(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if strings.ContainsRune("。！？!?", r) {
			j := i + utf8.RuneLen(r)
			out = append(out, s[start:j])
			start = j
		}
	}
	if strings.TrimSpace(s[start:]) != "" {
		out = append(out, s[start:])
	}
	return out
}

// SearchPassages finds up to limit sentences (3 when limit <= 0) of the
// cover letter, the title and the preamble for the query, best first,
// each with its place, its number within the place and the matched words
// marked. It returns none when no content word of the query stands in a
// passage or names its place.
func (ix *Index) SearchPassages(ctx context.Context, q string, limit int) ([]duban.Passage, error) {
	ix.closeMu.RLock()
	defer ix.closeMu.RUnlock()
	if ix.closed {
		return nil, ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("index: search passages: %w", err)
	}
	if limit <= 0 {
		limit = 3
	}
	px := ix.passages
	if px == nil || len(px.list) == 0 {
		return nil, nil
	}
	type word struct {
		forms     []string
		weight    float64
		minor     bool
		placeOnly bool
	}
	var words []word
	n := len(px.list)
	for _, g := range ix.passageWords(q) {
		var fs []string
		for _, f := range g.forms {
			fs = appendNew(fs, foldText(f))
		}
		df := 0 // passages holding the word or named by it
		for i := range px.list {
			if !g.placeOnly && px.holds(i, fs) || px.named(i, fs) {
				df++
			}
		}
		words = append(words, word{forms: fs, weight: idf(df, n), minor: g.minor, placeOnly: g.placeOnly})
	}
	type scored struct {
		i     int
		score float64
		forms []string
	}
	var found []scored
	for i := range px.list {
		var s, minor float64
		major := false
		var matched []string
		for _, w := range words {
			c := 0.0
			if !w.placeOnly && px.holds(i, w.forms) {
				c = w.weight
				matched = append(matched, w.forms...)
			}
			if px.named(i, w.forms) {
				c += placeWordsCredit * w.weight
			}
			if c == 0 {
				continue
			}
			if w.minor {
				minor += c
				continue
			}
			s += c
			major = true
		}
		if !major {
			continue
		}
		found = append(found, scored{i, s + minor, matched})
	}
	slices.SortStableFunc(found, func(a, b scored) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return a.i - b.i
	})
	var out []duban.Passage
	for _, f := range found[:min(limit, len(found))] {
		p := px.list[f.i]
		p.Score = f.score
		p.Marks = spans(findTerms(p.Text, f.forms), 0, len(p.Text), 0)
		out = append(out, p)
	}
	return out, nil
}

// holds reports whether passage i holds one of the folded forms.
func (px *passageIndex) holds(i int, forms []string) bool {
	return slices.ContainsFunc(forms, func(f string) bool { return strings.Contains(px.folded[i], f) })
}

// named reports whether one of the folded forms is a word naming passage
// i's place.
func (px *passageIndex) named(i int, forms []string) bool {
	return slices.ContainsFunc(forms, func(f string) bool { return strings.Contains(px.labels[i], " "+f+" ") })
}

// passageWord is a word of a passage question with its forms.
type passageWord struct {
	forms     []string
	minor     bool
	placeOnly bool // a piece naming a place as a whole, matched against place words only
}

// passageWords cuts a question into its content words, each with the
// forms it may stand in a passage in: its synonyms and the plan's full
// forms of a short form, an agency name in every form the directory
// knows. English words are translated as for the items; English words
// without a translation are kept as written (they may name a place).
func (ix *Index) passageWords(q string) []passageWord {
	var out []passageWord
	// English words naming a place count as written (translated, "issued"
	// would no longer name the issuer).
	for _, w := range asciiWordRe.FindAllString(strings.ToLower(q), -1) {
		if !englishStop[w] && (placeWordSet[w] || placeWordSet[singularEnglish(w)]) {
			out = append(out, passageWord{forms: []string{w, singularEnglish(w)}, placeOnly: true})
		}
	}
	q, groups := ix.normalize(q, ix.passages.texts)
	if utf8.RuneCountInString(q) > maxQueryRunes {
		q = string([]rune(q)[:maxQueryRunes])
	}
	for _, raw := range strings.FieldsFunc(q, isSeparator) {
		if cands, ok := group(raw, groups); ok {
			out = append(out, passageWord{forms: cands})
			continue
		}
		rest := raw
		for _, m := range ix.agencies.dir.Find(raw) {
			out = append(out, passageWord{forms: appendNew([]string{m.Text}, ix.agencies.forms(m.Names)...)})
			rest = strings.Replace(rest, m.Text, " ", 1)
		}
		for _, piece := range strings.Fields(rest) {
			ws := ix.cut(piece)
			if len(ws) > 1 && placeWordSet[foldText(piece)] {
				out = append(out, passageWord{forms: []string{piece}, placeOnly: true})
			}
			ws = slices.DeleteFunc(ws, func(w string) bool { return stopWords[w] })
			for _, w := range ws {
				fs := []string{w}
				fs = appendNew(fs, synonyms[w]...)
				fs = appendNew(fs, ix.words().abbrev[w]...)
				out = append(out, passageWord{forms: fs, minor: runeLen(w) == 1 && len(ws) > 1})
			}
		}
	}
	return out
}
