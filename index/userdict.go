package index

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"duban"
)

// quotedRe finds the plan's own short names: terms in “” or 《》 quotes.
var quotedRe = regexp.MustCompile(`[“"《]([^”"》]{2,8})[”"》]`)

// userWords returns the words added to gojieba's dictionary: agency names
// in every written form, the plan's terms (its terms file, Plan.Terms) and
// the short quoted terms of the plan text, which are derived.
func userWords(plan *duban.Plan, agencies *agencyTable) []string {
	var out []string
	seen := map[string]bool{}
	add := func(w string) {
		w = strings.TrimSpace(w)
		if w == "" || seen[w] || utf8.RuneCountInString(w) < 2 || strings.ContainsAny(w, " \t、,，") {
			return
		}
		seen[w] = true
		out = append(out, w)
	}
	for _, n := range agencies.names {
		add(n)
	}
	for _, t := range plan.Terms {
		add(t)
	}
	for _, it := range plan.Items {
		if it == nil {
			continue
		}
		for _, m := range quotedRe.FindAllStringSubmatch(it.Text, -1) {
			if hasWordRune(m[1]) && !strings.ContainsFunc(m[1], isSeparator) {
				add(m[1])
			}
		}
	}
	return out
}
