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
}

// Store keeps what is written in chat. Package store implements it over
// bbolt. Every write carries a source id (a Slack event id, a console
// message id): the same source id twice stores once and returns the first
// result.
type Store interface {
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
	// History returns the updates of an item, newest first, retracted ones
	// included.
	History(ctx context.Context, item int) ([]duban.Update, error)
	// Latest returns the latest non-retracted update of every (item,
	// agency) pair that has one, without scanning the history.
	Latest(ctx context.Context) ([]duban.Update, error)

	// Bind ties a user to an agency, replacing an earlier binding.
	Bind(ctx context.Context, b duban.Binding, sourceID string) error
	// Unbind removes the user's binding; it reports whether there was one.
	Unbind(ctx context.Context, userID, sourceID string) (bool, error)
	// Binding returns the user's binding, if any.
	Binding(ctx context.Context, userID string) (duban.Binding, bool, error)
	// Bindings returns every binding, by user id.
	Bindings(ctx context.Context) ([]duban.Binding, error)
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
}
