package index

import (
	"slices"
	"strings"

	"duban"
)

// When a query finds nothing, either it asks about something the plan
// does not cover (今天天气怎么样: the result says OutOfPlan) or a word of it
// is mistyped (电悌 for 电梯). A typing error is a word of the plan at a
// small edit distance, where a substitution of a character read alike
// (pinyin input methods offer homophones side by side) costs less than
// any other edit. Sharing a character is not enough: 电商 and 家电 are not
// what 电悌 meant.

// Pinyin gives the readings of Chinese characters.
type Pinyin interface {
	// Readings returns the syllables r is read as, without tones and in
	// lower case ("dian" for 电); none when r is unknown.
	Readings(r rune) []string
}

// cedictReadings are CC-CEDICT's readings of characters (cedict.go).
type cedictReadings struct{}

// Readings implements Pinyin.
func (cedictReadings) Readings(r rune) []string { return cedictPinyin(r) }

// Edit costs of a typing error.
const (
	homophoneCost = 0.5 // a character replaced by one read alike
	editCost      = 1.0 // any other substitution, insertion or deletion
)

// maxTypoCost is the largest edit cost a typing error of a word of n
// characters may have: in a word of two or three characters only one
// character read alike, in a longer word one other edit, in a word of six
// or more a little more.
func maxTypoCost(n int) float64 {
	switch {
	case n <= 3:
		return homophoneCost
	case n <= 5:
		return editCost
	}
	return editCost + homophoneCost
}

// homophones reports whether two characters share a reading.
func (ix *Index) homophones(a, b rune) bool {
	ra := ix.pinyin.Readings(a)
	for _, s := range ix.pinyin.Readings(b) {
		if slices.Contains(ra, s) {
			return true
		}
	}
	return false
}

// editDistance is the cost of turning a into b, where replacing a
// character by one read alike costs homophoneCost.
func (ix *Index) editDistance(a, b []rune) float64 {
	prev := make([]float64, len(b)+1)
	cur := make([]float64, len(b)+1)
	for j := range prev {
		prev[j] = float64(j) * editCost
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = float64(i) * editCost
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				if ix.homophones(a[i-1], b[j-1]) {
					sub += homophoneCost
				} else {
					sub += editCost
				}
			}
			cur[j] = min(sub, prev[j]+editCost, cur[j-1]+editCost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// typoSuggestions returns up to n words of the plan that words of the
// query the plan does not hold are likely typing errors of, the closest
// first, then the one correcting more of what was typed, then the most
// frequent. A piece of the query the plan does not
// hold as written counts as a word: gojieba cuts a mistyped word into
// pieces (知识产全 -> 知识 产 全).
func (ix *Index) typoSuggestions(p parsed, n int) []string {
	type cand struct {
		word  string
		cost  float64
		typed int // characters of the word or piece it corrects
		df    int
	}
	var cands []cand
	try := func(w string) {
		rs := []rune(w)
		if len(rs) < 2 || len(rs) > maxTypoRunes || !allHan(w) || ix.occurs(w) {
			return
		}
		limit := maxTypoCost(len(rs))
		edits := int(limit / homophoneCost) // the most characters a correction may change
		for _, v := range ix.vocab.words {
			if d := len(v.runes) - len(rs); d < -1 || d > 1 || sharedRunes(rs, v.runes) < len(rs)-edits {
				continue
			}
			if c := ix.editDistance(rs, v.runes); c <= limit {
				cands = append(cands, cand{v.word, c, len(rs), v.df})
			}
		}
	}
	for _, pt := range p.parts {
		if len(pt.agency) > 0 {
			continue
		}
		for i, w := range pt.words {
			if len(pt.forms[i].all(w)) == 0 {
				try(w)
			}
		}
		if len(pt.words) > 1 {
			try(pt.raw)
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		switch {
		case a.cost != b.cost:
			if a.cost < b.cost {
				return -1
			}
			return 1
		case a.typed != b.typed: // the correction of a whole piece first
			return b.typed - a.typed
		case a.df != b.df:
			return b.df - a.df
		}
		return strings.Compare(a.word, b.word)
	})
	var out []string
	for _, c := range cands {
		if len(out) == n {
			break
		}
		out = appendNew(out, c.word)
	}
	return out
}

// sharedRunes counts the characters of a that b holds (each of b's
// once): a correction within a few edits keeps most of them.
func sharedRunes(a, b []rune) int {
	var used [16]bool
	n := 0
	for _, r := range a {
		for j, x := range b {
			if j < len(used) && !used[j] && x == r {
				used[j] = true
				n++
				break
			}
		}
	}
	return n
}

// maxTypoRunes is the longest word or piece checked for a typing error.
const maxTypoRunes = 8

// noHits fills a result that found nothing: the words the query's
// mistyped words likely stand for, or, when there are none, that the
// question is outside the plan, with the plan's main topics to try.
func (ix *Index) noHits(p parsed, res *duban.SearchResult) {
	if s := ix.typoSuggestions(p, 3); len(s) > 0 {
		res.Suggestions = s
		return
	}
	res.OutOfPlan = true
	res.Suggestions = ix.vocab.topics(3)
}
