package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"duban"
	"duban/bot"
	"duban/index"
)

// app is the wired program: the plans, the engine and what must be closed.
type app struct {
	plan    *duban.Plan // the default plan
	engine  *bot.Engine
	store   backend // also the Slack adapter's log of processed events
	dataDir string  // exports; the bbolt file when the store is bbolt
	closers []func() error

	mu      sync.Mutex
	indexes []*index.Index // built on first use (newSearcher)
}

// Close releases what open acquired, last first.
func (a *app) Close() error {
	var errs []error
	for i := len(a.closers) - 1; i >= 0; i-- {
		errs = append(errs, a.closers[i]())
	}
	return errors.Join(errs...)
}

// claim records that the engine's plan's scheduled job runs for the slot
// (see store.Store.ClaimRun).
func (a *app) claim(ctx context.Context, job string, slot time.Time) (bool, error) {
	return a.store.ClaimRun(ctx, a.engine.PlanID(), job, slot)
}

// open builds the engine from the options and the environment, with the
// search index.
func open(o options) (*app, error) { return openApp(o, true) }

// openApp builds the engine; withSearch false skips the search index (and
// gojieba's dictionary) for commands that never search, such as export.
// With it, each plan's index is built when the engine first needs it.
func openApp(o options, withSearch bool) (*app, error) {
	st, dir, err := openStore(o)
	if err != nil {
		return nil, err
	}
	a := &app{store: st, dataDir: dir}
	a.closers = append(a.closers, st.Close, a.closeIndexes)
	plans, err := loadPlans(context.Background(), o.plan, st, slog.Default())
	if err != nil {
		a.Close()
		return nil, err
	}
	a.plan = plans[0]
	cfg := bot.Config{Plan: plans[0], Plans: plans[1:], Use: o.use, Store: st, DataDir: dir, Admins: strings.Split(os.Getenv("DUBAN_ADMINS"), ",")}
	wireOffice(&cfg, o)
	if withSearch {
		cfg.NewSearcher = a.newSearcher
	}
	a.engine = bot.New(cfg)
	if o.use != "" && a.engine.Using() == nil {
		a.Close()
		return nil, duban.Errorf(duban.CodeNotFound, "没有已载入的计划“%s”(--use)；duban plan list 列出已载入的计划", o.use)
	}
	return a, nil
}

// newSearcher builds the search index of a plan when the engine first
// needs it, and keeps it to close at exit.
func (a *app) newSearcher(p *duban.Plan) (bot.Searcher, error) {
	ix, err := openSearch(a.dataDir, p)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.indexes = append(a.indexes, ix)
	return ix, nil
}

// closeIndexes closes the indexes built.
func (a *app) closeIndexes() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	var errs []error
	for _, ix := range a.indexes {
		errs = append(errs, ix.Close())
	}
	a.indexes = nil
	return errors.Join(errs...)
}
