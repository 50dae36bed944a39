// Package index is duban's full-text search over the work plan: an
// in-memory bleve (scorch, BM25) index with a word field cut by gojieba, a
// character field for exact substring recall, and a keyword field of the
// agencies responsible for each item. It is the only package that imports
// bleve and gojieba. An *Index satisfies bot.Searcher.
package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/yanyiwu/gojieba"

	"duban"
)

// Field names of an item document.
const (
	fieldWord   = "word"   // the item's body, cut by gojieba (or the cjk analyzer)
	fieldChar   = "char"   // the item's body, one token per character
	fieldTitle  = "title"  // the item's title, cut like fieldWord
	fieldAgency = "agency" // canonical names of the lead and joint agencies
)

// Mode chooses how item text is analysed. Only ModeFull is meant for use;
// the others exist so that recall can be compared (docs/PERFORMANCE.md).
type Mode int

// The analysis modes.
const (
	// ModeFull: gojieba words, the character field and agency keywords.
	ModeFull Mode = iota
	// ModeWords: gojieba words and agency keywords, no character field.
	ModeWords
	// ModeCJK: bleve's cjk analyzer (bigrams) and agency keywords.
	ModeCJK
)

// String names the mode as the comparison table does.
func (m Mode) String() string {
	switch m {
	case ModeFull:
		return "gojieba+char"
	case ModeWords:
		return "gojieba"
	case ModeCJK:
		return "bleve cjk"
	}
	return "mode(" + strconv.Itoa(int(m)) + ")"
}

// Options tune New. The zero value is what duban uses.
type Options struct {
	Mode Mode
	// BatchSize is how many items go to bleve in one batch (0:
	// DefaultBatchSize): memory grows with it, results do not change.
	BatchSize int
	// Pinyin tells characters read alike, for suggesting what a mistyped
	// word meant (电悌 -> 电梯); nil means CC-CEDICT's readings
	// (cedict-pinyin.tsv).
	Pinyin Pinyin
}

// Index searches the items of one plan. It is safe for concurrent use
// until Close.
type Index struct {
	plan      *duban.Plan
	mode      Mode
	jieba     *gojieba.Jieba
	handle    string
	bleve     bleve.Index
	agencies  *agencyTable
	vocab     *vocabulary
	docs      map[int]string    // item number -> the text that was indexed
	snipTexts map[int]*snipText // item number -> its text prepared for snippets
	titles    map[int]string    // item number -> its title, folded
	titleText string            // every title, folded, one a line
	avgLen    float64           // the items' mean length in bytes (folded), for BM25
	items     []*duban.Item     // the items, in the order they were indexed
	folded    []string          // the items' texts, folded, in that order
	occ       *occurrences      // where strings occur, for pruning queries
	itemTexts *textSet          // the items' texts, for translating English
	tokens    map[string]bitset // word-field token (folded) -> items holding it
	heads     map[rune]bool     // characters the plan writes as a word or at the end of one (headChar)
	derived   derivedWords      // short forms of the plan's words (abbrev.go)
	passages  *passageIndex     // the cover letter and the preamble (passage.go)
	pinyin    Pinyin
	bm25      *search.BM25Stats // index-wide counts for BM25 (countTerms)
	kept      string            // the folder of a kept index (persist.go); "" in memory
	userWords []string          // the words added to gojieba (userWords)
	loaded    bool              // opened from the kept folder rather than built
	closed    bool
	closeMu   sync.RWMutex // held for reading by searches, for writing by Close
}

var handleSeq atomic.Int64

// New builds an index over the plan's items with the default options.
// Close frees it.
func New(plan *duban.Plan) (*Index, error) { return NewWithOptions(plan, Options{}) }

// NewWithOptions builds an index over the plan's items, in memory. It
// loads gojieba (its dictionaries are written from the binary to a cache
// directory first), adds the agency names and the plan's own terms to the
// dictionary, and indexes every item. Close frees it. OpenWithOptions
// keeps the index in a directory instead.
func NewWithOptions(plan *duban.Plan, opt Options) (*Index, error) {
	ix, err := prepare(plan, opt, "jieba-"+strconv.FormatInt(handleSeq.Add(1), 10), nil)
	if err != nil {
		return nil, err
	}
	if err := ix.build("", opt); err != nil {
		ix.Close()
		return nil, err
	}
	ix.finish()
	return ix, nil
}

// userWordFreq is the frequency given to user words: high enough that
// gojieba keeps them whole (plain AddWord can give a word a lower weight
// than its parts), low enough not to swallow the words around them.
const userWordFreq = 100000

// newJieba loads gojieba, turning its panic on a missing file into an
// error.
func newJieba(paths []string) (j *gojieba.Jieba, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("load gojieba: %v", p)
		}
	}()
	return gojieba.NewJieba(paths...), nil
}

// itemText is what is searched for an item: its body without the
// responsibility parenthesis (the agencies have their own field), or the
// whole text when the body is not known.
func itemText(it *duban.Item) string {
	if it.Body != "" {
		return it.Body
	}
	return it.Text
}

func (ix *Index) mapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	m.ScoringModel = bleveindex.BM25Scoring
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false

	tok := "duban_jieba_" + ix.handle
	if err := m.AddCustomTokenizer(tok, map[string]any{"type": jiebaTokenizerType, "handle": ix.handle}); err != nil {
		return nil, err
	}
	if err := m.AddCustomAnalyzer("duban_word", map[string]any{
		"type":          custom.Name,
		"tokenizer":     tok,
		"token_filters": []any{cjk.WidthName, lowercase.Name},
	}); err != nil {
		return nil, err
	}
	if err := m.AddCustomAnalyzer("duban_char", map[string]any{
		"type":      custom.Name,
		"tokenizer": charTokenizerType,
	}); err != nil {
		return nil, err
	}
	wordAnalyzer := "duban_word"
	if ix.mode == ModeCJK {
		wordAnalyzer = cjk.AnalyzerName
	}
	text := func(analyzer string, vectors bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = vectors
		f.DocValues = false
		return f
	}
	doc := bleve.NewDocumentStaticMapping()
	// Phrase queries need positions: the cjk word field is queried with
	// phrases of bigrams, the character field with phrases of characters.
	doc.AddFieldMappingsAt(fieldWord, text(wordAnalyzer, ix.mode == ModeCJK))
	doc.AddFieldMappingsAt(fieldTitle, text(wordAnalyzer, ix.mode == ModeCJK))
	if ix.mode == ModeFull {
		doc.AddFieldMappingsAt(fieldChar, text("duban_char", true))
	}
	ag := bleve.NewKeywordFieldMapping()
	ag.Analyzer = keyword.Name
	ag.Store = false
	ag.IncludeInAll = false
	ag.DocValues = false
	doc.AddFieldMappingsAt(fieldAgency, ag)
	m.DefaultMapping = doc
	m.DefaultAnalyzer = keyword.Name
	return m, m.Validate()
}

// Close frees the bleve index and the gojieba instance. It is safe to call
// more than once; searching after Close returns an error.
func (ix *Index) Close() error {
	ix.closeMu.Lock()
	defer ix.closeMu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	var err error
	if ix.bleve != nil {
		err = ix.bleve.Close()
	}
	handles.Delete(ix.handle)
	if ix.jieba != nil {
		ix.jieba.Free()
	}
	if ix.kept != "" {
		openKept.Delete(ix.kept)
	}
	return err
}

// ErrClosed is returned by Search after Close.
var ErrClosed = errors.New("index: closed")

// Search finds up to limit items (5 when limit <= 0) for the query, best
// first, each with a snippet of its text with the matched words marked.
// The query steps (normalisation, required parts, relaxing, suggestions)
// are described at the top of query.go.
func (ix *Index) Search(ctx context.Context, q string, limit int) (duban.SearchResult, error) {
	ix.closeMu.RLock()
	defer ix.closeMu.RUnlock()
	if ix.closed {
		return duban.SearchResult{}, ErrClosed
	}
	if limit <= 0 {
		limit = 5
	}
	return ix.search(ctx, q, limit)
}

// Mode returns how the index analyses text.
func (ix *Index) Mode() Mode { return ix.mode }

// sortHits orders hits by score, then by item number.
func sortHits(hits []duban.Hit) {
	slices.SortStableFunc(hits, func(a, b duban.Hit) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return a.Item - b.Item
	})
}

// runQuery runs q and returns every matching item with its score.
func (ix *Index) runQuery(ctx context.Context, q query.Query) ([]duban.Hit, error) {
	req := bleve.NewSearchRequestOptions(q, len(ix.docs)+1, 0, false)
	res, err := ix.bleve.SearchInContext(context.WithValue(ctx, search.BM25StatsKey, ix.bm25), req)
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	hits := make([]duban.Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		n, err := strconv.Atoi(h.ID)
		if err != nil {
			continue
		}
		hits = append(hits, duban.Hit{Item: n, Score: h.Score})
	}
	sortHits(hits)
	return hits, nil
}
