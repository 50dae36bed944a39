package index_test

import (
	"slices"
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
