package bot

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"duban"
	"duban/bot/understand"
)

// This file holds the plans the engine serves. Every request is answered
// from one plan: the one the message names ("2022年…", "去年的第3条", "plan
// 2022"), else the asker's choice (切换计划), else their channel's, else
// the office's default, else the plan the engine was built with. The
// handlers of the other files read e.plan, e.reader and e.search: route
// gives them a copy of the engine bound to the chosen plan (forPlan).

// planEntry is one loaded plan with what the engine derives from it when
// it is first needed: its searcher (an index build) and its reader.
type planEntry struct {
	plan *duban.Plan

	searchOnce sync.Once
	search     Searcher // preset for the plan given with Config.Searcher
	searchErr  error
	newSearch  func(*duban.Plan) (Searcher, error)

	reader *understand.Reader // reads questions; its segmenter is the searcher's, built on first use
}

// newPlanEntry returns the entry of a plan. search is its searcher when
// known; else newSearch builds one when first needed.
func newPlanEntry(p *duban.Plan, search Searcher, newSearch func(*duban.Plan) (Searcher, error), log *slog.Logger) *planEntry {
	pe := &planEntry{plan: p, search: search, newSearch: newSearch}
	var seg understand.Segmenter
	switch {
	case search != nil:
		seg, _ = search.(understand.Segmenter)
	case newSearch != nil:
		seg = &lazySegmenter{pe: pe, log: log}
	}
	pe.reader = understand.NewReader(p, seg)
	return pe
}

// lazySegmenter is the segmenter of a plan whose searcher is built on
// first use: the first question read builds it.
type lazySegmenter struct {
	pe  *planEntry
	log *slog.Logger
}

// Segment cuts text with the plan's searcher; one that cannot be built,
// or does not segment, leaves every character a word of its own.
func (l *lazySegmenter) Segment(text string) []string {
	s, err := l.pe.searcher()
	if err != nil {
		l.log.Error("build search index", "plan", l.pe.plan.ID, "err", err)
	}
	if seg, ok := s.(understand.Segmenter); ok {
		return seg.Segment(text)
	}
	var out []string
	for _, r := range text {
		out = append(out, string(r))
	}
	return out
}

// searcher returns the plan's searcher, building it on first use. nil
// (with the error logged by the caller) when it cannot be built.
func (pe *planEntry) searcher() (Searcher, error) {
	pe.searchOnce.Do(func() {
		if pe.search == nil && pe.newSearch != nil {
			pe.search, pe.searchErr = pe.newSearch(pe.plan)
		}
	})
	return pe.search, pe.searchErr
}

// planSet is the engine's plans, in the order loaded. It is shared by the
// engine and every copy of it, and safe for concurrent use.
type planSet struct {
	mu      sync.RWMutex
	entries []*planEntry
	// choices keeps 切换计划 when the store cannot (an engine without a
	// store): scope -> plan id.
	choices map[string]string
}

// all returns the loaded plans' entries, in order.
func (s *planSet) all() []*planEntry {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.entries)
}

// byID returns the entry of a plan id, or nil.
func (s *planSet) byID(id string) *planEntry {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, pe := range s.entries {
		if pe.plan.ID == id {
			return pe
		}
	}
	return nil
}

// count is the number of plans loaded.
func (s *planSet) count() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.entries)
}

// PlanStore keeps the plans the office added and which plan each user,
// channel and the office use. Package store implements it; an engine
// whose Store does not keeps choices in memory and cannot add plans.
type PlanStore interface {
	// AddPlan keeps a plan's document and what came with it. The same
	// sourceID again stores nothing and reports duplicate; a plan id
	// already stored is refused (CodeInvalid).
	AddPlan(ctx context.Context, p duban.PlanSource, sourceID string) (duplicate bool, err error)
	// StoredPlans returns the plans added, in the order added.
	StoredPlans(ctx context.Context) ([]duban.PlanSource, error)
	// SetPlanChoice records the plan a scope uses (ScopeUser,
	// ScopeChannel, ScopeGlobal); an empty planID clears it.
	SetPlanChoice(ctx context.Context, scope, planID, sourceID string) error
	// PlanChoice returns the plan a scope uses, if one was chosen.
	PlanChoice(ctx context.Context, scope string) (string, bool, error)
}

// The scopes of a plan choice.
func ScopeUser(id string) string    { return "user:" + id }
func ScopeChannel(id string) string { return "channel:" + id }

// ScopeGlobal is the office's default plan, for everyone.
const ScopeGlobal = "global"

// planStore returns the store's plan methods, or nil.
func (e *Engine) planStore() PlanStore {
	ps, _ := e.store.(PlanStore)
	return ps
}

// Plans returns the plans the engine serves, in the order loaded.
func (e *Engine) Plans() []*duban.Plan {
	var out []*duban.Plan
	for _, pe := range e.plans.all() {
		out = append(out, pe.plan)
	}
	return out
}

// AddPlan makes a parsed plan available to questions (it is not stored:
// see PlanStore.AddPlan). A plan without an id, or with the id of a
// loaded plan, is refused.
func (e *Engine) AddPlan(p *duban.Plan) error {
	if p == nil || p.ID == "" {
		return duban.Errorf(duban.CodeInvalid, "计划缺少编号 (plan id)")
	}
	e.plans.mu.Lock()
	defer e.plans.mu.Unlock()
	for _, pe := range e.plans.entries {
		if pe.plan.ID == p.ID {
			return duban.Errorf(duban.CodeInvalid, "计划编号“%s”已被《%s》使用 (plan id taken)", p.ID, pe.plan.Title)
		}
	}
	e.plans.entries = append(e.plans.entries, newPlanEntry(p, nil, e.cfg.NewSearcher, e.log))
	return nil
}

// forPlan returns a copy of the engine bound to one plan: its plan,
// reader and searcher (built when first used).
func (e *Engine) forPlan(pe *planEntry) *Engine {
	c := *e
	c.entry = pe
	c.plan = pe.plan
	c.bound = true
	c.search = nil
	switch {
	case pe.search != nil:
		c.search = pe.search
	case pe.newSearch != nil:
		c.search = &lazySearcher{pe: pe}
	}
	c.reader = pe.reader
	return &c
}

// Using returns the plan Config.Use names, or nil (none, or not loaded).
func (e *Engine) Using() *duban.Plan {
	if pe := e.using(); pe != nil {
		return pe.plan
	}
	return nil
}

// using returns the entry of the plan Config.Use names, or nil.
func (e *Engine) using() *planEntry {
	if e.cfg.Use == "" {
		return nil
	}
	pe, err := e.findPlan(e.cfg.Use, e.plans.all()[0])
	if err != nil {
		return nil
	}
	return pe
}

// current returns the plan a user is on in a channel: Config.Use, their
// choice, the channel's, the office's default, or the engine's first plan.
func (e *Engine) current(ctx context.Context, userID, channel string) *planEntry {
	if pe := e.using(); pe != nil {
		return pe
	}
	var scopes []string
	if userID != "" {
		scopes = append(scopes, ScopeUser(userID))
	}
	if channel != "" {
		scopes = append(scopes, ScopeChannel(channel))
	}
	scopes = append(scopes, ScopeGlobal)
	for _, sc := range scopes {
		if id, ok := e.choice(ctx, sc); ok {
			if pe := e.plans.byID(id); pe != nil {
				return pe
			}
		}
	}
	return e.plans.all()[0]
}

// choice returns the plan id chosen for a scope.
func (e *Engine) choice(ctx context.Context, scope string) (string, bool) {
	if ps := e.planStore(); ps != nil {
		id, ok, err := ps.PlanChoice(ctx, scope)
		if err != nil {
			e.log.Error("read plan choice", "scope", scope, "err", err)
			return "", false
		}
		return id, ok
	}
	e.plans.mu.RLock()
	defer e.plans.mu.RUnlock()
	id, ok := e.plans.choices[scope]
	return id, ok
}

// setChoice records a plan choice.
func (e *Engine) setChoice(ctx context.Context, scope, id, sourceID string) error {
	if ps := e.planStore(); ps != nil {
		return ps.SetPlanChoice(ctx, scope, id, sourceID)
	}
	e.plans.mu.Lock()
	defer e.plans.mu.Unlock()
	if e.plans.choices == nil {
		e.plans.choices = map[string]string{}
	}
	if id == "" {
		delete(e.plans.choices, scope)
	} else {
		e.plans.choices[scope] = id
	}
	return nil
}

// atDefault returns the engine bound to the office's default plan, unless
// it is bound already (a handler calling a public method).
func (e *Engine) atDefault(ctx context.Context) *Engine {
	if e.bound {
		return e
	}
	return e.forPlan(e.current(ctx, "", ""))
}

// onPlan returns the engine bound to the plan with the id (a record's
// plan), or e itself when that is e's plan or a plan no longer loaded.
func (e *Engine) onPlan(id string) *Engine {
	if id == "" || e.plan != nil && id == e.plan.ID {
		return e
	}
	if pe := e.plans.byID(id); pe != nil {
		return e.forPlan(pe)
	}
	return e
}

// planNaming returns e when its plan makes the agency responsible for some
// item, else the engine bound to the first plan that does (an agency of
// another plan), else e.
func (e *Engine) planNaming(agency string) *Engine {
	if len(e.plan.ItemsFor(agency, duban.RoleLead, duban.RoleJoint)) > 0 {
		return e
	}
	for _, pe := range e.plans.all() {
		if len(pe.plan.ItemsFor(agency, duban.RoleLead, duban.RoleJoint)) > 0 {
			return e.forPlan(pe)
		}
	}
	return e
}

// atUser returns the engine bound to the plan a user is on.
func (e *Engine) atUser(ctx context.Context, userID, channel string) *Engine {
	if e.bound {
		return e
	}
	return e.forPlan(e.current(ctx, userID, channel))
}

// resolvePlanRef returns the plan a reference names, seen from plan cur
// (今年 is cur's year), or nil. Several plans of one year: cur when it is
// one of them, else the first loaded.
func (e *Engine) resolvePlanRef(r understand.PlanRef, cur *planEntry) *planEntry {
	if r.ID != "" {
		return e.plans.byID(r.ID)
	}
	year := r.Year
	if r.IsRelative {
		if cur.plan.Year() == 0 {
			return nil
		}
		year = cur.plan.Year() + r.Relative
	}
	if year == 0 {
		return nil
	}
	if cur.plan.Year() == year {
		return cur
	}
	for _, pe := range e.plans.all() {
		if pe.plan.Year() == year {
			return pe
		}
	}
	return nil
}

// planLabel is how an answer names its plan: the title, or the id.
func planLabel(p *duban.Plan) string {
	if p.Title != "" {
		return p.Title
	}
	return p.ID
}

// planYear is a plan's year as answers write it ("2022年"), or its label.
func planYear(p *duban.Plan) string {
	if p.Year() > 0 {
		return fmt.Sprintf("%d年", p.Year())
	}
	return planLabel(p)
}

// knownYears lists the loaded plans for a message: "2021年、2022年".
func (e *Engine) knownPlans() string {
	var out []string
	for _, pe := range e.plans.all() {
		out = append(out, fmt.Sprintf("%s（%s）", planYear(pe.plan), pe.plan.ID))
	}
	return strings.Join(out, "、")
}

// stamp marks a reply with its plan when more than one plan is loaded.
func (e *Engine) stamp(r Reply) Reply {
	if e.plans.count() > 1 && e.plan != nil && r.Plan == "" {
		r.Plan, r.PlanTitle = e.plan.ID, planLabel(e.plan)
	}
	return r
}

// planRoute is what the plan references of a message decide: the plan to
// answer from, the message without the references that were taken, and
// those references.
type planRoute struct {
	entry *planEntry
	text  string
	refs  []understand.PlanRef
	all   bool // 全部计划
	// reply, when set, is the answer: a plan was named that is not loaded.
	reply *Reply
}

// routePlans reads the plan references of text, seen from plan cur. A
// reference that resolves to a plan is taken out of the words, the plan
// the asker is on included (2021年 茶产业 on the 2021 plan searches
// 茶产业: the plan's own year is in every item's plan, so it is no topic
// word, and 2021年是哪个五年规划的开局之年 still finds the letter's
// sentence by its other words); one that fits no plan is read as
// ordinary words unless it names a plan
// ("2023年计划"), which is answered with the plans there are. strict
// counts only references at the start of the message or named as plans
// (a report's text may mention years); bare years never count here.
func (e *Engine) routePlans(text string, cur *planEntry, strict bool) planRoute {
	out := planRoute{entry: cur, text: text}
	var taken []understand.PlanRef
	for _, r := range understand.FindPlanRefs(text) {
		if r.Bare || strict && !r.Named && r.Start > 0 {
			continue
		}
		if r.All {
			out.all = true
			taken = append(taken, r)
			continue
		}
		pe := e.resolvePlanRef(r, cur)
		switch {
		case pe == nil && r.Named:
			rep := errorReply(duban.Errorf(duban.CodeNotFound, "没有找到“%s”对应的计划 (no such plan)。已载入的计划：%s。", strings.TrimSpace(r.Text), e.knownPlans()))
			out.reply = &rep
			return out
		case pe == nil:
			continue
		}
		out.entry = pe
		taken = append(taken, r)
	}
	out.refs = taken
	out.text = understand.StripPlanRefs(text, taken)
	return out
}
