package duban

import (
	"slices"
	"sort"
	"unicode"
)

// PlanSummary is what the office checks before a plan is added: its size,
// and the agencies it names that no directory lists.
type PlanSummary struct {
	Items    int // numbered items
	Lead     int // (item, lead agency) pairs
	Joint    int // (item, joint agency) pairs
	Agencies int // agencies responsible for some item
	// Unknown are the agencies only the document names (derived from it),
	// with the items naming them and the known agencies they may be.
	Unknown []UnknownAgency
}

// UnknownAgency is an agency a plan names that neither the province's
// directory nor the plan's own agency file lists.
type UnknownAgency struct {
	Name        string
	Items       []int    // items it leads or shares; none when only the cover letter names it
	Suggestions []string // known agencies with a similar name, closest first
}

// Summarize counts the plan's items and responsibilities and lists the
// agencies derived from the document alone.
func (p *Plan) Summarize() PlanSummary {
	s := PlanSummary{Items: len(p.Items)}
	responsible := map[string]bool{}
	for _, it := range p.Items {
		s.Lead += len(it.Lead)
		s.Joint += len(it.Joint)
		for _, a := range it.Responsible() {
			responsible[a] = true
		}
	}
	s.Agencies = len(responsible)
	if p.Directory == nil {
		return s
	}
	for _, a := range p.Directory.Agencies() {
		if !a.Derived {
			continue
		}
		u := UnknownAgency{Name: a.Name, Items: p.ItemsFor(a.Name, RoleLead, RoleJoint)}
		// Stricter than Suggest: a new agency often shares 局 and a
		// character with an old one (医保局, 银保监局).
		for _, n := range p.Directory.Similar(a.Name, 6, 0.6) {
			if o := p.Directory.Agency(n); o != nil && !o.Derived && len(u.Suggestions) < 3 {
				u.Suggestions = append(u.Suggestions, n)
			}
		}
		s.Unknown = append(s.Unknown, u)
	}
	return s
}

// MinCarrySimilarity is how alike two titles must be (TitleSimilarity) for
// an item of a newer plan to carry on one of an older plan.
const MinCarrySimilarity = 0.45

// TitleSimilarity returns how alike two item titles are, from 0 to 1: the
// Dice coefficient of their character bigrams, taken within runs of
// letters and digits (punctuation separates runs and makes no bigram).
func TitleSimilarity(a, b string) float64 {
	return dice(bigrams(a), bigrams(b))
}

// bigrams returns the character bigrams of s, within runs of letters and
// digits, width folded and ASCII lower-cased.
func bigrams(s string) [][2]rune {
	var out [][2]rune
	var prev rune
	for _, r := range []rune(foldName(s)) {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			prev = 0
			continue
		}
		if prev != 0 {
			out = append(out, [2]rune{prev, r})
		}
		prev = r
	}
	return out
}

// Carried is an item of an older plan that a newer plan carries on.
type Carried struct {
	Old, New   int     // item numbers in the older and the newer plan
	Similarity float64 // TitleSimilarity of their titles
}

// Comparison is how two sets of items (an agency's items in two plans)
// differ: items of the newer set matched to none of the older (gained),
// items of the older matched to none of the newer (dropped) and the pairs
// matched by title (carried on).
type Comparison struct {
	Gained  []int // numbers in the newer plan, ascending
	Dropped []int // numbers in the older plan, ascending
	Carried []Carried
}

// CompareItems matches items oldItems of plan older with items newItems of
// plan newer by the similarity of their titles: the most similar pair
// first, each item at most once, at least MinCarrySimilarity. Carried
// pairs are in the order of the newer plan.
func CompareItems(older *Plan, oldItems []int, newer *Plan, newItems []int) Comparison {
	type pair struct {
		o, n int
		s    float64
	}
	var pairs []pair
	for _, o := range oldItems {
		oi := older.Item(o)
		if oi == nil {
			continue
		}
		for _, n := range newItems {
			ni := newer.Item(n)
			if ni == nil {
				continue
			}
			if s := TitleSimilarity(oi.Title, ni.Title); s >= MinCarrySimilarity {
				pairs = append(pairs, pair{o, n, s})
			}
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool {
		if pairs[i].s != pairs[j].s {
			return pairs[i].s > pairs[j].s
		}
		if pairs[i].n != pairs[j].n {
			return pairs[i].n < pairs[j].n
		}
		return pairs[i].o < pairs[j].o
	})
	usedOld, usedNew := map[int]bool{}, map[int]bool{}
	var c Comparison
	for _, p := range pairs {
		if usedOld[p.o] || usedNew[p.n] {
			continue
		}
		usedOld[p.o], usedNew[p.n] = true, true
		c.Carried = append(c.Carried, Carried{Old: p.o, New: p.n, Similarity: p.s})
	}
	slices.SortFunc(c.Carried, func(a, b Carried) int { return a.New - b.New })
	for _, n := range newItems {
		if !usedNew[n] && newer.Item(n) != nil && !slices.Contains(c.Gained, n) {
			c.Gained = append(c.Gained, n)
		}
	}
	for _, o := range oldItems {
		if !usedOld[o] && older.Item(o) != nil && !slices.Contains(c.Dropped, o) {
			c.Dropped = append(c.Dropped, o)
		}
	}
	slices.Sort(c.Gained)
	slices.Sort(c.Dropped)
	return c
}

// ClosestItem returns the item among candidates whose title and text hold
// the most of text's distinct character bigrams, or 0 when none holds any
// or two hold as many: which of an agency's items a report that names no
// item is about ("林业标准化那条已经搞完了" is item 3 of 省林业局's 3 and 53).
func (p *Plan) ClosestItem(text string, candidates []int) int {
	want := map[[2]rune]bool{}
	for _, g := range bigrams(text) {
		want[g] = true
	}
	best, bestN, tie := 0, 0, false
	for _, n := range candidates {
		it := p.Item(n)
		if it == nil {
			continue
		}
		have := map[[2]rune]bool{}
		for _, g := range bigrams(it.Title + " " + it.Text) {
			if want[g] {
				have[g] = true
			}
		}
		switch k := len(have); {
		case k > bestN:
			best, bestN, tie = n, k, false
		case k == bestN && k > 0:
			tie = true
		}
	}
	if tie {
		return 0
	}
	return best
}
