package slack

import (
	"strconv"
	"testing"
	"time"
)

// TestFormFromEphemeralAnswerStaysPrivate: a report form opened from a
// /duban answer only its asker sees is confirmed to that user alone, not
// announced in the channel (hardening 17).
func TestFormFromEphemeralAnswerStaysPrivate(t *testing.T) {
	h := start(t, false)
	items := responsibleItems("省林业局")
	h.bind("UA", "省林业局")
	h.interact(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "UA"}, "trigger_id": "trig-eph",
		"channel":   map[string]any{"id": "C1"},
		"container": map[string]any{"type": "message", "is_ephemeral": true, "channel_id": "C1", "message_ts": "1700009300.000100"},
		"actions":   []map[string]any{{"action_id": ActionReport, "block_id": "b", "value": strconv.Itoa(items[0]), "type": "button"}},
	})
	waitFor(t, "views.open", func() bool {
		h.slack.mu.Lock()
		defer h.slack.mu.Unlock()
		return len(h.slack.views["views.open"]) == 1
	})
	h.slack.mu.Lock()
	view, _ := h.slack.views["views.open"][0]["view"].(map[string]any)
	h.slack.mu.Unlock()
	sub := viewSubmission("UA", "VEPH", strconv.Itoa(items[0]), "2", "", "林业品牌建设推进中")
	sub["view"].(map[string]any)["private_metadata"] = view["private_metadata"]
	if resp, _ := h.interact(sub); resp.StatusCode != 200 {
		t.Fatalf("submission: %d", resp.StatusCode)
	}
	waitFor(t, "the private confirmation", func() bool {
		h.slack.mu.Lock()
		defer h.slack.mu.Unlock()
		return len(h.slack.ephemeral) == 1
	})
	time.Sleep(200 * time.Millisecond)
	if posts := h.slack.postsSnapshot(); len(posts) != 0 {
		t.Errorf("the report was announced in the channel: %+v", posts)
	}
	h.slack.mu.Lock()
	e := h.slack.ephemeral[0]
	h.slack.mu.Unlock()
	if e.Channel != "C1" || e.Thread != "UA" {
		t.Errorf("confirmation to %s for %s, want C1 for UA", e.Channel, e.Thread)
	}
}
