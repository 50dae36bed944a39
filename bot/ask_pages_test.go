package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"duban"
	"duban/bot"
)

// bigPlan is a plan of n items in the seed's format (as tools/synthplan
// writes it).
func bigPlan(t testing.TB, n int) *duban.Plan {
	t.Helper()
	seed := seedPlan(t)
	var b strings.Builder
	b.WriteString("2030年福建省质量强省工作要点\n")
	for i := range n {
		it := seed.Items[i%len(seed.Items)]
		fmt.Fprintf(&b, "%d.%s\n", i+1, it.Text)
	}
	p, err := duban.ParseWith(strings.NewReader(b.String()), duban.ParseOptions{ID: "big"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Replies stay within about 40 lines at any scale: a long list shows its
// count and first entries, and 更多 the next page, until there is none.
func TestLongAnswersArePaged(t *testing.T) {
	e := bot.New(bot.Config{Plan: bigPlan(t, 3000), Now: func() time.Time { return fixedNow }})
	ctx := context.Background()
	req := func(q string) bot.Request { return bot.Request{Text: q, UserID: "U1", Channel: "C1", SourceID: q} }
	first := e.Handle(ctx, req("省林业局牵头哪些"))
	lead := 0
	for _, it := range e.Plan().Items {
		if it.RoleOf("省林业局") == duban.RoleLead {
			lead++
		}
	}
	text := first.PlainText()
	if n := strings.Count(text, "\n") + 1; n > 40 || len(first.Items) != lead || !strings.Contains(text, fmt.Sprintf("（%d条）", lead)) || !strings.Contains(text, "输入“更多”查看下一页") {
		t.Fatalf("first page: %d lines, %d items (want %d):\n%s", n, len(first.Items), lead, text)
	}
	itemLines := func(r bot.Reply) int {
		n := 0
		for _, s := range r.Sections {
			for _, l := range strings.Split(s.Text, "\n") {
				if strings.HasPrefix(l, "第") {
					n++
				}
			}
		}
		return n
	}
	seen := itemLines(first)
	pages := 1
	for {
		r := e.Handle(ctx, req("更多"))
		if r.Title == "没有更多内容了。" {
			break
		}
		pages++
		if n := strings.Count(r.PlainText(), "\n") + 1; n > 40 {
			t.Fatalf("page %d: %d lines", pages, n)
		}
		seen += itemLines(r)
		if pages > 100 {
			t.Fatal("more than 100 pages")
		}
	}
	if pages < 2 || !strings.Contains(first.Note, fmt.Sprintf("第1/%d页", pages)) || seen != lead {
		t.Errorf("%d pages showing %d items of %d, first note %q", pages, seen, lead, first.Note)
	}
	// Another asker has no pages; a short answer forgets the pages.
	if r := e.Handle(ctx, bot.Request{Text: "更多", UserID: "U2", Channel: "C1"}); r.Title != "没有更多内容了。" {
		t.Errorf("U2 更多: %s", r.PlainText())
	}
	e.Handle(ctx, req("省林业局牵头哪些"))
	e.Handle(ctx, req("第3条"))
	if r := e.Handle(ctx, req("更多")); r.Title != "没有更多内容了。" {
		t.Errorf("更多 after a short answer: %s", r.PlainText())
	}
}
