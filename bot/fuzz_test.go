package bot_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"duban/bot"
)

// FuzzHandle feeds arbitrary messages to the engine: it must always answer
// with a reply that has an intent and valid UTF-8 text, and never reach its
// panic guard (which says 内部错误).
func FuzzHandle(f *testing.F) {
	for _, s := range []string{"第39条是什么", "省林业局牵头哪些工作?", "海关", "第七十二条", "#", "第条", "要点", "items 3 and", "<@U1|x> 传真", "第一百零五条", "省林叶局牵头", "第3至5条", "第1至71条", "要点一共", "Which items does Fuzhou Customs lead", "省卫建委负责哪些", "搜索 ", "电梯的事找谁", "第13条污水管网多少公里", "你好", "五十三"} {
		f.Add(s)
	}
	e := newEngine(f)
	f.Fuzz(func(t *testing.T, q string) {
		r := ask(e, q)
		if r.Intent == "" {
			t.Fatalf("%q: no intent", q)
		}
		text := r.PlainText()
		if strings.Contains(text, "内部错误") {
			t.Fatalf("%q: handler panicked", q)
		}
		if utf8.ValidString(q) && !utf8.ValidString(text) {
			t.Fatalf("%q: reply is not valid UTF-8", q)
		}
		for _, n := range r.Items {
			if e.Plan().Item(n) == nil {
				t.Fatalf("%q: reply names item %d, which does not exist", q, n)
			}
		}
		_ = bot.IntentHelp
	})
}
