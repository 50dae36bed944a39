package duban

import (
	"fmt"
	"strings"
	"testing"
)

// figureList renders figures as "value/kind" for comparison.
func figureList(figs []Target) string {
	var parts []string
	for _, f := range figs {
		parts = append(parts, f.Value+"/"+f.Kind.String())
	}
	return strings.Join(parts, " ")
}

func TestExtractFiguresKinds(t *testing.T) {
	tests := []struct {
		text string
		want []string // value/kind, each must be among the figures
		not  []string // values that must not be figures
	}{
		// Chinese numerals with measure words, grades, editions, ordinals.
		{"持续推进改进电梯维护保养模式两项试点工作", []string{"两项/count"}, nil},
		{"开展三大创建活动", []string{"三大/count"}, nil},
		{"全省二级以上医院,部署推进三级医院安检工作", []string{"二级以上/level", "三级/level"}, nil},
		{"进一步完善省市县三级知识产权快速协同保护体系", []string{"省市县三级/level"}, nil},
		{"建立健全省、市、校三级职业教育质量年报发布制度", []string{"省、市、校三级/level"}, nil},
		{"提升一批有潜力的3A级及以上旅游景区", []string{"3A级及以上/level"}, []string{"一批"}},
		{"办好第八届福建艺术节、第28届全省戏剧会演", []string{"第八届/edition", "第28届/edition"}, nil},
		{"党的十九届五中全会", []string{"十九届/edition"}, nil},
		{"加强第二类医疗器械审评审批和第一类医疗器械备案管理", []string{"第二类/ordinal", "第一类/ordinal"}, nil},
		{"充分发挥调解在预防和化解矛盾纠纷中的第一道防线作用", []string{"第一道/ordinal"}, nil},
		// Durations, dates, years and ranges.
		{"持续推进“坚守公路水运工程质量安全红线”三年专项行动", []string{"三年/duration"}, nil},
		{"加大对2年内新药的监管力度", []string{"2年内/duration"}, nil},
		{"构建“15分钟便民利企服务圈”", []string{"15分钟/duration"}, nil},
		{"年底前,将事项比例提高到70%以上", []string{"年底前/date", "提高到70%以上/rate"}, nil},
		{"2021年底前增加72项事项", []string{"2021年底前/date", "72项/count"}, []string{"2021年"}},
		{"到2021年底,医养结合服务相关制度初步建立", []string{"2021年底/date"}, nil},
		{"请于6月底前报送,3月17日印发", []string{"6月底前/date", "3月17日/date"}, nil},
		{"办好2021年“5·18国际博物馆日”", []string{"5·18/date", "2021年/year"}, nil},
		{"《福建省公共法律服务发展指标(2019—2022年)》", []string{"2019—2022年/range"}, nil},
		{"制定2021-2023年全省社会公用计量标准建设指导意见", []string{"2021-2023年/range"}, nil},
		{"编制《福建省2021-2022年度紧缺急需人才引进指导目录》", []string{"2021-2022年度/range"}, nil},
		{"比2020年减少百分之二", []string{"减少百分之二/rate"}, nil},
		// Named quantities led by a numeral, and quoted names.
		{"“一企一策”精准帮扶水产品企业", []string{"“一企一策”/term"}, []string{"一企一策精准"}},
		{"遵循“四个最严”要求", []string{"“四个最严”/term"}, []string{"四个"}},
		{"高效运营“知创中国”“知创福建”线上线下双平台并向地市延伸", []string{"“知创中国”“知创福建”/term", "双平台/named"}, nil},
		{"促进竹产业一二三产融合发展", []string{"一二三产/named"}, nil},
		{"开展红色旅游五好讲解员建设行动", []string{"五好讲解员/named"}, nil},
		{"对出口食品生产企业一对一开展现场培训指导", []string{"一对一/named"}, nil},
		{"大力推进食用农产品合格证与一品一码追溯并行制度", []string{"一品一码/named"}, nil},
		{"加强民用三表等重点监管计量器具的法制管理", []string{"三表/named"}, nil},
		{"稳步推进1+X证书制度试点工作", []string{"1+X/named"}, nil},
		{"持续打响“清新福建”“全福游、有全福”品牌", []string{"“清新福建”“全福游、有全福”/term"}, nil},
		{"落实2021年‘网剑’专项行动", []string{"‘网剑’/term"}, nil},
		{"加快出台《福建省绿色建筑发展条例》", []string{"《福建省绿色建筑发展条例》/title"}, nil},
		// Not figures: articles, codes, words with a numeral inside.
		{"进一步统一部署,启动一批快速路建设", nil, []string{"一步", "一部", "一批"}},
		{"有效运用全国12315平台", nil, []string{"12315", "315"}},
		{"重点突破核心基础零部件", nil, []string{"零部", "零部件"}},
		{"继续举办2021中国福建(永安)石墨烯创新创业大赛", nil, []string{"2021"}},
	}
	for _, tt := range tests {
		figs := ExtractFigures(tt.text)
		got := " " + figureList(figs) + " "
		for _, w := range tt.want {
			if !strings.Contains(got, " "+w+" ") {
				t.Errorf("ExtractFigures(%q) = %s; want %s among them", tt.text, got, w)
			}
		}
		for _, f := range figs {
			for _, n := range tt.not {
				if f.Value == n {
					t.Errorf("ExtractFigures(%q): %q is no figure (%s)", tt.text, n, got)
				}
			}
			if !strings.HasPrefix(tt.text[f.Offset:], f.Value) || !strings.Contains(f.Clause, f.Value) {
				t.Errorf("ExtractFigures(%q): %q at %d, clause %q do not hold it", tt.text, f.Value, f.Offset, f.Clause)
			}
		}
	}
}

// TestSeedFigures holds the figures written in words that the plan's items
// state: a question about them is answered only if they are read.
func TestSeedFigures(t *testing.T) {
	p := seedPlan(t)
	want := map[int][]string{
		2:  {"“一企一策”/term"},
		7:  {"第二类/ordinal", "第一类/ordinal"},
		9:  {"“三品”/term", "400系列/count"},
		14: {"三年/duration"},
		17: {"五好讲解员/named", "“月月有活动”/term"},
		19: {"年底前/date", "2021年底前/date", "15分钟/duration"},
		21: {"2019—2022年/range", "第一道/ordinal"},
		23: {"2021年底/date"},
		24: {"“十四五”/term", "双平台/named"},
		34: {"省市县三级/level", "“龙腾2021”/term"},
		39: {"两项/count"},
		41: {"“四个最严”/term", "“五个到位”/term", "15.86万批次/count"},
		42: {"“一物一码”/term", "2年内/duration"},
		53: {"一二三产/named", "第十届/edition"},
		54: {"5·18/date", "“六个一批”“一城七线”/term", "第44届/edition"},
		57: {"2021-2023年/range", "三表/named"},
		62: {"“双万计划”/term", "1+X/named", "省、市、校三级/level"},
		71: {"一对一/named"},
	}
	for n, vals := range want {
		it := p.Item(n)
		got := " " + figureList(it.Figures) + " "
		for _, v := range vals {
			if !strings.Contains(got, " "+v+" ") {
				t.Errorf("item %d figures %s lack %s", n, got, v)
			}
		}
		for _, f := range it.Targets {
			if !f.Kind.Quantitative() {
				t.Errorf("item %d: target %q is a %s, not a quantitative figure", n, f.Value, f.Kind)
			}
		}
	}
}

func TestFigureKindString(t *testing.T) {
	for k := FigureAny; k <= FigureTitle; k++ {
		if s := k.String(); s == "" || strings.HasPrefix(s, "FigureKind(") {
			t.Errorf("kind %d has no name", int(k))
		}
	}
	if s := FigureKind(99).String(); s != fmt.Sprintf("FigureKind(%d)", 99) {
		t.Errorf("FigureKind(99) = %q", s)
	}
}

func FuzzExtractFigures(f *testing.F) {
	f.Add("遵循“四个最严”要求,2021年底前增加72项,省市县三级,第一道防线,5·18,2019—2022年")
	f.Add("“未闭合的引号 一企一策 双 1+ 百分之")
	f.Add("第第第一一一二二三三年年年底")
	f.Fuzz(func(t *testing.T, text string) {
		for _, fg := range ExtractFigures(text) {
			if fg.Offset < 0 || fg.Offset+len(fg.Value) > len(text) || text[fg.Offset:fg.Offset+len(fg.Value)] != fg.Value {
				t.Fatalf("figure %q at %d does not stand in %q", fg.Value, fg.Offset, text)
			}
		}
	})
}
