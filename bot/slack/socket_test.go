package slack

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"duban"
)

// envelope is a Socket Mode message carrying payload.
func envelope(kind, id string, payload []byte, retry int) string {
	b, _ := json.Marshal(map[string]any{
		"type": kind, "envelope_id": id, "payload": json.RawMessage(payload),
		"accepts_response_payload": kind != "events_api", "retry_attempt": retry,
	})
	return string(b)
}

// nextAck waits for the next acknowledgement from the adapter.
func (f *fakeSlack) nextAck(t *testing.T) map[string]any {
	t.Helper()
	select {
	case a := <-f.acks:
		return a
	case <-time.After(5 * time.Second):
		t.Fatal("no acknowledgement within 5s")
		return nil
	}
}

func TestSocketMode(t *testing.T) {
	h := start(t, true)
	const ts = "1700005000.000100"
	ev := eventBody("EvSock", mention("UA", "帮助", ts))

	began := time.Now()
	h.slack.envelopes <- envelope("events_api", "env-1", ev, 0)
	if got := h.slack.nextAck(t)["envelope_id"]; got != "env-1" {
		t.Errorf("acknowledged %v, want env-1", got)
	}
	if d := time.Since(began); d > 3*time.Second {
		t.Errorf("acknowledged after %v", d)
	}
	waitFor(t, "the answer", func() bool { return len(h.slack.postsSnapshot()) == 1 })
	if p := h.slack.postsSnapshot()[0]; p.Channel != "C1" || p.Thread != ts {
		t.Errorf("answer in %s/%s, want C1 thread %s", p.Channel, p.Thread, ts)
	}

	// Slack retries the same event in a new envelope: acknowledged, not answered again.
	h.slack.envelopes <- envelope("events_api", "env-2", ev, 1)
	if got := h.slack.nextAck(t)["envelope_id"]; got != "env-2" {
		t.Errorf("acknowledged %v, want env-2", got)
	}
	time.Sleep(200 * time.Millisecond)
	if got := len(h.slack.postsSnapshot()); got != 1 {
		t.Errorf("%d answers after a retried envelope, want 1", got)
	}

	// A slash command is answered in its acknowledgement.
	cmd, _ := json.Marshal(map[string]any{"command": "/duban", "text": "帮助", "user_id": "UA", "channel_id": "C1",
		"team_id": "T1", "trigger_id": "trig-sock", "response_url": h.slack.base() + "/response/sock"})
	h.slack.envelopes <- envelope("slash_commands", "env-3", cmd, 0)
	ack := h.slack.nextAck(t)
	b, _ := json.Marshal(ack["payload"])
	if ack["envelope_id"] != "env-3" || !strings.Contains(string(b), `"response_type":"ephemeral"`) {
		t.Errorf("slash command ack = %s, want an ephemeral answer for env-3", b)
	}

	// The connection answers the server's pings.
	select {
	case <-h.slack.pongs:
	case <-time.After(3 * time.Second):
		t.Error("no pong to the server's pings")
	}
}

func TestSocketModeReportForm(t *testing.T) {
	h := start(t, true)
	items := responsibleItems("省林业局")
	h.bind("UA", "省林业局")
	submit := func(env, text string) map[string]any {
		p, _ := json.Marshal(viewSubmission("UA", "VSOCK", strconv.Itoa(items[0]), "3", "", text))
		h.slack.envelopes <- envelope("interactive", env, p, 0)
		ack := h.slack.nextAck(t)
		if ack["envelope_id"] != env {
			t.Fatalf("acknowledged %v, want %s", ack["envelope_id"], env)
		}
		payload, _ := ack["payload"].(map[string]any)
		return payload
	}
	if got := submit("env-bad", "好"); got["response_action"] != "errors" {
		t.Errorf("short text: ack payload %v, want inline errors", got)
	}
	if got := submit("env-ok", "林业品牌建设已完成"); got["response_action"] != "update" {
		t.Errorf("valid form: ack payload %v, want the confirmation view", got)
	}
	if us := h.history(items[0]); len(us) != 1 || us[0].Status != duban.StatusDone {
		t.Errorf("stored %+v, want one 已完成 report", us)
	}
}
