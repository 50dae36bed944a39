package index_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"duban"
	"duban/index"
)

// TestSearchIsDeterministicAcrossBuilds builds the index of the seed
// several times and asks every build the same questions: the dev set's
// questions, the own search topics and a few queries with several parts.
// Every build must give the same items with the same scores: a user asking
// the same question after a restart must get the same answer.
func TestSearchIsDeterministicAcrossBuilds(t *testing.T) {
	plan := seedPlan(t)
	qs := []string{"产品、水", "产品 水", "质量 安全", "食品、药品", "标准 品牌", "茶", "省林业局"}
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
	var first []string
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
			if got[i] != first[i] {
				t.Errorf("build %d, %q:\n got %s\nwant %s (build 0)", b, q, got[i], first[i])
			}
		}
	}
}

// answers renders the top 10 of every question as items with their
// scores.
func answers(t *testing.T, ix *index.Index, qs []string) []string {
	t.Helper()
	out := make([]string, len(qs))
	for i, q := range qs {
		res, err := ix.Search(context.Background(), q, 10)
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		out[i] = render(res)
	}
	return out
}

func render(res duban.SearchResult) string {
	var b strings.Builder
	for _, h := range res.Hits {
		fmt.Fprintf(&b, "%d:%.6f ", h.Item, h.Score)
	}
	if res.Relaxed {
		b.WriteString("(relaxed)")
	}
	return b.String()
}
