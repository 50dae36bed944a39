package understand

import "testing"

func TestReadSuperviseCommand(t *testing.T) {
	tests := []struct {
		in              string
		kind, rest, set string
		day             int
		ok              bool
	}{
		{in: "设置截止 #19 2021-06-30", kind: CmdSetDeadline, rest: "#19 2021-06-30", ok: true},
		{in: "设置截止 第19条 省林业局 6月底", kind: CmdSetDeadline, rest: "第19条 省林业局 6月底", ok: true},
		{in: "/截止 #19", kind: CmdDeadline, rest: "#19", ok: true},
		{in: "截止 #19 2021-06-30", kind: CmdDeadline, rest: "#19 2021-06-30", ok: true},
		{in: "取消截止 #19", kind: CmdClearDeadline, rest: "#19", ok: true},
		{in: "通过 #19 省林业局", kind: CmdPass, rest: "#19 省林业局", ok: true},
		{in: "退回 #19 省林业局 理由：缺少佐证材料", kind: CmdReturn, rest: "#19 省林业局 理由:缺少佐证材料", ok: true},
		{in: "审核 开启", kind: CmdReview, set: "on", rest: "开启", ok: true},
		{in: "审核关闭", kind: CmdReview, set: "off", rest: "关闭", ok: true},
		{in: "审核", kind: CmdReview, ok: true},
		{in: "报送周期 每月 25日", kind: CmdRound, set: "monthly", day: 25, rest: "每月 25日", ok: true},
		{in: "报送周期 每季度末月25号", kind: CmdRound, set: "quarterly", day: 25, rest: "每季度末月25号", ok: true},
		{in: "报送周期 每月", kind: CmdRound, set: "monthly", rest: "每月", ok: true},
		{in: "报送周期 关闭", kind: CmdRound, set: "off", rest: "关闭", ok: true},
		{in: "报送周期", kind: CmdRound, ok: true},
		{in: "报送周期 每周五", kind: CmdRound, set: "invalid", rest: "每周五", ok: true},
		{in: "通报", kind: CmdDigest, ok: true},
		{in: "通报一下", kind: CmdDigest, rest: "一下", ok: true},
		{in: "汇总 图", kind: CmdChart, ok: true},
		{in: "进度图", kind: CmdChart, ok: true},
		// The items first.
		{in: "第3条截止日期设为6月30日", kind: CmdSetDeadline, rest: "第3条 6月30日", ok: true},
		{in: "请把第19条的截止时间改为2021-09-30", kind: CmdSetDeadline, rest: "第19条 2021-09-30", ok: true},
		{in: "#19、#20 截止时间调整为 年底", kind: CmdSetDeadline, rest: "#19、#20 年底", ok: true},
		{in: "第3条的截止时间", kind: CmdDeadline, rest: "第3条", ok: true},
		{in: "第19条通过了吗"},
		// Questions, not commands.
		{in: "截止时间是什么时候"},
		{in: "通过哪些措施提升质量"},
		{in: "通报批评了哪些单位"},
		{in: "审核第19条"},
		{in: "退回"},
		{in: "汇总"},
	}
	for _, tt := range tests {
		c, ok := ReadSuperviseCommand(tt.in)
		if ok != tt.ok || ok && (c.Kind != tt.kind || c.Rest != tt.rest || c.Setting != tt.set || c.Day != tt.day) {
			t.Errorf("ReadSuperviseCommand(%q) = %+v, %v; want kind %q rest %q setting %q day %d, %v", tt.in, c, ok, tt.kind, tt.rest, tt.set, tt.day, tt.ok)
		}
	}
}

func TestLightQuestions(t *testing.T) {
	rd := seedReader(t)
	for in, want := range map[string]string{
		"红灯":                      "red",
		"哪些黄灯":                    "yellow",
		"哪些工作亮黄灯":                 "yellow",
		"逾期的有哪些":                  "overdue",
		"省林业局红灯":                  "red",
		"红灯 省林业局":                 "red",
		"省林业局有哪些红灯":               "red",
		"绿灯的工作":                   "green",
		"待审核":                     "pending",
		"which items are overdue": "overdue",
		"red lights":              "red",
		// Topics that hold a light word are searches.
		"红色旅游":         "",
		"逾期未办结的行政审批事项": "",
		"第19条是什么":      "",
	} {
		if got := rd.Read(in).Light; got != want {
			t.Errorf("Read(%q).Light = %q, want %q", in, got, want)
		}
	}
}

func TestReasonText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"理由：材料不全", "材料不全"},
		{" 原因是 未附照片 ", "未附照片"},
		{"Reason: no photos", "no photos"},
		{"理由为，缺少验收报告", "缺少验收报告"},
		{"材料不全", "材料不全"},
		{"", ""},
	} {
		if got := ReasonText(c.in); got != c.want {
			t.Errorf("ReasonText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
