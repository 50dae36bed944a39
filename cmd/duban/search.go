package main

import (
	"fmt"
	"log/slog"
	"path/filepath"

	"duban"
	"duban/bot"
	"duban/index"
)

// The index is the engine's Searcher.
var _ bot.Searcher = (*index.Index)(nil)

// IndexDir is the folder of the data directory where each plan's search
// index is kept (index.Open).
const IndexDir = "index"

// openSearch opens the full-text index of the plan's items kept in the
// data directory, building and keeping it when there is none for the plan
// as it is now; without a data directory, or when the index cannot be
// kept there, it is built in memory. The caller closes it at exit.
func openSearch(dataDir string, p *duban.Plan) (*index.Index, error) {
	if dataDir != "" {
		ix, err := index.Open(filepath.Join(dataDir, IndexDir), p)
		if err == nil {
			return ix, nil
		}
		slog.Warn("search index not kept; built in memory", "plan", p.ID, "err", err)
	}
	ix, err := index.New(p)
	if err != nil {
		return nil, fmt.Errorf("build search index: %w", err)
	}
	return ix, nil
}
