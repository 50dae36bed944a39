package index_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"duban"
	"duban/bot"
)

// loadQA2 reads testdata/eval/qa2.jsonl: the second QA battery, 150
// questions written from the document before the bot was run on them, to
// measure how the bot does on questions nobody tuned it for.
func loadQA2(t testing.TB) []evalCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "eval", "qa2.jsonl"))
	if err != nil {
		t.Fatalf("qa2 battery: %v", err)
	}
	return parseEvalLines(t, "qa2 battery", data)
}

// TestQA2Battery asks every question of the second QA battery through
// Engine.Handle over a real index, scores it as TestQABattery does (the
// eval README's rules; figures strictly), prints the figures per kind
// (`go test ./index -run QA2Battery -v`) and holds the floors the bot meets.
func TestQA2Battery(t *testing.T) {
	e := bot.New(bot.Config{Plan: seedPlan(t), Searcher: sharedIndex(t)})
	cases := loadQA2(t)
	if len(cases) < 150 {
		t.Fatalf("qa2 battery has %d questions, want at least 150", len(cases))
	}
	runBattery(t, e, cases, map[string]float64{"lead": 1, "joint": 1, "involved": 1, "item": 1, "meta": 1, "search": 1, "who": 1, "target": 1})
}

// TestQA2Generalisation holds what the second QA round fixed, in phrasings
// other than the battery's.
func TestQA2Generalisation(t *testing.T) {
	e := bot.New(bot.Config{Plan: seedPlan(t), Searcher: sharedIndex(t)})
	ask := func(q string) bot.Reply {
		return e.Handle(context.Background(), bot.Request{Text: q, UserID: bot.LocalOperator, SourceID: q})
	}
	cases := []struct {
		q        string
		intent   bot.Intent
		first    int      // the first item cited
		agencies []string // nil: not checked
		title    string   // what the first line must say ("" : not checked)
	}{
		// A compound written as such in a long item (职业教育 in 62) comes
		// before a short item that holds its words apart (职业技能 … 教育
		// in 65); a who question answers for the compound's item only.
		{"职业教育质量", bot.IntentSearch, 62, nil, ""},
		{"职业教育质量归谁", bot.IntentWho, 62, []string{"省教育厅"}, ""},
		{"哪个部门负责职业教育", bot.IntentWho, 62, []string{"省教育厅"}, ""},
		// 哪里提到 / 哪儿有 are question words, not part of the topic.
		{"哪里提到幼儿", bot.IntentSearch, 62, nil, "与“幼儿”相关"},
		{"在哪里提到茶", bot.IntentSearch, 30, nil, "与“茶”相关"},
		{"哪儿有提到冷库", bot.IntentSearch, 15, nil, "与“冷库”相关"},
		// "is in charge of", "manages", "deals with" are question words.
		{"which agency is in charge of 电梯", bot.IntentWho, 39, []string{"省市场监管局"}, "“电梯”"},
		{"Which department manages 疫苗?", bot.IntentWho, 42, []string{"省药品监管局"}, "“疫苗”"},
		// A figure asked with 数量 or 几大, or whose topic word stands in
		// the clause before the figure's, in the same sentence.
		{"监测点数量", bot.IntentTarget, 1, nil, "5000个"},
		{"优质农产品标准化示范基地数量", bot.IntentTarget, 1, nil, "250个"},
		{"渔业品牌几大", bot.IntentTarget, 8, nil, "30大"},
		{"跨省通办新增几项", bot.IntentTarget, 19, nil, "72项"},
		{"How many long-term monitoring points?", bot.IntentTarget, 1, nil, "5000个"},
		// English words the plan never uses, beside Chinese terms, are
		// wording: the figure is still found, in the clause of the term.
		{"How many km of rainwater pipes are planned?", bot.IntentTarget, 13, nil, "750公里"},
		{"How many kilometres of 污水管网 will be newly built?", bot.IntentTarget, 13, nil, "900公里"},
		{"items about 电梯 maintenance", bot.IntentSearch, 39, nil, "与“电梯"},
		// English words written together translate to one compound, found
		// as written (食品安全抽检 of item 41, not 食品安全…抽检 of item 5).
		{"Which agency is responsible for food safety sampling?", bot.IntentWho, 41, []string{"省市场监管局"}, ""},
		{"Who takes care of 森林康养?", bot.IntentWho, 53, []string{"省林业局"}, "“森林康养”"},
		// An agency named without its 局/厅/委, or with 部门 for it.
		{"市场监管牵头哪些", bot.IntentLead, 4, []string{"省市场监管局"}, "省市场监管局牵头的工作要点（15条）"},
		{"林业部门负责什么", bot.IntentInvolved, 3, []string{"省林业局"}, "（2条）"},
		{"发改牵头哪些", bot.IntentLead, 15, []string{"省发改委"}, "（5条）"},
		// 福建/我省 before an agency is no topic to narrow to.
		{"福建海关按职责落实哪些", bot.IntentJoint, 2, []string{"福州海关", "厦门海关"}, "各6条"},
		{"我省林业局牵头哪些", bot.IntentLead, 3, []string{"省林业局"}, "（2条）"},
		// How many items name a topic: a search, not a figure.
		{"多少条涉及茶", bot.IntentSearch, 30, nil, "与“茶”相关"},
		{"提到石墨烯的有几条", bot.IntentSearch, 12, nil, "与“石墨烯”相关"},
		{"和茶相关的条目有几条", bot.IntentSearch, 30, nil, "与“茶”相关"},
		{"哪些要点是关于电梯的", bot.IntentSearch, 39, nil, "与“电梯”相关"},
		// "in charge of" with an agency is "responsible for" (负责): every
		// role; with a topic it still asks who.
		{"Which items is 省市场监管局 in charge of?", bot.IntentInvolved, 4, []string{"省市场监管局"}, "（17条）"},
		{"Who is in charge of 电梯?", bot.IntentWho, 39, []string{"省市场监管局"}, ""},
		// English for the 按职责落实 role.
		{"Which items does 省公安厅 implement according to its duties?", bot.IntentJoint, 35, []string{"省公安厅"}, ""},
		{"On which items is 省市场监管局 a supporting unit?", bot.IntentJoint, 34, []string{"省市场监管局"}, "（2条）"},
		// Full official names of the central units and English names
		// with their ministry before them.
		{"中国证券监督管理委员会福建监管局按职责落实哪些", bot.IntentJoint, 69, []string{"福建证监局"}, ""},
		{"中国银行保险监督管理委员会福建监管局牵头哪些工作", bot.IntentLead, 0, []string{"福建银保监局"}, "没有"},
		{"Which items involve the State Taxation Administration Fujian Provincial Tax Service?", bot.IntentInvolved, 70, []string{"省税务局"}, ""},
		{"Which items does the Fujian Provincial Administration of Grain and Material Reserves lead?", bot.IntentLead, 45, []string{"省粮储局"}, ""},
		{"Which items does the Fujian Local Financial Supervision and Administration lead?", bot.IntentLead, 68, []string{"省地方金融监督管理局"}, ""},
		{"福建省知识产权局牵头哪些", bot.IntentLead, 4, []string{"省市场监管局"}, "（15条）"},
		{"Which items does the Fujian AMR lead?", bot.IntentLead, 4, []string{"省市场监管局"}, "（15条）"},
		{"Which items does the Department of Housing lead?", bot.IntentLead, 13, []string{"省住建厅"}, ""},
		{"Which items do the Fuzhou and Xiamen customs share?", bot.IntentJoint, 2, []string{"福州海关", "厦门海关"}, ""},
		// The A of 3A级 is part of the code, not an English article.
		{"3A", bot.IntentSearch, 15, nil, "与“3A”相关"},
		{"anything on 3A scenic spots", bot.IntentSearch, 15, nil, ""},
	}
	for _, c := range cases {
		r := ask(c.q)
		if c.first == 0 { // none expected
			if r.Intent != c.intent || len(r.Items) != 0 || !slices.Equal(r.Agencies, c.agencies) || !strings.Contains(r.Title, c.title) {
				t.Errorf("%s: %s %v %v %q, want %s with no items for %v", c.q, r.Intent, r.Items, r.Agencies, r.Title, c.intent, c.agencies)
			}
			continue
		}
		if r.Intent != c.intent || len(r.Items) == 0 || r.Items[0] != c.first {
			t.Errorf("%s: %s %v, want %s with item %d first\n%s", c.q, r.Intent, r.Items, c.intent, c.first, shortText(r.PlainText()))
			continue
		}
		if c.agencies != nil && !slices.Equal(r.Agencies, c.agencies) {
			t.Errorf("%s: agencies %v, want %v", c.q, r.Agencies, c.agencies)
		}
		if !strings.Contains(r.Title, c.title) {
			t.Errorf("%s: title %q, want it to say %q", c.q, r.Title, c.title)
		}
	}
}

// TestVerbatimCompoundFirst: over the index alone, every item that holds a
// many-word query part as written ranks before every item that holds its
// words only apart, and scores stay in rank order.
func TestVerbatimCompoundFirst(t *testing.T) {
	ix := sharedIndex(t)
	plan := seedPlan(t)
	for _, q := range []string{"职业教育", "职业教育质量", "食品安全抽检", "质量安全监管", "知识产权保护"} {
		res, err := ix.Search(context.Background(), q, 71)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		seenApart := false
		for i, h := range res.Hits {
			verbatim := strings.Contains(plan.Item(h.Item).Text, q)
			if verbatim && seenApart {
				t.Errorf("%s: item %d holds it as written but ranks after an item that does not: %v", q, h.Item, hitItems(res.Hits))
			}
			if !verbatim {
				seenApart = true
			}
			if i > 0 && h.Score > res.Hits[i-1].Score {
				t.Errorf("%s: item %d scores %.4f, above the item before it (%.4f)", q, h.Item, h.Score, res.Hits[i-1].Score)
			}
		}
	}
}

func hitItems(hs []duban.Hit) []int {
	out := make([]int, 0, len(hs))
	for _, h := range hs {
		out = append(out, h.Item)
	}
	return out
}

// TestQA2Meta: ways of asking the cover letter that the second QA round
// found answered as searches or who questions.
func TestQA2Meta(t *testing.T) {
	e := bot.New(bot.Config{Plan: seedPlan(t), Searcher: sharedIndex(t)})
	for _, c := range []struct{ q, says string }{
		{"需要发Word还是PDF", "Word或PDF"},
		{"落实情况报给谁", "福建省质量强省工作联席会议办公室"},
		{"Who should we send the report to?", "2021年12月31日"},
		{"这个通知是哪年的", "2021年3月17日"},
		{"联席会议办公室是哪个单位", "福建省质量强省工作联席会议办公室"},
	} {
		r := e.Handle(context.Background(), bot.Request{Text: c.q, UserID: bot.LocalOperator, SourceID: c.q})
		if r.Intent != bot.IntentMeta || !strings.Contains(r.PlainText(), c.says) {
			t.Errorf("%s: %s %q, want meta saying %q", c.q, r.Intent, shortText(r.PlainText()), c.says)
		}
	}
}

// TestQA2SameFigure: a figure that two items state in the same words
// (items 4 and 41 repeat their food-sampling sentences) is attributed to
// both, whichever of them a reader counts it under.
func TestQA2SameFigure(t *testing.T) {
	e := bot.New(bot.Config{Plan: seedPlan(t), Searcher: sharedIndex(t)})
	for _, c := range []struct{ q, value string }{
		{"食品安全抽检监测任务多少批次", "15.86万批次"},
		{"抽样检验完成率是多少", "100%"},
		{"不合格食品核查处置率要达到多少", "100%"},
	} {
		r := e.Handle(context.Background(), bot.Request{Text: c.q, UserID: bot.LocalOperator, SourceID: c.q})
		if r.Intent != bot.IntentTarget || !strings.Contains(r.Title, c.value) ||
			!slices.Contains(r.Items, 4) || !slices.Contains(r.Items, 41) ||
			!strings.Contains(r.Title, "第4条") || !strings.Contains(r.Title, "第41条") {
			t.Errorf("%s: %s %v %q, want %s attributed to items 4 and 41", c.q, r.Intent, r.Items, r.Title, c.value)
		}
	}
	// A figure of one item only is not spread.
	r := e.Handle(context.Background(), bot.Request{Text: "规模养殖场粪污处理设施装备配套率", UserID: bot.LocalOperator, SourceID: "x"})
	if !slices.Equal(r.Items, []int{1}) {
		t.Errorf("配套率: items %v, want [1]", r.Items)
	}
}
