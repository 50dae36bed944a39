package index_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/unicode/norm"

	"duban"
	"duban/bot"
	"duban/index"
	"duban/seeds"
)

func seedPlan(t testing.TB) *duban.Plan {
	t.Helper()
	p, err := duban.LoadPlan(seeds.FS, seeds.Default)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// shared is one index over the seed for the tests that only search it:
// loading gojieba's dictionary is most of the cost of an index.
var shared struct {
	once sync.Once
	ix   *index.Index
	err  error
}

func sharedIndex(t testing.TB) *index.Index {
	t.Helper()
	shared.once.Do(func() {
		p, err := duban.LoadPlan(seeds.FS, seeds.Default)
		if err != nil {
			shared.err = err
			return
		}
		shared.ix, shared.err = index.New(p)
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.ix
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.ix != nil {
		shared.ix.Close()
	}
	os.Exit(code)
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
	return parseEvalLines(t, "dev set", data)
}

// parseEvalLines reads a question set in the format of dev.jsonl, one JSON
// object a line; blank lines are skipped.
func parseEvalLines(t testing.TB, name string, data []byte) []evalCase {
	t.Helper()
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
			t.Fatalf("%s line %q: %v", name, line, err)
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
	e := bot.New(bot.Config{Plan: plan, Searcher: sharedIndex(t)})
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
	// The own search questions (index_test.go), through the index alone.
	own := map[index.Mode]float64{}
	for _, m := range []index.Mode{index.ModeFull, index.ModeWords, index.ModeCJK} {
		ix := newIndex(t, plan, m)
		sum, n := 0.0, 0
		for _, tt := range ownSearch {
			if len(tt.want) == 0 {
				continue
			}
			res, err := ix.Search(context.Background(), tt.q, 5)
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			for _, w := range tt.want {
				if slices.ContainsFunc(res.Hits, func(h duban.Hit) bool { return h.Item == w }) {
					got++
				}
			}
			sum += float64(got) / float64(len(tt.want))
			n++
		}
		own[m] = sum / float64(n)
		t.Logf("%-13s own search questions recall@5 %.3f (%d)", m.String()+":", own[m], n)
	}
	if own[index.ModeFull] < own[index.ModeWords] || own[index.ModeFull] < own[index.ModeCJK] {
		t.Errorf("own questions: %s %.3f below another mode %v", index.ModeFull, own[index.ModeFull], own)
	}
}

// TestTopicOwnQuestions asks who and target questions of other topics of
// the plan, written from the document, through Engine.Handle.
func TestTopicOwnQuestions(t *testing.T) {
	plan := seedPlan(t)
	e := bot.New(bot.Config{Plan: plan, Searcher: sharedIndex(t)})
	ask := func(q string) bot.Reply {
		return e.Handle(context.Background(), bot.Request{Text: q, UserID: bot.LocalOperator, SourceID: q})
	}
	who := []struct {
		q    string
		want []string
	}{
		{"森林康养谁牵头", []string{"省林业局"}},
		{"一带一路技术法规研究由哪些单位负责", []string{"福州海关", "厦门海关"}},
		{"学前教育由哪个部门牵头", []string{"省教育厅"}},
		{"粮食质量安全谁负责", []string{"省粮储局"}},
		{"Who is responsible for elderly care services?", []string{"省民政厅"}},
		{"电梯安全归哪个部门牵头", []string{"省市场监管局"}},
		{"石墨烯产业由哪些单位负责", []string{"省发改委", "省科技厅"}},
		{"who leads 疫苗 supervision", []string{"省药品监管局"}},
		{"法律援助归谁管", []string{"省司法厅"}},
		{"青年职业技能竞赛由哪个单位负责", []string{"团省委"}},
	}
	for _, tt := range who {
		r := ask(tt.q)
		if r.Intent != bot.IntentWho || !slices.Equal(sortedStrings(r.Agencies), sortedStrings(tt.want)) {
			t.Errorf("%q: intent %s agencies %v items %v, want who %v", tt.q, r.Intent, r.Agencies, r.Items, tt.want)
		}
		if len(r.Items) == 0 {
			t.Errorf("%q: no items given with the agencies", tt.q)
		}
	}
	targets := []struct {
		q     string
		item  int
		value string
	}{
		{"供水管网要新改建多少公里", 13, "800公里"},
		{"污水管网要新改建多少公里", 13, "900公里"},
		{"要改造提升多少个森林公园", 53, "30个"},
		{"森林步道建设多少公里", 53, "300公里"},
		{"首席质量官公益培训多少名", 33, "300名以上"},
		{"化肥农药使用量要减少多少", 1, "减少2%"},
		{"畜禽粪污综合利用率提升到多少", 1, "提升到92%"},
		{"一趟不用跑事项比例提高到多少", 19, "70%以上"},
		{"How many 长期定位监测点 are monitored?", 1, "5000个"},
		{"第几届福建艺术节", 18, "第八届"},
		{"新增认证三品一标产品多少个", 1, "200个以上"},
		{"跨省通办增加多少项事项", 19, "72项"},
	}
	// A figure of another unit is no answer: the reply says no figure was found.
	if r := ask("火箭发射场建设多少公里"); r.Intent != bot.IntentTarget || !strings.Contains(r.Title, "没有找到") {
		t.Errorf("火箭发射场建设多少公里: %s %q", r.Intent, r.Title)
	}
	for _, tt := range targets {
		r := ask(tt.q)
		text := r.PlainText()
		if r.Intent != bot.IntentTarget || !slices.Equal(r.Items, []int{tt.item}) ||
			!strings.Contains(text, tt.value) || !strings.Contains(text, "第"+strconv.Itoa(tt.item)+"条") {
			t.Errorf("%q: intent %s items %v text %q, want %s of item %d", tt.q, r.Intent, r.Items, text, tt.value, tt.item)
		}
	}
}

func sortedStrings(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

// TestSearchReplies checks what a user reads for a search: rank order,
// number, title, lead agency and a marked snippet; a polite answer with
// suggestions when nothing matches; a polite error when the index fails.
func TestSearchReplies(t *testing.T) {
	plan := seedPlan(t)
	e := bot.New(bot.Config{Plan: plan, Searcher: sharedIndex(t)})
	ask := func(e *bot.Engine, q string) bot.Reply {
		return e.Handle(context.Background(), bot.Request{Text: q, UserID: bot.LocalOperator, SourceID: q})
	}

	r := ask(e, "哪些工作涉及石墨烯")
	if r.Intent != bot.IntentSearch || !slices.Equal(r.Items, []int{12}) {
		t.Fatalf("哪些工作涉及石墨烯: %s %v", r.Intent, r.Items)
	}
	text := r.PlainText()
	for _, want := range []string{"第12条", "加快构筑特色新材料产业竞争优势", "省发改委", "【石墨烯】"} {
		if !strings.Contains(text, want) {
			t.Errorf("reply lacks %q:\n%s", want, text)
		}
	}

	r = ask(e, "有关茶的内容")
	if r.Intent != bot.IntentSearch || len(r.Items) == 0 || r.Items[0] != 30 {
		t.Errorf("有关茶的内容: %s %v, want 30 first", r.Intent, r.Items)
	}

	r = ask(e, "旅游景区提升")
	if len(r.Sections) != len(r.Items) || len(r.Items) < 2 {
		t.Fatalf("旅游景区提升: %d sections for items %v", len(r.Sections), r.Items)
	}
	for i, s := range r.Sections {
		if s.Item != r.Items[i] || len(s.Marks) == 0 {
			t.Errorf("section %d: item %d marks %v, want item %d marked", i, s.Item, s.Marks, r.Items[i])
		}
	}

	r = ask(e, "火箭发射")
	if r.Intent != bot.IntentSearch || len(r.Items) != 0 || !strings.Contains(r.PlainText(), "没有找到") ||
		!strings.Contains(r.Note, "可以试试") {
		t.Errorf("火箭发射: %s %v %q", r.Intent, r.Items, r.PlainText())
	}

	closed, err := index.New(plan)
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	r = ask(bot.New(bot.Config{Plan: plan, Searcher: closed}), "石墨烯")
	if r.Intent != bot.IntentError || !strings.Contains(r.Title, "抱歉") {
		t.Errorf("closed index: %s %q", r.Intent, r.Title)
	}
	r = ask(bot.New(bot.Config{Plan: plan}), "石墨烯")
	if r.Intent != bot.IntentSearch || !strings.Contains(r.Title, "不可用") {
		t.Errorf("no searcher: %s %q", r.Intent, r.Title)
	}
}

// TestAgencyQuestionWithTopic: an agency question that also names a topic
// lists only that agency's items on the topic; wording alone narrows
// nothing; a topic the agency has no item on keeps the full list and says so.
func TestAgencyQuestionWithTopic(t *testing.T) {
	plan := seedPlan(t)
	e := bot.New(bot.Config{Plan: plan, Searcher: sharedIndex(t)})
	cases := []struct {
		q      string
		intent bot.Intent
		items  []int
		says   string
	}{
		{"省市场监管局负责的电梯工作", bot.IntentInvolved, []int{39}, "与“电梯”相关的有1条"},
		{"市场监管局在食品安全方面牵头哪些", bot.IntentLead, []int{4, 41}, "共负责15条"},
		{"省市场监管局牵头的有机认证工作", bot.IntentLead, []int{40}, "有机认证"},
		{"which items about 疫苗 does 省药品监管局 lead", bot.IntentLead, []int{42}, "疫苗"},
		{"福州海关在哪些条目中按职责落实", bot.IntentJoint, []int{2, 5, 34, 36, 43, 71}, "福州海关按职责落实的工作要点（6条）"},
		{"省人力资源和社会保障厅、省应急管理厅各自负责哪些要点？", bot.IntentInvolved, []int{63}, "合计1条"},
		{"省林业局负责的电梯工作", bot.IntentInvolved, []int{3, 53}, "没有与“电梯”直接相关"},
	}
	for _, c := range cases {
		r := e.Handle(context.Background(), bot.Request{Text: c.q, UserID: bot.LocalOperator, SourceID: c.q})
		if r.Intent != c.intent || !slices.Equal(r.Items, c.items) || !strings.Contains(r.PlainText(), c.says) {
			t.Errorf("%s: %s %v, want %s %v with %q\n%s", c.q, r.Intent, r.Items, c.intent, c.items, c.says, r.PlainText())
		}
	}
}
