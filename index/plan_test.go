package index

import (
	"bytes"
	"testing"

	"duban"
	"duban/seeds"
)

// seedPlan returns the embedded seed plan, parsed.
func seedPlan(t testing.TB) *duban.Plan {
	t.Helper()
	p, err := duban.Parse(bytes.NewReader(seeds.Fujian2021))
	if err != nil {
		t.Fatal(err)
	}
	return p
}
