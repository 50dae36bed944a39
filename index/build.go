package index

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/yanyiwu/gojieba"

	"duban"
)

// buildHeap is the Go heap a large build keeps to (debug.SetMemoryLimit):
// with gojieba's dictionary and bleve's files beside it, a plan of 10,000
// items builds within 300 MB.
const buildHeap = 160 << 20

// DefaultBatchSize is how many items go to bleve in one batch. One batch
// of 10,000 items held 1.2 GB at its peak; batches of 500 keep a build
// within a few hundred megabytes and give the same index.
const DefaultBatchSize = 500

// An index is made in steps, so that a kept one (persist.go) is opened
// without redoing what it keeps: prepare (gojieba with the plan's words
// and the items' texts: every index needs them), build (bleve and the
// derived tables, the costly part) or load (the same, read back), then
// finish (what is cheap to compute again).

// prepare loads gojieba with the plan's user words (nil: found here)
// under handle and reads the items' texts.
func prepare(plan *duban.Plan, opt Options, handle string, words []string) (*Index, error) {
	if plan == nil {
		return nil, errors.New("index: nil plan")
	}
	paths, err := dictPaths()
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	dir := plan.Directory
	if dir == nil { // a plan made by hand rather than parsed
		dir = duban.NewDirectory()
	}
	ix := &Index{
		plan:     plan,
		mode:     opt.Mode,
		pinyin:   opt.Pinyin,
		agencies: newAgencyTable(dir),
		docs:     make(map[int]string, len(plan.Items)),
	}
	if ix.pinyin == nil {
		ix.pinyin = cedictReadings{}
	}
	ix.jieba, err = newJieba(paths)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	if words == nil {
		words = userWords(plan, ix.agencies)
	}
	ix.userWords = words
	for _, w := range words {
		ix.jieba.AddWordEx(w, userWordFreq, "n")
	}
	ix.handle = handle
	handles.Store(ix.handle, ix.jieba)
	for _, it := range plan.Items {
		if it == nil {
			continue
		}
		text := cString(itemText(it)) // valid UTF-8 for snippets, same offsets
		ix.docs[it.Number] = text
		ix.folded = append(ix.folded, foldText(text))
		ix.items = append(ix.items, it)
	}
	return ix, nil
}

// build indexes the items with bleve, in memory (path "") or in the
// directory path, in batches, and derives the tables the queries use.
func (ix *Index) build(path string, opt Options) error {
	m, err := ix.mapping()
	if err != nil {
		return fmt.Errorf("index: mapping: %w", err)
	}
	if path == "" {
		ix.bleve, err = bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	} else {
		ix.bleve, err = bleve.NewUsing(path, m, scorch.Name, scorch.Name, nil)
	}
	if err != nil {
		return fmt.Errorf("index: create: %w", err)
	}
	size := opt.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	if len(ix.items) > size {
		// A large build makes much garbage: the collector keeps the heap
		// near buildHeap while it runs, rather than letting it double.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(buildHeap))
	}
	batch := ix.bleve.NewBatch()
	for i, it := range ix.items {
		text := ix.docs[it.Number]
		doc := map[string]any{
			fieldWord:   text,
			fieldTitle:  it.Title,
			fieldAgency: it.Responsible(),
		}
		if ix.mode == ModeFull {
			doc[fieldChar] = text
		}
		if err := batch.Index(strconv.Itoa(it.Number), doc); err != nil {
			return fmt.Errorf("index: item %d: %w", it.Number, err)
		}
		if batch.Size() >= size || i == len(ix.items)-1 {
			if err := ix.bleve.Batch(batch); err != nil {
				return fmt.Errorf("index: %w", err)
			}
			batch.Reset()
		}
	}
	ix.derive()
	return ix.countTerms()
}

// countTerms reads how many distinct terms each field holds, for BM25:
// bleve estimates a field's mean length from the cardinality of its term
// dictionary, which it sums over segments, so an index built in several
// batches would score differently from one built in one; every search is
// given the index-wide counts instead (runQuery), whatever the segments.
func (ix *Index) countTerms() error {
	n, err := ix.bleve.DocCount()
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	stats := &search.BM25Stats{DocCount: float64(n), FieldCardinality: map[string]int{}}
	for _, f := range []string{fieldWord, fieldTitle, fieldChar, fieldAgency} {
		fd, err := ix.bleve.FieldDict(f)
		if err != nil {
			return fmt.Errorf("index: %w", err)
		}
		c := 0
		for {
			e, err := fd.Next()
			if err != nil {
				fd.Close()
				return fmt.Errorf("index: %w", err)
			}
			if e == nil {
				break
			}
			c++
		}
		if err := fd.Close(); err != nil {
			return fmt.Errorf("index: %w", err)
		}
		stats.FieldCardinality[f] = c
	}
	ix.bm25 = stats
	return nil
}

// derive makes the tables the queries use beside bleve: where strings
// occur, the word-field tokens of each item (one gojieba pass) and the
// short forms of the plan's words. The items' words for the short forms
// are not kept from the first pass but cut again (a second gojieba pass):
// kept, they took 57 MB for 10,000 items, a third of a build's memory.
func (ix *Index) derive() {
	ix.occ = newOccurrences(ix.folded)
	ix.tokens = map[string]bitset{}
	planWords := map[string]bool{}
	for i, it := range ix.items {
		toks := ix.jieba.Tokenize(ix.docs[it.Number], gojieba.SearchMode, true)
		for _, w := range toks {
			k := foldText(w.Str)
			if ix.tokens[k] == nil {
				ix.tokens[k] = newBitset(len(ix.items))
			}
			ix.tokens[k].set(i)
		}
		if ix.mode == ModeFull {
			for _, w := range segment(toks) {
				planWords[w.text] = true
			}
		}
	}
	// The analysis modes kept for comparison search no short forms.
	if ix.mode == ModeFull {
		ix.derived.planWords = planWords
		ix.derived.abbrev = abbreviate(planWords, func(yield func([]segWord)) {
			for _, it := range ix.items {
				yield(segment(ix.jieba.Tokenize(ix.docs[it.Number], gojieba.SearchMode, true)))
			}
		}, ix.userWords)
	}
}

// finish computes what is cheap to compute again: lengths, titles, the
// texts prepared for snippets, the head characters, the vocabulary and
// the passages of the cover letter.
func (ix *Index) finish() {
	for _, f := range ix.folded {
		ix.avgLen += float64(len(f)) / float64(len(ix.folded))
	}
	ix.titles = make(map[int]string, len(ix.items))
	var titles strings.Builder
	for _, it := range ix.items {
		ix.titles[it.Number] = foldText(it.Title)
		titles.WriteString(ix.titles[it.Number])
		titles.WriteString("\n")
	}
	ix.titleText = titles.String()
	ix.snipTexts = make(map[int]*snipText, len(ix.docs))
	for n, text := range ix.docs {
		ix.snipTexts[n] = newSnipText(text)
	}
	ix.itemTexts = &textSet{folded: ix.folded, occ: ix.occ, exact: ix.mode == ModeFull}
	ix.heads = map[rune]bool{}
	for w := range ix.tokens {
		if r, _ := utf8.DecodeLastRuneInString(w); isHan(r) {
			ix.heads[r] = true
		}
	}
	ix.vocab = newVocabulary(ix)
	ix.passages = newPassageIndex(ix.plan.Meta)
}
