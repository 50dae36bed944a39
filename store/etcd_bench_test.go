package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"duban"
	"duban/bot"
	"duban/seeds"
	"duban/store/etcdtest"
)

// benchCluster is a three-member etcd cluster on loopback (fsync on), one
// per test binary, for the etcd benchmarks.
var (
	benchClusterOnce sync.Once
	benchClusterVal  *etcdtest.Cluster
	benchClusterDir  string
	benchClusterErr  error
)

func benchCluster(b *testing.B) *etcdtest.Cluster {
	benchClusterOnce.Do(func() {
		benchClusterDir, benchClusterErr = os.MkdirTemp("", "duban-etcd-bench-")
		if benchClusterErr == nil {
			benchClusterVal, benchClusterErr = etcdtest.New(benchClusterDir, 3, etcdtest.Options{})
		}
	})
	if benchClusterErr != nil {
		b.Fatal(benchClusterErr)
	}
	return benchClusterVal
}

// stopBenchCluster stops the benchmark cluster; TestMain calls it.
func stopBenchCluster() {
	if benchClusterVal != nil {
		benchClusterVal.Stop()
	}
	if benchClusterDir != "" {
		os.RemoveAll(benchClusterDir)
	}
}

func openBenchEtcd(b *testing.B, prefix string) *EtcdStore {
	c := benchCluster(b)
	s, err := OpenEtcd(context.Background(), EtcdOptions{Endpoints: c.Endpoints(), Prefix: prefix})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkEtcdAddUpdate measures one committed report per operation on
// the three-member loopback cluster (every member fsyncs its log), with
// the median and 99th percentile commit latency; compare
// BenchmarkAddUpdate, the same on bbolt.
func BenchmarkEtcdAddUpdate(b *testing.B) {
	benchAddUpdate(b, openBenchEtcd(b, "bench/add/"+time.Now().Format("150405.000000")+"/"))
}

var (
	bigEtcdOnce sync.Once
	bigEtcdErr  error
)

const bigEtcdPrefix = "bench/big/"

// bigEtcd returns an etcd store holding the same 100,000 reports as
// bigStore, written once per test binary with the keys AddUpdate writes
// (through Restore, 100 keys a transaction: a report at a time would take
// minutes).
func bigEtcd(b *testing.B) *EtcdStore {
	s := openBenchEtcd(b, bigEtcdPrefix)
	bigEtcdOnce.Do(func() {
		d := newDump()
		for i := range bigN {
			d.Reports[uint64(i+1)] = newUpdateRec(benchReport(i))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
		defer cancel()
		s.opTimeout = 10 * time.Minute
		_, bigEtcdErr = Restore(ctx, s, d)
		s.opTimeout = DefaultOpTimeout
	})
	if bigEtcdErr != nil {
		b.Fatal(bigEtcdErr)
	}
	return s
}

// BenchmarkEtcdLatest100k reads the latest status of every pair (what 汇总,
// 未报送 and the export read) from 100,000 reports on the cluster, at one
// revision.
func BenchmarkEtcdLatest100k(b *testing.B) {
	benchLatest(b, bigEtcd(b))
}

// BenchmarkEtcdHistory100k reads the whole history of one item (about
// 1,400 reports) from 100,000 on the cluster, at one revision.
func BenchmarkEtcdHistory100k(b *testing.B) {
	benchHistory(b, bigEtcd(b))
}

// BenchmarkEtcdOffice100k answers 汇总 and 未报送 through the engine over
// 100,000 reports on the cluster, spread over every (item, responsible
// agency) pair of the plan, as BenchmarkOffice does on bbolt.
func BenchmarkEtcdOffice100k(b *testing.B) {
	plan, err := duban.Parse(bytes.NewReader(seeds.Fujian2021))
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2021, 11, 1, 9, 0, 0, 0, duban.ChinaTime())
	pairs := plan.Assignments()
	s := openBenchEtcd(b, "bench/office/"+time.Now().Format("150405.000000")+"/")
	d := newDump()
	statuses := []duban.Status{duban.StatusNotStarted, duban.StatusInProgress, duban.StatusDone, duban.StatusDelayed}
	for i := range bigN {
		a := pairs[i%len(pairs)]
		d.Reports[uint64(i+1)] = updateRec{Plan: LegacyPlanID, Item: a.Item, Agency: a.Agency, AuthorID: fmt.Sprintf("U%d", i%50), AuthorName: "报送人",
			Status: int(statuses[i%4]), Percent: i % 101, Text: fmt.Sprintf("第%d次报送：已改造森林公园12个，建设森林步道120公里，持续推进中", i),
			Time: now.Add(-time.Duration(bigN-i) * time.Minute), SourceID: fmt.Sprintf("bench-%d", i)}
	}
	s.opTimeout = 10 * time.Minute
	if _, err := Restore(context.Background(), s, d); err != nil {
		b.Fatal(err)
	}
	s.opTimeout = DefaultOpTimeout
	eng := bot.New(bot.Config{Plan: plan, Store: s, DataDir: b.TempDir(), Now: func() time.Time { return now }})
	for _, q := range []string{"汇总", "未报送"} {
		b.Run(q, func(b *testing.B) {
			req := bot.Request{Text: q, UserID: bot.LocalOperator}
			for b.Loop() {
				if r := eng.Handle(ctx, req); r.Intent == bot.IntentError {
					b.Fatal(r.Title)
				}
			}
		})
	}
}
