package understand

import (
	"strings"
	"testing"
)

// TestReadLooseReport: a message that says how an item's work stands, in
// whatever order and words, is a report (stored, or confirmed first when
// only a statement says so); one that says it without an item is a report
// missing its item (the handler asks for it); questions are none.
func TestReadLooseReport(t *testing.T) {
	p := seedPlan(t)
	cases := []struct {
		in      string
		verdict Verdict
		want    string // the entries, joined by " | "; "" to skip
	}{
		// An item anywhere, and a status or a share of the work done.
		{"第三条这边进度大概六成", IsReport, "#3 未报送 60% 「第三条这边进度大概六成」"},
		{"我们局第53条推进中", IsReport, "#53 进行中 「我们局第53条推进中」"},
		{"item 53 is about 80% complete, 12 parks upgraded", IsReport, "#53 未报送 80% 「item 53 is about 80% complete, 12 parks upgraded」"},
		{"第53条卡住了，资金没到位", IsReport, "#53 滞后 「第53条卡住了，资金没到位」"},
		{"关于53条，森林公园改造已经搞定了", IsReport, "#53 已完成 「关于53条，森林公园改造已经搞定了」"},
		{"向办公室报告，第3条完成过半", IsReport, ""},
		{"the work on item 3 is behind schedule because of the rain", IsReport, ""},
		// Several sentences, each starting with its item.
		{"第3条已完成抽检。第53条卡住了，资金未到位", MaybeReport, "#3 未报送 「第3条已完成抽检。」 | #53 滞后 「第53条卡住了，资金未到位」"},
		{"第3条进度七成。第53条卡住了，资金未到位", IsReport, "#3 未报送 70% 「第3条进度七成。」 | #53 滞后 「第53条卡住了，资金未到位」"},
		{"第3条进度六成；第53条这周新建步道20公里", MaybeReport, ""},
		// An item and a statement of work done: confirmed first.
		{"这周第53条新建森林步道20公里", MaybeReport, ""},
		// No item: a report that forgot it.
		{"本月完成林产品抽检120批次", IsReport, "#0 未报送 「本月完成林产品抽检120批次」"},
		{"林业标准化那条已经搞完了", IsReport, ""},
		{"森林公园建设已完成过半", IsReport, ""},
		// Questions, and plain topic words, are not reports.
		{"第3条完成了吗", NotReport, ""},
		{"第53条完成情况", NotReport, ""},
		{"第3条进度怎么样", NotReport, ""},
		{"已完成的条目有哪些", NotReport, ""},
		{"完成率达到多少的条目", NotReport, ""},
		{"is item 3 done?", NotReport, ""},
		{"is item 3 done", NotReport, ""},
		{"tell me whether item 3 is done", NotReport, ""},
		{"I want to know if item 53 is completed", NotReport, ""},
		{"item 3 done or not", NotReport, ""},
		{"item 3 completed", IsReport, ""},
		{"item 53: 12 parks done, 3 to go", MaybeReport, ""},
		{"we finished item 53", IsReport, ""},
		{"has item 53 been completed", NotReport, ""},
		{"did item 53 fall behind", NotReport, ""},
		{"are items 3 and 53 on track", NotReport, ""},
		{"第1条化肥农药使用量减少2%", NotReport, ""},
		// Plans, requirements and guesses are asked about, not stored.
		{"第53条应该完成了吧", MaybeReport, ""},
		{"第3条要求年底前完成", MaybeReport, ""},
		{"第53条计划6月完成", MaybeReport, ""},
		{"第53条预计下月完成", MaybeReport, ""},
		{"item 3 will be completed in June", MaybeReport, ""},
		{"item 3: 80%", IsReport, ""},
		{"第3条 70% 抽检进行中", IsReport, ""},
		{"第3条", NotReport, ""},
		{"开展质量提升行动", NotReport, ""},
		{"2021年完成的工作", NotReport, ""},
		{"items about forest parks", NotReport, ""},
	}
	for _, c := range cases {
		r := ReadLooseReport(c.in, p)
		var got []string
		for _, e := range r.Entries {
			got = append(got, entry(e))
		}
		if r.Verdict != c.verdict || c.want != "" && strings.Join(got, " | ") != c.want {
			t.Errorf("%s: %v %s; want %v %s", c.in, r.Verdict, strings.Join(got, " | "), c.verdict, c.want)
		}
	}
}
