package slack

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"duban/bot"
)

// FuzzRender checks, for any text and spans, that a rendered reply stays
// within Slack's limits and that no user-written < or > survives into
// mrkdwn (where it could mention or link).
//
//	go test -run '^$' -fuzz FuzzRender -fuzztime 30s ./bot/slack/
func FuzzRender(f *testing.F) {
	f.Add("<!channel> 进展", "标题", 0, 3, 40)
	f.Add(strings.Repeat("长文本&", 900), "<@U1>", 2, 9, 3)
	f.Add("\x00\x01*粗*_斜_", "", 1, 2, 0)
	f.Fuzz(func(t *testing.T, text, title string, start, end, copies int) {
		if copies < 0 || copies > 80 {
			copies = 1
		}
		var secs []bot.Section
		for i := range copies {
			secs = append(secs, bot.Section{Heading: title, Text: text, Item: i%71 + 1,
				Marks:  []bot.Span{{Start: start, End: end}},
				Fields: []bot.Field{{Label: title, Value: text}}})
		}
		r := Render(bot.Reply{Title: title, Sections: secs, Note: text}, true)
		if len(r.Blocks) > maxBlocks {
			t.Fatalf("%d blocks", len(r.Blocks))
		}
		headers, sections, fields, counts := blockTexts(t, r.Blocks)
		for _, h := range headers {
			if utf8.RuneCountInString(h) > maxHeaderRunes {
				t.Fatalf("header of %d runes", utf8.RuneCountInString(h))
			}
		}
		for _, s := range append(sections, fields...) {
			if utf8.RuneCountInString(s) > maxSectionRunes {
				t.Fatalf("text of %d runes", utf8.RuneCountInString(s))
			}
			if strings.ContainsAny(s, "<>") {
				t.Fatalf("unescaped < or > in mrkdwn: %q", s)
			}
		}
		for _, c := range counts {
			if c > maxFields {
				t.Fatalf("%d fields", c)
			}
		}
		for _, b := range r.Blocks {
			if c, ok := b.(*slack.ContextBlock); ok {
				for _, e := range c.ContextElements.Elements {
					if tb, ok := e.(*slack.TextBlockObject); ok && strings.ContainsAny(tb.Text, "<>") {
						t.Fatalf("unescaped < or > in a context: %q", tb.Text)
					}
				}
			}
		}
		if strings.ContainsAny(r.Fallback, "<>") {
			t.Fatalf("unescaped < or > in the fallback: %q", r.Fallback)
		}
		if _, err := json.Marshal(r.Blocks); err != nil {
			t.Fatal(err)
		}
	})
}
