package slack

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"duban"
	"duban/bot"
)

// testStore is what the adapter's tests need of the store.
type testStore interface {
	bot.Store
	EventLog
}

// openTestStore opens the store the tests run on.
// TEMPORARY: an in-memory store until the bbolt store is merged.
func openTestStore(t *testing.T, dir string) testStore {
	return &memStore{events: map[string]bool{}, sources: map[string]duban.Update{}, binds: map[string]duban.Binding{}}
}

type memStore struct {
	mu      sync.Mutex
	events  map[string]bool
	sources map[string]duban.Update
	updates []duban.Update
	binds   map[string]duban.Binding
}

func (m *memStore) EventSeen(ctx context.Context, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.events[id], nil
}
func (m *memStore) MarkEvent(ctx context.Context, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	first := !m.events[id]
	m.events[id] = true
	return first, nil
}
func (m *memStore) AddUpdate(ctx context.Context, u duban.Update) (duban.Update, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.sources[u.SourceID]; ok {
		return s, true, nil
	}
	u.Seq = uint64(len(m.updates) + 1)
	m.updates = append(m.updates, u)
	m.sources[u.SourceID] = u
	return u, false, nil
}
func (m *memStore) Retract(ctx context.Context, authorID, sourceID string, at time.Time) (duban.Update, error) {
	return duban.Update{}, nil
}
func (m *memStore) History(ctx context.Context, item int) ([]duban.Update, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []duban.Update
	for _, u := range m.updates {
		if u.Item == item {
			out = append(out, u)
		}
	}
	slices.Reverse(out)
	return out, nil
}
func (m *memStore) Latest(ctx context.Context) ([]duban.Update, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	last := map[[2]any]duban.Update{}
	for _, u := range m.updates {
		last[[2]any{u.Item, u.Agency}] = u
	}
	var out []duban.Update
	for _, u := range last {
		out = append(out, u)
	}
	return out, nil
}
func (m *memStore) Bind(ctx context.Context, b duban.Binding, sourceID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.binds[b.UserID] = b
	return nil
}
func (m *memStore) Unbind(ctx context.Context, userID, sourceID string) (bool, error) {
	return false, nil
}
func (m *memStore) Binding(ctx context.Context, userID string) (duban.Binding, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.binds[userID]
	return b, ok, nil
}
func (m *memStore) Bindings(ctx context.Context) ([]duban.Binding, error)    { return nil, nil }
func (m *memStore) IsAdmin(ctx context.Context, userID string) (bool, error) { return false, nil }
