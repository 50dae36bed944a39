// Package bot is duban's conversation engine: a message in, a Reply out.
// It answers questions about the plan (lookups by item and agency, topic
// search, figures, the cover letter), progress reports and the office's
// commands, and enforces who may do what. Package understand reads the
// messages; bot dispatches them from the intent table (intents.go) to the
// handlers, whose files are grouped by who uses them: ask_* (questions),
// report_* (agencies' reports and bindings), office_* (the office). It
// knows nothing of Slack, bleve or bbolt: it declares the Searcher and
// Store it needs and the adapters (console, Slack) call the same
// Engine.Handle with plain text.
package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"duban"
	"duban/bot/understand"
)

// Config is what an Engine is built from.
type Config struct {
	Plan     *duban.Plan   // the plan answered from unless a message or a choice says otherwise
	Plans    []*duban.Plan // further plans, each with its own id
	Searcher Searcher      // Plan's searcher; nil: NewSearcher, else search is unavailable
	// Use names the plan (an id or a year) every request that names none
	// is answered from, over the users', channels' and office's choices
	// (the command line's --use); "" for those choices.
	Use string
	// NewSearcher builds the searcher of a plan when it is first needed
	// (the first question on it); nil: only Plan has one (Searcher).
	NewSearcher func(*duban.Plan) (Searcher, error)
	Store       Store // nil: reports and summaries say storage is unavailable
	// Admins are user ids that may bind users and report for any agency,
	// besides those the store knows. LocalOperator is always an admin.
	Admins  []string
	DataDir string           // where exports are written
	Stale   time.Duration    // a report older than this counts as missing (0: 30 days)
	Now     func() time.Time // the clock (nil: time.Now)
	Logger  *slog.Logger     // nil: slog.Default()
	// Exporter writes 导出 files (package bot/export); nil: export is unavailable.
	Exporter Exporter
	// NotifyDelayed says where a report of 滞后 is announced to the
	// office: "" nowhere (the default), NotifyAdmins ("admins") by direct
	// message to every admin, anything else a channel id to post in.
	NotifyDelayed string
	// PendingTTL is how long a question the bot asked to confirm (是) is
	// kept (0: DefaultPendingTTL); the questions are stored, so they
	// survive a restart.
	PendingTTL time.Duration
	// Supervision: the plan's id in the store, the office's rules and
	// where its notices go (see office_supervise.go).
	Supervision Supervision
	// Charter draws the progress chart (package bot/chart); nil: charts
	// are unavailable.
	Charter Charter
	// ReplaceExports makes each export written to DataDir remove the
	// older ones of its format, so that the newest alone is kept (the
	// console). When false every export is kept (the Slack adapter
	// removes each file once uploaded).
	ReplaceExports bool
	// PublicSummaries lets every user have 汇总 and 导出; when false they
	// are for users bound to an agency and admins. 未报送 is open to all
	// either way: it names agencies and items, not what was reported.
	PublicSummaries bool
}

// Engine answers requests. It is safe for concurrent use.
type Engine struct {
	plans *planSet // every plan; shared by the copies of the engine
	pages *pager   // the pages of long answers still to send
	// The plan a request is answered from, with its reader and searcher.
	// New sets them to the first plan; route answers each request with a
	// copy bound to the plan it chose (forPlan).
	entry    *planEntry
	bound    bool
	allPlans bool // the message asks about every plan (全部计划)
	plan     *duban.Plan
	reader   *understand.Reader
	search   Searcher
	store    Store
	admins   map[string]bool
	cfg      Config
	now      func() time.Time
	log      *slog.Logger
}

// New returns an engine over cfg.Plan, which must not be nil, and
// cfg.Plans. A plan without an id is given one ("plan", "plan-2" …).
func New(cfg Config) *Engine {
	e := &Engine{
		plans:  &planSet{},
		pages:  &pager{},
		plan:   cfg.Plan,
		search: cfg.Searcher,
		store:  cfg.Store,
		admins: map[string]bool{LocalOperator: true},
		cfg:    cfg,
		now:    cfg.Now,
		log:    cfg.Logger,
	}
	if e.log == nil {
		e.log = slog.Default()
	}
	for i, p := range append([]*duban.Plan{cfg.Plan}, cfg.Plans...) {
		if p.ID == "" {
			p.ID = "plan"
			if i > 0 {
				p.ID = fmt.Sprintf("plan-%d", i+1)
			}
		}
		var search Searcher
		if i == 0 {
			search = cfg.Searcher
		}
		pe := newPlanEntry(p, search, cfg.NewSearcher, e.log)
		if i == 0 {
			e.entry = pe
		}
		if e.plans.byID(p.ID) == nil {
			e.plans.entries = append(e.plans.entries, pe)
		}
	}
	if e.search == nil && cfg.NewSearcher != nil {
		e.search = &lazySearcher{pe: e.entry}
	}
	e.reader = e.entry.reader
	for _, a := range cfg.Admins {
		if a = strings.TrimSpace(a); a != "" {
			e.admins[a] = true
		}
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.log == nil {
		e.log = slog.Default()
	}
	if e.cfg.Stale <= 0 {
		e.cfg.Stale = 30 * 24 * time.Hour
	}
	if e.cfg.PendingTTL <= 0 {
		e.cfg.PendingTTL = DefaultPendingTTL
	}
	return e
}

// Plan returns the plan the engine answers about.
func (e *Engine) Plan() *duban.Plan { return e.plan }

// Handle answers one request. It never panics on bad input: anything it
// cannot understand or do becomes a polite Chinese reply. An internal
// error or a panic is shown as a short message with an error id; the log
// gets the detail (the cause, the stack) under the same id.
func (e *Engine) Handle(ctx context.Context, req Request) (reply Reply) {
	defer func() {
		if p := recover(); p != nil {
			id := duban.NewErrorID()
			e.log.Error("handler panic", "error_id", id, "panic", fmt.Sprint(p), "user", req.UserID,
				"text", req.Text, "stack", string(debug.Stack()))
			reply = Reply{Intent: IntentError, Title: duban.InternalMessage(id)}
		}
	}()
	if req.Time.IsZero() {
		req.Time = e.now()
	}
	reply = e.route(ctx, req)
	e.logInternal(&reply, req.UserID)
	return reply
}

// lazySearcher is the searcher of a plan whose index is built on the first
// search, so that commands that never search never build it.
type lazySearcher struct{ pe *planEntry }

// Search builds the plan's searcher if needed and searches.
func (l *lazySearcher) Search(ctx context.Context, query string, limit int) (duban.SearchResult, error) {
	s, err := l.pe.searcher()
	if err != nil {
		return duban.SearchResult{}, fmt.Errorf("build search index of plan %s: %w", l.pe.plan.ID, err)
	}
	if s == nil {
		return duban.SearchResult{}, fmt.Errorf("plan %s has no searcher", l.pe.plan.ID)
	}
	return s.Search(ctx, query, limit)
}

// SearchPassages builds the plan's searcher if needed and searches its
// cover letter.
func (l *lazySearcher) SearchPassages(ctx context.Context, query string, limit int) ([]duban.Passage, error) {
	s, err := l.pe.searcher()
	if err != nil {
		return nil, fmt.Errorf("build search index of plan %s: %w", l.pe.plan.ID, err)
	}
	if s == nil {
		return nil, fmt.Errorf("plan %s has no searcher", l.pe.plan.ID)
	}
	return s.SearchPassages(ctx, query, limit)
}

// errorReply turns an error into a reply with its user-facing message. An
// internal error's message may name server details, so the reply shows
// duban.InternalMessage with a new error id instead and keeps the error
// for logInternal, which every public entry point calls.
func errorReply(err error) Reply {
	if duban.ErrorCode(err) != duban.CodeInternal {
		return Reply{Intent: IntentError, Title: duban.UserMessage(err)}
	}
	id := duban.NewErrorID()
	return Reply{Intent: IntentError, Title: duban.InternalMessage(id), internal: &internalError{id: id, err: err}}
}

// internalError is the detail of an internal error a reply stands for,
// to be logged under the id the user was shown.
type internalError struct {
	id  string
	err error
}

// logInternal logs the internal error a reply carries, once, with its id.
func (e *Engine) logInternal(r *Reply, userID string) {
	if r.internal == nil {
		return
	}
	e.log.Error("internal error", "error_id", r.internal.id, "user", userID, "err", r.internal.err.Error())
	r.internal = nil
}
