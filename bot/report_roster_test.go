package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"duban/bot"
)

func TestBindRoster(t *testing.T) {
	f := newFlow(t)
	ctx := context.Background()
	bind := func(user, csv string) bot.Reply {
		f.n++
		return f.e.BindRoster(ctx, bot.Request{UserID: user, SourceID: "roster-" + csv}, "roster.csv", []byte(csv))
	}
	bindings := func() []string {
		bs, err := f.st.Bindings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, b := range bs {
			out = append(out, b.UserID+"="+b.Agency)
		}
		return out
	}
	before := bindings()
	// Every bad row is named by its line; nobody is bound.
	bad := "用户ID,单位\nU10,林业局\n张三,省林业局\nU11,省不存在局\nU12,\nU13,海关\nU10,省教育厅\n\"U14,省林业局\n"
	r := bind("A1", bad)
	f.expect(r, bot.IntentError, "没有绑定任何用户", "第3行：“张三”不是有效的用户ID", "第4行：没有找到单位", "第5行：用户 U12 没有写单位",
		"第6行：“海关”可以指", "第7行：用户 U10 在第2行已绑定到省林业局", "第8行")
	if got := bindings(); !slices.Equal(got, before) {
		t.Errorf("a bad roster bound users: %q", got)
	}
	// Non-admins cannot; no header is refused.
	f.expect(bind("U1", "用户ID,单位\nU10,林业局\n"), bot.IntentError, "只有办公室")
	f.expect(bind("A1", "U10,林业局\nU11,福州海关\n"), bot.IntentError, "第1行应是表头")
	f.expect(bind("A1", "\xff\xfe,\n"), bot.IntentError, "不是 UTF-8")
	f.expect(bind("A1", "用户ID,单位\n"), bot.IntentError, "名单里没有用户")
	// A good roster, with a BOM, CRLF, other columns and a mention, binds all.
	good := "\ufeff姓名,Agency,User ID\r\n张三,省林业局,U10\r\n李四,福州海关,<@U11|li>\r\n王五,省市场监管局,U1\r\n,,\r\n"
	r = bind("A1", good)
	f.expect(r, bot.IntentBind, "已按名单绑定 3 位用户，涉及 3 个单位", "省林业局：U10", "福州海关：U11", "其中 1 位用户改绑了单位", "没有绑定用户")
	want := []string{"U1=省市场监管局", "U10=省林业局", "U11=福州海关", "U2=省市场监管局"}
	if got := bindings(); !slices.Equal(got, want) {
		t.Errorf("bindings = %q, want %q", got, want)
	}
	// The bound users report at once.
	if r := f.say("U10", "进展 #3 进行中 名单绑定后报送"); r.Intent != bot.IntentUpdate {
		t.Errorf("report after the roster: %s", r.PlainText())
	}
	if !strings.Contains(f.say("U11", "我的单位").Title, "福州海关") {
		t.Error("U11 not bound to 福州海关")
	}
}
