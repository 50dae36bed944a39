package index_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"duban/bot"
	"duban/index"
)

// BenchmarkIndexBuild builds the index of the seed: gojieba's dictionary
// loaded, user words added, 71 items analysed and indexed.
//
//	go test -run '^$' -bench 'Index|Query' -benchmem ./index/
func BenchmarkIndexBuild(b *testing.B) {
	plan := seedPlan(b)
	b.ReportAllocs()
	for b.Loop() {
		ix, err := index.New(plan)
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}

// BenchmarkQuery answers the dev set's search, who and target questions
// through Engine.Handle with the real index and reports the latency
// percentiles of single questions (p50-µs, p99-µs) besides the mean.
func BenchmarkQuery(b *testing.B) {
	plan := seedPlan(b)
	e := bot.New(bot.Config{Plan: plan, Searcher: sharedIndex(b)})
	var qs []string
	for _, c := range loadEval(b) {
		if c.Kind == "search" || c.Kind == "who" || c.Kind == "target" {
			qs = append(qs, c.Q)
		}
	}
	benchLatency(b, qs, func(q string) {
		e.Handle(context.Background(), bot.Request{Text: q, UserID: bot.LocalOperator, SourceID: q})
	})
}

// BenchmarkQuerySearcher is BenchmarkQuery without the engine: the index
// alone, on the raw questions.
func BenchmarkQuerySearcher(b *testing.B) {
	ix := sharedIndex(b)
	var qs []string
	for _, c := range loadEval(b) {
		if c.Kind == "search" || c.Kind == "who" || c.Kind == "target" {
			qs = append(qs, c.Q)
		}
	}
	benchLatency(b, qs, func(q string) {
		if _, err := ix.Search(context.Background(), q, 5); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkQueryBest asks every search, who and target question of the
// dev set and both QA batteries once per iteration through Engine.Handle
// and keeps each question's fastest answer: the percentiles of those
// (best-p50-µs, best-p99-µs) measure the slow questions while other work
// shares the machine, which the percentiles of single runs do not.
//
//	go test -run '^$' -bench QueryBest -benchtime 30x ./index/
func BenchmarkQueryBest(b *testing.B) {
	plan := seedPlan(b)
	e := bot.New(bot.Config{Plan: plan, Searcher: sharedIndex(b)})
	var qs []string
	for _, c := range append(append(loadEval(b), loadQA(b)...), loadQA2(b)...) {
		if c.Kind == "search" || c.Kind == "who" || c.Kind == "target" {
			qs = append(qs, c.Q)
		}
	}
	best := make([]time.Duration, len(qs))
	b.ReportAllocs()
	for b.Loop() {
		for i, q := range qs {
			start := time.Now()
			e.Handle(context.Background(), bot.Request{Text: q, UserID: bot.LocalOperator, SourceID: q})
			if d := time.Since(start); best[i] == 0 || d < best[i] {
				best[i] = d
			}
		}
	}
	slices.Sort(best)
	pct := func(p float64) float64 {
		return float64(best[min(len(best)-1, int(p*float64(len(best))))].Nanoseconds()) / 1e3
	}
	b.ReportMetric(pct(0.50), "best-p50-µs")
	b.ReportMetric(pct(0.99), "best-p99-µs")
	b.ReportMetric(float64(len(qs)), "questions")
}

func benchLatency(b *testing.B, qs []string, run func(string)) {
	b.Helper()
	var lat []time.Duration
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		q := qs[i%len(qs)]
		i++
		start := time.Now()
		run(q)
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Nanoseconds()) / 1e3
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}
