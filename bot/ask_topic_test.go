package bot_test

import (
	"testing"

	"duban/bot/understand"
	"duban/index"
)

// TestTopicWithSegmenter: what a topic or who question leaves to search,
// read as the bot reads it, with the index's word segmenter. (These cases
// tested bot's own filler expressions before issue 9; the understanding
// step is the live path. bot/understand tests the cases that need no
// segmenter without one.)
func TestTopicWithSegmenter(t *testing.T) {
	p := seedPlan(t)
	ix, err := index.New(p)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	rd := understand.NewReader(p, ix)
	for _, c := range []struct {
		in, want string
		who      bool
	}{
		{"哪些工作涉及石墨烯", "石墨烯", false},
		{"有关茶的内容", "茶", false},
		{"文物保护相关的工作", "文物保护", false},
		{"乳粉在哪些条目里", "乳粉", false},
		{"在哪些条目里提到冷链物流", "冷链物流", false},
		{"items about 医疗器械 supervision", "医疗器械 supervision", false},
		{"有没有涉及茶叶的", "茶叶", false},
		{"石墨烯在哪一条", "石墨烯", false},
		{"跟养老有关的", "养老", false},
		{"请问有哪些工作和乡村振兴有关", "乡村振兴", false},
		{"养老方面有什么工作", "养老", false},
		{"What does the plan say about the Belt and Road?", "Belt and Road", false},
		{"电梯安全归哪个部门牵头", "电梯安全", true},
		{"电梯的事找谁", "电梯", true},
		{"石墨烯产业由哪些单位负责？", "石墨烯产业", true},
		{"Who is responsible for elderly care?", "elderly care", true},
	} {
		q := rd.Read(c.in)
		if q.Topic != c.want || q.Who != c.who {
			t.Errorf("Read(%q): topic %q, who %v; want %q, %v", c.in, q.Topic, q.Who, c.want, c.who)
		}
	}
}
