package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"duban"
)

// benchAgencies gives each item a few agencies, like the plan does.
var benchAgencies = []string{"省市场监管局", "省林业局", "省发改委", "省工信厅", "省财政厅"}

// benchReport is the i-th report of a realistic stream: items 1..71, two or
// three agencies each, texts of 20 to 120 characters.
func benchReport(i int) duban.Update {
	item := i%71 + 1
	return duban.Update{
		Plan: LegacyPlanID, Item: item,
		Agency:     benchAgencies[(i/71+item)%3+item%3],
		AuthorID:   fmt.Sprintf("U%07d", i%400),
		AuthorName: "张三",
		Status:     duban.Statuses[i%4],
		Percent:    i % 101,
		Text:       "已完成年度任务" + strings.Repeat("，开展专项检查并形成报告", i%10+1),
		Time:       time.Date(2021, 3, 17, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
		Channel:    "C024BE91L",
		SourceID:   fmt.Sprintf("Ev%012d", i),
	}
}

// BenchmarkAddUpdate measures one committed, fsynced report per operation
// and reports the median and 99th percentile commit latency and the bytes
// per report on disk. Run it with -benchtime 5000x for comparable disk
// figures.
func BenchmarkAddUpdate(b *testing.B) {
	s := open(b, Options{NoSocket: true})
	before, _ := s.Size()
	benchAddUpdate(b, s)
	reportDisk(b, s, before, b.N)
}

// readStore is what the benchmarks call on either backend.
type readStore interface {
	AddUpdate(ctx context.Context, u duban.Update) (duban.Update, bool, error)
	History(ctx context.Context, plan string, item int) ([]duban.Update, error)
	Latest(ctx context.Context, plan string) ([]duban.Update, error)
}

// benchAddUpdate adds b.N reports of the stream one at a time, and
// reports the median and 99th percentile commit latency.
func benchAddUpdate(b *testing.B, s readStore) {
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, _, err := s.AddUpdate(ctx, benchReport(i)); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// benchHistory reads the whole history of an item, one item after
// another, and reports the reports read per operation.
func benchHistory(b *testing.B, s readStore) {
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		h, err := s.History(ctx, LegacyPlanID, i%71+1)
		if err != nil {
			b.Fatal(err)
		}
		n += len(h)
	}
	b.ReportMetric(float64(n)/float64(b.N), "reports/op")
}

// benchLatest reads the latest status of every pair and reports how many
// pairs there are.
func benchLatest(b *testing.B, s readStore) {
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		l, err := s.Latest(ctx, LegacyPlanID)
		if err != nil {
			b.Fatal(err)
		}
		n = len(l)
	}
	b.StopTimer()
	b.ReportMetric(float64(n), "pairs")
}

// reportDisk reports the bytes per report of the file (which bbolt grows
// in steps, doubling up to 1 GiB) and of the pages up to the highest one
// in use (what the data needs; the rest of the file is preallocated).
func reportDisk(b *testing.B, s *Store, before int64, n int) {
	b.Helper()
	size, err := s.Size()
	if err != nil {
		b.Fatal(err)
	}
	var used int64
	s.db.View(func(tx *bolt.Tx) error {
		used = tx.Size()
		return nil
	})
	b.ReportMetric(float64(size-before)/float64(n), "file-B/report")
	b.ReportMetric(float64(used)/float64(n), "used-B/report")
}

const bigN = 100_000

var (
	bigOnce sync.Once
	bigDir  string
	bigErr  error
)

// bigStore returns a store holding 100,000 reports, built once per test
// binary (with 1,000 reports per transaction, through the same code as
// AddUpdate) and shared by the read benchmarks.
func bigStore(b *testing.B) *Store {
	bigOnce.Do(func() {
		bigDir, bigErr = os.MkdirTemp("", "duban-bench-")
		if bigErr != nil {
			return
		}
		var s *Store
		s, bigErr = Open(bigDir, Options{NoSocket: true, NoSync: true})
		if bigErr != nil {
			return
		}
		for start := 0; start < bigN && bigErr == nil; start += 1000 {
			bigErr = s.update(func(tx *bolt.Tx) error {
				for i := start; i < start+1000; i++ {
					// One report a minute: source ids older than a day
					// are pruned as they would be.
					u := benchReport(i)
					if _, _, err := addUpdate(tx, u, u.Time); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if bigErr == nil {
			bigErr = s.db.Sync()
		}
		s.Close()
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	s, err := Open(bigDir, Options{NoSocket: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkHistory100k reads the whole history of one item (about 1,400
// reports) from a store of 100,000.
func BenchmarkHistory100k(b *testing.B) {
	benchHistory(b, bigStore(b))
}

// BenchmarkLatest100k reads the latest status of every (item, agency) pair
// from a store of 100,000 reports, and reports the file's bytes per report.
func BenchmarkLatest100k(b *testing.B) {
	s := bigStore(b)
	benchLatest(b, s)
	reportDisk(b, s, 0, bigN)
}

// removeBigStore deletes the shared benchmark store; TestMain calls it.
func removeBigStore() {
	if bigDir != "" {
		os.RemoveAll(filepath.Clean(bigDir))
	}
}
