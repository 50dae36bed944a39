package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"duban"
	"duban/bot"
	"duban/seeds"
)

// app is the wired program: the plan, the engine and what must be closed.
type app struct {
	plan    *duban.Plan
	engine  *bot.Engine
	store   backend // also the Slack adapter's log of processed events
	dataDir string  // exports; the bbolt file when the store is bbolt
	closers []func() error
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

// loadPlan parses the plan document: the embedded seed, or --plan FILE.
func loadPlan(path string) (*duban.Plan, error) {
	if path == "" {
		return duban.LoadPlan(seeds.FS, seeds.Default)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, duban.Errorf(duban.CodeNotFound, "无法读取工作要点文件 (cannot read plan) %s: %w", path, err)
	}
	p, err := duban.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parse plan: %w", err)
	}
	return p, nil
}

// open builds the engine from the options and the environment, with the
// search index.
func open(o options) (*app, error) { return openApp(o, true) }

// openApp builds the engine; withSearch false skips the search index (and
// gojieba's dictionary) for commands that never search, such as export.
func openApp(o options, withSearch bool) (*app, error) {
	p, err := loadPlan(o.plan)
	if err != nil {
		return nil, err
	}
	a := &app{plan: p}
	st, dir, err := openStore(o)
	if err != nil {
		return nil, err
	}
	a.store, a.dataDir = st, dir
	a.closers = append(a.closers, st.Close)
	cfg := bot.Config{Plan: p, Store: st, DataDir: dir, Admins: strings.Split(os.Getenv("DUBAN_ADMINS"), ",")}
	wireOffice(&cfg, o)
	if !withSearch {
		a.engine = bot.New(cfg)
		return a, nil
	}
	ix, err := openSearch(p)
	if err != nil {
		a.Close()
		return nil, err
	}
	a.closers = append(a.closers, ix.Close)
	cfg.Searcher = ix
	a.engine = bot.New(cfg)
	return a, nil
}
