package understand

import (
	"testing"

	"duban"
)

func TestFigureAsked(t *testing.T) {
	tests := []struct {
		q          string
		kind       duban.FigureKind
		unit, head string
	}{
		// Counts, with the measure word asked and what is counted.
		{"供水管网要新改建多少公里", duban.FigureCount, "公里", ""},
		{"重点围绕福建省多少个渔业品牌", duban.FigureCount, "个", "渔业品牌"},
		{"食品安全要遵循几个最严", duban.FigureCount, "个", "最严"},
		{"竹产业要推动几产融合发展", duban.FigureCount, "", "产融合发展"},
		{"集贸市场的民用几表是重点监管计量器具", duban.FigureCount, "", "表"},
		{"化肥农药使用量要减少多少", duban.FigureAny, "", ""},
		{"How many km of rainwater pipes are planned?", duban.FigureCount, "公里", ""},
		// Rates, grades, periods.
		{"综合利用率提升到多少", duban.FigureRate, "%", ""},
		{"What percentage of services should be 一趟不用跑?", duban.FigureRate, "%", ""},
		{"覆盖哪一级的医院", duban.FigureLevel, "级", "医院"},
		{"旅游景区提升的是几A级以上", duban.FigureLevel, "A级", "以上"},
		{"What grade of tourist attractions is to be upgraded?", duban.FigureLevel, "级", ""},
		{"专项行动是几年", duban.FigureDuration, "年", ""},
		{"消防能力提升行动要开展多长时间", duban.FigureDuration, "", ""},
		{"建党多少周年", duban.FigureDuration, "周年", ""},
		{"New drugs approved within how many years get stricter supervision?", duban.FigureDuration, "年", ""},
		// Dates, years, ranges.
		{"医养结合的制度要在什么时候前初步建立", duban.FigureDate, "", "前初步建立"},
		{"国际博物馆日是几月几号", duban.FigureDate, "", ""},
		{"By when should the share reach 70%?", duban.FigureDate, "", ""},
		{"哪一年是文旅项目建设年", duban.FigureYear, "", "是文旅项目建设年"},
		{"人才引进指导目录是哪个年度的", duban.FigureRange, "", ""},
		{"Which years does the guideline cover?", duban.FigureRange, "", ""},
		// Editions and ordinals.
		{"今年办的是第几届全省戏剧会演", duban.FigureEdition, "届", "全省戏剧会演"},
		{"省级考古遗址公园申报是第几批", duban.FigureEdition, "批", ""},
		{"调解被称为第几道防线", duban.FigureOrdinal, "道", "防线"},
		{"医疗器械审评审批要加强的是第几类", duban.FigureOrdinal, "类", ""},
		{"Which session of the World Heritage Committee", duban.FigureEdition, "届", ""},
		{"Which class of medical devices only needs filing?", duban.FigureOrdinal, "类", ""},
		// Names.
		{"要加快发展哪个系列的不锈钢", duban.FigureCount, "系列", "不锈钢"},
		{"一流课程建设落实的是什么计划", duban.FigureNamed, "", "计划"},
		{"疫苗全程追溯要实现哪种码", duban.FigureNamed, "", "码"},
		{"文旅节庆活动要营造什么样的营销格局", duban.FigureNamed, "", "营销格局"},
		{"公路水运的品质工程建设试点叫什么", duban.FigureNamed, "", "品质工程建设试点"},
		{"打击网络市场突出问题的专项行动叫啥", duban.FigureNamed, "", "专项行动"},
		{"无公害、绿色、有机和地理标志农产品简称什么", duban.FigureNamed, "", "有机和地理标志农产品"},
		{"尤其支持哪类高校的成果转化", duban.FigureNamed, "类", "高校"},
		{"医院要加强哪几防建设", duban.FigureNamed, "", "防建设"},
		{"现场培训指导采取什么方式", duban.FigureNamed, "", ""},
		{"What is the special campaign for the consumer goods industry called?", duban.FigureNamed, "", ""},
		{"What's the name of the campaign for red tourism tour guides?", duban.FigureNamed, "", ""},
		{"What approach is used to help aquatic-product exporters?", duban.FigureNamed, "", ""},
		{"Which Xiamen service model is being promoted?", duban.FigureNamed, "", ""},
		{"How is on-site training delivered to food exporters?", duban.FigureNamed, "", ""},
	}
	for _, tt := range tests {
		got, ok := FigureAsked(tt.q)
		if !ok || got.Kind != tt.kind || got.Unit != tt.unit || got.Head != tt.head {
			t.Errorf("FigureAsked(%q) = %s %q %q (%v), want %s %q %q", tt.q, got.Kind, got.Unit, got.Head, ok, tt.kind, tt.unit, tt.head)
		}
	}
}

// TestFigureAskedNot holds the questions that ask for no figure: items,
// agencies, what a thing is, counts of items, where a topic stands.
func TestFigureAskedNot(t *testing.T) {
	for _, q := range []string{
		"哪些工作涉及石墨烯",
		"石墨烯有什么要求",
		"第39条是什么",
		"什么是三品一标",
		"电梯安全归哪个部门牵头",
		"食品安全由哪些单位负责",
		"省林业局牵头哪些工作",
		"四个最严是哪条",
		"电梯在第几条",
		"多少条涉及茶",
		"为什么要开展质量提升行动",
		"跟茶有关的内容",
		"items about 医疗器械",
		"Which items does 省林业局 lead?",
		"What about food safety?",
	} {
		if got, ok := FigureAsked(q); ok {
			t.Errorf("FigureAsked(%q) = %s %q %q; want no figure asked", q, got.Kind, got.Unit, got.Head)
		}
	}
}

func TestFigureTopic(t *testing.T) {
	tests := []struct{ in, want string }{
		{"食品安全要遵循几个最严", "食品安全要遵循 最严"},
		{"一流课程建设落实的是什么计划", "一流课程建设落实的是 计划"},
		{"公路水运的品质工程建设试点叫什么", "公路水运的品质工程建设试点"},
		{"What is the special campaign for the consumer goods industry called?", "What is the special campaign for the consumer goods industry ?"},
		{"综合利用率提升到多少", "综合利用率提升到多少"},
		{"石墨烯", "石墨烯"},
	}
	for _, tt := range tests {
		if got := FigureTopic(tt.in); got != tt.want {
			t.Errorf("FigureTopic(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFigureSetAside(t *testing.T) {
	tests := []struct {
		in, rest string
		aside    []string
	}{
		{"Which class of medical devices only needs filing rather than review and approval?", "Which class of medical devices only needs filing ?", []string{"review and approval"}},
		{"只需要备案而不是审评审批的是第几类医疗器械", "只需要备案 的是第几类医疗器械", []string{"审评审批"}},
		{"不是审评审批而是备案管理的是第几类", "而是备案管理的是第几类", []string{"审评审批"}},
		{"What is the target for notable items?", "What is the target for notable items?", nil},
	}
	for _, tt := range tests {
		rest, aside := FigureSetAside(tt.in)
		if rest != tt.rest || len(aside) != len(tt.aside) || len(aside) > 0 && aside[0] != tt.aside[0] {
			t.Errorf("FigureSetAside(%q) = %q %q, want %q %q", tt.in, rest, aside, tt.rest, tt.aside)
		}
	}
}

// TestQueryAsksFigureInWords holds that the typed query routes a question
// for a name, a date or an ordinal to the figure answer.
func TestQueryAsksFigureInWords(t *testing.T) {
	rd := seedReader(t)
	for _, q := range []string{"疫苗全程追溯要实现哪种码", "医养结合的制度要在什么时候前初步建立", "医疗器械审评审批要加强的是第几类", "What is the special campaign for the consumer goods industry called?",
		"What are the figures in item 13?", "item 41 targets", "any quantitative indicators in point 22"} {
		if got := rd.Read(q); !got.Figure {
			t.Errorf("Read(%q).Figure = false, want true", q)
		}
	}
}
