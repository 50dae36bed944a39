package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"duban"
	"duban/bot"
)

func TestCheckTokens(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		http bool
		want error
	}{
		{"no bot token", Config{AppToken: "xapp-1"}, false, ErrNoBotToken},
		{"user token", Config{BotToken: "xoxp-secret-value", AppToken: "xapp-1"}, false, ErrBadBotToken},
		{"app token as bot token", Config{BotToken: "xapp-secret-value"}, false, ErrBadBotToken},
		{"bad app token", Config{BotToken: "xoxb-1", AppToken: "xoxb-secret-value"}, false, ErrBadAppToken},
		{"http without secret", Config{BotToken: "xoxb-1"}, true, ErrNoSecret},
		{"no transport", Config{BotToken: "xoxb-1"}, false, ErrNoTransport},
		{"socket mode", Config{BotToken: "xoxb-1", AppToken: "xapp-1"}, false, nil},
		{"http", Config{BotToken: "xoxb-1", SigningSecret: "s"}, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckTokens(tt.cfg, tt.http)
			if got != tt.want {
				t.Fatalf("CheckTokens = %v, want %v", got, tt.want)
			}
			if got != nil && strings.Contains(got.Error(), "secret-value") {
				t.Errorf("error %q reveals the token", got)
			}
		})
	}
}

func TestSignatureRequired(t *testing.T) {
	h := start(t, false)
	h.bind("UA", "省林业局")
	body := eventBody("EvSig", mention("UA", "进展 #3 进行中 伪造的进展报告", "1700000001.000100"))
	tests := []struct {
		name   string
		secret string
		ts     time.Time
		body   []byte // signed body; the request sends `body` of the test
	}{
		{"missing signature", "", time.Now(), nil},
		{"wrong secret", "not-the-secret", time.Now(), nil},
		{"stale", testSecret, time.Now().Add(-6 * time.Minute), nil},
		{"from the future", testSecret, time.Now().Add(6 * time.Minute), nil},
		{"body changed after signing", testSecret, time.Now(), []byte(`{"type":"event_callback"}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/slack/events", "/slack/commands", "/slack/interactivity"} {
				req, _ := http.NewRequest(http.MethodPost, h.url+path, strings.NewReader(string(body)))
				if tt.secret != "" {
					signed := body
					if tt.body != nil {
						signed = tt.body
					}
					stamp, sig := sign(tt.secret, tt.ts, signed)
					req.Header.Set("X-Slack-Request-Timestamp", stamp)
					req.Header.Set("X-Slack-Signature", sig)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if got, want := resp.StatusCode, http.StatusUnauthorized; got != want {
					t.Errorf("%s: status %d, want %d", path, got, want)
				}
			}
		})
	}
	// Give a wrongly accepted event time to be processed before checking.
	time.Sleep(200 * time.Millisecond)
	if got := h.slack.postsSnapshot(); len(got) != 0 {
		t.Errorf("unsigned requests produced %d messages: %+v", len(got), got)
	}
	if seen, _ := h.store.EventSeen(context.Background(), "EvSig"); seen {
		t.Error("an unsigned event was recorded as processed")
	}
	if us := h.history(3); len(us) != 0 {
		t.Errorf("unsigned requests stored %d reports", len(us))
	}
	// The same body, properly signed, is accepted: the rejections above
	// were the signatures' doing.
	if resp, _ := h.send("/slack/events", "application/json", body, testSecret, time.Now()); resp.StatusCode != http.StatusOK {
		t.Fatalf("signed request: status %d", resp.StatusCode)
	}
	waitFor(t, "the signed report", func() bool { return len(h.history(3)) == 1 })
}

func TestURLVerificationAndBodyLimit(t *testing.T) {
	h := start(t, false)
	resp, body := h.send("/slack/events", "application/json",
		[]byte(`{"token":"x","challenge":"3eZbrw1aB","type":"url_verification"}`), testSecret, time.Now())
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"challenge":"3eZbrw1aB"`) {
		t.Errorf("url_verification: %d %s", resp.StatusCode, body)
	}
	big := []byte(`{"type":"event_callback","pad":"` + strings.Repeat("x", 1<<20) + `"}`)
	resp, _ = h.send("/slack/events", "application/json", big, testSecret, time.Now())
	if got, want := resp.StatusCode, http.StatusRequestEntityTooLarge; got != want {
		t.Errorf("1 MiB body: status %d, want %d", got, want)
	}
}

func TestMentionAnsweredInThread(t *testing.T) {
	h := start(t, false)
	const ts = "1700000100.000200"
	began := time.Now()
	resp, _ := h.event("EvQ1", mention("UA", "帮助", ts))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if d := time.Since(began); d > 3*time.Second {
		t.Errorf("acknowledged after %v, want within 3s", d)
	}
	waitFor(t, "the answer", func() bool { return len(h.slack.postsSnapshot()) == 1 })
	p := h.slack.postsSnapshot()[0]
	if p.Channel != "C1" || p.Thread != ts {
		t.Errorf("answer went to channel %q thread %q, want C1 thread %s", p.Channel, p.Thread, ts)
	}
	want := h.engine.Handle(context.Background(), bot.Request{Text: "帮助", UserID: "UA"})
	if !strings.Contains(p.Text, firstLine(want.PlainText())) {
		t.Errorf("answer text %q lacks the engine's answer %q", p.Text, firstLine(want.PlainText()))
	}
	if !strings.Contains(p.Blocks, `"type":"header"`) {
		t.Errorf("answer has no Block Kit header: %s", p.Blocks)
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func TestDirectMessagesAndIgnoredMessages(t *testing.T) {
	h := start(t, false)
	h.event("EvD1", dm("UA", "帮助", "1700000200.000100"))
	waitFor(t, "the DM answer", func() bool { return len(h.slack.postsSnapshot()) == 1 })
	if p := h.slack.postsSnapshot()[0]; p.Channel != "DUA" || p.Thread != "" {
		t.Errorf("DM answer went to %q thread %q, want DUA outside a thread", p.Channel, p.Thread)
	}
	ignored := []map[string]any{
		dm(botUser, "帮助", "1700000201.000100"), // the bot's own message
		func() map[string]any { m := dm("UB", "帮助", "1700000202.000100"); m["bot_id"] = "B9"; return m }(),
		func() map[string]any {
			m := dm("UA", "帮助", "1700000203.000100")
			m["subtype"] = "message_changed"
			return m
		}(),
		func() map[string]any {
			m := dm("UA", "帮助", "1700000204.000100")
			m["subtype"] = "channel_join"
			return m
		}(),
		func() map[string]any { m := mention("UB", "帮助", "1700000205.000100"); m["bot_id"] = "B9"; return m }(),
	}
	for i, ev := range ignored {
		if resp, _ := h.event("EvIgn"+strconv.Itoa(i), ev); resp.StatusCode != http.StatusOK {
			t.Errorf("ignored event %d: status %d, want 200", i, resp.StatusCode)
		}
	}
	h.event("EvD2", dm("UA", "帮助", "1700000206.000100")) // a marker after them
	waitFor(t, "the marker answer", func() bool { return len(h.slack.postsSnapshot()) >= 2 })
	time.Sleep(100 * time.Millisecond)
	if got := len(h.slack.postsSnapshot()); got != 2 {
		t.Errorf("%d messages posted, want 2 (bots, own messages and subtypes ignored)", got)
	}
}

func TestRetriedEventProcessedOnce(t *testing.T) {
	h := start(t, false)
	ev := mention("UA", "帮助", "1700000300.000100")
	for range 3 {
		if resp, _ := h.event("EvRetry", ev); resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	waitFor(t, "the event to be marked", func() bool {
		seen, _ := h.store.EventSeen(context.Background(), "EvRetry")
		return seen
	})
	h.event("EvRetry", ev) // a late retry, after processing
	time.Sleep(200 * time.Millisecond)
	if got := len(h.slack.postsSnapshot()); got != 1 {
		t.Errorf("%d answers to one event delivered four times, want 1", got)
	}
}

func TestRetryOfFailedEventIsProcessed(t *testing.T) {
	h := start(t, false)
	// Slack keeps refusing the answer: the event is not marked processed.
	h.slack.rateLimit("chat.postMessage", maxAttempts)
	h.event("EvFail", mention("UA", "帮助", "1700000400.000100"))
	waitForUpTo(t, 15*time.Second, "the attempts", func() bool { return len(h.slack.callTimes("chat.postMessage")) == maxAttempts })
	time.Sleep(100 * time.Millisecond)
	if seen, _ := h.store.EventSeen(context.Background(), "EvFail"); seen {
		t.Fatal("an event whose answer failed was marked processed")
	}
	h.event("EvFail", mention("UA", "帮助", "1700000400.000100"))
	waitFor(t, "the retry's answer", func() bool { return len(h.slack.postsSnapshot()) == 1 })
}

func TestSlashCommandEphemeral(t *testing.T) {
	h := start(t, false)
	resp, body := h.command("UA", "帮助", "trig-1")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var msg struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	if err := json.Unmarshal(body, &msg); err != nil {
		t.Fatalf("response %q: %v", body, err)
	}
	if msg.ResponseType != "ephemeral" || msg.Text == "" {
		t.Errorf("response = %+v, want an ephemeral answer", msg)
	}
	if n := len(h.slack.postsSnapshot()); n != 0 {
		t.Errorf("a slash command posted %d channel messages, want 0", n)
	}
}

func TestRateLimitWaitedOut(t *testing.T) {
	h := start(t, false)
	h.slack.rateLimit("chat.postMessage", 1)
	h.event("EvRL", mention("UA", "帮助", "1700000500.000100"))
	waitFor(t, "the answer after the rate limit", func() bool { return len(h.slack.postsSnapshot()) == 1 })
	calls := h.slack.callTimes("chat.postMessage")
	if len(calls) != 2 {
		t.Fatalf("%d calls, want 2 (refused, then accepted)", len(calls))
	}
	if gap := calls[1].Sub(calls[0]); gap < time.Second {
		t.Errorf("retried after %v, want at least the Retry-After of 1s", gap)
	}
}

func TestExportUploadedIntoThread(t *testing.T) {
	h := start(t, false)
	path := filepath.Join(h.dir, "duban-export.csv")
	content := "\ufeff序号,工作要点,单位\n53,森林公园,省林业局\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	r := bot.Reply{Intent: bot.IntentExport, Title: "已导出", File: &bot.File{Path: path, Name: "duban-export.csv", Format: "csv"}}
	to := where{channel: "C1", threadTS: "1700000600.000100"}
	if err := h.a.deliver(context.Background(), to, r); err != nil {
		t.Fatal(err)
	}
	h.slack.mu.Lock()
	defer h.slack.mu.Unlock()
	if len(h.slack.completed) != 1 {
		t.Fatalf("%d uploads completed, want 1", len(h.slack.completed))
	}
	u := h.slack.completed[0]
	if u.Name != "duban-export.csv" || string(u.Data) != content || u.Channel != "C1" || u.Thread != to.threadTS {
		t.Errorf("upload = %q %q in %s/%s, want the CSV in the thread", u.Name, u.Data, u.Channel, u.Thread)
	}
}

func TestRemindersSentAsDirectMessages(t *testing.T) {
	h := start(t, false)
	h.slack.rateLimit("chat.postMessage", 1)
	r := bot.Reply{Intent: bot.IntentMissing, Title: "提醒", Direct: []bot.Message{
		{UserID: "UA", Text: "请报送第53条进展 <!channel>"},
		{UserID: "UB", Text: "请报送第12条进展"},
	}}
	if err := h.a.deliver(context.Background(), where{channel: "C1", threadTS: "1700000700.000100"}, r); err != nil {
		t.Fatal(err)
	}
	posts := h.slack.postsSnapshot()
	got := map[string]string{}
	for _, p := range posts {
		got[p.Channel] = p.Text
	}
	if got["DUA"] != "请报送第53条进展 &lt;!channel&gt;" || got["DUB"] != "请报送第12条进展" {
		t.Errorf("DMs = %v, want one escaped reminder each to DUA and DUB", got)
	}
	if !strings.Contains(got["C1"], "已私信提醒 2 人") {
		t.Errorf("thread notice %q does not count the DMs", got["C1"])
	}
	h.slack.mu.Lock()
	opened := strings.Join(h.slack.opened, ",")
	h.slack.mu.Unlock()
	if opened != "UA,UB" {
		t.Errorf("conversations.open for %q, want UA,UB", opened)
	}
}

func TestGracefulShutdownFinishesHandlers(t *testing.T) {
	h := start(t, false)
	h.slack.rateLimit("chat.postMessage", 1) // the answer takes at least a second
	h.event("EvShut", mention("UA", "帮助", "1700000800.000100"))
	time.Sleep(100 * time.Millisecond)
	h.stop()
	if got := len(h.slack.postsSnapshot()); got != 1 {
		t.Errorf("%d answers after shutdown, want the in-flight one finished", got)
	}
	if seen, _ := h.store.EventSeen(context.Background(), "EvShut"); !seen {
		t.Error("the in-flight event was not marked processed before shutdown")
	}
}

func TestUserNamesCached(t *testing.T) {
	h := start(t, false)
	for i := range 3 {
		h.event("EvName"+strconv.Itoa(i), dm("UA", "帮助", "1700000900.00010"+strconv.Itoa(i)))
	}
	waitFor(t, "three answers", func() bool { return len(h.slack.postsSnapshot()) == 3 })
	h.slack.mu.Lock()
	n := h.slack.userInfos
	h.slack.mu.Unlock()
	if n != 1 {
		t.Errorf("users.info called %d times for one user, want 1", n)
	}
	if got := h.a.names.Name(context.Background(), h.a, "UA"); got != "显示名UA" {
		t.Errorf("name = %q, want the display name", got)
	}
}

func TestTsTime(t *testing.T) {
	got := tsTime("1700000000.000100")
	if want := time.Unix(1700000000, 100000); !got.Equal(want) {
		t.Errorf("tsTime = %v, want %v", got, want)
	}
	if !tsTime("junk").IsZero() {
		t.Error("tsTime(junk) is not zero")
	}
}

// reportsBy returns the stored reports of an item by author.
func reportsBy(us []duban.Update, author string) []duban.Update {
	var out []duban.Update
	for _, u := range us {
		if u.AuthorID == author {
			out = append(out, u)
		}
	}
	return out
}

func TestReportThroughMentionStoredOnceAndEscaped(t *testing.T) {
	h := start(t, false)
	items := responsibleItems("省林业局")
	h.bind("UA", "省林业局")
	const ts = "1700020000.000100"
	text := "进展 #" + strconv.Itoa(items[0]) + " 进行中 已改造森林公园12个 <!channel> <@U999>"
	ev := mention("UA", text, ts)
	// Slack delivers the event, then retries it twice before our ack lands.
	done := make(chan struct{})
	for range 3 {
		go func() { h.event("EvReport", ev); done <- struct{}{} }()
	}
	for range 3 {
		<-done
	}
	waitFor(t, "the confirmation", func() bool { return len(h.slack.postsSnapshot()) >= 1 })
	time.Sleep(200 * time.Millisecond)
	posts := h.slack.postsSnapshot()
	if len(posts) != 1 {
		t.Fatalf("%d replies to one report delivered three times, want 1", len(posts))
	}
	us := h.history(items[0])
	if len(us) != 1 {
		t.Fatalf("%d reports stored, want 1", len(us))
	}
	if u := us[0]; u.Agency != "省林业局" || u.AuthorID != "UA" || u.AuthorName != "显示名UA" ||
		u.Status != duban.StatusInProgress || !strings.Contains(u.Text, "已改造森林公园12个") || u.SourceID != "EvReport" {
		t.Errorf("stored %+v", u)
	}
	p := posts[0]
	if p.Thread != ts {
		t.Errorf("confirmation in thread %q, want %s", p.Thread, ts)
	}
	blocks := rawJSON([]byte(p.Blocks))
	for _, raw := range []string{"<!channel>", "<@U999>"} {
		if strings.Contains(p.Text, raw) || strings.Contains(blocks, raw) {
			t.Errorf("confirmation echoes %s unescaped: %s", raw, p.Text)
		}
	}
	// The engine was given plain text (<!channel> as @channel, a mention
	// as @U999): that is what is stored, and shown back as text.
	if !strings.Contains(us[0].Text, "@channel @U999") {
		t.Errorf("stored text %q, want the markup as plain text (@channel @U999)", us[0].Text)
	}
	if !strings.Contains(blocks, "@channel @U999") {
		t.Errorf("confirmation does not show the text as written: %s", blocks)
	}
}

func TestOneMessageTwoEventsAnsweredOnce(t *testing.T) {
	h := start(t, false)
	const ts = "1700030000.000100"
	m := mention("UA", "帮助", ts)
	m["channel"] = "DUA"
	h.event("EvBoth1", m)
	h.event("EvBoth2", dm("UA", "<@"+botUser+"> 帮助", ts))
	waitFor(t, "the answer", func() bool { return len(h.slack.postsSnapshot()) >= 1 })
	time.Sleep(200 * time.Millisecond)
	if got := len(h.slack.postsSnapshot()); got != 1 {
		t.Errorf("%d answers to one message delivered as two events, want 1", got)
	}
}

func TestManifestDeclaresWhatTheAdapterUses(t *testing.T) {
	b, err := os.ReadFile("manifest.yml")
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		if i := strings.Index(l, "#"); i >= 0 {
			l = l[:i]
		}
		lines[strings.TrimSpace(l)] = true
	}
	for _, want := range []string{
		"- app_mentions:read", "- chat:write", "- commands", "- im:history", "- im:write",
		"- users:read", "- files:write", "- files:read", "- app_mention", "- message.im", "- app_home_opened", "- file_shared",
		"- command: /duban", "is_enabled: true", "socket_mode_enabled: true", "home_tab_enabled: true",
	} {
		if !lines[want] {
			t.Errorf("manifest.yml lacks %q", want)
		}
	}
}

func TestSlowSlashCommandAnsweredThroughResponseURL(t *testing.T) {
	// An ack budget no answer can meet: the ack goes out empty and the
	// answer follows through response_url.
	h := start(t, false, func(c *Config) { c.AckBudget = time.Nanosecond })
	// A slow users.info makes sure: on a loaded machine the answer could
	// otherwise be ready before the 1 ns timer was even set.
	h.slack.slowDown("users.info", 200*time.Millisecond)
	resp, body := h.command("UA", "帮助", "trig-slow")
	if resp.StatusCode != http.StatusOK || len(body) != 0 {
		t.Fatalf("ack = %d %q, want an empty 200", resp.StatusCode, body)
	}
	waitFor(t, "the response_url post", func() bool {
		h.slack.mu.Lock()
		defer h.slack.mu.Unlock()
		return len(h.slack.responses) == 1
	})
	h.slack.mu.Lock()
	r := h.slack.responses[0]
	h.slack.mu.Unlock()
	if r["response_type"] != "ephemeral" || r["text"] == "" {
		t.Errorf("response_url got %v, want an ephemeral answer", r)
	}
}
