package slack

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack/socketmode"

	"duban"
	"duban/bot"
	"duban/bot/export"
)

// logTo sends the adapter's log to buf.
func logTo(buf *syncBuffer) func(*Config) {
	return func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(buf, nil)) }
}

// acksWithin collects acknowledgements until n have come or d has passed.
func (f *fakeSlack) acksWithin(n int, d time.Duration) map[string]map[string]any {
	got := map[string]map[string]any{}
	deadline := time.After(d)
	for len(got) < n {
		select {
		case a := <-f.acks:
			id, _ := a["envelope_id"].(string)
			got[id] = a
		case <-deadline:
			return got
		}
	}
	return got
}

// stopWithin shuts the adapter down as SIGTERM would and fails the test
// when that takes longer than d.
func (h *harness) stopWithin(d time.Duration) {
	h.t.Helper()
	stopped := make(chan struct{})
	began := time.Now()
	go func() { h.stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(d):
		h.t.Fatalf("shutdown still running after %v", d)
	}
	h.t.Logf("shutdown took %v", time.Since(began).Round(10*time.Millisecond))
}

// TestSocketShutdownWithManyCommandsInFlight: slash commands in flight
// when SIGTERM comes, more than slack-go queues (20), are all
// acknowledged, and the shutdown ends within its timeout (hardening 13).
func TestSocketShutdownWithManyCommandsInFlight(t *testing.T) {
	h := start(t, true)
	h.slack.slowDown("users.info", 800*time.Millisecond) // each answer waits for a name
	const n = 25
	for i := range n {
		cmd, _ := json.Marshal(map[string]any{"command": "/duban", "text": "帮助", "user_id": fmt.Sprintf("UC%d", i),
			"channel_id": "C1", "team_id": "T1", "trigger_id": fmt.Sprintf("trig-many-%d", i),
			"response_url": h.slack.base() + "/response/many"})
		h.slack.envelopes <- envelope("slash_commands", fmt.Sprintf("env-many-%d", i), cmd, 0)
	}
	waitFor(t, "every command in flight", func() bool { return len(h.slack.callTimes("users.info")) == n })
	h.stopWithin(8 * time.Second)
	got := h.slack.acksWithin(n, 2*time.Second)
	for i := range n {
		id := fmt.Sprintf("env-many-%d", i)
		if got[id] == nil {
			t.Errorf("%s was never acknowledged", id)
		}
	}
}

// TestSocketShutdownAcksFormsInFlight: forms submitted just before
// SIGTERM are stored and acknowledged with their confirmation: a saved
// report never shows the user an error (hardening 14).
func TestSocketShutdownAcksFormsInFlight(t *testing.T) {
	h := start(t, true)
	items := responsibleItems("省林业局")
	const n = 5
	for i := range n {
		h.bind(fmt.Sprintf("UF%d", i), "省林业局")
	}
	h.slack.slowDown("users.info", 600*time.Millisecond)
	for i := range n {
		p, _ := json.Marshal(viewSubmission(fmt.Sprintf("UF%d", i), fmt.Sprintf("VSHUT%d", i), strconv.Itoa(items[0]), "2", "", "林业品牌建设推进中"))
		h.slack.envelopes <- envelope("interactive", fmt.Sprintf("env-form-%d", i), p, 0)
	}
	waitFor(t, "every form in flight", func() bool { return len(h.slack.callTimes("users.info")) == n })
	h.stopWithin(8 * time.Second)
	got := h.slack.acksWithin(n, 2*time.Second)
	for i := range n {
		id := fmt.Sprintf("env-form-%d", i)
		payload, _ := got[id]["payload"].(map[string]any)
		if payload["response_action"] != "update" {
			t.Errorf("%s acknowledged with %v, want the confirmation", id, got[id])
		}
	}
	if us := h.history(items[0]); len(us) != n {
		t.Errorf("%d reports stored, want %d", len(us), n)
	}
}

// TestHTTPEventQueueShedsWhenFull: events beyond the queue's bound get
// 503 before they are acknowledged, so Slack delivers them again, and the
// shedding is logged; once there is room they are answered (hardening 15).
func TestHTTPEventQueueShedsWhenFull(t *testing.T) {
	var log syncBuffer
	h := start(t, false, logTo(&log), func(c *Config) { c.MaxQueue = 2 })
	h.slack.slowDown("users.info", time.Second)
	codes := map[string]int{}
	for i := range 4 {
		id := fmt.Sprintf("EvQ%d", i)
		resp, _ := h.event(id, mention(fmt.Sprintf("UQ%d", i), "帮助", fmt.Sprintf("170000900%d.000100", i)))
		codes[id] = resp.StatusCode
	}
	if codes["EvQ0"] != 200 || codes["EvQ1"] != 200 || codes["EvQ2"] != 503 || codes["EvQ3"] != 503 {
		t.Errorf("statuses %v, want 200 for the first two and 503 beyond the queue's bound", codes)
	}
	if !strings.Contains(log.String(), "EvQ2") {
		t.Errorf("the shed event is not logged:\n%s", log.String())
	}
	waitFor(t, "the queued answers", func() bool { return len(h.slack.postsSnapshot()) == 2 })
	// Slack's retries find room once the two handlers have returned.
	waitFor(t, "a retry of the shed event to be taken", func() bool {
		resp, _ := h.event("EvQ2", mention("UQ2", "帮助", "1700009002.000100"))
		return resp.StatusCode == 200
	})
	waitFor(t, "the retried event's answer", func() bool { return len(h.slack.postsSnapshot()) == 3 })
}

// TestShutdownLogsDroppedEvents: an event still being processed when the
// shutdown timeout ends is logged by its id, and is not marked
// processed, so Slack's redelivery is answered (hardening 15).
func TestShutdownLogsDroppedEvents(t *testing.T) {
	var log syncBuffer
	h := startWith(t, false, 500*time.Millisecond, logTo(&log))
	h.slack.slowDown("chat.postMessage", 5*time.Second)
	h.event("EvSlow", mention("UA", "帮助", "1700009100.000100"))
	waitFor(t, "the answer to be on its way", func() bool { return len(h.slack.callTimes("chat.postMessage")) == 1 })
	h.stopWithin(4 * time.Second)
	if !regexp.MustCompile(`dropped.*EvSlow|EvSlow.*dropped`).MatchString(log.String()) {
		t.Errorf("the dropped event is not logged:\n%s", log.String())
	}
	if seen, _ := h.store.EventSeen(context.Background(), "EvSlow"); seen {
		t.Error("the dropped event was marked processed")
	}
}

// TestShutdownStopsAckingFirst: a request that arrives once SIGTERM has
// come is refused with 503 (Slack retries it), not acknowledged and then
// dropped (hardening 15).
func TestShutdownStopsAckingFirst(t *testing.T) {
	h := start(t, false)
	body := eventBody("EvLate", mention("UA", "帮助", "1700009200.000100"))
	stamp, sig := sign(testSecret, time.Now(), body)
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"+
		"X-Slack-Request-Timestamp: %s\r\nX-Slack-Signature: %s\r\n\r\n", len(body), stamp, sig)
	conn.Write(body[:10]) // the request is in flight when SIGTERM comes
	time.Sleep(100 * time.Millisecond)
	stopped := make(chan struct{})
	go func() { h.stop(); close(stopped) }()
	time.Sleep(200 * time.Millisecond)
	conn.Write(body[10:])
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	<-stopped
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("event arriving during shutdown: %d, want 503", resp.StatusCode)
	}
	if len(h.slack.postsSnapshot()) != 0 {
		t.Error("the late event was answered")
	}
}

// TestShutdownCancelsRateLimitWait: SIGTERM while an answer waits out a
// long Retry-After ends the wait: the shutdown is quick and clean, and the
// event is left unprocessed for Slack to deliver again (hardening 18).
func TestShutdownCancelsRateLimitWait(t *testing.T) {
	h := start(t, false, func(c *Config) { c.MaxRetryWait = time.Minute })
	h.slack.mu.Lock()
	h.slack.limit["chat.postMessage"], h.slack.retry["chat.postMessage"] = 5, 30
	h.slack.mu.Unlock()
	h.event("EvWait", mention("UA", "帮助", "1700009400.000100"))
	waitFor(t, "the rate limit", func() bool { return len(h.slack.callTimes("chat.postMessage")) == 1 })
	h.stopWithin(2 * time.Second) // h.stop fails the test if Run returns an error
	if seen, _ := h.store.EventSeen(context.Background(), "EvWait"); seen {
		t.Error("the unanswered event was marked processed")
	}
}

// TestSocketErrorsAreLogged: a Socket Mode acknowledgement that could not
// be written and a message that could not be read are logged (hardening
// 20).
func TestSocketErrorsAreLogged(t *testing.T) {
	var log syncBuffer
	h := start(t, false, logTo(&log))
	smc := socketmode.New(h.a.api)
	h.a.onSocketEvent(smc, socketmode.Event{Type: socketmode.EventTypeErrorWriteFailed,
		Data: &socketmode.ErrorWriteFailed{Cause: errors.New("broken pipe"), Response: &socketmode.Response{EnvelopeID: "env-lost"}}})
	h.a.onSocketEvent(smc, socketmode.Event{Type: socketmode.EventTypeErrorBadMessage,
		Data: &socketmode.ErrorBadMessage{Cause: errors.New("unexpected end of JSON input"), Message: []byte(`{"type":`)}})
	for _, want := range []string{"env-lost", "broken pipe", "unexpected end of JSON input"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
}

// failingClaims is an event log whose store fails when a slash command is
// claimed.
type failingClaims struct{ EventLog }

func (f failingClaims) ClaimEvent(ctx context.Context, id string, hold time.Duration) (bool, error) {
	if strings.HasPrefix(id, "cmd:") {
		return false, duban.Errorf(duban.CodeInternal, "数据库操作失败: %w", errors.New("read /srv/duban/duban.db: input/output error"))
	}
	return f.EventLog.ClaimEvent(ctx, id, hold)
}

// TestSlashCommandClaimErrorIsAnsweredAndLogged: a store error while a
// slash command is claimed gets an answer with an error id, and the log
// has the error under that id (hardening 20, 5).
func TestSlashCommandClaimErrorIsAnsweredAndLogged(t *testing.T) {
	var log syncBuffer
	h := start(t, false, logTo(&log), func(c *Config) { c.Events = failingClaims{c.Events} })
	_, body := h.command("UA", "帮助", "trig-claim")
	m := regexp.MustCompile(`错误编号 ([0-9a-f]{8})`).FindStringSubmatch(string(body))
	if m == nil || strings.Contains(string(body), "/srv/") {
		t.Fatalf("answer %s; want an error id and no path", body)
	}
	if !strings.Contains(log.String(), m[1]) || !strings.Contains(log.String(), "input/output error") {
		t.Errorf("log lacks error %s with its cause:\n%s", m[1], log.String())
	}
}

// failingBindings is a store whose bindings cannot be read.
type failingBindings struct{ testStore }

func (failingBindings) Binding(context.Context, string) (duban.Binding, bool, error) {
	return duban.Binding{}, false, duban.Errorf(duban.CodeInternal, "数据库操作失败: %w", errors.New("read /srv/duban/duban.db: input/output error"))
}

// TestHomeShowsAnErrorIDNotTheDetail: the App Home of a user whose binding
// cannot be read shows an error id, never the server's path (hardening 5).
func TestHomeShowsAnErrorIDNotTheDetail(t *testing.T) {
	var log syncBuffer
	h := start(t, false, logTo(&log), func(c *Config) {
		c.Engine = bot.New(bot.Config{Plan: testPlan(), Store: failingBindings{c.Events.(testStore)},
			Exporter: export.Writer{}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	})
	h.event("EvHome", map[string]any{"type": "app_home_opened", "user": "UA", "channel": "DUA", "tab": "home"})
	waitFor(t, "views.publish", func() bool {
		h.slack.mu.Lock()
		defer h.slack.mu.Unlock()
		return len(h.slack.views["views.publish"]) == 1
	})
	h.slack.mu.Lock()
	b, _ := json.Marshal(h.slack.views["views.publish"][0])
	h.slack.mu.Unlock()
	m := regexp.MustCompile(`错误编号 ([0-9a-f]{8})`).FindStringSubmatch(string(b))
	if m == nil || strings.Contains(string(b), "/srv/") {
		t.Fatalf("home %s; want an error id and no path", b)
	}
	if !strings.Contains(log.String(), m[1]) {
		t.Errorf("log lacks error %s:\n%s", m[1], log.String())
	}
}
