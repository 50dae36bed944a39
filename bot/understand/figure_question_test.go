package understand

import "testing"

func TestFigureSubject(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"供水管网要新改建多少公里", "供水管网要新改建"},
		{"今年办的是第几届全省戏剧会演？", "全省戏剧会演"},
		{"要加快发展哪个系列的不锈钢", "要加快发展 的不锈钢"},
		{"How many 长期定位监测点?", "长期定位监测点"},
		{"请问森林公园要改造多少个", "森林公园要改造"},
		{"明年全省戏剧会演办第几届吗", "全省戏剧会演办"},
		{"污水管网的数量是多少", "污水管网"},
		{"帮我查一下 乡村旅游 重点村 有多少家呢", "乡村旅游 重点村 家"},
		{"What percentage of 农产品 is checked", "农产品 is checked"},
		{"How many sampling batches (食品抽检批次)?", "食品抽检批次"},
		{"多少", ""},
	} {
		if got := FigureSubject(c.in); got != c.want {
			t.Errorf("FigureSubject(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestItemFigureSubject(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"的量化目标有哪些", ""},
		{"量化指标", ""},
		{"污水管网多少公里", "污水管网"},
		{"森林步道要建多少公里呢", "森林步道要建"},
		{"Targets: 新改建供水管网 numbers", ": 新改建供水管网"},
		{"what are the figures", "what are the"},
	} {
		if got := ItemFigureSubject(c.in); got != c.want {
			t.Errorf("ItemFigureSubject(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
