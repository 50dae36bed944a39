package duban

import (
	"testing"
)

// TestPickFigure asks PickFigure what the bot asks it after a search: the
// kind, measure word and head of the question, the words searched and the
// items found, best first. The answer is the figure a reader of the plan
// gives, in the item that states it.
func TestPickFigure(t *testing.T) {
	p := seedPlan(t)
	tests := []struct {
		name  string
		q     FigureQuestion
		hits  []int
		item  int
		value string // "" : no figure answers
	}{
		{"a named quantity counted (几个最严)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureCount, Unit: "个", Head: "最严"}, Text: "食品安全要遵循几个最严", Terms: []string{"食品安全", "遵循", "最严"}},
			[]int{41, 4, 5}, 41, "四个最严"},
		{"numerals that are no number (几产融合)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureCount, Head: "产融合发展"}, Text: "竹产业要推动几产融合发展", Terms: []string{"竹产业", "融合", "发展"}},
			[]int{53}, 53, "一二三产融合发展"},
		{"双 counts two (几个平台)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureCount, Unit: "个", Head: "平台"}, Text: "知创中国、知创福建是线上线下几个平台", Terms: []string{"知创中国", "知创福建", "线上线下", "平台"}},
			[]int{24}, 24, "双平台"},
		{"an ordinal and what it is said of (第几道防线)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureOrdinal, Unit: "道", Head: "防线"}, Text: "调解在化解矛盾纠纷中被称为第几道防线", Terms: []string{"调解", "矛盾纠纷", "防线"}},
			[]int{22, 21}, 21, "第一道防线"},
		{"the class that stands by the words asked (第几类 … 审评审批)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureOrdinal, Unit: "类"}, Text: "医疗器械审评审批要加强的是第几类", Terms: []string{"医疗器械", "审评审批", "加强"}},
			[]int{7}, 7, "第二类"},
		{"the class that the words set aside do not stand by (rather than 审评审批)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureOrdinal, Unit: "类"}, Text: "only filing rather than review", Terms: []string{"医疗器械", "备案"}, Aside: []string{"审评审批"}},
			[]int{7}, 7, "第一类"},
		{"a quoted name said of the head (什么计划)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureNamed, Head: "计划"}, Text: "一流专业和一流课程建设落实的是什么计划", Terms: []string{"一流", "专业", "课程", "建设", "落实", "计划"}},
			[]int{62}, 62, "“双万计划”"},
		{"a name before the head beats a name by more of the searched words (什么资源)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureNamed, Head: "资源"}, Text: "石墨烯产业集群要用好什么资源", Terms: []string{"石墨烯", "产业", "集群", "资源"}, Relaxed: true},
			[]int{12}, 12, "“一中心两平台”"},
		{"a name the question says itself is not its answer",
			FigureQuestion{Ask: FigureAsk{Kind: FigureNamed}, Text: "出口食品企业注册的现场培训指导采取什么方式", Terms: []string{"出口食品", "现场培训", "一带一路"}},
			[]int{71}, 71, "一对一"},
		{"no name said of the head: no answer (什么行动)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureNamed, Head: "行动"}, Text: "今年要深入开展什么行动", Terms: []string{"深入", "开展"}},
			[]int{4}, 0, ""},
		{"a date (什么时候)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureDate}, Text: "医养结合的制度要在什么时候前初步建立", Terms: []string{"医养结合", "制度", "初步建立"}},
			[]int{23}, 23, "2021年底"},
		{"a date in the clause before, the matter in the sentence (年底前)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureDate}, Text: "一趟不用跑事项比例什么时候提到70%", Terms: []string{"一趟不用跑", "事项", "比例"}},
			[]int{19}, 19, "年底前"},
		{"a year range (哪几年)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureRange}, Text: "社会公用计量标准建设指导意见管哪几年", Terms: []string{"社会公用", "计量标准", "指导意见"}},
			[]int{57}, 57, "2021-2023年"},
		{"a duration in Chinese numerals (几年)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureDuration, Unit: "年"}, Text: "坚守公路水运工程质量安全红线专项行动是几年", Terms: []string{"公路水运", "质量安全", "红线", "专项行动"}},
			[]int{14}, 14, "三年"},
		{"a grade with its tiers (几级)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureLevel, Unit: "级"}, Text: "知识产权快速协同保护体系分几级", Terms: []string{"知识产权", "协同", "保护体系"}},
			[]int{34}, 34, "省市县三级"},
		{"the grade that stands by the words (哪一级医院 … 安检)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureLevel, Unit: "级", Head: "医院推进"}, Text: "安检工作要在哪一级医院推进", Terms: []string{"安检", "医院"}},
			[]int{22}, 22, "三级"},
		{"a measure word that does not fit is no answer (多少公里)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureCount, Unit: "公里"}, Text: "森林公园改造多少公里", Terms: []string{"森林公园", "改造"}},
			[]int{53}, 53, "300公里"},
		{"the figure in words that no list names, read with the head (几次大调研)",
			FigureQuestion{Ask: FigureAsk{Kind: FigureCount, Unit: "次", Head: "大调研"}, Text: "要对全省重点文旅项目进行几次大调研", Terms: []string{"重点", "文旅", "项目", "大调研"}},
			[]int{55}, 55, "一次大调研"},
		{"a head shared in part does not make 一批金牌 an answer",
			FigureQuestion{Ask: FigureAsk{Kind: FigureCount, Unit: "个", Head: "金牌旅游村"}, Text: "要培育多少个金牌旅游村", Terms: []string{"培育", "金牌旅游村"}},
			[]int{17}, 0, ""},
		{"any figure: the old questions keep their answers",
			FigureQuestion{Ask: FigureAsk{}, Text: "化肥农药使用量要减少多少", Terms: []string{"化肥", "农药", "使用量", "减少"}},
			[]int{1}, 1, "减少2%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits []Hit
			for _, n := range tt.hits {
				hits = append(hits, Hit{Item: n})
			}
			got, ok := PickFigure(p, tt.q, hits)
			if tt.value == "" {
				if ok {
					t.Fatalf("PickFigure = %q of item %d; want no figure", got.Figure.Value, got.Item)
				}
				return
			}
			if !ok || got.Item != tt.item || got.Figure.Value != tt.value {
				t.Fatalf("PickFigure = %q of item %d (found %v); want %q of item %d", got.Figure.Value, got.Item, ok, tt.value, tt.item)
			}
			it := p.Item(got.Item)
			if it.Text[got.Figure.Offset:got.Figure.Offset+len(got.Figure.Value)] != got.Figure.Value {
				t.Errorf("figure %q does not stand at its offset", got.Figure.Value)
			}
		})
	}
}

func TestUnitFits(t *testing.T) {
	fig := func(v string) Target {
		if f := ExtractFigures(v); len(f) > 0 {
			return f[0]
		}
		return Target{Value: v}
	}
	tests := []struct {
		value, unit string
		want        bool
	}{
		{"800公里", "公里", true},
		{"800公里", "千米", true},
		{"30大", "个", true},
		{"12 部", "个", true},
		{"减少2%", "个", false},
		{"提升到92%", "%", true},
		{"第28届", "届", true},
		{"第十批", "届", false},
		{"400系列", "系列", true},
		{"二级以上", "级", true},
		{"300名以上", "人", true},
		{"100周年", "年", true},
		{"三年", "公里", false},
	}
	for _, tt := range tests {
		if got := UnitFits(fig(tt.value), tt.unit); got != tt.want {
			t.Errorf("UnitFits(%q, %q) = %v, want %v", tt.value, tt.unit, got, tt.want)
		}
	}
}

func TestMeasureKind(t *testing.T) {
	tests := []struct {
		w       string
		ordinal bool
		want    FigureKind
		ok      bool
	}{
		{"公里", false, FigureCount, true},
		{"年", false, FigureDuration, true},
		{"级", false, FigureLevel, true},
		{"届", false, FigureEdition, true},
		{"届", true, FigureEdition, true},
		{"类", true, FigureOrdinal, true},
		{"产", false, FigureAny, false},
	}
	for _, tt := range tests {
		if k, ok := MeasureKind(tt.w, tt.ordinal); k != tt.want || ok != tt.ok {
			t.Errorf("MeasureKind(%q, %v) = %s %v, want %s %v", tt.w, tt.ordinal, k, ok, tt.want, tt.ok)
		}
	}
	if m := MeasureAt("个月内"); m != "个月" {
		t.Errorf("MeasureAt(个月内) = %q, want 个月", m)
	}
}

// TestPickFigureReadsThePlansForms: a question that names a thing in a
// short form (文博会) finds the figure in a clause that writes it in full
// (文化博览交易会), from the searcher's forms of the term; those forms
// never count as the question naming the figure.
func TestPickFigureReadsThePlansForms(t *testing.T) {
	p := seedPlan(t)
	q := FigureQuestion{Ask: FigureAsk{Kind: FigureEdition, Unit: "届"}, Text: "文博会第几届", Terms: []string{"文博会"}}
	if a, ok := PickFigure(p, q, []Hit{{Item: 55}}); ok {
		t.Fatalf("without the plan's forms: %+v, want nothing", a)
	}
	q.Forms = []string{"文化博览交易会"}
	a, ok := PickFigure(p, q, []Hit{{Item: 55}})
	if !ok || a.Figure.Value != "第14届" {
		t.Errorf("with the plan's forms: %+v %v, want 第14届", a, ok)
	}
}
