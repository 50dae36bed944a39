package bot_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"duban"
	"duban/bot"
	"duban/bot/console"
	"duban/store"
)

// hardenEngine is an engine over a real store in a temp directory, with U1
// bound to 省林业局 and the log captured.
type hardenEngine struct {
	eng *bot.Engine
	st  *store.Store
	log *bytes.Buffer
}

func newHardenEngine(t *testing.T, wrap func(bot.Store) bot.Store) *hardenEngine {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), store.Options{NoSocket: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Bind(context.Background(), duban.Binding{UserID: "U1", Agency: "省林业局", BoundBy: "local"}, "bind-U1"); err != nil {
		t.Fatal(err)
	}
	var s bot.Store = st
	if wrap != nil {
		s = wrap(st)
	}
	h := &hardenEngine{st: st, log: &bytes.Buffer{}}
	h.eng = bot.New(bot.Config{Plan: seedPlan(t), Store: s, Logger: slog.New(slog.NewTextHandler(h.log, nil))})
	return h
}

var srcN int

func (h *hardenEngine) say(user, text string) bot.Reply {
	srcN++
	return h.eng.Handle(context.Background(), bot.Request{Text: text, UserID: user, Channel: "test",
		SourceID: "src-" + time.Now().Format("150405.000000000") + "-" + string(rune('a'+srcN%26))})
}

// diskFullStore fails every report the way a full disk used to surface:
// an internal error whose message names the server's file.
type diskFullStore struct{ bot.Store }

func (diskFullStore) AddUpdates(context.Context, []duban.Update) ([]duban.Update, bool, error) {
	return nil, false, duban.Errorf(duban.CodeInternal, "数据库操作失败 (database error): %w",
		errors.New("write /srv/duban/data/duban.db: no space left on device"))
}

// panickyStore panics when asked for a binding: a bug somewhere below the
// engine.
type panickyStore struct{ bot.Store }

func (panickyStore) Binding(context.Context, string) (duban.Binding, bool, error) {
	panic("index out of range [3] with length 3")
}

var errorIDRe = regexp.MustCompile(`错误编号 ([0-9a-f]{8})`)

// TestInternalErrorsShowAnIDNotTheDetail: a store failure or a panic shows
// the user a short message with an error id, never the server's path or a
// stack; the log has the detail under the same id (hardening 5).
func TestInternalErrorsShowAnIDNotTheDetail(t *testing.T) {
	for _, c := range []struct {
		name   string
		wrap   func(bot.Store) bot.Store
		detail string // what the log must hold
	}{
		{"disk full", func(s bot.Store) bot.Store { return diskFullStore{s} }, "no space left on device"},
		{"panic", func(s bot.Store) bot.Store { return panickyStore{s} }, "index out of range"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHardenEngine(t, c.wrap)
			r := h.say("U1", "进展 #3 进行中 已完成造林10万亩")
			text := console.Render(r)
			if r.Intent != bot.IntentError || strings.Contains(text, "/srv/") || strings.Contains(text, "no space") ||
				strings.Contains(text, "goroutine") || strings.Contains(text, "index out of range") {
				t.Errorf("reply shows the detail:\n%s", text)
			}
			m := errorIDRe.FindStringSubmatch(text)
			if m == nil {
				t.Fatalf("reply has no error id:\n%s", text)
			}
			var logged bool
			for _, line := range strings.Split(h.log.String(), "\n") {
				if strings.Contains(line, m[1]) && strings.Contains(line, c.detail) {
					logged = true
				}
			}
			if !logged {
				t.Errorf("no log line holds error id %s and %q:\n%s", m[1], c.detail, h.log)
			}
		})
	}
}

// TestReportTextLosesControlCharacters: a report that carries terminal
// escape sequences is stored without them, and the console shows none
// (hardening 6).
func TestReportTextLosesControlCharacters(t *testing.T) {
	h := newHardenEngine(t, nil)
	r := h.say("U1", "进展 #3 进行中 \x1b]0;标题被改\x07已完成\x00造林\x1b[2J十万亩")
	if r.Intent != bot.IntentUpdate {
		t.Fatalf("report refused: %s", console.Render(r))
	}
	hist, err := h.st.History(context.Background(), "fujian-2021-quality", 3)
	if err != nil || len(hist) != 1 {
		t.Fatalf("history %v, %v", hist, err)
	}
	if got, want := hist[0].Text, "]0;标题被改已完成造林[2J十万亩"; got != want {
		t.Errorf("stored %q, want %q", got, want)
	}
	if out := console.Render(h.say("U1", "第3条进展")); strings.ContainsAny(out, "\x1b\x07\x00") {
		t.Errorf("history shows control characters: %q", out)
	}
}

// TestReportMinimumCountsVisibleCharacters: a report made of replacement
// or zero-width characters is too short, and nothing is stored
// (hardening 7).
func TestReportMinimumCountsVisibleCharacters(t *testing.T) {
	h := newHardenEngine(t, nil)
	for _, text := range []string{"\uFFFD\uFFFD\uFFFD", "\u200b\u200b\u200b\u200b", "\ufeff\u200d\u2060", "好\u200b"} {
		r := h.say("U1", "进展 #3 进行中 "+text)
		if r.Intent != bot.IntentError || !strings.Contains(r.Title, "太短") && !strings.Contains(r.Title, "请写明进展内容") {
			t.Errorf("report %q: %s; want refused as too short or empty", text, console.Render(r))
		}
	}
	if hist, _ := h.st.History(context.Background(), "fujian-2021-quality", 3); len(hist) != 0 {
		t.Errorf("%d reports stored, want none", len(hist))
	}
	if r := h.say("U1", "进展 #3 进行中 好的"); r.Intent != bot.IntentUpdate {
		t.Errorf("a two-character report was refused: %s", console.Render(r))
	}
}
