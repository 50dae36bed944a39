package understand

import "testing"

// TestTopicOfQuestions: what a topic or who question leaves to search
// once its question words are gone, whatever words ask it. (These cases
// tested bot's own filler expressions before issue 9; the live path is
// this one; the cases that need a word segmenter are in bot's
// TestTopicWithSegmenter.)
func TestTopicOfQuestions(t *testing.T) {
	rd := seedReader(t)
	for _, c := range []struct {
		in, want string
		who      bool
	}{
		{"哪些工作涉及石墨烯", "石墨烯", false},
		{"有关茶的内容", "茶", false},
		{"文物保护相关的工作", "文物保护", false},
		{"法律援助相关的要点", "法律援助", false},
		{"items about 医疗器械 supervision", "医疗器械 supervision", false},
		{"which items mention 茶", "茶", false},
		{"请问 学前教育 幼儿园", "学前教育 幼儿园", false},
		{"工程质量", "工程质量", false},
		{"有没有涉及茶叶的", "茶叶", false},
		{"哪一条是关于养老的", "养老", false},
		{"养老方面有什么工作", "养老", false},
		{"关键词 校园", "校园", false},
		{`包含"校园"的条目`, "校园", false},
		{"Any items on tea?", "tea", false},
		{"Is there anything on cold chain logistics?", "cold chain logistics", false},
		{"list everything about 养老", "养老", false},
		{"What does the plan say about the Belt and Road?", "Belt and Road", false},
		{"which items talk about 校园", "校园", false},
		{"Who leads work on forest parks?", "forest parks", true},
		{"电梯安全归哪个部门牵头", "电梯安全", true},
		{"粮食质量安全是谁管的", "粮食质量安全", true},
		{"疫苗监管是哪个部门的职责", "疫苗监管", true},
		{"电梯的事找谁", "电梯", true},
		{"Who is responsible for food safety sampling (食品安全抽检)?", "食品安全抽检", true},
		{"who leads 疫苗 supervision", "疫苗 supervision", true},
		{"Who is responsible for elderly care?", "elderly care", true},
	} {
		q := rd.Read(c.in)
		if q.Topic != c.want || q.Who != c.who {
			t.Errorf("Read(%q): topic %q, who %v; want %q, %v", c.in, q.Topic, q.Who, c.want, c.who)
		}
	}
}
