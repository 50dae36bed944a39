package bot

import (
	"context"
	"strings"
	"testing"

	"duban"
	"duban/seeds"
)

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
