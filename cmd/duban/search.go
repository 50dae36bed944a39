package main

import (
	"fmt"

	"duban"
	"duban/bot"
	"duban/index"
)

// The index is the engine's Searcher.
var _ bot.Searcher = (*index.Index)(nil)

// openSearch builds the full-text index of the plan's items (in memory; it
// is derived from the plan and rebuilt at every start). The caller closes
// it at exit.
func openSearch(p *duban.Plan) (*index.Index, error) {
	ix, err := index.New(p)
	if err != nil {
		return nil, fmt.Errorf("build search index: %w", err)
	}
	return ix, nil
}
