package index_test

import (
	"slices"
	"strings"
	"testing"

	"duban/bot"
)

// TestBroadWho: a who question about a topic that several items are about
// names every agency responsible for them, whatever the wording; an item
// that only ends on the topic (45: 粮食食品安全意识) does not count.
func TestBroadWho(t *testing.T) {
	e := bot.New(bot.Config{Plan: seedPlan(t), Searcher: sharedIndex(t)})
	foodSafety := []string{"厦门海关", "省卫健委", "省市场监管局", "福州海关"}
	cases := map[string][]string{
		"食品安全由哪些单位负责":  foodSafety,
		"食品安全归哪些部门管":   foodSafety,
		"哪些单位负责食品安全工作": foodSafety,
		"食品安全谁负责":      foodSafety,
		"电梯安全归哪个部门牵头":  {"省市场监管局"},
		"养老服务归谁管":      {"省民政厅"},
	}
	for q, want := range cases {
		r := e.Handle(t.Context(), bot.Request{Text: q, UserID: "u"})
		got := sortedStrings(r.Agencies)
		if r.Intent != bot.IntentWho || !slices.Equal(got, sortedStrings(want)) {
			t.Errorf("%s: %s %v, want who %v\n%s", q, r.Intent, got, want, r.Title)
		}
	}
}

// TestWhoBesides: "who else, besides X" answers who is responsible
// without X, for an item or a topic, however it is put.
func TestWhoBesides(t *testing.T) {
	e := bot.New(bot.Config{Plan: seedPlan(t), Searcher: sharedIndex(t)})
	customs := []string{"福州海关", "厦门海关"}
	for _, q := range []string{
		"除了海关还有谁负责第34条",
		"第34条除了海关还有哪些单位",
		"除海关以外第34条还有谁参与",
		"第34条里面海关以外的单位有哪些",
		"besides customs who else works on item 34",
		"apart from the customs, which agencies are responsible for item 34",
	} {
		r := e.Handle(t.Context(), bot.Request{Text: q, UserID: "u"})
		if r.Intent != bot.IntentWho || !slices.Equal(r.Agencies, []string{"省市场监管局"}) || !slices.Equal(r.Items, []int{34}) {
			t.Errorf("%s: %s %v %v\n%s", q, r.Intent, r.Items, r.Agencies, r.PlainText())
		}
		if first := strings.SplitN(r.PlainText(), "\n", 2)[0]; !strings.Contains(first, "省市场监管局") {
			t.Errorf("%s: the first line does not name the others: %s", q, first)
		}
	}
	for _, q := range []string{"除了海关还有哪些单位负责食品安全", "食品安全除了海关还归谁管"} {
		r := e.Handle(t.Context(), bot.Request{Text: q, UserID: "u"})
		if r.Intent != bot.IntentWho || len(r.Agencies) == 0 {
			t.Errorf("%s: %s %v\n%s", q, r.Intent, r.Agencies, r.PlainText())
		}
		for _, a := range customs {
			first := strings.SplitN(r.PlainText(), "\n", 2)[0]
			if slices.Contains(r.Agencies, a) || strings.Contains(first[strings.Index(first, "外，")+1:], a) {
				t.Errorf("%s: names %s, who was excluded:\n%s", q, a, r.PlainText())
			}
		}
	}
	// Nobody else: the answer says so.
	if r := e.Handle(t.Context(), bot.Request{Text: "电梯安全除了市场监管局还有别的部门吗", UserID: "u"}); r.Intent != bot.IntentWho || len(r.Agencies) != 0 || !strings.Contains(r.Title, "只有省市场监管局") {
		t.Errorf("电梯安全除了市场监管局还有别的部门吗: %s %v %s", r.Intent, r.Agencies, r.Title)
	}
}

// TestBroadWhoInEnglish: the same matter asked in English names the same
// agencies as in Chinese.
func TestBroadWhoInEnglish(t *testing.T) {
	e := bot.New(bot.Config{Plan: seedPlan(t), Searcher: sharedIndex(t)})
	foodSafety := []string{"厦门海关", "省卫健委", "省市场监管局", "福州海关"}
	for _, q := range []string{"which agency is responsible for food safety", "who is in charge of food safety", "which agencies regulate food safety"} {
		r := e.Handle(t.Context(), bot.Request{Text: q, UserID: "u"})
		if got := sortedStrings(r.Agencies); r.Intent != bot.IntentWho || !slices.Equal(got, sortedStrings(foodSafety)) {
			t.Errorf("%s: %s %v, want who %v\n%s", q, r.Intent, got, foodSafety, r.Title)
		}
	}
}
