package bot_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"duban"
	"duban/bot"
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

// fixedNow is the clock of the tests: 2021-06-30 12:00 in Fujian.
var fixedNow = time.Date(2021, 6, 30, 12, 0, 0, 0, duban.ChinaTime())

func newEngine(t testing.TB) *bot.Engine {
	t.Helper()
	return bot.New(bot.Config{Plan: seedPlan(t), Now: func() time.Time { return fixedNow }})
}

func ask(e *bot.Engine, q string) bot.Reply {
	return e.Handle(context.Background(), bot.Request{Text: q, UserID: bot.LocalOperator, SourceID: q})
}

// evalCase is one line of testdata/eval/dev.jsonl.
type evalCase struct {
	ID     string          `json:"id"`
	Kind   string          `json:"kind"`
	Q      string          `json:"q"`
	Expect json.RawMessage `json:"expect"`
	Nice   []int           `json:"nice"`
}

func loadEval(t testing.TB) []evalCase {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "eval", "dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []evalCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c evalCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("eval line: %v", err)
		}
		out = append(out, c)
	}
	return out
}

// TestEvalLookups runs the lead, joint, involved, item and meta questions of
// the development set through Engine.Handle; every one must be exact.
func TestEvalLookups(t *testing.T) {
	e := newEngine(t)
	wantIntent := map[string]bot.Intent{"lead": bot.IntentLead, "joint": bot.IntentJoint, "involved": bot.IntentInvolved, "item": bot.IntentItem, "meta": bot.IntentMeta}
	n := 0
	for _, c := range loadEval(t) {
		if _, ok := wantIntent[c.Kind]; !ok {
			continue
		}
		n++
		t.Run(c.ID, func(t *testing.T) {
			r := ask(e, c.Q)
			if r.Intent != wantIntent[c.Kind] {
				t.Errorf("%s: intent %s, want %s\n%s", c.Q, r.Intent, wantIntent[c.Kind], r.PlainText())
			}
			if c.Kind == "meta" {
				var m struct{ Value string }
				json.Unmarshal(c.Expect, &m)
				if !strings.Contains(r.PlainText(), m.Value) {
					t.Errorf("%s: answer lacks %q:\n%s", c.Q, m.Value, r.PlainText())
				}
				return
			}
			var want []int
			json.Unmarshal(c.Expect, &want)
			if !slices.Equal(r.Items, want) && !(len(want) == 0 && len(r.Items) == 0) {
				t.Errorf("%s: items %v, want %v\n%s", c.Q, r.Items, want, r.PlainText())
			}
			if len(want) == 0 && !strings.Contains(r.PlainText(), "没有") {
				t.Errorf("%s: a 'none' answer must say so:\n%s", c.Q, r.PlainText())
			}
		})
	}
	if n < 15 {
		t.Fatalf("only %d lookup questions in the eval set", n)
	}
}

// goldenItem mirrors testdata/plan.golden.json, the hand-checked reading of
// the seed, so that expectations do not come from the parser under test.
type goldenItem struct {
	Number int      `json:"number"`
	Lead   []string `json:"lead"`
	Joint  []string `json:"joint"`
}

func loadGolden(t testing.TB) []goldenItem {
	b, err := os.ReadFile(filepath.Join("..", "testdata", "plan.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g []goldenItem
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

// TestAgencyQuestionsEveryVariant asks lead, joint and involved questions of
// every agency under every name it goes by, in Chinese and English, and
// compares with the golden reading.
func TestAgencyQuestionsEveryVariant(t *testing.T) {
	e := newEngine(t)
	golden := loadGolden(t)
	want := func(agency string, lead, joint bool) []int {
		out := []int{}
		for _, g := range golden {
			if lead && slices.Contains(g.Lead, agency) || joint && slices.Contains(g.Joint, agency) {
				out = append(out, g.Number)
			}
		}
		return out
	}
	templates := []struct {
		format      string
		intent      bot.Intent
		lead, joint bool
	}{
		{"%s牵头哪些工作?", bot.IntentLead, true, false},
		{"which items does %s lead", bot.IntentLead, true, false},
		{"%s按职责落实哪些", bot.IntentJoint, false, true},
		{"%s负责哪些", bot.IntentInvolved, true, true},
		{"%s涉及哪些工作", bot.IntentInvolved, true, true},
		{"what items involve %s", bot.IntentInvolved, true, true},
	}
	asked := 0
	for _, a := range e.Plan().Directory.Agencies() {
		variants := append([]string{a.Name, a.Full, a.Header}, a.Aliases...)
		for _, v := range variants {
			if v == "" {
				continue
			}
			for _, tpl := range templates {
				q := fmt.Sprintf(tpl.format, v)
				r := ask(e, q)
				asked++
				w := want(a.Name, tpl.lead, tpl.joint)
				if r.Intent != tpl.intent || !slices.Equal(r.Items, w) {
					t.Errorf("%s: %s %v, want %s %v", q, r.Intent, r.Items, tpl.intent, w)
				}
				if !slices.Contains(r.Agencies, a.Name) {
					t.Errorf("%s: agencies %v lack %s", q, r.Agencies, a.Name)
				}
				if len(w) == 0 && !strings.Contains(r.PlainText(), "没有") {
					t.Errorf("%s: none answer does not say so: %s", q, r.PlainText())
				}
			}
		}
	}
	t.Logf("%d questions asked", asked)
}

func TestAgencyQuestionsSpecialCases(t *testing.T) {
	e := newEngine(t)
	cases := []struct {
		q        string
		intent   bot.Intent
		items    []int
		agencies []string
		says     string
	}{
		{"海关牵头哪些工作", bot.IntentLead, []int{}, []string{"福州海关", "厦门海关"}, "可指福州海关、厦门海关"},
		{"海关按职责落实哪些", bot.IntentJoint, []int{2, 5, 34, 36, 43, 71}, []string{"福州海关", "厦门海关"}, "福州海关、厦门海关按职责落实的工作要点（各6条，相同）"},
		{"税务局负责什么", bot.IntentInvolved, []int{70}, []string{"省税务局", "厦门市税务局"}, "可指"},
		{"省应急厅牵头哪些工作", bot.IntentLead, []int{}, []string{"省应急厅"}, "主送单位"},
		{"省委组织部负责什么", bot.IntentInvolved, []int{}, []string{"省委组织部"}, "没有牵头或按职责落实"},
		{"省文旅厅有哪些工作是按职责落实的", bot.IntentJoint, []int{}, []string{"省文旅厅"}, "没有按职责落实"},
		{"省林业局和省体育局牵头哪些工作", bot.IntentLead, []int{3, 11, 52, 53}, []string{"省林业局", "省体育局"}, "合计4条"},
		{"市监局牵头哪些工作", bot.IntentLead, []int{4, 10, 24, 30, 33, 38, 39, 40, 41, 44, 47, 48, 49, 51, 57}, []string{"省市场监管局"}, ""},
		{"人行福州中心支行牵头什么", bot.IntentLead, []int{67}, []string{"中国人民银行福州中心支行"}, ""},
		{"省林业局", bot.IntentInvolved, []int{3, 53}, []string{"省林业局"}, ""},
		// Bare 参与 asks every role; 参与落实 / 参与单位 name the 按职责落实 role.
		{"省发改委参与了哪些工作", bot.IntentInvolved, []int{12, 15, 19, 26, 27, 50}, []string{"省发改委"}, ""},
		{"省住建厅参与哪些工作", bot.IntentInvolved, []int{13}, []string{"省住建厅"}, ""},
		{"省发改委参与落实哪些工作", bot.IntentJoint, []int{12}, []string{"省发改委"}, ""},
		{"省公安厅是哪些工作的参与单位", bot.IntentJoint, []int{35}, []string{"省公安厅"}, ""},
		{"ＷＨＩＣＨ ITEMS DOES 省林业局 LEAD？", bot.IntentLead, []int{3, 53}, []string{"省林业局"}, ""},
	}
	for _, c := range cases {
		r := ask(e, c.q)
		if r.Intent != c.intent || !slices.Equal(r.Items, c.items) || !slices.Equal(r.Agencies, c.agencies) {
			t.Errorf("%s: %s %v %v, want %s %v %v\n%s", c.q, r.Intent, r.Items, r.Agencies, c.intent, c.items, c.agencies, r.PlainText())
		}
		if !strings.Contains(r.PlainText(), c.says) {
			t.Errorf("%s: answer lacks %q:\n%s", c.q, c.says, r.PlainText())
		}
	}
}

func TestUnknownAgency(t *testing.T) {
	e := newEngine(t)
	for q, suggest := range map[string]string{
		"省林木局牵头哪些工作":   "省林业局",
		"省公安局负责什么":     "省公安厅",
		"省生态环境厅牵头哪些工作": "",
	} {
		r := ask(e, q)
		if r.Intent != bot.IntentError || !strings.Contains(r.PlainText(), "没有找到这个单位") || !strings.Contains(r.PlainText(), suggest) {
			t.Errorf("%s: %s\n%s", q, r.Intent, r.PlainText())
		}
	}
}

// TestTypedHomophone: a name with one character swapped for a homophone
// (what a pinyin input method does) is answered for the agency it was
// meant to be, and the reply says so; any other unknown name is not.
func TestTypedHomophone(t *testing.T) {
	e := newEngine(t)
	cases := []struct {
		q     string
		items []int
		says  string
	}{
		{"省林叶局牵头哪些工作", []int{3, 53}, "已按“省林业局”回答"},
		{"省卫建委负责哪些工作", []int{6, 22, 23}, "没有“省卫建委”这个单位"},
		{"请问省教育庭牵头哪些？", []int{29, 61, 62}, "已按“省教育厅”回答"},
	}
	for _, c := range cases {
		r := ask(e, c.q)
		if !slices.Equal(r.Items, c.items) || !strings.Contains(r.PlainText(), c.says) {
			t.Errorf("%s: %s %v, want %v saying %q\n%s", c.q, r.Intent, r.Items, c.items, c.says, r.PlainText())
		}
	}
	if r := ask(e, "省民宗厅负责哪些"); r.Intent != bot.IntentError || len(r.Items) != 0 {
		t.Errorf("省民宗厅 (no homophone of 省民政厅): %s %v", r.Intent, r.Items)
	}
}

func TestItemQuestions(t *testing.T) {
	e := newEngine(t)
	cases := map[string][]int{
		"第39条是什么": {39}, "第三十九条": {39}, "要点35": {35}, "35条": {35}, "#35": {35},
		"show item 67": {67}, "what is item 12 about": {12}, "第七十一条": {71}, "39": {39},
		"第3条和第53条": {3, 53}, "items 3 and 5": {3, 5}, "第 ３９ 条": {39},
	}
	for q, want := range cases {
		r := ask(e, q)
		if r.Intent != bot.IntentItem || !slices.Equal(r.Items, want) {
			t.Errorf("%s: %s %v, want item %v", q, r.Intent, r.Items, want)
		}
	}
	r := ask(e, "第39条")
	text := r.PlainText()
	for _, want := range []string{"第39条", "牵头单位: 省市场监管局", "电梯物联网", "强化信用监管"} {
		if !strings.Contains(text, want) {
			t.Errorf("item 39 answer lacks %q:\n%s", want, text)
		}
	}
	r = ask(e, "第34条")
	if !strings.Contains(r.PlainText(), "按职责落实: 省市场监管局、福州海关、厦门海关") {
		t.Errorf("item 34 answer lacks its joint agencies:\n%s", r.PlainText())
	}
	for _, q := range []string{"第72条", "第0条", "item 500", "第-1条"} {
		r := ask(e, q)
		if r.Intent != bot.IntentError || !strings.Contains(r.Title, "共71条") {
			t.Errorf("%s: %s %q", q, r.Intent, r.Title)
		}
	}
}

func TestItemTargetsAndWho(t *testing.T) {
	e := newEngine(t)
	r := ask(e, "第13条有哪些量化指标")
	if r.Intent != bot.IntentTarget || !slices.Equal(r.Items, []int{13}) {
		t.Fatalf("intent %s items %v", r.Intent, r.Items)
	}
	for _, v := range []string{"【800公里】", "【900公里】", "【750公里】"} {
		if !strings.Contains(r.PlainText(), v) {
			t.Errorf("targets of item 13 lack %s:\n%s", v, r.PlainText())
		}
	}
	if r := ask(e, "第3条有哪些量化指标"); !strings.Contains(r.Title, "没有量化指标") {
		t.Errorf("item 3: %s", r.Title)
	}
	r = ask(e, "第43条由谁牵头")
	if r.Intent != bot.IntentWho || !slices.Equal(r.Agencies, []string{"福州海关", "厦门海关"}) || !strings.Contains(r.Title, "没有单一牵头单位") {
		t.Errorf("who of 43: %s %v %s", r.Intent, r.Agencies, r.Title)
	}
}

func TestMetaQuestions(t *testing.T) {
	e := newEngine(t)
	cases := map[string]string{
		"反馈截止时间是什么时候":          "2021年12月31日前",
		"when is feedback due": "2021年12月31日前",
		"联系人是谁":                "林忠辉",
		"联系电话":                 "18959167520",
		"传真号码是多少":              "0591—87580701",
		"邮箱":                   "7263441@qq.com",
		"发文单位":                 "福建省质量强省工作联席会议办公室",
		"发文日期":                 "2021年3月17日",
		"哪些单位收到了通知":            "中国人民银行福州中心支行",
		"依据的文件是什么":             "关于开展质量提升行动加快建设质量强省的实施意见",
	}
	for q, want := range cases {
		r := ask(e, q)
		if r.Intent != bot.IntentMeta || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%s: %s\n%s", q, r.Intent, r.PlainText())
		}
	}
	if r := ask(e, "反馈截止时间"); !strings.Contains(r.Note, "还有184天") {
		t.Errorf("days left on 2021-06-30: %q", r.Note)
	}
}

func TestHelpAndNoise(t *testing.T) {
	e := newEngine(t)
	for _, q := range []string{"", "帮助", "help", "  ？ "} {
		if r := ask(e, q); r.Intent != bot.IntentHelp || !strings.Contains(r.PlainText(), "省林业局牵头哪些工作") {
			t.Errorf("%q: %s", q, r.Intent)
		}
	}
	// Slack markup is stripped before reading the question.
	if r := ask(e, "<@U0BOT> 第39条是什么"); r.Intent != bot.IntentItem || !slices.Equal(r.Items, []int{39}) {
		t.Errorf("mention: %s %v", r.Intent, r.Items)
	}
}

func BenchmarkHandleLookup(b *testing.B) {
	e := newEngine(b)
	qs := []string{"省林业局牵头哪些工作?", "which items does 省林业局 lead", "第39条是什么", "海关按职责落实哪些", "反馈截止时间是什么时候", "第13条有哪些量化指标"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ask(e, qs[i%len(qs)])
		i++
	}
}

// TestSmallTalk: a greeting gets the help, thanks a short polite word, and
// neither is searched for; a greeting before a question does not hide it.
func TestSmallTalk(t *testing.T) {
	e := newEngine(t)
	for q, want := range map[string]string{"你好": "您好！督办助手", "在吗？": "您好！", "hello": "您好！", "谢谢！": "不客气", "好的": "好的，有问题随时问我"} {
		if r := ask(e, q); r.Intent != bot.IntentHelp || !strings.HasPrefix(r.Title, want) {
			t.Errorf("%s: %s %q, want help starting %q", q, r.Intent, r.Title, want)
		}
	}
	if r := ask(e, "你好，省林业局牵头哪些工作"); r.Intent != bot.IntentLead || !slices.Equal(r.Items, []int{3, 53}) {
		t.Errorf("greeting and question: %s %v", r.Intent, r.Items)
	}
}

// TestSharedItemsNote: two agencies asked about together get the union,
// and a note names the items they share.
func TestSharedItemsNote(t *testing.T) {
	r := ask(newEngine(t), "哪些条目由省市场监管局和福州海关共同落实")
	if r.Intent != bot.IntentJoint || !slices.Equal(r.Items, []int{2, 5, 34, 35, 36, 43, 71}) || !strings.Contains(r.Note, "共同负责的是第34条") {
		t.Errorf("%s %v note %q", r.Intent, r.Items, r.Note)
	}
	// None shared: said so, not left for the reader to work out.
	for _, q := range []string{"商务厅和市场监管局一起负责的有哪些", "林业局和教育厅一起负责哪些"} {
		if r := ask(newEngine(t), q); !strings.Contains(r.Note, "没有共同负责的条目") {
			t.Errorf("%s: %s %v note %q", q, r.Intent, r.Items, r.Note)
		}
	}
}

// TestAgencyItemsBesides: an agency question that excludes items lists
// the others and says what it left out.
func TestAgencyItemsBesides(t *testing.T) {
	e := newEngine(t)
	for _, q := range []string{"除了第三条，林业局还有啥", "林业局负责的，第3条不算", "省林业局牵头哪些工作（第三条除外）", "what else does the forestry bureau lead besides item 3"} {
		r := ask(e, q)
		if !slices.Equal(r.Items, []int{53}) || !strings.Contains(r.PlainText(), "除去第3条") {
			t.Errorf("%s: %s %v\n%s", q, r.Intent, r.Items, r.PlainText())
		}
	}
}

// TestAgencyItemsWithin: an agency question over a span of items lists
// the agency's items among them.
func TestAgencyItemsWithin(t *testing.T) {
	e := newEngine(t)
	cases := []struct {
		q     string
		items []int
	}{
		{"前十条里哪些是海关的", []int{2, 5}},
		{"第1到10条里哪些是市场监管局牵头的", []int{4, 10}},
		{"二十条以后有哪些是文旅厅的", []int{54, 55, 56, 64}},
		{"第50条之后林业局负责的", []int{53}},
		{"items 1-10 led by the market regulator", []int{4, 10}},
		{"which of the last five items does customs share", []int{71}},
	}
	for _, c := range cases {
		r := ask(e, c.q)
		if !slices.Equal(r.Items, c.items) {
			t.Errorf("%s: %s %v, want %v\n%s", c.q, r.Intent, r.Items, c.items, r.PlainText())
		}
	}
}

// TestItemRoleCheck: a yes/no question whether an agency has a role on
// an item is answered yes or no, with who leads and who shares it.
func TestItemRoleCheck(t *testing.T) {
	e := newEngine(t)
	cases := map[string]string{
		"第5条是海关牵头的吗":                                        "不是，福州海关、厦门海关不牵头第5条",
		"does customs lead item 5":                          "不是",
		"省林业局是不是第3条的牵头单位":                                   "是的，省林业局牵头第3条",
		"is the tourism department responsible for item 17": "是的，省文旅厅负责第17条",
		"第34条市场监管局参与了吗":                                     "是的",
		"林业局负责第4条吗":                                         "不是，省林业局不负责第4条",
	}
	for q, want := range cases {
		r := ask(e, q)
		if r.Intent != bot.IntentWho || !strings.HasPrefix(r.Title, want) {
			t.Errorf("%s: %s %q, want it to start %q", q, r.Intent, r.Title, want)
		}
	}
}
