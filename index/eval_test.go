package index_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"duban"
	"duban/bot"
	"duban/index"
	"duban/seeds"
)

func seedPlan(t testing.TB) *duban.Plan {
	t.Helper()
	p, err := duban.Parse(bytes.NewReader(seeds.Fujian2021))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// newIndex builds a real index over the seed and closes it with the test.
func newIndex(t testing.TB, plan *duban.Plan, mode index.Mode) *index.Index {
	t.Helper()
	ix, err := index.NewWithOptions(plan, index.Options{Mode: mode})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// evalCase is one line of dev.jsonl.
type evalCase struct {
	ID     string          `json:"id"`
	Kind   string          `json:"kind"`
	Q      string          `json:"q"`
	Expect json.RawMessage `json:"expect"`
	Nice   []int           `json:"nice"`
}

// loadEval reads the dev set: the repository's copy, or the shared one
// beside the repository.
func loadEval(t testing.TB) []evalCase {
	t.Helper()
	var data []byte
	var err error
	for _, p := range []string{
		filepath.Join("..", "testdata", "eval", "dev.jsonl"),
		filepath.Join("..", "..", "shared", "eval", "dev.jsonl"),
	} {
		if data, err = os.ReadFile(p); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("dev set: %v", err)
	}
	var out []evalCase
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var c evalCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("dev set line %q: %v", line, err)
		}
		out = append(out, c)
	}
	return out
}

// scores are the figures of one run over the topic questions.
type scores struct {
	search, who, target    float64 // recall@5, exact-agency accuracy, accuracy
	whoRecall, whoPrec     float64
	nSearch, nWho, nTarget int
	failures               []string
}

func (s scores) String() string {
	return fmt.Sprintf("search recall@5 %.3f (%d) | who accuracy %.3f (recall %.3f, precision %.3f, %d) | target accuracy %.3f (%d)",
		s.search, s.nSearch, s.who, s.whoRecall, s.whoPrec, s.nWho, s.target, s.nTarget)
}

// fold normalises text as the eval README says: NFKC and no white space.
func fold(s string) string {
	return strings.Join(strings.Fields(norm.NFKC.String(s)), "")
}

// runEval asks every search, who and target question through Handle.
func runEval(t *testing.T, e *bot.Engine, cases []evalCase) scores {
	var s scores
	ctx := context.Background()
	for _, c := range cases {
		if c.Kind != "search" && c.Kind != "who" && c.Kind != "target" {
			continue
		}
		r := e.Handle(ctx, bot.Request{Text: c.Q, UserID: bot.LocalOperator, SourceID: c.ID})
		fail := func(format string, args ...any) {
			s.failures = append(s.failures, fmt.Sprintf("%s %q: intent %s items %v agencies %v: %s",
				c.ID, c.Q, r.Intent, r.Items, r.Agencies, fmt.Sprintf(format, args...)))
		}
		switch c.Kind {
		case "search":
			var want []int
			mustUnmarshal(t, c.Expect, &want)
			top := r.Items[:min(5, len(r.Items))]
			got := 0
			for _, n := range want {
				if slices.Contains(top, n) {
					got++
				}
			}
			rec := 1.0
			if len(want) > 0 {
				rec = float64(got) / float64(len(want))
			} else if len(top) > 0 {
				rec = 0
			}
			if rec < 1 {
				fail("recall@5 %.2f, want %v", rec, want)
			}
			s.search += rec
			s.nSearch++
		case "who":
			var want []string
			mustUnmarshal(t, c.Expect, &want)
			inter := 0
			for _, a := range want {
				if slices.Contains(r.Agencies, a) {
					inter++
				}
			}
			rec, prec := float64(inter)/float64(len(want)), 0.0
			if len(r.Agencies) > 0 {
				prec = float64(inter) / float64(len(r.Agencies))
			}
			s.whoRecall += rec
			s.whoPrec += prec
			if rec == 1 && prec == 1 {
				s.who++
			} else {
				fail("want %v", want)
			}
			s.nWho++
		case "target":
			var want struct {
				Item  int    `json:"item"`
				Value string `json:"value"`
			}
			mustUnmarshal(t, c.Expect, &want)
			text := fold(r.PlainText())
			if strings.Contains(text, fold(want.Value)) && slices.Contains(r.Items, want.Item) &&
				strings.Contains(text, "第"+strconv.Itoa(want.Item)+"条") {
				s.target++
			} else {
				fail("want %s in item %d; text %q", want.Value, want.Item, r.PlainText())
			}
			s.nTarget++
		}
	}
	div := func(x float64, n int) float64 {
		if n == 0 {
			return 0
		}
		return x / float64(n)
	}
	s.search = div(s.search, s.nSearch)
	s.whoRecall = div(s.whoRecall, s.nWho)
	s.whoPrec = div(s.whoPrec, s.nWho)
	s.who = div(s.who, s.nWho)
	s.target = div(s.target, s.nTarget)
	return s
}

func mustUnmarshal(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("expect %s: %v", data, err)
	}
}

// TestEvalTopics runs the dev set's search, who and target questions
// through Engine.Handle with a real index and holds the floors of issue 3.
// `go test ./... -run Eval -v` prints the figures.
func TestEvalTopics(t *testing.T) {
	plan := seedPlan(t)
	e := bot.New(bot.Config{Plan: plan, Searcher: newIndex(t, plan, index.ModeFull)})
	s := runEval(t, e, loadEval(t))
	t.Logf("dev set, %s: %s", index.ModeFull, s)
	for _, f := range s.failures {
		t.Log("miss:", f)
	}
	if s.nSearch == 0 || s.nWho == 0 || s.nTarget == 0 {
		t.Fatalf("dev set has no search, who or target questions: %+v", s)
	}
	if s.search < 0.95 {
		t.Errorf("search recall@5 = %.3f, want >= 0.95", s.search)
	}
	if s.who < 0.9 {
		t.Errorf("who accuracy = %.3f, want >= 0.9", s.who)
	}
	if s.target < 0.9 {
		t.Errorf("target accuracy = %.3f, want >= 0.9", s.target)
	}
}

// TestEvalCompareAnalyzers runs the same questions through bleve's cjk
// analyzer and through gojieba without the character field, prints the
// three figures side by side (docs/PERFORMANCE.md, ## Search) and checks
// that the full analysis is not worse than either.
func TestEvalCompareAnalyzers(t *testing.T) {
	plan := seedPlan(t)
	cases := loadEval(t)
	got := map[index.Mode]scores{}
	for _, m := range []index.Mode{index.ModeFull, index.ModeWords, index.ModeCJK} {
		e := bot.New(bot.Config{Plan: plan, Searcher: newIndex(t, plan, m)})
		got[m] = runEval(t, e, cases)
		t.Logf("%-13s %s", m.String()+":", got[m])
		if testing.Verbose() && m != index.ModeFull {
			for _, f := range got[m].failures {
				t.Logf("  %s miss: %s", m, f)
			}
		}
	}
	full := got[index.ModeFull]
	for _, m := range []index.Mode{index.ModeWords, index.ModeCJK} {
		if o := got[m]; o.search > full.search || o.who > full.who || o.target > full.target {
			t.Errorf("%s beats %s: %s vs %s", m, index.ModeFull, o, full)
		}
	}
}

var _ = errors.Is
var _ fs.FS
