package bot

import (
	"context"
	"time"

	"duban"
)

// Searcher finds items by topic. Package index implements it over bleve and
// gojieba; the engine works without one (topic questions then say that
// search is unavailable).
type Searcher interface {
	// Search returns up to limit items ranked by relevance to the query.
	// The query is what the user typed, with question words already
	// removed by the engine; the searcher normalises it further.
	Search(ctx context.Context, query string, limit int) (duban.SearchResult, error)
	// SearchPassages returns up to limit sentences of the plan's cover
	// letter, title and preamble ranked by relevance to the query, each
	// with its place: for questions about the letter (who issued it, to
	// whom, the deadline, how to report back) that no cue word names.
	SearchPassages(ctx context.Context, query string, limit int) ([]duban.Passage, error)
}

// Store keeps what is written in chat. Package store implements it over
// bbolt. Every write carries a source id (a Slack event id, a console
// message id): the same source id twice stores once and returns the first
// result.
//
// Reports belong to a plan: every duban.Update carries its plan's id
// (Update.Plan, required), and a pair's latest status, an item's history
// and the summaries built on them are read for one plan (the plan argument
// of History and Latest). Record numbers (Seq) count across plans, so a
// record is found by its number alone (Record, RetractRecord, Correct); a
// correction stays on its record's plan. Supervision records are keyed by
// plan id too (SupervisionStore). What is not about a plan (bindings,
// admins, pending confirmations, event ids) is the same for every plan.
// Another backend (etcd, issue 13) keeps the same keying: plan id, then
// item.
type Store interface {
	SupervisionStore // deadlines, review, settings, reminder counts (office_supervise_ports.go)

	// AddUpdate appends a report. The Seq of the returned update is set.
	// When u.SourceID was seen before, nothing is stored and the update
	// stored the first time is returned with duplicate set.
	AddUpdate(ctx context.Context, u duban.Update) (stored duban.Update, duplicate bool, err error)
	// Retract marks the latest non-retracted update by authorID as
	// retracted and returns it. The latest status of its (item, agency)
	// falls back to the report before it. The same sourceID again
	// retracts nothing more and returns the same update; with nothing to
	// retract the error has code duban.CodeNotFound.
	Retract(ctx context.Context, authorID, sourceID string, at time.Time) (duban.Update, error)
	// History returns the updates of an item of a plan, newest first,
	// retracted ones included.
	History(ctx context.Context, plan string, item int) ([]duban.Update, error)
	// Latest returns the latest non-retracted update of every (item,
	// agency) pair of a plan that has one, without scanning the history.
	Latest(ctx context.Context, plan string) ([]duban.Update, error)

	// AddUpdates appends several reports (one message about several
	// items) in one transaction: all or none. Each carries its own source
	// id; when the first was seen before, nothing is stored and the
	// reports stored the first time are returned with duplicate set.
	AddUpdates(ctx context.Context, us []duban.Update) (stored []duban.Update, duplicate bool, err error)
	// Record returns report seq, with its retraction and correction.
	Record(ctx context.Context, seq uint64) (duban.Update, bool, error)
	// ByAuthor returns up to limit reports by the author, newest first,
	// retracted and corrected ones included.
	ByAuthor(ctx context.Context, authorID string, limit int) ([]duban.Update, error)
	// RetractRecord marks report seq retracted by the user (by). It
	// refuses a missing record (CodeNotFound) and one already retracted
	// or corrected (CodeInvalid); who may retract what is the engine's
	// rule. The same sourceID again returns the same report.
	RetractRecord(ctx context.Context, seq uint64, by, sourceID string, at time.Time) (duban.Update, error)
	// Correct appends u as a correction of report u.Corrects, which must
	// be live and the latest of its pair; the corrected report stays in
	// the history, marked. The same source id again returns the first.
	Correct(ctx context.Context, u duban.Update) (stored duban.Update, duplicate bool, err error)

	// PutPending keeps an action waiting for the user's confirmation
	// (replacing theirs), so that it survives a restart.
	PutPending(ctx context.Context, p duban.Pending) error
	// Pending returns the action waiting for the user's confirmation.
	Pending(ctx context.Context, userID string) (duban.Pending, bool, error)
	// DropPending removes the user's waiting action if its id is id (any
	// when id is "") and reports whether it did.
	DropPending(ctx context.Context, userID, id string) (bool, error)

	// Bind ties a user to an agency, replacing an earlier binding.
	Bind(ctx context.Context, b duban.Binding, sourceID string) error
	// Unbind removes the user's binding; it reports whether there was one.
	Unbind(ctx context.Context, userID, sourceID string) (bool, error)
	// Binding returns the user's binding, if any.
	Binding(ctx context.Context, userID string) (duban.Binding, bool, error)
	// Bindings returns every binding, by user id.
	Bindings(ctx context.Context) ([]duban.Binding, error)
	// BindAll binds every user of a roster in one transaction: all or
	// none. The same sourceID again changes nothing.
	BindAll(ctx context.Context, bs []duban.Binding, sourceID string) error
	// Admins returns the user ids made admins in the store.
	Admins(ctx context.Context) ([]string, error)
	// IsAdmin reports whether the user was made an admin in the store.
	IsAdmin(ctx context.Context, userID string) (bool, error)
	// AddAdmin makes a user an admin; by is the admin who did it.
	AddAdmin(ctx context.Context, userID, by, sourceID string) error
	// RemoveAdmin takes a user's admin rights in the store away and
	// reports whether they had them.
	RemoveAdmin(ctx context.Context, userID, sourceID string) (bool, error)

	// MarkEvent records that a chat adapter has handled the event with
	// this id and reports whether this is the first time. Event ids are
	// remembered for a day and kept apart from the source ids of writes,
	// so an adapter may pass the same id as Request.SourceID.
	MarkEvent(ctx context.Context, id string) (first bool, err error)
	// EventSeen reports whether MarkEvent recorded the id (within a day).
	EventSeen(ctx context.Context, id string) (bool, error)
	// ClaimEvent claims the event id for processing by this process for
	// hold, so that of several replicas that receive the same event (a
	// retry sent elsewhere) exactly one answers it. It reports false when
	// the id was processed (MarkEvent) or another claim on it has not
	// lapsed. MarkEvent ends the claim as processed.
	ClaimEvent(ctx context.Context, id string, hold time.Duration) (bool, error)
	// ReleaseEvent gives up this process's claim on an unprocessed event
	// id (its processing failed), so that a retry is processed. It does
	// nothing to a processed id or another process's claim.
	ReleaseEvent(ctx context.Context, id string) error
}
