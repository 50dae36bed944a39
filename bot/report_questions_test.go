package bot_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"duban/bot"
)

// sharedDev2 is the shared development set of questions people really
// type; it lives beside the repository, so a clean clone may lack it.
const sharedDev2 = "/work/shared/eval/dev2.jsonl"

// batteryQuestions returns every question of the QA batteries: the
// repository's testdata/eval/*.jsonl, and the shared dev2 set when it is
// there.
func batteryQuestions(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "eval", "*.jsonl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no batteries in testdata/eval: %v", err)
	}
	if _, err := os.Stat(sharedDev2); err == nil {
		files = append(files, sharedDev2)
	} else {
		t.Logf("%s not found: checking the repository's batteries only", sharedDev2)
	}
	var qs []string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) == "" {
				continue
			}
			var c struct{ Q string }
			if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			qs = append(qs, c.Q)
		}
		fh.Close()
	}
	return qs
}

// TestBatteryQuestionsStayQuestions sends every question of the batteries
// as users bound to an agency (and as the office): none may store a
// report, ask to confirm one, or be answered with a report's hints.
func TestBatteryQuestionsStayQuestions(t *testing.T) {
	e, st := phrasingEngine(t)
	qs := batteryQuestions(t)
	for i, q := range qs {
		for _, user := range []string{"U1", "U2", bot.LocalOperator} {
			r := e.Handle(context.Background(), bot.Request{Text: q, UserID: user, Channel: "C1", SourceID: fmt.Sprintf("q%d-%s", i, user)})
			if r.Intent == bot.IntentUpdate || r.Intent == bot.IntentConfirm || len(r.Records) > 0 {
				t.Errorf("%s %q answered as a report: %s %s", user, q, r.Intent, r.Title)
				continue
			}
			text := r.PlainText()
			for _, h := range reportHints {
				if strings.Contains(text, h) {
					t.Errorf("%s %q answered with the report hint %q: %s", user, q, h, r.Title)
				}
			}
		}
	}
	if n, err := st.Count(context.Background()); err != nil || n != 0 {
		t.Errorf("%d reports stored from %d questions (%v)", n, len(qs), err)
	}
	t.Logf("%d questions, none taken for a report", len(qs))
}
