package index_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"duban"
	"duban/index"
)

// TestSearchIsDeterministicAcrossBuilds builds the index of the seed
// several times and asks every build the same questions: the dev set's
// questions, the own search topics and a few queries with several parts.
// Every build must give the same items with the same scores, snippets,
// terms and suggestions: a user asking the same question after a restart
// must get the same answer.
func TestSearchIsDeterministicAcrossBuilds(t *testing.T) {
	plan := seedPlan(t)
	qs := []string{"产品、水", "产品 水", "质量 安全", "食品、药品", "标准 品牌", "茶", "省林业局",
		"省林业局 茶 火星", "火星探测"} // relaxed, and nothing but suggestions
	for _, c := range loadEval(t) {
		qs = append(qs, c.Q)
	}
	for _, o := range ownSearch {
		qs = append(qs, o.q)
	}
	builds := 8
	if testing.Short() {
		builds = 4
	}
	var first []duban.SearchResult
	for b := range builds {
		ix, err := index.New(plan)
		if err != nil {
			t.Fatal(err)
		}
		got := answers(t, ix, qs)
		ix.Close()
		if b == 0 {
			first = got
			continue
		}
		for i, q := range qs {
			if !reflect.DeepEqual(got[i], first[i]) {
				t.Errorf("build %d, %q:\n got %s\nwant %s (build 0)", b, q, render(got[i]), render(first[i]))
			}
		}
	}
}

// answers asks every question for its top 10.
func answers(t *testing.T, ix *index.Index, qs []string) []duban.SearchResult {
	t.Helper()
	out := make([]duban.SearchResult, len(qs))
	for i, q := range qs {
		res, err := ix.Search(context.Background(), q, 10)
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		out[i] = res
	}
	return out
}

// render shows a result as items with their scores and its other fields.
func render(res duban.SearchResult) string {
	var b strings.Builder
	for _, h := range res.Hits {
		fmt.Fprintf(&b, "%d:%v ", h.Item, h.Score)
	}
	fmt.Fprintf(&b, "relaxed=%v terms=%q suggestions=%q snippets=%q", res.Relaxed, res.Terms, res.Suggestions, snippets(res))
	return b.String()
}

func snippets(res duban.SearchResult) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, fmt.Sprintf("%s %v", h.Snippet, h.Marks))
	}
	return out
}
