package bot

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"duban"
	"duban/seeds"
)

func TestParseReport(t *testing.T) {
	const none, np = duban.StatusNone, duban.NoPercent
	cases := []struct {
		in      string
		kind    reportKind
		item    int
		agency  string
		status  duban.Status
		percent int
		text    string
	}{
		{"进展 #53 进行中 已改造森林公园12个,建设森林步道120公里", reportFull, 53, "", duban.StatusInProgress, np, "已改造森林公园12个,建设森林步道120公里"},
		{"进展 第3条 已完成 全年任务完成", reportFull, 3, "", duban.StatusDone, np, "全年任务完成"},
		{"进展 第三条 推进中：正在组织验收", reportFull, 3, "", duban.StatusInProgress, np, "正在组织验收"},
		{"更新 3号 延期 受疫情影响推迟", reportFull, 3, "", duban.StatusDelayed, np, "受疫情影响推迟"},
		{"汇报 第七十一条 未启动，等待部署", reportFull, 71, "", duban.StatusNotStarted, np, "等待部署"},
		{"进展 #3 完成40% 已完成调研", reportFull, 3, "", none, 40, "已完成调研"},
		{"进展 #3 进行中 40% 已完成调研", reportFull, 3, "", duban.StatusInProgress, 40, "已完成调研"},
		{"进展 #3 40% 进行中 已完成调研", reportFull, 3, "", duban.StatusInProgress, 40, "已完成调研"},
		{"进展 #3 进度60%，正在推进", reportFull, 3, "", duban.StatusInProgress, 60, ""},
		{"进展 #3 进度60%，正在推进造林", reportFull, 3, "", duban.StatusInProgress, 60, "正在推进造林"},
		{"进展＃３　办结　全部完成", reportFull, 3, "", duban.StatusDone, np, "全部完成"},
		{"进展 #34 [厦门海关] 进行中 开展进口食品抽检", reportFull, 34, "厦门海关", duban.StatusInProgress, np, "开展进口食品抽检"},
		{"进展 #34 【 福州海关 】 受阻：人手不足", reportFull, 34, "福州海关", duban.StatusDelayed, np, "人手不足"},
		{"汇报第3条进展：已完成 造林10万亩", reportFull, 3, "", duban.StatusDone, np, "造林10万亩"},
		{"进展 3 进行中 造林", reportFull, 3, "", duban.StatusInProgress, np, "造林"},
		{"update #3 in progress: planting done in two counties", reportFull, 3, "", duban.StatusInProgress, np, "planting done in two counties"},
		{"update #53 done: all parks renovated", reportFull, 53, "", duban.StatusDone, np, "all parks renovated"},
		{"Update item 53 DELAYED - waiting for funds", reportFull, 53, "", duban.StatusDelayed, np, "waiting for funds"},
		{"<@U0BOT> 进展 #5 进行中 抽检300批次", reportFull, 5, "", duban.StatusInProgress, np, "抽检300批次"},
		// Status words that run on into the text stay in it.
		{"进展 #3 进行中已完成造林任务", reportFull, 3, "", duban.StatusInProgress, np, "进行中已完成造林任务"},
		{"进展 #3 已完成全部造林任务", reportFull, 3, "", none, np, "已完成全部造林任务"},
		{"进展 #3 完成了造林任务", reportFull, 3, "", none, np, "完成了造林任务"},
		{"进展 #3 完成40%的造林任务", reportFull, 3, "", none, 40, "完成40%的造林任务"},
		{"进展 #3 滞后于计划", reportFull, 3, "", none, np, "滞后于计划"},
		{"update #3 donezo", reportFull, 3, "", none, np, "donezo"},
		// Text is kept as written: full width, line breaks, punctuation.
		{"进展 #3 进行中\n一、已完成：１２个。\n二、推进中。", reportFull, 3, "", duban.StatusInProgress, np, "一、已完成：１２个。\n二、推进中。"},
		// Empty text, odd numbers: read, and left to the handler to refuse.
		{"进展 #3", reportFull, 3, "", none, np, ""},
		{"进展 #3 进行中", reportFull, 3, "", duban.StatusInProgress, np, ""},
		{"进展 #0 进行中 内容", reportFull, 0, "", duban.StatusInProgress, np, "内容"},
		{"进展 #72 进行中 内容", reportFull, 72, "", duban.StatusInProgress, np, "内容"},
		{"进展 #3 150% 内容", reportFull, 3, "", none, 150, "内容"},
		{"进展", reportNoItem, -1, "", none, np, ""},
		{"进展 #abc", reportNoItem, -1, "", none, np, ""},
		{"update", reportNoItem, -1, "", none, np, ""},
		// Not reports.
		{"第3条进展", notReport, 0, "", none, 0, ""},
		{"更新改造供水管网多少公里", notReport, 0, "", none, 0, ""},
		{"进展顺利吗", notReport, 0, "", none, 0, ""},
		{"updated items", notReport, 0, "", none, 0, ""},
		{"省林业局牵头哪些工作", notReport, 0, "", none, 0, ""},
		{"进展 40% 内容", notReport, 0, "", none, 0, ""},
	}
	for _, c := range cases {
		got, kind := parseReport(c.in)
		if kind != c.kind {
			t.Errorf("parseReport(%q) kind = %d, want %d", c.in, kind, c.kind)
			continue
		}
		if kind == notReport {
			continue
		}
		want := reportCmd{Item: c.item, Agency: c.agency, Status: c.status, Percent: c.percent, Text: c.text}
		if got != want {
			t.Errorf("parseReport(%q)\n got %+v\nwant %+v", c.in, got, want)
		}
	}
}

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
	for _, in := range []string{"撤回", "撤回。", "撤销上一条", "撤回我的进展", "retract", "undo last"} {
		if !retractRe.MatchString(commandText(in)) {
			t.Errorf("%q is not a retraction", in)
		}
	}
	for _, in := range []string{"撤回第3条的要求是什么", "撤销行政审批事项"} {
		if retractRe.MatchString(commandText(in)) {
			t.Errorf("%q taken for a retraction", in)
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

// FuzzParseReport checks that the grammar never panics, that the text it
// returns is what the user wrote (a trimmed suffix of the message), and
// that a report's fields are in range.
func FuzzParseReport(f *testing.F) {
	for _, s := range []string{
		"进展 #53 进行中 已改造森林公园12个", "汇报 第三条 完成40%：……", "update #3 in progress: x",
		"进展 #34 [厦门海关] 进行中 抽检", "进展＃３　办结　全部完成", "进展 #3 BLOC\u212aED x", "进展 #3 İn progress",
		"进展 第十十条 x", "进展 \xff\xfe #3", "更新 3号", "<@U1> 进展 #3 【海关", "report no.7 done:",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cmd, kind := parseReport(s)
		if kind == notReport {
			return
		}
		if !utf8.ValidString(cmd.Text) || !utf8.ValidString(cmd.Agency) {
			t.Fatalf("invalid UTF-8 out of %q: %+v", s, cmd)
		}
		valid := string([]rune(s)) // invalid bytes read as U+FFFD, one each
		if !strings.HasSuffix(strings.TrimSpace(valid), cmd.Text) {
			t.Fatalf("text %q is not part of %q", cmd.Text, s)
		}
		if cmd.Text != strings.TrimSpace(cmd.Text) {
			t.Fatalf("text %q not trimmed", cmd.Text)
		}
		if cmd.Status < duban.StatusNone || cmd.Status > duban.StatusDelayed {
			t.Fatalf("status %d out of range", cmd.Status)
		}
		if cmd.Percent != duban.NoPercent && (cmd.Percent < 0 || cmd.Percent > 999) {
			t.Fatalf("percent %d out of range", cmd.Percent)
		}
		if kind == reportNoItem && cmd.Item != -1 {
			t.Fatalf("no item but Item = %d", cmd.Item)
		}
	})
}

// TestWithoutStore: an engine without storage refuses writes plainly and
// still checks the item number first.
func TestWithoutStore(t *testing.T) {
	p, err := duban.Parse(bytes.NewReader(seeds.Fujian2021))
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

func TestMayBeStoreCommand(t *testing.T) {
	for _, s := range []string{"进展 #3 进行中 x", "ｕｐｄａｔｅ ＃３ done: x", "第3条进展", "撤回", "绑定 U1 省林业局", "BIND U1 x", "whoami", "我的单位", "设为管理员 U1"} {
		if !mayBeStoreCommand(s) {
			t.Errorf("mayBeStoreCommand(%q) = false", s)
		}
	}
	if mayBeStoreCommand("第39条是什么") {
		t.Error("a lookup passed the store prefilter")
	}
}
