package bot

import (
	"context"
	"strings"
	"testing"

	"duban"
	"duban/seeds"
)

func TestCommandPatterns(t *testing.T) {
	hist := []struct {
		in   string
		item int
	}{
		{"第3条进展", 3}, {"#3进展", 3}, {"＃３进展", 3}, {"3号进展", 3}, {"第三条的进展情况", 3},
		{"查看第53条进展记录", 53}, {"history #3", 3}, {"History of item 12", 12}, {"item 5 history", 5},
		{"第72条进展", 72}, {"#0进展", 0},
	}
	for _, c := range hist {
		if n, ok := historyItem(commandText(c.in)); !ok || n != c.item {
			t.Errorf("historyItem(%q) = %d %v, want %d", c.in, n, ok, c.item)
		}
	}
	for _, in := range []string{"第3条是什么", "进展 #3 内容", "history", "第3条牵头单位"} {
		if n, ok := historyItem(commandText(in)); ok {
			t.Errorf("historyItem(%q) = %d, want no match", in, n)
		}
	}
	binds := []struct{ in, user, agency string }{
		{"绑定 U123 省林业局", "U123", "省林业局"},
		{"绑定 <@U123> 省林业局", "U123", "省林业局"},
		{"绑定<@U123|zhang>林业局", "U123", "林业局"},
		{"bind U07ABC 省市场监管局", "U07ABC", "省市场监管局"},
		{"绑定 U1 到 省教育厅", "U1", "省教育厅"},
		{"绑定 张三 省林业局", "张三", "省林业局"},
	}
	for _, c := range binds {
		norm := commandText(c.in)
		var user, agency string
		if m := bindMentionRe.FindStringSubmatch(norm); m != nil {
			user, agency = m[1], m[2]
		} else if m := bindRe.FindStringSubmatch(norm); m != nil {
			user, agency = m[1]+m[2], m[3]
		}
		if user != c.user || agency != c.agency {
			t.Errorf("bind %q = %q %q, want %q %q", c.in, user, agency, c.user, c.agency)
		}
	}
}

// TestWithoutStore: an engine without storage refuses writes plainly and
// still checks the item number first.
func TestWithoutStore(t *testing.T) {
	p, err := duban.LoadPlan(seeds.FS, seeds.Default)
	if err != nil {
		t.Fatal(err)
	}
	e := New(Config{Plan: p})
	cases := []struct{ text, want string }{
		{"进展 #3 进行中 已完成造林", "未配置数据存储"},
		{"进展 #72 进行中 已完成造林", "没有第72条"},
		{"第3条进展", "未配置数据存储"},
		{"绑定 U1 省林业局", "未配置数据存储"},
		{"撤回", "未配置数据存储"},
	}
	for _, c := range cases {
		r := e.Handle(context.Background(), Request{Text: c.text, UserID: LocalOperator})
		if r.Intent != IntentError || !strings.Contains(r.PlainText(), c.want) {
			t.Errorf("%q: %s %q, want an error containing %q", c.text, r.Intent, r.PlainText(), c.want)
		}
	}
}
