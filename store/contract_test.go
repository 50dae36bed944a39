package store

import (
	"testing"
	"time"

	"duban/store/storetest"
)

// TestContract runs the store contract against the bbolt backend.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) storetest.Store {
		s, err := Open(t.TempDir(), Options{Now: now, NoSocket: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
