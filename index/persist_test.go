package index_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"duban"
	"duban/index"
)

// questions are the dev set's questions, the own search topics and a few
// queries with several parts.
func questions(t *testing.T) []string {
	qs := []string{"产品、水", "产品 水", "质量 安全", "食品、药品", "标准 品牌", "茶", "省林业局", "省林业局 茶 火星", "火星探测", "树苗", "bamboo shoots"}
	for _, c := range loadEval(t) {
		qs = append(qs, c.Q)
	}
	for _, o := range ownSearch {
		qs = append(qs, o.q)
	}
	return qs
}

// A kept index answers exactly as an index built in memory, whether it
// was just built or opened from its folder after a restart; a plan whose
// document changed gets a new index and the old folder goes.
func TestKeptIndex(t *testing.T) {
	plan := seedPlan(t)
	qs := questions(t)
	mem, err := index.New(plan)
	if err != nil {
		t.Fatal(err)
	}
	want := answers(t, mem, qs)
	mem.Close()
	dir := t.TempDir()
	for round, wantLoaded := range []bool{false, true} {
		ix, err := index.Open(dir, plan)
		if err != nil {
			t.Fatal(err)
		}
		if ix.Loaded() != wantLoaded {
			t.Errorf("round %d: loaded %v, want %v", round, ix.Loaded(), wantLoaded)
		}
		got := answers(t, ix, qs)
		ix.Close()
		for i, q := range qs {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("round %d, %q:\n got %s\nwant %s (in memory)", round, q, render(got[i]), render(want[i]))
			}
		}
	}
	// The same plan open twice in one process: the second is in memory.
	a, err := index.Open(dir, plan)
	if err != nil {
		t.Fatal(err)
	}
	b, err := index.Open(dir, plan)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Loaded() || b.Loaded() {
		t.Errorf("twice: loaded %v and %v, want the first only", a.Loaded(), b.Loaded())
	}
	a.Close()
	b.Close()
	// Another document under the same id: a new folder, the old one gone.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || !strings.HasPrefix(entries[0].Name(), plan.ID+"-") {
		t.Fatalf("kept folders %v, want one for %s", entries, plan.ID)
	}
	old := entries[0].Name()
	changed, err := duban.ParseWith(strings.NewReader(strings.Replace(string(seedDoc(t)), "茶", "荼", 1)), duban.ParseOptions{ID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(dir, changed)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	entries, _ = os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() == old || ix.Loaded() {
		t.Errorf("after the document changed: %v (loaded %v), want one new folder", entries, ix.Loaded())
	}
	// A damaged kept index is built again.
	os.WriteFile(filepath.Join(dir, entries[0].Name(), "derived.gob"), []byte("garbage"), 0o600)
	ix, err = index.Open(dir, changed)
	if err != nil || ix.Loaded() {
		t.Fatalf("a damaged kept index: %v, loaded %v", err, ix != nil && ix.Loaded())
	}
	ix.Close()
}

// Indexing in batches gives the index of one batch.
func TestBatchesGiveTheSameIndex(t *testing.T) {
	plan := seedPlan(t)
	qs := questions(t)
	one, err := index.NewWithOptions(plan, index.Options{BatchSize: len(plan.Items) + 1})
	if err != nil {
		t.Fatal(err)
	}
	want := answers(t, one, qs)
	one.Close()
	small, err := index.NewWithOptions(plan, index.Options{BatchSize: 7})
	if err != nil {
		t.Fatal(err)
	}
	got := answers(t, small, qs)
	small.Close()
	for i, q := range qs {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("%q:\n got %s\nwant %s (one batch)", q, render(got[i]), render(want[i]))
		}
	}
}

// seedDoc is the seed's document.
func seedDoc(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../seeds/fujian-2021-quality/fujian-2021-quality-workpoints.txt")
	if err != nil {
		t.Fatal(err)
	}
	return b
}
