package understand

import "testing"

func TestReadWhoami(t *testing.T) {
	for _, s := range []string{"我的单位", "我的绑定", "我是谁", "我是哪个单位？", " 我属于哪个单位 ", "whoami", "Who am I", "WHO  AM  I?", "我在哪个单位。"} {
		if !ReadWhoami(s) {
			t.Errorf("ReadWhoami(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "我的单位有哪些工作", "我的进展", "who am i to judge", "单位", "林业局是谁"} {
		if ReadWhoami(s) {
			t.Errorf("ReadWhoami(%q) = true, want false", s)
		}
	}
}

func TestReadHistory(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
	}{
		{"第3条进展", 3},
		{"#3进展", 3},
		{"# 3 进展", 3},
		{"3号进展", 3},
		{"第三条进展", 3},
		{"第五十三条的进展情况", 53},
		{"查看第53条进展记录", 53},
		{"看看 #53 的进度", 53},
		{"要点35进展", 35},
		{"第35项进展如何", 35},
		{"第35条汇报历史", 35},
		{"第３条进展？", 3},
		{"history #3", 3},
		{"History of item 3", 3},
		{"show progress for 53", 53},
		{"item 53 history", 53},
		{"#53 updates", 53},
		{"reports on #12", 12},
		{"第99条进展", 99},
		{"＃３进展", 3},
		{"第72条进展", 72},
		{"#0进展", 0},
		{"item 5 history", 5},
	} {
		n, ok := ReadHistory(c.in)
		if !ok || n != c.want {
			t.Errorf("ReadHistory(%q) = %d, %v; want %d, true", c.in, n, ok, c.want)
		}
	}
	for _, s := range []string{"", "进展", "进展 #3 进行中 已完成", "第3条进展到哪了，已完成", "第3至5条进展", "#3、#5进展", "后五条进展", "前十条进展", "第20条以后的进展", "最后一条进展", "history", "第3条是什么", "第3条牵头单位", "进展 #3 内容", "省林业局进展", "3进展 已完成"} {
		if n, ok := ReadHistory(s); ok {
			t.Errorf("ReadHistory(%q) = %d, true; want false", s, n)
		}
	}
}

func TestReadBindCommand(t *testing.T) {
	for _, c := range []struct {
		in   string
		want BindCommand
	}{
		{"绑定 U123 省林业局", BindCommand{Kind: Bind, User: "U123", Agency: "省林业局"}},
		{"绑定 <@U123> 省林业局", BindCommand{Kind: Bind, User: "U123", Agency: "省林业局"}},
		{"绑定<@U123|zhang>林业局", BindCommand{Kind: Bind, User: "U123", Agency: "林业局"}},
		{"绑定用户 U9 到 福州海关", BindCommand{Kind: Bind, User: "U9", Agency: "福州海关"}},
		{"绑定 U9到福州海关", BindCommand{Kind: Bind, User: "U9", Agency: "福州海关"}},
		{"绑定 U9 为 省教育厅", BindCommand{Kind: Bind, User: "U9", Agency: "省教育厅"}},
		{"绑定 U9: 省教育厅", BindCommand{Kind: Bind, User: "U9", Agency: "省教育厅"}},
		{"bind U9 省教育厅", BindCommand{Kind: Bind, User: "U9", Agency: "省教育厅"}},
		{"BIND u9 = 省教育厅", BindCommand{Kind: Bind, User: "u9", Agency: "省教育厅"}},
		{"绑定 张三 省林业局", BindCommand{Kind: Bind, User: "张三", Agency: "省林业局"}},
		{"bind U07ABC 省市场监管局", BindCommand{Kind: Bind, User: "U07ABC", Agency: "省市场监管局"}},
		{"绑定 U1 到 省教育厅", BindCommand{Kind: Bind, User: "U1", Agency: "省教育厅"}},
		{"绑定", BindCommand{Kind: BindUsage}},
		{"绑定 U9", BindCommand{Kind: BindUsage}},
		{"bind", BindCommand{Kind: BindUsage}},
		{"绑定单位有哪些", BindCommand{Kind: BindUsage}},
		{"解绑 U9", BindCommand{Kind: Unbind, User: "U9"}},
		{"解除绑定 <@U9>", BindCommand{Kind: Unbind, User: "U9"}},
		{"取消绑定用户 U9", BindCommand{Kind: Unbind, User: "U9"}},
		{"unbind U9", BindCommand{Kind: Unbind, User: "U9"}},
		{"解绑", BindCommand{Kind: UnbindUsage}},
		{"解绑 U9 省林业局", BindCommand{Kind: UnbindUsage}},
		{"设为管理员 U5", BindCommand{Kind: AdminAdd, User: "U5"}},
		{"设为管理员 <@U5>", BindCommand{Kind: AdminAdd, User: "U5"}},
		{"添加管理员U5", BindCommand{Kind: AdminAdd, User: "U5"}},
		{"admin add U5", BindCommand{Kind: AdminAdd, User: "U5"}},
		{"取消管理员 U5", BindCommand{Kind: AdminRemove, User: "U5"}},
		{"Admin Remove U5", BindCommand{Kind: AdminRemove, User: "U5"}},
	} {
		got, ok := ReadBindCommand(c.in)
		if !ok || got != c.want {
			t.Errorf("ReadBindCommand(%q) = %+v, %v; want %+v, true", c.in, got, ok, c.want)
		}
	}
	for _, s := range []string{"", "binding", "我的绑定", "设为管理员", "admin", "林业局绑定"} {
		if got, ok := ReadBindCommand(s); ok {
			t.Errorf("ReadBindCommand(%q) = %+v, true; want false", s, got)
		}
	}
}
