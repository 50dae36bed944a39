package index

import (
	"slices"
	"strings"

	"duban"
)

// agencyTable is the plan's agency directory (which finds agency names in
// queries) with the written forms of its agencies gathered for marking
// snippets and for the user dictionary.
type agencyTable struct {
	dir   *duban.Directory
	names []string // every written form of every agency, longest first
}

// newAgencyTable gathers the written forms of the agencies of dir.
func newAgencyTable(dir *duban.Directory) *agencyTable {
	t := &agencyTable{dir: dir}
	for _, a := range dir.Agencies() {
		for _, f := range dir.Forms(a.Name) {
			if !slices.Contains(t.names, f) {
				t.names = append(t.names, f)
			}
		}
	}
	slices.SortFunc(t.names, func(a, b string) int {
		if d := len(b) - len(a); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return t
}

// forms returns every written form of the canonical names, longest first.
func (t *agencyTable) forms(canon []string) []string {
	var out []string
	for _, c := range canon {
		for _, f := range t.dir.Forms(c) {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}
