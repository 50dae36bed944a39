package index

import (
	"context"
	"fmt"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestBoostQueryInsideConjunction: four items hold "apple berry cherry",
// sixteen only "berry". Asked for apple AND (berry, boosted by cherry),
// the four identical items must score alike. bleve's BooleanQuery dropped
// the cherry clause of an apple item with two or more berry-only items
// just before it (see boostQuery); scorch numbers the documents in a
// different order in each build, and only 16 of the 4,845 orders have no
// such item, so five builds catch the fault all but certainly.
func TestBoostQueryInsideConjunction(t *testing.T) {
	term := func(s string) query.Query {
		q := query.NewTermQuery(s)
		q.SetField("f")
		return q
	}
	for build := range 5 {
		ix, err := bleve.NewUsing("", bleve.NewIndexMapping(), scorch.Name, scorch.Name, nil)
		if err != nil {
			t.Fatal(err)
		}
		b := ix.NewBatch()
		for i := range 20 {
			text := "berry"
			if i < 4 {
				text = "apple berry cherry"
			}
			if err := b.Index(fmt.Sprint(i), map[string]any{"f": text}); err != nil {
				t.Fatal(err)
			}
		}
		if err := ix.Batch(b); err != nil {
			t.Fatal(err)
		}
		q := query.NewConjunctionQuery([]query.Query{
			term("apple"),
			newBoostQuery([]query.Query{term("berry")}, []query.Query{term("cherry")}),
		})
		res, err := ix.SearchInContext(context.Background(), bleve.NewSearchRequestOptions(q, 20, 0, false))
		ix.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 4 {
			t.Fatalf("build %d: %d hits, want the 4 apple items", build, len(res.Hits))
		}
		for _, h := range res.Hits[1:] {
			if h.Score != res.Hits[0].Score {
				t.Errorf("build %d: item %s scores %v, item %s %v: identical items must score alike",
					build, h.ID, h.Score, res.Hits[0].ID, res.Hits[0].Score)
			}
		}
	}
}
