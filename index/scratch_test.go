package index

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"duban"
)

func TestScratch(t *testing.T) {
	ix, err := New(seedPlan(t))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, q := range strings.Split(os.Getenv("Q"), ";") {
		res, err := ix.Search(context.Background(), q, 5)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("%q terms=%v relaxed=%v sugg=%v\n", q, res.Terms, res.Relaxed, res.Suggestions)
		for _, h := range res.Hits {
			fmt.Printf("  %d %.3f %s\n", h.Item, h.Score, hl(h.Snippet, h.Marks))
		}
	}
}

func hl(s string, m []duban.Span) string {
	var b strings.Builder
	last := 0
	for _, x := range m {
		b.WriteString(s[last:x.Start] + "【" + s[x.Start:x.End] + "】")
		last = x.End
	}
	return b.String() + s[last:]
}
