package slack

import "testing"

// TestPlainText: the adapter hands the engine what the user typed, in
// plain text: its own mention gone, others' mentions as @ID (绑定 reads the
// id), channels, specials and links as they read, entities decoded.
func TestPlainText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"<@UBOT> 第39条是什么", "第39条是什么"},
		{"<@UBOT|duban> 第39条是什么", "第39条是什么"},
		{"绑定 <@U123> 省林业局", "绑定 @U123 省林业局"},
		{"绑定<@U123|zhang>林业局", "绑定@U123林业局"},
		{"进展 #3 已完成 <!channel> 通知大家", "进展 #3 已完成 @channel 通知大家"},
		{"<!here> 汇总", "@here 汇总"},
		{"<!subteam^S1|@质量办> 提醒", "@质量办 提醒"},
		{"见 <#C1|general> 频道", "见 #general 频道"},
		{"见 <#C1> 频道", "见 #C1 频道"},
		{"材料见 <https://example.org/a|附件> 和 <https://example.org/b>", "材料见 附件 和 https://example.org/b"},
		{"A &amp; B &lt;3&gt; 5 &gt; 4", "A & B <3> 5 > 4"},
		{"&lt;@U1&gt; typed by hand", "<@U1> typed by hand"},
	} {
		if got := plainText(c.in, "UBOT"); got != c.want {
			t.Errorf("plainText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
