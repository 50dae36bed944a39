package slack

import (
	"testing"

	"duban/bot"
	"duban/store"
)

// testStore is what the adapter's tests need of the store.
type testStore interface {
	bot.Store
	bot.PlanStore
	EventLog
}

// openTestStore opens a real bbolt store in dir, closed when the test ends.
func openTestStore(t *testing.T, dir string) testStore {
	t.Helper()
	s, err := store.Open(dir, store.Options{NoSocket: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}
