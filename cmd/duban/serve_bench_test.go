package main

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkServeHTTPLoad fires, per iteration, 200 concurrent signed
// app_mention reports at a running `duban serve --http` on loopback, each
// delivered twice (the original and Slack's retry), and waits until all
// 200 are answered. It reports the acknowledgement latency (p50, p99,
// max over all requests), the time until the last answer, and checks that
// every request was acknowledged within 3 seconds and every report stored
// exactly once.
//
//	go test -run '^$' -bench BenchmarkServeHTTPLoad -benchtime 3x ./cmd/duban/
func BenchmarkServeHTTPLoad(b *testing.B) {
	const events = 200
	fake := newSlackFake(b)
	data := b.TempDir()
	rs := seedReporters(b, data, events)
	s := startServe(b, fake.srv.GetAPIURL(), data)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * events, MaxConnsPerHost: 0}, Timeout: 10 * time.Second}

	var all []time.Duration
	var wantIDs []string
	var answered time.Duration
	b.ResetTimer()
	for iter := range b.N {
		began := time.Now()
		lat := make([]time.Duration, 2*events)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var errs []error
		for i, r := range rs {
			id := fmt.Sprintf("EvLoad%d-%d", iter, i)
			wantIDs = append(wantIDs, id)
			ts := fmt.Sprintf("17%08d.%06d", iter, i)
			text := fmt.Sprintf("进展 #%d 进行中 第%d轮压测报告，完成情况良好", r.item, iter)
			for retry := range 2 {
				wg.Go(func() {
					d, code, err := signedEvent(client, s.url, id, r.user, text, ts, retry)
					if err == nil && code != http.StatusOK {
						err = fmt.Errorf("status %d", code)
					}
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						errs = append(errs, err)
					}
					lat[2*i+retry] = d
				})
			}
		}
		wg.Wait()
		if len(errs) > 0 {
			b.Fatalf("%d requests failed, first: %v", len(errs), errs[0])
		}
		want := (iter + 1) * events
		deadline := time.Now().Add(60 * time.Second)
		for fake.count() < want {
			if time.Now().After(deadline) {
				b.Fatalf("%d of %d answers after 60s\n%s", fake.count(), want, s.logs)
			}
			time.Sleep(5 * time.Millisecond)
		}
		answered += time.Since(began)
		all = append(all, lat...)
	}
	b.StopTimer()
	s.stop(b)
	slices.Sort(all)
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	b.ReportMetric(float64(pct(0.50).Microseconds())/1000, "ack-p50-ms")
	b.ReportMetric(float64(pct(0.99).Microseconds())/1000, "ack-p99-ms")
	b.ReportMetric(float64(all[len(all)-1].Microseconds())/1000, "ack-max-ms")
	b.ReportMetric(float64(answered.Milliseconds())/float64(b.N), "all-answered-ms")
	if max := all[len(all)-1]; max > 3*time.Second {
		b.Errorf("slowest acknowledgement %v, want within 3s", max)
	}
	if got := fake.count(); got != b.N*events {
		b.Errorf("%d answers, want %d (one per event, retries ignored)", got, b.N*events)
	}
	slices.Sort(wantIDs)
	if got := storedSources(b, data); !slices.Equal(got, wantIDs) {
		b.Errorf("%d reports stored for %d events; want each stored exactly once", len(got), len(wantIDs))
	}
}
