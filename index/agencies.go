package index

import (
	"slices"
	"strings"
	"unicode/utf8"

	"duban"
)

// agencyTable finds agency names in a query and knows every written form of
// each canonical name (for marking snippets).
type agencyTable struct {
	dir     *duban.Directory    // finds names when the plan has a directory
	canon   map[string][]string // written form -> canonical names (several when ambiguous)
	keys    []string            // written forms, longest first
	formsOf map[string][]string // canonical name -> its written forms
}

// agencyMatch is an agency name found in a query.
type agencyMatch struct {
	Start, End int      // byte range in the query
	Form       string   // as written
	Canon      []string // canonical names it stands for
}

func newAgencyTable(plan *duban.Plan) *agencyTable {
	t := &agencyTable{dir: plan.Directory, canon: map[string][]string{}, formsOf: map[string][]string{}}
	for _, a := range directoryAgencies(plan.Directory) {
		t.add(a.Name, a.Name)
		t.add(a.Full, a.Name)
		t.add(a.Header, a.Name)
		for _, al := range a.Aliases {
			t.add(al, a.Name)
		}
	}
	for _, it := range plan.Items {
		if it == nil {
			continue
		}
		for _, names := range [][]string{it.Lead, it.Joint, it.Mentioned} {
			for _, n := range names {
				t.add(n, n)
				// What people type without the province: 林业局 for 省林业局.
				if rest, ok := strings.CutPrefix(n, "省"); ok && utf8.RuneCountInString(rest) >= 3 &&
					!strings.HasPrefix(rest, "委") && strings.ContainsAny(lastRune(rest), "厅局委办") {
					if _, known := t.canon[rest]; !known {
						t.add(rest, n)
					}
				}
			}
		}
	}
	for k := range t.canon {
		t.keys = append(t.keys, k)
	}
	slices.SortFunc(t.keys, func(a, b string) int {
		if d := len(b) - len(a); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return t
}

func lastRune(s string) string {
	_, size := utf8.DecodeLastRuneInString(s)
	return s[len(s)-size:]
}

func (t *agencyTable) add(form, canonical string) {
	form = strings.TrimSpace(form)
	if form == "" || canonical == "" {
		return
	}
	if !slices.Contains(t.canon[form], canonical) {
		t.canon[form] = append(t.canon[form], canonical)
	}
	if !slices.Contains(t.formsOf[canonical], form) {
		t.formsOf[canonical] = append(t.formsOf[canonical], form)
	}
}

// find returns the agency names in s, scanning left to right and taking
// the longest name at each position: the directory's Find when the plan
// has a directory, else the names the items use.
func (t *agencyTable) find(s string) []agencyMatch {
	var out []agencyMatch
	if t.dir != nil {
		for _, m := range t.dir.Find(s) {
			out = append(out, agencyMatch{Start: m.Start, End: m.End, Form: m.Text, Canon: m.Names})
		}
		return out
	}
	for i := 0; i < len(s); {
		matched := false
		for _, k := range t.keys {
			if strings.HasPrefix(s[i:], k) {
				out = append(out, agencyMatch{Start: i, End: i + len(k), Form: k, Canon: t.canon[k]})
				i += len(k)
				matched = true
				break
			}
		}
		if !matched {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
	}
	return out
}

// forms returns every written form of the canonical names, longest first.
func (t *agencyTable) forms(canon []string) []string {
	var out []string
	for _, c := range canon {
		for _, f := range t.formsOf[c] {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// names returns every written form known, for the user dictionary.
func (t *agencyTable) names() []string { return t.keys }
