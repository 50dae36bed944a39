package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"duban/bot/console"
)

// TestOverlongLineIsRefusedAndInputGoesOn: a line over 1 MiB is answered
// with a message and the lines after it are still answered, in the
// console and in ask (hardening 10).
func TestOverlongLineIsRefusedAndInputGoesOn(t *testing.T) {
	input := "第3条\n" + strings.Repeat("长", 1<<19) + "\n第39条\n"
	var out bytes.Buffer
	if err := console.Run(context.Background(), engine(t), console.User{ID: "local"}, strings.NewReader(input), &out); err != nil {
		t.Fatalf("console: %v", err)
	}
	for _, want := range []string{"加强林业标准化", "太长", "电梯物联网"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("console output lacks %q", want)
		}
	}
	out.Reset()
	if err := console.AskLines(context.Background(), engine(t), console.User{ID: "local"}, strings.NewReader(input), true, &out); err != nil {
		t.Fatalf("ask: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("ask --json: %d lines, want one per input line (3)", len(lines))
	}
	var a console.Answer
	if err := json.Unmarshal([]byte(lines[1]), &a); err != nil || a.Intent != "error" || !strings.Contains(a.Text, "太长") {
		t.Errorf("overlong line answered %+v, %v; want an error saying it is too long", a, err)
	}
	if err := json.Unmarshal([]byte(lines[2]), &a); err != nil || a.Intent != "item" {
		t.Errorf("line after it answered %+v, %v; want item 39", a, err)
	}
}

// TestPipedConsoleShowsNoPrompt: when standard input is not a terminal
// the prompt is not printed, so it cannot run into the answers
// (hardening 27).
func TestPipedConsoleShowsNoPrompt(t *testing.T) {
	var out bytes.Buffer
	if err := console.Run(context.Background(), engine(t), console.User{ID: "local"}, strings.NewReader("第3条\n第39条\n"), &out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), strings.TrimSpace(console.Prompt)) {
		t.Errorf("piped console printed the prompt:\n%s", out.String())
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "第3条 ") || strings.HasPrefix(line, "第39条 ") {
			return // an answer starts its own line
		}
	}
	t.Errorf("no answer starts a line:\n%s", out.String())
}
