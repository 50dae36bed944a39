package understand

import (
	"fmt"
	"strings"
	"testing"
)

func refsString(refs []PlanRef) string {
	var parts []string
	for _, r := range refs {
		var s string
		switch {
		case r.All:
			s = "all"
		case r.IsRelative:
			s = fmt.Sprintf("rel%d", r.Relative)
		case r.ID != "":
			s = "id:" + r.ID
		default:
			s = fmt.Sprint(r.Year)
		}
		if r.Named {
			s += "!"
		}
		if r.Bare {
			s += "?"
		}
		parts = append(parts, s+"="+r.Text)
	}
	return strings.Join(parts, " ")
}

func TestFindPlanRefs(t *testing.T) {
	cases := map[string]string{
		"2022年省林业局牵头哪些":              "2022=2022年",
		"去年的第3条":                     "rel-1=去年的",
		"plan 2022 item 3":           "2022!=plan 2022",
		"the 2021 plan's item 5":     "2021!=2021 plan's",
		"last year's item 5":         "rel-1=last year's",
		"搜索 全部计划 茶":                  "all!=全部计划",
		"2022年计划中的茶":                 "2022!=2022年计划中的",
		"二〇二二年的第三条":                  "2022=二〇二二年的",
		"省林业局今年和去年牵头的工作对比":           "rel0=今年 rel-1=去年",
		"compare 2021 2022 省林业局":     "2021?=2021 2022?=2022",
		"计划 fujian-2022-quality 第3条": "id:fujian-2022-quality!=计划 fujian-2022-quality",
		"第2022条":                     "",
		"2021年底前增加72项":               "",
		"2021-2023年全省社会公用计量标准建设指导意见": "",
		"化肥使用量比2020年减少多少":            "2020=2020年",
		"12315平台":                    "",
		"今年办的是第几届全省戏剧会演":             "rel0=今年",
		"《福建省2021-2022年度紧缺急需人才引进指导目录》": "",
	}
	for in, want := range cases {
		if got := refsString(FindPlanRefs(in)); got != want {
			t.Errorf("FindPlanRefs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStripPlanRefs(t *testing.T) {
	cases := map[string]string{
		"2022年省林业局牵头哪些":          "省林业局牵头哪些",
		"去年的第3条":                 "第3条",
		"plan 2022 item 3":       "item 3",
		"省林业局今年和去年牵头的工作对比":       "省林业局 牵头的工作对比",
		"compare 2021 2022 省林业局": "compare 省林业局",
	}
	for in, want := range cases {
		if got := StripPlanRefs(in, FindPlanRefs(in)); got != want {
			t.Errorf("StripPlanRefs(%q) = %q, want %q", in, got, want)
		}
	}
	in := "省林业局今年和去年牵头的工作对比"
	if got := StripMatches(StripPlanRefs(in, FindPlanRefs(in)), CompareWords(StripPlanRefs(in, FindPlanRefs(in)))); got != "省林业局 牵头的工作" {
		t.Errorf("without the comparison words: %q", got)
	}
}

func TestReadPlanCommand(t *testing.T) {
	cases := map[string]string{
		"计划列表":                        "list||",
		"list plans":                  "list||",
		"切换计划 2022":                   "switch|2022|user",
		"切换计划 2022 本频道":               "switch|2022|channel",
		"切换计划 fujian-2021-quality 全局": "switch|fujian-2021-quality|global",
		"切换计划 默认":                     "switch||reset",
		"use plan 2021":               "switch|2021|user",
		"导入计划":                        "import||",
		"导入计划 /tmp/p.txt":             "import|/tmp/p.txt|",
		"哪些计划涉及茶":                     "",
		"省林业局牵头哪些":                    "",
	}
	for in, want := range cases {
		c, ok := ReadPlanCommand(in)
		got := ""
		if ok {
			got = c.Kind + "|" + c.Arg + "|" + c.Scope
		}
		if got != want {
			t.Errorf("ReadPlanCommand(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOnlyPlanWords(t *testing.T) {
	for _, s := range []string{"", "工作", "工作要点 的", "计划呢", "the plans", "items and tasks", "事项了吗"} {
		if !OnlyPlanWords(s) {
			t.Errorf("OnlyPlanWords(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"茶", "工作 茶产业", "tea plans", "电梯安全"} {
		if OnlyPlanWords(s) {
			t.Errorf("OnlyPlanWords(%q) = true, want false", s)
		}
	}
}
