package understand

import "testing"

func TestWithoutMentions(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"@U2 茶", "  茶"},
		{"茶 @U2", "茶  "},
		{"@channel 第39条是什么", "  第39条是什么"},
		{"请@U2看看第3条", "请 看看第3条"},
		{"请 @张三 看看第3条", "请 @张三 看看第3条"},
		{"<@U2> 茶", "  茶"},
		{"<@U2|li> 茶", "  茶"},
		{"<!here> 汇总", "  汇总"},
		{"邮箱 zlq@fujian.gov.cn", "邮箱 zlq@fujian.gov.cn"},
		{"茶", "茶"},
		{"@", "@"},
	} {
		if got := WithoutMentions(c.in); got != c.want {
			t.Errorf("WithoutMentions(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestReadBindCommandPlainMention(t *testing.T) {
	for _, c := range []struct {
		in   string
		want BindCommand
	}{
		{"绑定 @U123 省林业局", BindCommand{Kind: Bind, User: "U123", Agency: "省林业局"}},
		{"绑定@U123林业局", BindCommand{Kind: Bind, User: "U123", Agency: "林业局"}},
		{"解绑 @U9", BindCommand{Kind: Unbind, User: "U9"}},
		{"设为管理员 @U5", BindCommand{Kind: AdminAdd, User: "U5"}},
		{"绑定 @张三 省林业局", BindCommand{Kind: Bind, User: "@张三", Agency: "省林业局"}},
	} {
		got, ok := ReadBindCommand(c.in)
		if !ok || got != c.want {
			t.Errorf("ReadBindCommand(%q) = %+v, %v; want %+v, true", c.in, got, ok, c.want)
		}
	}
}
