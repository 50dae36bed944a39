package bot

import "testing"

func TestStripQuestion(t *testing.T) {
	tests := []struct {
		name    string
		fillers string
		in      string
		want    string
	}{
		{"search", "search", "哪些工作涉及石墨烯", "石墨烯"},
		{"search", "search", "有关茶的内容", "茶"},
		{"search", "search", "文物保护相关的工作", "文物保护"},
		{"search", "search", "法律援助相关的要点", "法律援助"},
		{"search", "search", "乳粉在哪些条目里", "乳粉"},
		{"search", "search", "在哪些条目里提到冷链物流", "冷链物流"},
		{"search", "search", "items about 医疗器械 supervision", "医疗器械 supervision"},
		{"search", "search", "which items mention 茶", "茶"},
		{"search", "search", "请问 学前教育 幼儿园", "学前教育 幼儿园"},
		{"search", "search", "工程质量", "工程质量"},
		{"search", "search", "？", ""},
		{"search", "search", "有没有涉及茶叶的", "茶叶"},
		{"search", "search", "石墨烯在哪一条", "石墨烯"},
		{"search", "search", "哪条讲电梯", "电梯"},
		{"search", "search", "哪一条是关于养老的", "养老"},
		{"search", "search", "跟养老有关的", "养老"},
		{"search", "search", "请问有哪些工作和乡村振兴有关", "乡村振兴"},
		{"search", "search", "养老方面有什么工作", "养老"},
		{"search", "search", "关键词 校园", "校园"},
		{"search", "search", `包含"校园"的条目`, "校园"},
		{"search", "search", "Any items on tea?", "tea"},
		{"search", "search", "Is there anything on cold chain logistics?", "cold chain logistics"},
		{"search", "search", "list everything about 养老", "养老"},
		{"search", "search", "What does the plan say about the Belt and Road?", "Belt and Road"},
		{"search", "search", "which items talk about 校园", "校园"},
		{"who", "who", "Who leads work on forest parks?", "forest parks"},
		{"who", "who", "电梯安全归哪个部门牵头", "电梯安全"},
		{"who", "who", "粮食质量安全是谁管的", "粮食质量安全"},
		{"who", "who", "疫苗监管是哪个部门的职责", "疫苗监管"},
		{"who", "who", "文物保护归哪个厅", "文物保护"},
		{"who", "who", "电梯的事找谁", "电梯"},
		{"who", "who", "Who is responsible for food safety sampling (食品安全抽检)?", "食品安全抽检"},
		{"who", "who", "石墨烯产业由哪些单位负责？", "石墨烯产业"},
		{"who", "who", "高质量发展综合绩效评价谁来做", "高质量发展综合绩效评价"},
		{"who", "who", "who leads 疫苗 supervision", "疫苗 supervision"},
		{"who", "who", "Who is responsible for elderly care?", "elderly care"},
		{"target", "target", "供水管网要新改建多少公里", "供水管网要新改建"},
		{"target", "target", "今年办的是第几届全省戏剧会演？", "全省戏剧会演"},
		{"target", "target", "要加快发展哪个系列的不锈钢", "要加快发展 的不锈钢"},
		{"target", "target", "How many 长期定位监测点?", "长期定位监测点"},
	}
	for _, tt := range tests {
		f := searchFillers
		switch tt.fillers {
		case "who":
			f = whoFillers
		case "target":
			f = targetFillers
		}
		if got := stripQuestion(tt.in, f); got != tt.want {
			t.Errorf("%s: stripQuestion(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}
