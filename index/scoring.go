package index

import (
	"context"
	"math"
	"reflect"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Scores must not depend on the internal document numbers, which scorch
// assigns to the items of a batch in the order its analysis workers
// finish, so that they differ from one build of the same plan to the next.
// Two places in bleve v2.6.3 made them depend on it; this file works
// around both.

func init() {
	// bleve's disjunction searcher keeps its clauses in a heap when there
	// are more than DisjunctionHeapTakeover of them (10 by default; bleve
	// documents it as a setting for applications). The heap pops the
	// clauses that match one document in an order that depends on the
	// documents seen before, and the clause scores are summed in that
	// order, so a relaxed query of a dozen words scored the same item
	// 2.1280076918346733 in one build and 2.1280076918346738 in another,
	// so items whose scores tie were not left to sortHits' tie-break. The slice searcher sums in
	// clause order. Queries are cut at maxQueryRunes, so the linear scan
	// over their clauses stays short.
	searcher.DisjunctionHeapTakeover = math.MaxInt
}

// boostQuery matches the documents that must matches; where should
// matches the same document too, should's score is added. It scores
// exactly as bleve's BooleanQuery with a must and a should part (and no
// minimum of should clauses) would.
//
// It exists because bleve v2.6.3's BooleanSearcher loses should matches
// when it is nested in a conjunction: BooleanSearcher.Advance advances its
// should searcher to the target even when that searcher's last match is
// already at the target. A term searcher can seek backwards and survives
// that, but a disjunction or phrase searcher (which a should part always
// is: NewBooleanQuery wraps it in a disjunction) has already moved past its
// last match and returns the one after it, so the target document is
// scored without its should clauses. Whether that happens depends on the
// order of the internal document numbers, which scorch assigns in the
// order its analysis workers finish, so the same plan indexed twice gave
// different scores. bleve fixed the same fault for the must-not part
// (blevesearch/bleve#1059); the should part still has it.
type boostQuery struct {
	must   query.Query
	should query.Query
}

// newBoostQuery requires every query of must and adds the scores of the
// queries of should that match too (the query NewBooleanQuery(must,
// should, nil) means).
func newBoostQuery(must, should []query.Query) query.Query {
	m := query.NewConjunctionQuery(must)
	if len(should) == 0 {
		return m
	}
	return &boostQuery{must: m, should: query.NewDisjunctionQuery(should)}
}

// Searcher implements query.Query.
func (q *boostQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	must, err := q.must.Searcher(ctx, r, m, options)
	if err != nil {
		return nil, err
	}
	if _, none := must.(*searcher.MatchNoneSearcher); none {
		return must, nil
	}
	should, err := q.should.Searcher(ctx, r, m, options)
	if err != nil {
		_ = must.Close()
		return nil, err
	}
	if _, none := should.(*searcher.MatchNoneSearcher); none {
		_ = should.Close()
		return must, nil
	}
	s := &boostSearcher{
		must:   must,
		should: should,
		scorer: scorer.NewConjunctionQueryScorer(options),
		pair:   make([]*search.DocumentMatch, 2),
	}
	s.SetQueryNorm(1 / math.Sqrt(s.Weight())) // as BooleanSearcher does
	return s, nil
}

// boostSearcher walks the must searcher and moves the should searcher
// only forwards, to the must searcher's current document: it never asks
// a searcher for a document at or before one it has already returned.
type boostSearcher struct {
	must, should search.Searcher
	currShould   *search.DocumentMatch // should's latest match, held until passed
	shouldDone   bool                  // should has no more matches
	scorer       *scorer.ConjunctionQueryScorer
	pair         []*search.DocumentMatch
}

var boostSearcherSize = int(reflect.TypeFor[boostSearcher]().Size())

// Next implements search.Searcher.
func (s *boostSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	m, err := s.must.Next(ctx)
	if err != nil || m == nil {
		return nil, err
	}
	return s.score(ctx, m)
}

// Advance implements search.Searcher. Callers advance to a document after
// the last one returned, so the must searcher is only moved forwards.
func (s *boostSearcher) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	m, err := s.must.Advance(ctx, id)
	if err != nil || m == nil {
		return nil, err
	}
	return s.score(ctx, m)
}

// score adds the should searcher's score to m when it matches m's
// document.
func (s *boostSearcher) score(ctx *search.SearchContext, m *search.DocumentMatch) (*search.DocumentMatch, error) {
	id := m.IndexInternalID
	if !s.shouldDone && (s.currShould == nil || s.currShould.IndexInternalID.Compare(id) < 0) {
		if s.currShould != nil {
			ctx.DocumentMatchPool.Put(s.currShould)
		}
		var err error
		if s.currShould, err = s.should.Advance(ctx, id); err != nil {
			return nil, err
		}
		s.shouldDone = s.currShould == nil
	}
	if s.currShould != nil && s.currShould.IndexInternalID.Equals(id) {
		s.pair[0], s.pair[1] = m, s.currShould
		return s.scorer.Score(ctx, s.pair), nil
	}
	s.pair[0] = m
	return s.scorer.Score(ctx, s.pair[:1]), nil
}

// Weight implements search.Searcher.
func (s *boostSearcher) Weight() float64 { return s.must.Weight() + s.should.Weight() }

// SetQueryNorm implements search.Searcher.
func (s *boostSearcher) SetQueryNorm(norm float64) {
	s.must.SetQueryNorm(norm)
	s.should.SetQueryNorm(norm)
}

// Count implements search.Searcher (an upper bound).
func (s *boostSearcher) Count() uint64 { return s.must.Count() }

// Min implements search.Searcher.
func (s *boostSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (s *boostSearcher) Size() int {
	return boostSearcherSize + s.must.Size() + s.should.Size() + s.scorer.Size()
}

// DocumentMatchPoolSize implements search.Searcher: the children's, the
// held should match and the one being returned.
func (s *boostSearcher) DocumentMatchPoolSize() int {
	return 2 + s.must.DocumentMatchPoolSize() + s.should.DocumentMatchPoolSize()
}

// Close implements search.Searcher.
func (s *boostSearcher) Close() error {
	err := s.must.Close()
	if err2 := s.should.Close(); err == nil {
		err = err2
	}
	return err
}
