package index_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"duban"
	"duban/bot"
	"duban/index"
)

// holdsAll reports whether item n's text holds every string of one of the
// alternatives of each group.
func holdsAll(plan *duban.Plan, n int, groups ...[]string) bool {
	text := plan.Item(n).Body
	for _, g := range groups {
		if !slices.ContainsFunc(g, func(s string) bool { return strings.Contains(text, s) }) {
			return false
		}
	}
	return true
}

// TestPartialMatchesFollowExact: the items holding every word come first
// (Hits[:Exact]), the items holding some follow up to the limit, and the
// result says where they begin; where no item holds every word, the
// partial matches are all there is and the result says Relaxed.
func TestPartialMatchesFollowExact(t *testing.T) {
	plan := seedPlan(t)
	ix := sharedIndex(t)
	tests := []struct {
		q       string
		exact   []int // Hits[:Exact], in any order
		partial []int // among Hits[Exact:]
	}{
		{"电梯 物联网", []int{39}, []int{32}},   // 32 has 物联网, not 电梯
		{"学前教育 幼儿园", []int{62}, nil},       // only 62 holds either
		{"森林康养 品牌", []int{53}, []int{50}},  // 50 is on 品牌 only
		{"老人 医疗", []int{23}, []int{22}},    // 老人 is 老年人 in the plan; 22 is on 医疗 only
		{"婴幼儿 奶粉", []int{4}, nil},          // 奶粉 is 乳粉 in the plan
		{"冷链物流 追溯", []int{37}, []int{15}},  // 15: 冷链物流 without 追溯
		{"石墨烯 茶", nil, []int{12, 30}},      // no item holds both
		{"森林康养 温泉", nil, []int{53, 17}},    // 53 森林康养, 17 温泉
		{"博物馆 夜间", nil, []int{54, 55, 37}}, // three items, none with both
		{"知识产权保护 茶", nil, []int{34, 30}},   // one part each
		{"养老服务 疫苗 冷链", nil, []int{16, 42}}, // no item holds two of them
	}
	for _, tt := range tests {
		res := search(t, ix, tt.q)
		got := items(res)
		if res.Exact > len(got) {
			t.Fatalf("%q: Exact %d of %d hits", tt.q, res.Exact, len(got))
		}
		if ex := sorted(got[:res.Exact]); !slices.Equal(ex, sorted(tt.exact)) {
			t.Errorf("%q: exact %v, want %v (hits %v)", tt.q, ex, tt.exact, got)
		}
		for _, n := range tt.partial {
			if !slices.Contains(got[res.Exact:], n) {
				t.Errorf("%q: partial %v lack item %d (exact %v)", tt.q, got[res.Exact:], n, got[:res.Exact])
			}
		}
		if res.Relaxed != (res.Exact == 0) {
			t.Errorf("%q: Relaxed %v with Exact %d", tt.q, res.Relaxed, res.Exact)
		}
		// Scores fall across the boundary: a reply weighing them sees
		// the exact matches first.
		for i := 1; i < len(res.Hits); i++ {
			if res.Hits[i].Score > res.Hits[i-1].Score {
				t.Errorf("%q: hit %d scores %v above hit %d (%v)", tt.q, i, res.Hits[i].Score, i-1, res.Hits[i-1].Score)
			}
		}
	}
	// Every exact match holds every word (in one of its forms), and no
	// partial match does.
	res := search(t, ix, "电梯 物联网")
	for i, h := range res.Hits {
		all := holdsAll(plan, h.Item, []string{"电梯"}, []string{"物联网"})
		if all != (i < res.Exact) {
			t.Errorf("电梯 物联网: hit %d (item %d) holds both: %v, Exact %d", i, h.Item, all, res.Exact)
		}
	}
}

// TestPartialMatchRestsOnContent: a partial match never rests on a stray
// character (树 of 树立 for 树苗, 说 of 说明 for 说), a function word or a
// word that says less than half of what was asked (分类 of 垃圾分类): a
// question whose distinctive words the plan never uses answers none.
func TestPartialMatchRestsOnContent(t *testing.T) {
	ix := sharedIndex(t)
	for _, q := range []string{
		"七十条说什么", // 说 stands in item 54 (说明)
		"树枝",     // 树 stands in item 54 (树立); 树苗 is in the synonyms now
		"猪肉",     // 猪 stands in 猪瘟 only
		"垃圾分类",   // 分类 stands in items 1, 38, 62
		"共享单车",   // 共享
		"房价调控",   // 调控
		"高铁建设",   // 建设 stands nearly everywhere
		"核电安全",   // 安全
		"火箭的发射",  // 的
	} {
		res := search(t, ix, q)
		if len(res.Hits) != 0 {
			t.Errorf("%q: hits %v, want none", q, items(res))
		}
	}
	// The same words beside a word the plan has are still asked about,
	// and a common character beside it (厅, 局: in several items each)
	// finds nothing on its own.
	for q, want := range map[string][]int{"的 电梯": {39}, "森林康养 厅": {53}, "石墨烯 局": {12}} {
		if got := items(search(t, ix, q)); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
	// A distinctive head character still stands for a word the plan
	// never uses (茶 of 乌龙茶 for 茶叶), and partial matches that hold
	// more of the query go first.
	res := search(t, ix, "茶叶 品牌")
	if got := items(res); len(got) == 0 || got[0] != 30 || res.Exact != 0 {
		t.Errorf("茶叶 品牌: %v exact %d, want 30 (茶) first, all partial", got, res.Exact)
	}
}

// TestSynonyms: a word people type finds the items on the plan's word for
// it (lexicon/synonyms.txt).
func TestSynonyms(t *testing.T) {
	ix := sharedIndex(t)
	tests := []struct {
		q    string
		want []int
	}{
		{"网购", []int{34, 37}},  // 电子商务, 电商
		{"奶粉", []int{4}},       // 婴幼儿配方乳粉
		{"老人", []int{23}},      // 老年人
		{"快递", []int{15, 37}},  // 物流
		{"自来水", []int{13}},     // 供水
		{"景点", []int{17}},      // 景区
		{"餐馆", []int{4}},       // 餐饮
		{"小企业", []int{49, 67}}, // 小微企业
		{"国外", []int{2, 43}},   // 境外
		{"海鲜", []int{2, 8}},    // 水产品
		{"年轻人", []int{65}},     // 青年
		{"非物质文化遗产", []int{17}}, // 非遗
	}
	for _, tt := range tests {
		res := search(t, ix, tt.q)
		got := items(res)
		for _, n := range tt.want {
			if !slices.Contains(got[:res.Exact], n) {
				t.Errorf("%q: exact %v lack item %d", tt.q, got[:res.Exact], n)
			}
		}
		if len(res.Alternatives) == 0 {
			t.Errorf("%q: terms %q alternatives %q, want the plan's words", tt.q, res.Terms, res.Alternatives)
		}
	}
	// The plan's word is marked in the snippet.
	res := search(t, ix, "奶粉")
	if h := res.Hits[0]; !slices.ContainsFunc(h.Marks, func(m duban.Span) bool {
		return h.Snippet[m.Start:m.End] == "乳粉" || strings.Contains(h.Snippet[m.Start:m.End], "乳粉")
	}) {
		t.Errorf("奶粉: 乳粉 not marked in %q %v", h.Snippet, h.Marks)
	}
}

// TestDerivedAbbreviations: a short form of a compound of the plan,
// derived by rule when the index is built, finds the items holding the
// compound (厦大 -> 厦门大学); a plan of other words gets its own.
func TestDerivedAbbreviations(t *testing.T) {
	ix := sharedIndex(t)
	tests := []struct {
		q    string
		want []int
	}{
		{"厦大", []int{12, 54}},  // 厦门大学
		{"知产", []int{24, 34}},  // 知识产权
		{"义教", []int{62}},      // 义务教育
		{"医械", []int{7}},       // 医疗器械
		{"团标", []int{30}},      // 团体标准
		{"食安", []int{4, 5, 6}}, // 食品安全, not 粮食安全 as written
		{"职院", []int{62}},      // 职业院校
		{"厦大 考古", []int{54}},   // with another word
		{"科研所", []int{59, 60}}, // 科研院所, extended
		{"高速路", []int{15}},     // 高速公路, extended
		{"文化创意", []int{54}},    // the plan writes 文创
		{"食品药品", []int{6}},     // the plan writes 食药
		{"花博会", []int{53}},     // 花卉博览会: both ends of a long last word
		{"文旅部", []int{18}},     // 文化和旅游部: 和 skipped
	}
	for _, tt := range tests {
		res := search(t, ix, tt.q)
		got := items(res)
		for _, n := range tt.want {
			if !slices.Contains(got[:res.Exact], n) {
				t.Errorf("%q: exact %v lack item %d", tt.q, got[:res.Exact], n)
			}
		}
	}
	// A common word is a word of its own, not a short form: 产量 is not
	// 产品质量, 利率 not 利用率, 老人 (a synonym) not 老年 人员.
	for _, q := range []string{"产量", "利率"} {
		if res := search(t, ix, q); len(res.Hits) != 0 {
			t.Errorf("%q: %v, want nothing", q, items(res))
		}
	}

	// Another plan: its own compounds give its own short forms.
	other := newTestIndex(t,
		"支持福州大学建设材料学科。",
		"发挥消费者协会作用，开展消费维权。",
		"办好中国粮食交易大会。",
		"推动职业学校专业建设。",
		"加强老年人健康管理。",
	)
	for q, want := range map[string]int{"福大": 1, "消协": 2, "粮交会": 3, "职校": 4} {
		res := search(t, other, q)
		if got := items(res); res.Exact == 0 || got[0] != want {
			t.Errorf("other plan, %q: %v exact %d, want item %d", q, got, res.Exact, want)
		}
	}
	if res := search(t, sharedIndex(t), "福大"); len(res.Hits) != 0 {
		t.Errorf("福大 in the seed (no 福州大学): %v, want nothing", items(res))
	}
}

// TestEnglishQuestionWords: English question and function words are
// dropped before translation (lexicon/stop_en.txt): they never become
// Chinese words of the search.
func TestEnglishQuestionWords(t *testing.T) {
	ix := sharedIndex(t)
	for _, q := range []string{"what about tea", "which items are about tea", "tell me about tea please", "is there anything on tea"} {
		res := search(t, ix, q)
		if !slices.Equal(res.Terms, []string{"茶"}) || len(res.Hits) == 0 || res.Hits[0].Item != 30 {
			t.Errorf("%q: terms %q items %v, want 茶 alone, item 30", q, res.Terms, items(res))
		}
	}
}

// TestEnglishThroughCedict: English topics the hand glossary lacks are
// searched in the plan's words CC-CEDICT gives for them, phrases first;
// several fitting words are all searched as one word of the query.
func TestEnglishThroughCedict(t *testing.T) {
	ix := sharedIndex(t)
	tests := []struct {
		q    string
		want []int // among the exact matches
	}{
		{"milk powder", []int{4}},              // 乳粉
		{"artificial intelligence", []int{32}}, // 人工智能
		{"internet of things", []int{32, 39}},  // 物联网, a phrase with "of"
		{"bamboo shoots", []int{3, 53}},        // 笋
		{"orchids", []int{53}},                 // 兰花
		{"seedlings", []int{3}},                // 种苗
		{"masks", []int{36}},                   // 口罩
		{"african swine fever", []int{43}},     // 非洲猪瘟
		{"aquaculture", []int{8}},              // 水产养殖 -> 水产 养殖
		{"exhibition", []int{51}},              // 展览会
		{"shoes", []int{9}},                    // 鞋 of 制鞋, not 履 of 履行
		{"villages", []int{17, 37, 53}},        // 农村, 乡村, 小镇 …: one word
		{"kindergartens and orchids", nil},     // no item holds both
	}
	for _, tt := range tests {
		res := search(t, ix, tt.q)
		got := items(res)
		for _, n := range tt.want {
			if !slices.Contains(got[:res.Exact], n) {
				t.Errorf("%q: exact %v lack item %d (terms %q)", tt.q, got[:res.Exact], n, res.Terms)
			}
		}
		if tt.want == nil && (res.Exact != 0 || len(got) == 0) {
			t.Errorf("%q: %v exact %d, want partial matches only", tt.q, got, res.Exact)
		}
	}
	res := search(t, ix, "villages")
	if len(res.Terms) != 1 || len(res.Alternatives[res.Terms[0]]) < 2 {
		t.Errorf("villages: terms %q alternatives %q, want one word in several forms", res.Terms, res.Alternatives)
	}
	// A phrase whose words are found in a third of the items or more is
	// wording, not a topic (实施, 推行, 贯彻 … for carry out).
	res = search(t, ix, "carry out 石墨烯")
	if !slices.Equal(res.Terms, []string{"石墨烯"}) {
		t.Errorf("carry out 石墨烯: terms %q, want 石墨烯 alone", res.Terms)
	}
}

// TestNearWords: a word the plan never uses that CC-CEDICT glosses like a
// plan word finds the items holding that word as partial matches.
func TestNearWords(t *testing.T) {
	ix := sharedIndex(t)
	for q, want := range map[string]int{"传言": 35, "室外": 17} {
		res := search(t, ix, q)
		if got := items(res); res.Exact != 0 || !slices.Contains(got, want) {
			t.Errorf("%q: %v exact %d, want item %d as a partial match", q, got, res.Exact, want)
		}
	}
	// The near word stands in for the head character: 传言 does not find
	// 传承 or 宣传 (补贴, the first example, is in the synonyms now).
	for _, n := range items(search(t, ix, "传言")) {
		if n != 35 {
			t.Errorf("传言: item %d, want 35 (谣言) alone", n)
		}
	}
}

// TestAbout: a hit says how far the item is about the query (its words in
// the title) rather than mentioning it in passing.
func TestAbout(t *testing.T) {
	plan := seedPlan(t)
	ix := sharedIndex(t)
	res := search(t, ix, "食品安全")
	about := map[int]float64{}
	for _, h := range res.Hits {
		about[h.Item] = h.About
		title := plan.Item(h.Item).Title
		in := strings.Contains(title, "食品安全")
		if in && h.About != 1 || !in && strings.Contains(title, "食品") == strings.Contains(title, "安全") && h.About != 0 {
			t.Errorf("食品安全, item %d (title %q): About %v", h.Item, title, h.About)
		}
	}
	if about[4] != 1 || about[5] != 1 {
		t.Errorf("食品安全: About of items 4 and 5 (titled on it) %v %v, want 1", about[4], about[5])
	}
	res = search(t, ix, "电梯 监管")
	for _, h := range res.Hits {
		if h.About < 0 || h.About > 1 {
			t.Errorf("电梯 监管, item %d: About %v out of [0, 1]", h.Item, h.About)
		}
	}
}

// testPinyin is a pinyin table of the characters the typo tests use.
type testPinyin map[rune][]string

func (p testPinyin) Readings(r rune) []string { return p[r] }

var typoPinyin = testPinyin{
	'电': {"dian"}, '悌': {"ti"}, '梯': {"ti"}, '商': {"shang"}, '疫': {"yi"}, '描': {"miao"}, '苗': {"miao"},
	'知': {"zhi"}, '识': {"shi"}, '产': {"chan"}, '权': {"quan"}, '全': {"quan"}, '养': {"yang"}, '老': {"lao"},
	'服': {"fu"}, '务': {"wu"}, '物': {"wu"}, '茶': {"cha"}, '查': {"zha", "cha"}, '石': {"shi", "dan"}, '墨': {"mo"},
	'稀': {"xi"}, '西': {"xi"}, '土': {"tu"}, '今': {"jin"}, '天': {"tian"}, '气': {"qi"},
}

// TestTyposAndOffTopic: a mistyped word gets the plan's word it likely
// stands for (a character read alike costs least), and a question outside
// the plan says so instead of offering words that merely share a
// character (电商 and 家电 for 电悌).
func TestTyposAndOffTopic(t *testing.T) {
	plan := seedPlan(t)
	ix, err := index.NewWithOptions(plan, index.Options{Pinyin: typoPinyin})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	for q, want := range map[string]string{"电悌": "电梯", "疫描": "疫苗", "西土": "稀土", "知识产全": "知识产权", "养老服物": "养老服务"} {
		// Pieces of a longer mistyped word may find partial matches.
		res := search(t, ix, q)
		if res.Exact != 0 || res.OutOfPlan || len(res.Suggestions) == 0 || res.Suggestions[0] != want {
			t.Errorf("%q: hits %v exact %d out %v suggestions %q, want %s first", q, items(res), res.Exact, res.OutOfPlan, res.Suggestions, want)
		}
	}
	// Where the table does not read the characters alike (锑 is not in
	// it), a two-character word differing in a character is no typing
	// error: 电锑 is outside the plan, and no word sharing 电 is offered.
	res := search(t, ix, "电锑")
	if !res.OutOfPlan || slices.ContainsFunc(res.Suggestions, func(s string) bool { return strings.Contains(s, "电") }) {
		t.Errorf("电锑: out %v suggestions %q", res.OutOfPlan, res.Suggestions)
	}
	// By default the readings are CC-CEDICT's.
	for q, want := range map[string]string{"电悌": "电梯", "疫描": "疫苗", "知识产全": "知识产权", "石墨希": "石墨烯"} {
		if res := search(t, sharedIndex(t), q); len(res.Suggestions) == 0 || res.Suggestions[0] != want {
			t.Errorf("%q with CC-CEDICT's readings: suggestions %q, want %s first", q, res.Suggestions, want)
		}
	}
	for _, q := range []string{"今天天气怎么样", "火箭发射", "元宇宙", "共享单车"} {
		res := search(t, ix, q)
		if len(res.Hits) != 0 || !res.OutOfPlan {
			t.Errorf("%q: hits %v out %v, want outside the plan", q, items(res), res.OutOfPlan)
		}
		for _, s := range res.Suggestions {
			if got := search(t, ix, s); len(got.Hits) == 0 {
				t.Errorf("%q: suggestion %q finds nothing", q, s)
			}
			if strings.ContainsAny(s, "样天气") {
				t.Errorf("%q: suggestion %q only shares a character", q, s)
			}
		}
	}
	// A plan word is no typing error of itself, and a hit is not outside.
	if res := search(t, ix, "电梯"); res.OutOfPlan || len(res.Suggestions) != 0 {
		t.Errorf("电梯: out %v suggestions %q", res.OutOfPlan, res.Suggestions)
	}
}

// TestPassages: the sentences of the cover letter and the preamble are
// searched with their place, for questions no cue word names.
func TestPassages(t *testing.T) {
	ix := sharedIndex(t)
	tests := []struct {
		q        string
		place    duban.Place
		sentence int
		holds    string
	}{
		{"反馈截止时间", duban.PlaceOpening, 2, "2021年12月31日前"},
		{"材料要交Word版吗", duban.PlaceOpening, 2, "Word或PDF"},
		{"以什么形式反馈", duban.PlaceOpening, 2, "书面形式"},
		{"传真号码", duban.PlaceContact, 3, "0591"},
		{"联系人", duban.PlaceContact, 1, "林忠辉"},
		{"邮箱", duban.PlaceContact, 4, "@qq.com"},
		{"教育厅在不在收文单位里", duban.PlaceRecipients, 1, "教育厅"},
		{"省教育厅收到了吗", duban.PlaceRecipients, 1, "教育厅"},
		{"十四五", duban.PlacePreamble, 1, "十四五"},
		{"指导思想", duban.PlacePreamble, 2, "思想为指导"},
		{"质量强省战略", duban.PlacePreamble, 2, "质量强省战略"},
		{"依据哪个实施意见", duban.PlaceOpening, 1, "实施意见"},
		{"issuer", duban.PlaceIssuer, 1, "联席会议办公室"},
		{"fax number", duban.PlaceContact, 3, "0591"},
		{"deadline for feedback", duban.PlaceOpening, 2, "12月31日前"},
		{"发文日期", duban.PlaceDate, 1, "2021年3月17日"},
	}
	for _, tt := range tests {
		ps, err := ix.SearchPassages(context.Background(), tt.q, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) == 0 || ps[0].Place != tt.place || ps[0].Sentence != tt.sentence || !strings.Contains(ps[0].Text, tt.holds) {
			t.Errorf("%q: %+v, want %s sentence %d holding %q first", tt.q, ps, tt.place, tt.sentence, tt.holds)
			continue
		}
		for _, m := range ps[0].Marks {
			if m.Start < 0 || m.End > len(ps[0].Text) || m.Start >= m.End {
				t.Errorf("%q: bad mark %v", tt.q, m)
			}
		}
	}
	for _, q := range []string{"今天天气怎么样", "石墨烯", "的"} {
		if ps, err := ix.SearchPassages(context.Background(), q, 3); err != nil || len(ps) != 0 {
			t.Errorf("%q: %+v %v, want no passage", q, ps, err)
		}
	}
	closed := newTestIndex(t, "加强电梯安全监管。")
	closed.Close()
	if _, err := closed.SearchPassages(context.Background(), "传真", 3); err == nil {
		t.Errorf("SearchPassages after Close: no error")
	}
}

// TestSearchReplyShowsPartialMatches: a search reply lists the partial
// matches after the exact ones and says where they begin; a question
// outside the plan says so; a typing error gets the word it stands for.
func TestSearchReplyShowsPartialMatches(t *testing.T) {
	plan := seedPlan(t)
	e := bot.New(bot.Config{Plan: plan, Searcher: sharedIndex(t)})
	ask := func(q string) bot.Reply {
		return e.Handle(context.Background(), bot.Request{Text: q, UserID: bot.LocalOperator, SourceID: q})
	}
	r := ask("电梯 物联网")
	if r.Intent != bot.IntentSearch || len(r.Items) < 2 || r.Items[0] != 39 || !strings.Contains(r.Title, "前1条完全符合") {
		t.Errorf("电梯 物联网: %s %v %q", r.Intent, r.Items, r.Title)
	}
	r = ask("今天天气怎么样")
	if len(r.Items) != 0 || !strings.Contains(r.Title, "不在") || !strings.Contains(r.Title, plan.Meta.Title) {
		t.Errorf("今天天气怎么样: %v %q", r.Items, r.Title)
	}
	r = ask("电悌")
	if len(r.Items) != 0 || !strings.Contains(r.Note, "电梯") || strings.Contains(r.Title, "不在") {
		t.Errorf("电悌: %v %q %q", r.Items, r.Title, r.Note)
	}
}

// TestStrayCharacterDoesNotRaiseTheBar: a one-character word between the
// words of a part (送 of 冷链送水产, 看 of 网上看演出) does not count in the
// share of the part an item must hold to stand as a partial match.
func TestStrayCharacterDoesNotRaiseTheBar(t *testing.T) {
	ix := sharedIndex(t)
	for q, want := range map[string]int{"冷链送水产": 8, "线上看演出": 64, "农村建厕所": 20} {
		if got := items(search(t, ix, q)); !slices.Contains(got, want) {
			t.Errorf("%q: %v, want item %d among the partial matches", q, got, want)
		}
	}
}

// TestHyphenatedGlossaryKeys: a glossary key written with a hyphen is
// found whether the question writes it with the hyphen, a space or none.
func TestHyphenatedGlossaryKeys(t *testing.T) {
	ix := sharedIndex(t)
	for _, q := range []string{"post-market supervision", "post market supervision", "postmarket supervision"} {
		res := search(t, ix, q)
		if got := items(res); res.Exact == 0 || !slices.Contains(got[:res.Exact], 7) {
			t.Errorf("%q: %v exact %d, want item 7 (上市后监管) among the exact (terms %q)", q, got, res.Exact, res.Terms)
		}
	}
}

// TestEnglishTopicOutsideThePlan: an English word the plan has no word
// for is kept when what else the question says is only words most items
// hold: "quality of cosmetics" is about cosmetics, which the plan does
// not cover, not about quality; beside a word of the plan it is wording.
func TestEnglishTopicOutsideThePlan(t *testing.T) {
	ix := sharedIndex(t)
	for _, q := range []string{"quality of cosmetics", "cosmetics quality", "work on cryptocurrency"} {
		if res := search(t, ix, q); res.Exact != 0 || !res.OutOfPlan {
			t.Errorf("%q: %v exact %d out of plan %v (terms %q), want out of the plan", q, items(res), res.Exact, res.OutOfPlan, res.Terms)
		}
	}
	for q, want := range map[string]int{"how many km of 供水 pipes will be newly built": 13, "elevator quality": 39} {
		if res := search(t, ix, q); res.Exact == 0 || !slices.Contains(items(res)[:res.Exact], want) {
			t.Errorf("%q: %v exact %d (terms %q), want item %d", q, items(res), res.Exact, res.Terms, want)
		}
	}
}

// TestSynonymVariants: a typed word of four characters or more that the
// synonym table lacks is read as the one typed word that differs from it
// in a middle character (缺斤短两 as 缺斤少两); none when two differ so.
func TestSynonymVariants(t *testing.T) {
	ix := sharedIndex(t)
	for _, q := range []string{"缺斤短两", "菜市场缺斤短两"} {
		if res := search(t, ix, q); !slices.Contains(items(res)[:min(2, len(items(res)))], 57) {
			t.Errorf("%q: %v (terms %q), want item 57 among the first two", q, items(res), res.Terms)
		}
	}
}

// TestEnglishTypos: an English word with one letter wrong, missing, extra
// or swapped, that nothing translates and that is no English word, is read
// as the words of the glossary or CC-CEDICT it stands for; a real word
// (lottery, underwater) never is.
func TestEnglishTypos(t *testing.T) {
	ix := sharedIndex(t)
	for q, want := range map[string]int{"vacines": 42, "graphine": 12, "anything on vacines?": 42, "elevtor safety": 39} {
		if res := search(t, ix, q); len(items(res)) == 0 || !slices.Contains(items(res)[:min(3, len(items(res)))], want) {
			t.Errorf("%q: %v (terms %q), want item %d among the first three", q, items(res), res.Terms, want)
		}
	}
	for _, q := range []string{"lottery", "lotteries", "exhibitors"} {
		if res := search(t, ix, q); !res.OutOfPlan {
			t.Errorf("%q: %v (terms %q), want out of the plan", q, items(res), res.Terms)
		}
	}
}
