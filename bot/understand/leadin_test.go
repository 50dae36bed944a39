package understand

import (
	"testing"

	"duban"
)

// TestCommandsInEverydayWords: the office's and the account commands
// written as people write them: a lead-in before the command (请, 帮我,
// 出个, 麻烦), a particle after it, the words in another order.
func TestCommandsInEverydayWords(t *testing.T) {
	office := []struct {
		in   string
		kind OfficeKind
		name string
	}{
		{"催一下林业局", Remind, "林业局"},
		{"帮我催一下省林业局", Remind, "省林业局"},
		{"提醒还没报的单位", Remind, ""},
		{"麻烦提醒一下没报送的单位吧", Remind, ""},
		{"请汇总一下", Summary, ""},
		{"帮我导出表格", Export, ""},
		{"给我导出一份excel", Export, ""},
	}
	for _, c := range office {
		got, ok := ReadOfficeCommand(c.in)
		if !ok || got.Kind != c.kind || got.Name != c.name {
			t.Errorf("ReadOfficeCommand(%q) = %+v, %v; want kind %d name %q", c.in, got, ok, c.kind, c.name)
		}
	}
	for _, in := range []string{"出个通报", "来一份本周通报", "请发一下通报吧", "生成通报"} {
		if got, ok := ReadSuperviseCommand(in); !ok || got.Kind != CmdDigest {
			t.Errorf("ReadSuperviseCommand(%q) = %+v, %v; want the digest", in, got, ok)
		}
	}
	for in, want := range map[string]int{"第53条最新进展": 53, "帮我看下第3条的最新情况": 3, "53号最近进展如何": 53, "查一下#3进展": 3} {
		if n, ok := ReadHistory(in); !ok || n != want {
			t.Errorf("ReadHistory(%q) = %d, %v; want %d", in, n, ok, want)
		}
	}
	for _, in := range []string{"我绑定的是哪个单位", "我是哪个单位的", "我现在绑的哪个单位", "which agency am I bound to"} {
		if !ReadWhoami(in) {
			t.Errorf("ReadWhoami(%q) = false", in)
		}
	}
	for _, in := range []string{"我负责哪些", "我们单位负责的有哪些", "看看我的进展吧"} {
		if !ReadMine(in) {
			t.Errorf("ReadMine(%q) = false", in)
		}
	}
	for in, want := range map[string]BindCommand{
		"把U2绑定到省教育厅":    {Kind: Bind, User: "U2", Agency: "省教育厅"},
		"将 U3 绑定为 福州海关": {Kind: Bind, User: "U3", Agency: "福州海关"},
		"请绑定 U4 省林业局":   {Kind: Bind, User: "U4", Agency: "省林业局"},
	} {
		if got, ok := ReadBindCommand(in); !ok || got != want {
			t.Errorf("ReadBindCommand(%q) = %+v, %v; want %+v", in, got, ok, want)
		}
	}
	// Still not commands.
	for _, in := range []string{"请问第3条是什么", "帮我查一下茶产业", "出口食品谁管", "我们要加强食品安全"} {
		if _, ok := ReadOfficeCommand(in); ok {
			t.Errorf("ReadOfficeCommand(%q) read a command", in)
		}
		if _, ok := ReadSuperviseCommand(in); ok {
			t.Errorf("ReadSuperviseCommand(%q) read a command", in)
		}
		if ReadWhoami(in) || ReadMine(in) {
			t.Errorf("%q read as whoami or mine", in)
		}
	}
}

// TestStatusQuestionsInEverydayWords: lists by status and lights asked in
// everyday Chinese and in English.
func TestStatusQuestionsInEverydayWords(t *testing.T) {
	for in, want := range map[string]duban.Status{
		"哪些单位拖后腿": duban.StatusDelayed, "哪些条目进度落后": duban.StatusDelayed, "who is behind schedule": duban.StatusDelayed,
		"what has been completed": duban.StatusDone, "which items are done": duban.StatusDone, "list the delayed items": duban.StatusDelayed,
	} {
		if f, ok := ReadFilter(in); !ok || f.Status != want {
			t.Errorf("ReadFilter(%q) = %+v, %v; want status %v", in, f, ok, want)
		}
	}
	for _, in := range []string{"items related to tea", "食品安全滞后的原因", "done"} {
		if f, ok := ReadFilter(in); ok {
			t.Errorf("ReadFilter(%q) = %+v, want no filter", in, f)
		}
	}
	if c, ok := ReadOfficeCommand("send reminders to everyone late"); !ok || c.Kind != Remind || c.Name != "" {
		t.Errorf("send reminders to everyone late: %+v %v", c, ok)
	}
}
