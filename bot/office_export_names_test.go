package bot_test

import (
	"os"
	"sync"
	"testing"
)

func TestConcurrentExportsGetTheirOwnFiles(t *testing.T) {
	// Two people asking for 导出 in the same second (the office's clock is
	// fixed here) must each get a file of their own: one export must not
	// replace, or be removed with, the other's.
	o := newOffice(t, 0)
	const n = 4
	paths := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if r := o.ask(t, "U9", "导出 csv"); r.File != nil {
				paths[i] = r.File.Path
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, p := range paths {
		if p == "" {
			t.Fatalf("an export failed: %v", paths)
		}
		if seen[p] {
			t.Errorf("two exports share the file %s", p)
		}
		seen[p] = true
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("export %s: %v", p, err)
		}
	}
}
