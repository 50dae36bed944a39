package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"duban"
	"duban/bot"
	"duban/bot/console"
	"duban/seeds"
)

func engine(t *testing.T) *bot.Engine {
	p, err := duban.LoadPlan(seeds.FS, seeds.Default)
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(bot.Config{Plan: p})
}

func TestRunSession(t *testing.T) {
	in := strings.NewReader("第39条是什么\n\n省林业局牵头哪些工作?\n退出\n第1条\n")
	var out bytes.Buffer
	if err := console.Run(context.Background(), engine(t), console.User{ID: "local"}, in, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"可以这样问我", "电梯物联网", "第53条 推进林业品牌建设", "再见。"} {
		if !strings.Contains(got, want) {
			t.Errorf("session output lacks %q", want)
		}
	}
	if strings.Contains(got, "增加农产品优质供应") {
		t.Error("the console went on after 退出")
	}
}

func TestRunEndsAtEOF(t *testing.T) {
	var out bytes.Buffer
	if err := console.Run(context.Background(), engine(t), console.User{ID: "local"}, strings.NewReader("第3条"), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "加强林业标准化") {
		t.Errorf("last line without newline not answered:\n%s", out.String())
	}
}

func TestAskLinesJSON(t *testing.T) {
	in := strings.NewReader("省林业局牵头哪些工作?\nshow item 39\n\n省自然资源厅牵头哪些工作？\n")
	var out bytes.Buffer
	if err := console.AskLines(context.Background(), engine(t), console.User{ID: "local"}, in, true, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want one JSON object per question:\n%s", len(lines), out.String())
	}
	var answers []console.Answer
	for _, l := range lines {
		var a console.Answer
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatalf("not JSON: %s", l)
		}
		answers = append(answers, a)
	}
	if answers[0].Intent != "lead" || !slices.Equal(answers[0].Items, []int{3, 53}) || answers[0].Agencies[0] != "省林业局" {
		t.Errorf("first answer %+v", answers[0])
	}
	if answers[1].Intent != "item" || !slices.Equal(answers[1].Items, []int{39}) {
		t.Errorf("second answer %+v", answers[1])
	}
	// An empty answer is [] in JSON, not null.
	if !strings.Contains(lines[2], `"items":[]`) || !strings.Contains(answers[2].Text, "没有") {
		t.Errorf("none answer: %s", lines[2])
	}
}
