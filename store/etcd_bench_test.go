package store

import (
	"context"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

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
	s := openBenchEtcd(b, "bench/add/"+time.Now().Format("150405.000000")+"/")
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
			u := benchReport(i)
			d.Reports[uint64(i+1)] = updateRec{Item: u.Item, Agency: u.Agency, AuthorID: u.AuthorID, AuthorName: u.AuthorName,
				Status: int(u.Status), Percent: u.Percent, Text: u.Text, Time: u.Time, Channel: u.Channel, SourceID: u.SourceID}
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
	s := bigEtcd(b)
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		l, err := s.Latest(ctx)
		if err != nil {
			b.Fatal(err)
		}
		n = len(l)
	}
	b.ReportMetric(float64(n), "pairs")
}

// BenchmarkEtcdHistory100k reads the whole history of one item (about
// 1,400 reports) from 100,000 on the cluster, at one revision.
func BenchmarkEtcdHistory100k(b *testing.B) {
	s := bigEtcd(b)
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		h, err := s.History(ctx, i%71+1)
		if err != nil {
			b.Fatal(err)
		}
		n += len(h)
	}
	b.ReportMetric(float64(n)/float64(b.N), "reports/op")
}
