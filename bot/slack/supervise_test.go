package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"strconv"
	"strings"
	"testing"
	"time"
)

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// uploadsTo returns the files uploaded to a channel.
func (h *harness) uploadsTo(channel string) []upload {
	h.slack.mu.Lock()
	defer h.slack.mu.Unlock()
	var out []upload
	for _, u := range h.slack.completed {
		if u.Channel == channel {
			out = append(out, *u)
		}
	}
	return out
}

// checkChart fails unless the upload is a PNG picture.
func checkChart(t *testing.T, u upload) {
	t.Helper()
	if !strings.HasSuffix(u.Name, ".png") {
		t.Errorf("uploaded %q, want the PNG chart", u.Name)
	}
	img, err := png.Decode(bytes.NewReader(u.Data))
	if err != nil || img.Bounds().Dx() < 600 {
		t.Errorf("the chart is no picture: %v", err)
	}
}

// TestDigestPostsTextAndChart: 通报 in a channel answers in the thread with
// the figures and uploads the chart there.
func TestDigestPostsTextAndChart(t *testing.T) {
	h := start(t, false)
	h.bind("UA", "省林业局")
	// Reported now (the event's ts is the report's time): done this week.
	h.event("EvDone", mention("UA", "进展 #3 已完成 全部完成", strconv.FormatInt(time.Now().Unix(), 10)+".000100"))
	waitFor(t, "the report", func() bool { return len(h.history(3)) == 1 })
	const ts = "1700020001.000100"
	h.event("EvDigest", mention(adminUser, "通报", ts))
	waitFor(t, "the chart", func() bool { return len(h.uploadsTo("C1")) == 1 })
	u := h.uploadsTo("C1")[0]
	if u.Thread != ts {
		t.Errorf("chart uploaded to thread %q, want %q", u.Thread, ts)
	}
	checkChart(t, u)
	var text string
	for _, p := range h.slack.postsSnapshot() {
		if p.Channel == "C1" && p.Thread == ts && strings.Contains(p.Text, "督办通报") {
			text = p.Text + p.Blocks
		}
	}
	for _, want := range []string{"报送率", "按期完成率", "红黄绿灯", "排名", "本周完成", "#3 省林业局"} {
		if !strings.Contains(text, want) {
			t.Errorf("the 通报 post lacks %q: %s", want, text)
		}
	}
}

// TestScheduledDigestGoesToTheOffice: the scheduled 通报 (Adapter.Publish)
// posts the text and the chart in the office's channel.
func TestScheduledDigestGoesToTheOffice(t *testing.T) {
	h := start(t, false)
	if err := h.a.Publish(context.Background(), officeChannel, h.engine.Digest(context.Background())); err != nil {
		t.Fatal(err)
	}
	if ups := h.uploadsTo(officeChannel); len(ups) != 1 {
		t.Fatalf("%d uploads to the office, want the chart", len(ups))
	} else {
		checkChart(t, ups[0])
	}
	found := false
	for _, p := range h.slack.postsSnapshot() {
		found = found || p.Channel == officeChannel && p.Thread == "" && strings.Contains(p.Text, "督办通报")
	}
	if !found {
		t.Error("no 通报 posted in the office channel")
	}
}

// TestReviewButtons: with review on, a report of 已完成 is posted to the
// office channel with 通过/退回 buttons; 通过 by an admin accepts it (the
// thread hears it, the agency gets a DM); 退回 opens a form asking why,
// and its submission sends the completion back with the reason.
func TestReviewButtons(t *testing.T) {
	h := start(t, false)
	h.bind("UA", "省林业局")
	h.event("EvReviewOn", mention(adminUser, "审核 开启", "1700030000.000100"))
	waitFor(t, "review on", func() bool {
		for _, p := range h.slack.postsSnapshot() {
			if strings.Contains(p.Text, "完成审核：已开启") {
				return true
			}
		}
		return false
	})
	h.event("EvDone3", mention("UA", "进展 #3 已完成 全部完成", "1700030001.000100"))
	var request posted
	waitFor(t, "the review request", func() bool {
		for _, p := range h.slack.postsSnapshot() {
			if p.Channel == officeChannel && strings.Contains(p.Blocks, ActionPass) {
				request = p
				return true
			}
		}
		return false
	})
	if !strings.Contains(request.Text, "【待审核】省林业局") || !strings.Contains(request.Blocks, ActionReturn) {
		t.Errorf("review request %q %s", request.Text, request.Blocks)
	}
	seq := h.history(3)[0].Seq
	value := "3|" + itoa(seq) + "|省林业局"
	press := func(user, action, actionTS string) {
		h.interact(map[string]any{
			"type": "block_actions", "user": map[string]any{"id": user}, "trigger_id": "trig-" + actionTS,
			"channel":   map[string]any{"id": officeChannel},
			"message":   map[string]any{"ts": "1700030002.000100"},
			"container": map[string]any{"type": "message"},
			"actions":   []map[string]any{{"action_id": action, "block_id": "review", "value": value, "type": "button", "action_ts": actionTS}},
		})
	}
	// A user who is not an admin is refused in the thread.
	press("UA", ActionPass, "1.1")
	waitFor(t, "the refusal", func() bool {
		for _, p := range h.slack.postsSnapshot() {
			if p.Channel == officeChannel && p.Thread == "1700030002.000100" && strings.Contains(p.Text, "管理员") {
				return true
			}
		}
		return false
	})
	// 退回 asks why first.
	press(adminUser, ActionReturn, "1.2")
	waitFor(t, "the return form", func() bool {
		h.slack.mu.Lock()
		defer h.slack.mu.Unlock()
		return len(h.slack.views["views.open"]) == 1
	})
	meta := `{"Item":3,"Agency":"省林业局","Report":` + itoa(seq) + `,"c":"` + officeChannel + `","t":"1700030002.000100"}`
	submit := func(viewID, reason string) submissionResponse {
		resp, body := h.interact(map[string]any{
			"type": "view_submission", "user": map[string]any{"id": adminUser}, "trigger_id": "trig-" + viewID,
			"view": map[string]any{"id": viewID, "type": "modal", "callback_id": CallbackReturn, "private_metadata": meta,
				"state": map[string]any{"values": map[string]any{BlockReason: map[string]any{actionInput: map[string]any{"type": "plain_text_input", "value": reason}}}}},
		})
		var sr submissionResponse
		if resp.StatusCode != 200 {
			t.Fatalf("view submission: status %d", resp.StatusCode)
		}
		if len(body) > 0 {
			_ = json.Unmarshal(body, &sr)
		}
		return sr
	}
	if sr := submit("VR1", " "); sr.Errors[BlockReason] == "" {
		t.Errorf("a return without a reason was accepted: %+v", sr)
	}
	submit("VR2", "缺少佐证材料")
	waitFor(t, "the DM of the return", func() bool {
		for _, p := range h.slack.postsSnapshot() {
			if p.Channel == "DUA" && strings.Contains(p.Text, "缺少佐证材料") {
				return true
			}
		}
		return false
	})
	// Reported again and accepted with the button.
	h.event("EvDone3b", mention("UA", "进展 #3 已完成 补充了材料", "1700030003.000100"))
	waitFor(t, "the second report", func() bool { return len(h.history(3)) == 2 })
	value = "3|" + itoa(h.history(3)[0].Seq) + "|省林业局"
	press(adminUser, ActionPass, "1.3")
	waitFor(t, "the acceptance", func() bool {
		ok1, ok2 := false, false
		for _, p := range h.slack.postsSnapshot() {
			ok1 = ok1 || p.Channel == officeChannel && strings.Contains(p.Text, "已通过：第3条 省林业局")
			ok2 = ok2 || p.Channel == "DUA" && strings.Contains(p.Text, "审核通过")
		}
		return ok1 && ok2
	})
}

// TestHomeShowsLights: App Home shows each item's light, why and its
// deadline, as the engine computed them (the same as 汇总 and the export:
// bot's TestSupervisionWalk).
func TestHomeShowsLights(t *testing.T) {
	h := start(t, false)
	h.bind("UA", "省林业局")
	wb, err := h.engine.Workbench(context.Background(), "UA")
	if err != nil {
		t.Fatal(err)
	}
	v := homeView(wb, h.engine.Plan())
	b, _ := json.Marshal(v)
	for _, it := range wb.Items {
		want := it.Light.Emoji() + " \u200b*#" + strconv.Itoa(it.Number)
		if it.Light == 0 || !strings.Contains(string(b), want) || !strings.Contains(string(b), it.Light.String()+"："+it.Reason) {
			t.Errorf("home lacks %q with its reason %q", want, it.Reason)
		}
	}
	if !strings.Contains(string(b), "截止 2021-12-31") {
		t.Error("home does not show the deadline")
	}
}
