package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"duban"
	"duban/bot"
	"duban/bot/export"
	"duban/store"
)

// BenchmarkOffice measures the office's commands through Engine.Handle
// over a real bbolt store holding all 71 items' reports: 1,000 and then
// 100,000 of them, spread over every (item, responsible agency) pair. The
// summaries read only the latest report per pair, so their cost must not
// grow with the history.
//
//	go test ./bot -run '^$' -bench BenchmarkOffice -benchmem
func BenchmarkOffice(b *testing.B) {
	plan := seedPlan(b)
	pairs := plan.Assignments()
	for _, n := range []int{1000, 100000} {
		dir := b.TempDir()
		st, err := store.Open(dir, store.Options{NoSync: true, NoSocket: true, Now: func() time.Time { return officeNow }})
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		statuses := []duban.Status{duban.StatusNotStarted, duban.StatusInProgress, duban.StatusDone, duban.StatusDelayed}
		for i := range n {
			a := pairs[i%len(pairs)]
			u := duban.Update{
				Plan: "fujian-2021-quality", Item: a.Item, Agency: a.Agency, AuthorID: fmt.Sprintf("U%d", i%50), AuthorName: "报送人",
				Status: statuses[i%4], Percent: i % 101,
				Text:     fmt.Sprintf("第%d次报送：已改造森林公园12个，建设森林步道120公里，持续推进中", i),
				Time:     officeNow.Add(-time.Duration(n-i) * time.Minute),
				SourceID: fmt.Sprintf("bench-%d", i),
			}
			if _, _, err := st.AddUpdate(ctx, u); err != nil {
				b.Fatal(err)
			}
		}
		eng := bot.New(bot.Config{Plan: plan, Store: st, DataDir: b.TempDir(), Exporter: export.Writer{}, Now: func() time.Time { return officeNow }})
		for _, q := range []string{"汇总", "未报送", "汇总 省市场监管局"} {
			b.Run(fmt.Sprintf("reports=%d/%s", n, q), func(b *testing.B) {
				req := bot.Request{Text: q, UserID: bot.LocalOperator}
				for b.Loop() {
					if r := eng.Handle(ctx, req); r.Intent == bot.IntentError {
						b.Fatal(r.Title)
					}
				}
			})
		}
		for _, format := range []string{"csv", "xlsx"} {
			b.Run(fmt.Sprintf("reports=%d/export-%s", n, format), func(b *testing.B) {
				path := filepath.Join(b.TempDir(), "export."+format)
				for b.Loop() {
					if _, _, err := eng.Export(ctx, format, path); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		// For comparison only: what reading the whole history would cost.
		b.Run(fmt.Sprintf("reports=%d/history-of-all-items", n), func(b *testing.B) {
			for b.Loop() {
				for _, it := range plan.Items {
					if _, err := st.History(ctx, "fujian-2021-quality", it.Number); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		st.Close()
	}
}
