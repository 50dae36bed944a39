package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"duban"
	"duban/bot"
	"duban/bot/console"
	"duban/seeds"
	"duban/store"
)

// TestStoredControlCharactersAreEscaped: a report stored with control
// characters (before the engine cleaned them, or written by another tool)
// is shown with them escaped, so it cannot retitle or clear the
// operator's terminal (hardening 6).
func TestStoredControlCharactersAreEscaped(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), store.Options{NoSocket: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, _, err = st.AddUpdate(context.Background(), duban.Update{Plan: "fujian-2021-quality", Item: 3, Agency: "省林业局", AuthorID: "U1",
		Status: duban.StatusInProgress, Percent: duban.NoPercent, Text: "\x1b]0;pwned\x07已完成\x1b[2J", SourceID: "old"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := duban.LoadPlan(seeds.FS, seeds.Default)
	if err != nil {
		t.Fatal(err)
	}
	eng := bot.New(bot.Config{Plan: p, Store: st})
	var out bytes.Buffer
	if err := console.Run(context.Background(), eng, console.User{ID: "local"}, strings.NewReader("第3条进展\n"), &out); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.String(), "\x1b\x07") {
		t.Errorf("the console printed control characters: %q", out.String())
	}
	if !strings.Contains(out.String(), `\x1b]0;pwned\x07已完成`) {
		t.Errorf("the escaped text is missing: %q", out.String())
	}
	out.Reset()
	if err := console.Ask(context.Background(), eng, console.User{ID: "local"}, []string{"第3条进展"}, true, &out); err != nil {
		t.Fatal(err)
	}
	var a console.Answer
	if err := json.Unmarshal(out.Bytes(), &a); err != nil || strings.ContainsAny(a.Text, "\x1b\x07") {
		t.Errorf("ask --json text carries control characters: %q, %v", a.Text, err)
	}
}
