package duban

import "testing"

// TestCleanText: report text loses the control characters that could
// drive a terminal (ESC, BEL, NUL …) or reorder what is shown, and keeps
// everything a person wrote (hardening 6).
func TestCleanText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"已完成造林10万亩", "已完成造林10万亩"},
		{"一、已完成。\n二、\t推进中。", "一、已完成。\n二、\t推进中。"},
		{"\x1b]0;被改了标题\x07已完成", "]0;被改了标题已完成"},
		{"\x1b[2J\x1b[31m红色\x1b[0m", "[2J[31m红色[0m"},
		{"a\x00b\x7fc\u0085d\u009be", "abcde"},
		{"第一行\r\n第二行\r第三行", "第一行\n第二行\n第三行"},
		{"付款\u202e001\u202c元", "付款001元"},
		{"\u2066隔离\u2069", "隔离"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"表情👍🏽\u200d和零宽\u200b空格", "表情👍🏽\u200d和零宽\u200b空格"},
	} {
		if got := CleanText(c.in); got != c.want {
			t.Errorf("CleanText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestVisibleLen: only characters that show count towards a report's
// minimum; replacement characters, zero-width and format characters,
// combining marks and spaces do not (hardening 7).
func TestVisibleLen(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
	}{
		{"已完成", 3},
		{"ok", 2},
		{"\uFFFD\uFFFD\uFFFD", 0},
		{"\u200b\u200c\u200d\u2060\ufeff", 0},
		{"  \t\n\u3000", 0},
		{"\u0301\u0301", 0},
		{"e\u0301", 1},
		{"好\ufe0f", 1},
		{"\x1b\x07", 0},
		{"👍🏽", 2},
	} {
		if got := VisibleLen(c.in); got != c.want {
			t.Errorf("VisibleLen(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

// TestEscapeControls: stored text shown on a terminal cannot send it
// escape sequences: control characters other than newline and tab are
// written out as escapes (hardening 6).
func TestEscapeControls(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"已完成\n第二行\t制表", "已完成\n第二行\t制表"},
		{"\x1b]0;标题\x07", `\x1b]0;标题\x07`},
		{"\x00\x7f\u009b", `\x00\x7f\u009b`},
		{"\u202e反转", `\u202e反转`},
	} {
		if got := EscapeControls(c.in); got != c.want {
			t.Errorf("EscapeControls(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
