package slack

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"duban/bot"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<!channel> 请注意", "&lt;!channel&gt; 请注意"},
		{"<@U123>", "&lt;@U123&gt;"},
		{"A&B <http://x|y>", "A&amp;B &lt;http://x|y&gt;"},
		{"普通文字", "普通文字"},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := unescape(Escape(tt.in)); got != tt.in {
			t.Errorf("unescape(Escape(%q)) = %q", tt.in, got)
		}
	}
}

// blockTexts returns every text of the rendered blocks by kind.
func blockTexts(t *testing.T, blocks []slack.Block) (headers, sections, fields []string, fieldCounts []int) {
	t.Helper()
	for _, b := range blocks {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			headers = append(headers, b.Text.Text)
		case *slack.SectionBlock:
			if b.Text != nil {
				sections = append(sections, b.Text.Text)
			}
			for _, f := range b.Fields {
				fields = append(fields, f.Text)
			}
			fieldCounts = append(fieldCounts, len(b.Fields))
		}
	}
	return
}

func TestRenderWithinLimits(t *testing.T) {
	long := strings.Repeat("很长的进展内容，", 700) // ~5600 runes
	var many []bot.Section
	for i := range 80 {
		many = append(many, bot.Section{Heading: "第" + string(rune('0'+i%10)) + "条", Text: "内容", Item: i%71 + 1})
	}
	var fields []bot.Field
	for range 23 {
		fields = append(fields, bot.Field{Label: "单位", Value: "省林业局"})
	}
	tests := []struct {
		name    string
		reply   bot.Reply
		wantCut bool
	}{
		{"long text", bot.Reply{Title: "标题", Sections: []bot.Section{{Text: long}}}, false},
		{"many sections", bot.Reply{Title: "汇总", Sections: many, Note: "提示"}, true},
		{"many fields", bot.Reply{Title: "字段", Sections: []bot.Section{{Heading: "表", Fields: fields}}}, false},
		{"long title", bot.Reply{Title: strings.Repeat("题", 200)}, false},
		{"empty", bot.Reply{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Render(tt.reply, true)
			if len(r.Blocks) > maxBlocks {
				t.Errorf("%d blocks, limit %d", len(r.Blocks), maxBlocks)
			}
			if r.Cut != tt.wantCut {
				t.Errorf("cut = %v, want %v", r.Cut, tt.wantCut)
			}
			headers, sections, fs, counts := blockTexts(t, r.Blocks)
			for _, h := range headers {
				if n := utf8.RuneCountInString(h); n > maxHeaderRunes {
					t.Errorf("header of %d runes", n)
				}
			}
			for _, s := range sections {
				if n := utf8.RuneCountInString(s); n > maxSectionRunes || n == 0 {
					t.Errorf("section text of %d runes", n)
				}
			}
			for _, c := range counts {
				if c > maxFields {
					t.Errorf("section with %d fields", c)
				}
			}
			if got, want := len(fs), countFields(tt.reply); !tt.wantCut && got != want {
				t.Errorf("%d fields rendered, want all %d", got, want)
			}
			if tt.wantCut {
				js, _ := json.Marshal(r.Blocks)
				if !strings.Contains(string(js), "导出") {
					t.Error("a cut answer does not point to the export")
				}
			}
			if utf8.RuneCountInString(r.Fallback) > maxFallback || r.Fallback == "" {
				t.Errorf("fallback of %d runes", utf8.RuneCountInString(r.Fallback))
			}
			// Nothing of the long text is lost when it fits in 50 blocks.
			if tt.name == "long text" {
				joined := strings.Join(sections, "")
				if got, want := utf8.RuneCountInString(joined), utf8.RuneCountInString(long); got != want {
					t.Errorf("long text rendered as %d runes, want %d", got, want)
				}
			}
		})
	}
}

func countFields(r bot.Reply) int {
	n := 0
	for _, s := range r.Sections {
		n += len(s.Fields)
	}
	return n
}

func TestRenderEscapesUserText(t *testing.T) {
	r := Render(bot.Reply{
		Title:    "<!here> 标题",
		Sections: []bot.Section{{Heading: "<@U1>", Fields: []bot.Field{{Label: "a<b", Value: "<!channel>"}}, Text: "进展 <!channel> & *粗体*", Marks: []bot.Span{{Start: 0, End: len("进展")}}, Item: 53}},
		Note:     "<https://evil|点我>",
	}, true)
	js, _ := json.Marshal(r.Blocks)
	s := rawJSON(js)
	for _, bad := range []string{"<!channel>", "<@U1>", "<https://evil"} {
		if strings.Contains(s, bad) || strings.Contains(r.Fallback, bad) {
			t.Errorf("rendered reply carries %q unescaped", bad)
		}
	}
	if !strings.Contains(s, "\u200b*进展*\u200b &lt;!channel&gt; &amp;") {
		t.Errorf("highlight or escape wrong: %s", s)
	}
	if !strings.Contains(s, `"action_id":"`+ActionReport+`"`) || !strings.Contains(s, `"value":"53"`) {
		t.Errorf("item section lacks the 报告进展 button: %s", s)
	}
	// The header is plain text: shown as typed, never parsed.
	if !strings.Contains(s, `"text":"<!here> 标题","type":"plain_text"},"type":"header"`) {
		t.Errorf("header not plain text: %s", s)
	}
}

// BenchmarkRender renders a long summary-like reply (30 sections with
// fields and highlighted text) as Block Kit.
func BenchmarkRender(b *testing.B) {
	var secs []bot.Section
	for i := range 30 {
		text := "全省新改建供水管网800公里、污水管网900公里 <!channel> & 雨水管网750公里"
		secs = append(secs, bot.Section{Heading: "第" + strconv.Itoa(i+1) + "条", Text: text,
			Marks: []bot.Span{{Start: 0, End: len("全省")}}, Fields: []bot.Field{{Label: "单位", Value: "省林业局"}, {Label: "状态", Value: "进行中"}}, Item: i + 1})
	}
	r := bot.Reply{Title: "汇总", Sections: secs, Note: "完整内容请导出"}
	b.ReportAllocs()
	for b.Loop() {
		Render(r, true)
	}
}
