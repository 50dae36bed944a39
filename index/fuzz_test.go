package index_test

import (
	"context"
	"testing"
	"unicode/utf8"

	"duban"
)

// FuzzSearch: any query, however malformed, gives hits of real items with
// valid UTF-8 snippets and marks on character boundaries, and never fails.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"茶", "林业", "学前教育 幼儿园", "<@U1|x> 石墨烯", "ＯＤＲ", "#13", "items about tea",
		"\xff\x00石墨", "的", "", "   ", "<http://a|b>", "省林业局 森林", "海关", "第999条", "a b c d e f g"} {
		f.Add(s)
	}
	ix := sharedIndex(f)
	n := len(seedPlan(f).Items)
	f.Fuzz(func(t *testing.T, q string) {
		res, err := ix.Search(context.Background(), q, 5)
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		if len(res.Hits) > 5 {
			t.Fatalf("Search(%q): %d hits, limit 5", q, len(res.Hits))
		}
		for _, h := range res.Hits {
			if h.Item < 1 || h.Item > n {
				t.Fatalf("Search(%q): item %d", q, h.Item)
			}
			checkSnippet(t, q, h)
		}
	})
}

func checkSnippet(t *testing.T, q string, h duban.Hit) {
	t.Helper()
	if !utf8.ValidString(h.Snippet) {
		t.Fatalf("%q item %d: snippet not valid UTF-8: %q", q, h.Item, h.Snippet)
	}
	last := 0
	for _, m := range h.Marks {
		if m.Start < last || m.End <= m.Start || m.End > len(h.Snippet) ||
			!utf8.RuneStart(h.Snippet[m.Start]) || (m.End < len(h.Snippet) && !utf8.RuneStart(h.Snippet[m.End])) {
			t.Fatalf("%q item %d: bad mark %v in %q", q, h.Item, m, h.Snippet)
		}
		last = m.End
	}
}
