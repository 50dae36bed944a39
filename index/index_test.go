package index_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"duban"
	"duban/index"
	"duban/seeds"
)

func search(t *testing.T, ix *index.Index, q string) duban.SearchResult {
	t.Helper()
	res, err := ix.Search(context.Background(), q, 10)
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	return res
}

func items(res duban.SearchResult) []int {
	var out []int
	for _, h := range res.Hits {
		out = append(out, h.Item)
	}
	return out
}

// TestHardChecks are the checks of issue 3 that cannot be argued with.
func TestHardChecks(t *testing.T) {
	plan := seedPlan(t)
	ix := sharedIndex(t)

	if got := items(search(t, ix, "茶")); !slices.Contains(got, 30) {
		t.Errorf("茶: %v, want item 30 (乌龙茶, 白茶)", got)
	}
	if got := items(search(t, ix, "砂")); !slices.Contains(got, 13) {
		t.Errorf("砂: %v, want item 13 (机制砂)", got)
	}
	for _, n := range items(search(t, ix, "林业")) {
		if !strings.Contains(plan.Item(n).Text, "林业") {
			t.Errorf("林业 finds item %d, which only has 产业 and the like", n)
		}
	}
	if got := items(search(t, ix, "省林业局")); len(got) < 2 || !slices.Equal(sorted(got[:2]), []int{3, 53}) {
		t.Errorf("省林业局: %v, want 3 and 53 first", got)
	}
	if got := items(search(t, ix, "石墨烯")); !slices.Equal(got, []int{12}) {
		t.Errorf("石墨烯: %v, want [12] alone", got)
	}
}

func sorted(s []int) []int { s = slices.Clone(s); slices.Sort(s); return s }

// TestSearchOwnQuestions are topics of the plan that the dev set does not
// ask about, written from the document: what a user would type and the
// items that answer it (every item that must be in the top 5).
func TestSearchOwnQuestions(t *testing.T) {
	ix := sharedIndex(t)
	tests := ownSearch
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), tt.q, 5)
		if err != nil {
			t.Fatal(err)
		}
		got := items(res)
		for _, n := range tt.want {
			if !slices.Contains(got, n) {
				t.Errorf("%q: top 5 %v lack item %d", tt.q, got, n)
			}
		}
		if tt.want == nil && len(got) > 0 {
			t.Errorf("%q: %v, want nothing", tt.q, got)
		}
	}
}

func TestCharacterPhraseIsNotAnOr(t *testing.T) {
	ix := newTestIndex(t, "推动林业发展。", "推动产业发展。", "业林交错。")
	if got := items(search(t, ix, "林业")); !slices.Equal(got, []int{1}) {
		t.Errorf("林业: %v, want [1] (产业 and 业林 do not match)", got)
	}
	if got := items(search(t, ix, "业")); len(got) != 3 {
		t.Errorf("业: %v, want all three", got)
	}
}

func TestPhraseDoesNotCrossPunctuation(t *testing.T) {
	ix := newTestIndex(t, "推动林业，产业发展。")
	if got := items(search(t, ix, "业产")); len(got) != 0 {
		t.Errorf("业产: %v, want nothing (a comma stands between 业 and 产)", got)
	}
}

func TestPartsAreRequiredThenRelaxed(t *testing.T) {
	ix := sharedIndex(t)
	// Only item 62 holds both parts; items holding one of them may follow
	// it as partial matches.
	res := search(t, ix, "学前教育 幼儿园")
	if got := items(res); !slices.Equal(got[:res.Exact], []int{62}) || res.Relaxed {
		t.Errorf("学前教育 幼儿园: %v (exact %d) relaxed %v, want [62] exact", got, res.Exact, res.Relaxed)
	}
	res = search(t, ix, "学前教育 火箭")
	if got := items(res); !slices.Contains(got, 62) || !res.Relaxed {
		t.Errorf("学前教育 火箭: %v relaxed %v, want 62 relaxed", got, res.Relaxed)
	}
	// A word the plan never uses (nor the synonyms) finds the items
	// holding a dictionary word inside it.
	res = search(t, ix, "养老金")
	if got := items(res); !slices.Contains(got, 16) || !res.Relaxed {
		t.Errorf("养老金: %v relaxed %v, want 16 (养老) relaxed", got, res.Relaxed)
	}
}

func TestNoMatchSuggests(t *testing.T) {
	ix := sharedIndex(t)
	for _, q := range []string{"火箭发射", "航天器", "xyzzy"} {
		res := search(t, ix, q)
		if len(res.Hits) != 0 {
			t.Errorf("%q: hits %v, want none", q, items(res))
		}
		if n := len(res.Suggestions); n < 2 || n > 3 {
			t.Errorf("%q: suggestions %q, want 2 or 3", q, res.Suggestions)
		}
		for _, s := range res.Suggestions {
			if got := items(search(t, ix, s)); len(got) == 0 {
				t.Errorf("%q: suggestion %q finds nothing", q, s)
			}
		}
	}
}

func TestQueryNormalisation(t *testing.T) {
	ix := sharedIndex(t)
	tests := []struct {
		q    string
		want int
	}{
		{"<@U024BE7LH> 石墨烯", 12},
		{"<#C0123|general> 石墨烯", 12},
		{"<https://example.com/x|石墨烯>", 12},
		{"石墨烯<!here>", 12},
		{"ＯＤＲ", 44},      // full width
		{"石墨烯　", 12},     // ideographic space
		{"Graphene", 12}, // English topic word
		{"市监局 电梯", 39},   // agency alias, expanded
		{"#13", 13},      // item number shortcut
		{"第42条", 42},
	}
	for _, tt := range tests {
		got := items(search(t, ix, tt.q))
		if len(got) == 0 || got[0] != tt.want {
			t.Errorf("%q: %v, want %d first", tt.q, got, tt.want)
		}
	}
	res := search(t, ix, "市监局 电梯")
	if !slices.Contains(res.Terms, "省市场监管局") {
		t.Errorf("市监局: terms %q lack the canonical name", res.Terms)
	}
	// Agencies in the keyword field: an ambiguous short name stands for each.
	res = search(t, ix, "海关")
	for _, n := range []int{2, 5, 36, 43, 71} {
		if !slices.Contains(items(res), n) {
			t.Errorf("海关: %v lack item %d (福州海关、厦门海关)", items(res), n)
		}
	}
}

func TestSnippets(t *testing.T) {
	ix := sharedIndex(t)
	for _, q := range []string{"茶", "林业", "旅游景区提升", "石墨烯", "ODR 消费", "乳粉", "学前教育 幼儿园", "医疗器械 监管", "12315", "省林业局"} {
		res := search(t, ix, q)
		if len(res.Hits) == 0 {
			t.Errorf("%q: no hits", q)
			continue
		}
		for _, h := range res.Hits {
			if !utf8.ValidString(h.Snippet) {
				t.Errorf("%q item %d: snippet not valid UTF-8: %q", q, h.Item, h.Snippet)
			}
			if n := utf8.RuneCountInString(strings.Trim(h.Snippet, "…")); n > 80 {
				t.Errorf("%q item %d: snippet of %d characters", q, h.Item, n)
			}
			last := 0
			for _, m := range h.Marks {
				if m.Start < last || m.End <= m.Start || m.End > len(h.Snippet) ||
					!utf8.RuneStart(h.Snippet[m.Start]) || (m.End < len(h.Snippet) && !utf8.RuneStart(h.Snippet[m.End])) {
					t.Fatalf("%q item %d: bad mark %v in %q", q, h.Item, m, h.Snippet)
				}
				last = m.End
			}
		}
	}
	// Every occurrence of the term in the snippet is marked, and the best
	// window holds the term.
	res := search(t, ix, "茶")
	h := res.Hits[0]
	marked := 0
	for _, m := range h.Marks {
		marked += strings.Count(h.Snippet[m.Start:m.End], "茶")
	}
	if c := strings.Count(h.Snippet, "茶"); c == 0 || marked != c {
		t.Errorf("茶: %d of %d occurrences marked in %q", marked, c, h.Snippet)
	}
}

func TestCloseAndConcurrentSearch(t *testing.T) {
	ix, err := index.New(seedPlan(t))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			q := []string{"茶", "林业", "石墨烯 产业", "电梯"}[i%4]
			for range 20 {
				if res, err := ix.Search(context.Background(), q, 5); err != nil || len(res.Hits) == 0 {
					t.Errorf("%q: %v %v", q, items(res), err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := ix.Search(context.Background(), "茶", 5); !errors.Is(err, index.ErrClosed) {
		t.Errorf("Search after Close: %v, want ErrClosed", err)
	}
}

func TestSearchHonoursContext(t *testing.T) {
	ix := sharedIndex(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Search(ctx, "茶", 5); err == nil {
		t.Errorf("Search with a cancelled context: no error")
	}
}

// A plan that names an agency outside the built-in table (Parse adds it to
// the plan's directory) is searched by that agency like any other, and a
// hand-made plan without a directory still knows the built-in names.
func TestAgenciesFromThePlansDirectory(t *testing.T) {
	doc := "1.建设生态监测站点。(牵头单位:省生态环境厅)\n2.推进林下经济。(省林业局、省生态环境厅等单位按职责落实)\n3.完善财政投入。(牵头单位:省财政厅)"
	p, err := duban.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.New(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	res := search(t, ix, "省生态环境厅")
	if got, want := items(res), []int{1, 2}; !slices.Equal(got, want) || !slices.Equal(res.Terms, []string{"省生态环境厅"}) {
		t.Errorf("省生态环境厅: items %v terms %q; want %v as the agency", got, res.Terms, want)
	}

	hand := newTestIndex(t, "市场监管部门开展抽检", "财政资金支持抽检")
	res = search(t, hand, "市监局")
	if !slices.Equal(res.Terms, []string{"省市场监管局"}) {
		t.Errorf("市监局 in a hand-made plan: terms %q, want the agency 省市场监管局", res.Terms)
	}
}

func newTestIndex(t *testing.T, texts ...string) *index.Index {
	t.Helper()
	seed, err := duban.LoadPlan(seeds.FS, seeds.Default)
	if err != nil {
		t.Fatal(err)
	}
	p := &duban.Plan{Terms: seed.Terms}
	for i, s := range texts {
		p.Items = append(p.Items, &duban.Item{Number: i + 1, Text: s, Body: s})
	}
	ix, err := index.New(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// ownSearch are topics of the plan that the dev set does not ask about,
// written from the document: what a user would type and the items that
// answer it (each must be in the top 5).
var ownSearch = []struct {
	q    string
	want []int
}{
	{"冷链物流", []int{15, 37}},
	{"知识产权保护", []int{34}},
	{"电梯", []int{39}},
	{"疫苗", []int{42}},
	{"养老服务", []int{16}},
	{"医养结合", []int{23}},
	{"首席质量官", []int{33}},
	{"森林步道", []int{53}},
	{"笋", []int{3, 53}},
	{"兰花", []int{53}},
	{"粮食", []int{45}},
	{"仿制药", []int{7, 9, 42}},
	{"非洲猪瘟", []int{43}},
	{"一带一路", []int{71}},
	{"加计扣除", []int{60, 70}},
	{"12315", []int{44}},
	{"ODR", []int{44}},
	{"小微企业", []int{49, 67}},
	{"物联网", []int{32, 39}},
	{"三品一标", []int{1}},
	{"一品一码", []int{1, 3, 4, 8}},
	{"稀土", []int{9, 12}},
	{"预拌混凝土", []int{13}},
	{"高速公路服务区", []int{15}},
	{"世界遗产", []int{54}},
	{"夜间 文旅", []int{55}},
	{"戏剧", []int{18}},
	{"幼儿园", []int{62}},
	{"工业旅游", []int{17}},
	{"食源性疾病", []int{6}},
	{"婴幼儿", []int{4}},
	{"消费者权益", []int{44, 47}},
	{"品牌 林业", []int{53}},
	{"中国品牌日", []int{46, 47, 50}},
	{"items about elevator safety", []int{39}},
	{"graphene", []int{12}},
	{"tea", []int{30}},
	{"ＰＤＦ", nil}, // the cover letter is not an item
}
