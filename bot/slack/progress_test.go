package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"duban"
	"duban/bot"
)

// postsContaining returns the messages posted so far whose text holds s.
func (f *fakeSlack) postsContaining(s string) []posted {
	var out []posted
	for _, p := range f.postsSnapshot() {
		if strings.Contains(p.Text, s) || strings.Contains(p.Blocks, s) {
			out = append(out, p)
		}
	}
	return out
}

// TestConfirmButtons: a message that is perhaps a report is answered with
// the report as read and two buttons; pressing 记录这条进展 stores it and
// says so in the same place.
func TestConfirmButtons(t *testing.T) {
	h := start(t, false)
	h.bind("UA", "省林业局")
	h.event("Ev1", dm("UA", "#53 森林公园已改造15个", "1700003000.000100"))
	waitFor(t, "the question", func() bool { return len(h.slack.postsContaining("这是第53条的进展报送吗")) == 1 })
	p := h.slack.postsContaining("这是第53条的进展报送吗")[0]
	if !strings.Contains(p.Blocks, ActionConfirm) || !strings.Contains(p.Blocks, ActionCancel) {
		t.Fatalf("no buttons: %s", p.Blocks)
	}
	if len(h.history(53)) != 0 {
		t.Fatal("stored before the confirmation")
	}
	pending, ok, err := h.store.Pending(context.Background(), "UA")
	if err != nil || !ok || !strings.Contains(p.Blocks, pending.ID) {
		t.Fatalf("the buttons do not carry the question's id %q (%v %v)", pending.ID, ok, err)
	}
	press := func(action string) {
		resp, _ := h.interact(map[string]any{
			"type": "block_actions", "user": map[string]any{"id": "UA"}, "trigger_id": "trig-c",
			"channel":   map[string]any{"id": p.Channel},
			"message":   map[string]any{"ts": "1700003001.000100"},
			"container": map[string]any{"type": "message"},
			"actions":   []map[string]any{{"action_id": action, "block_id": "b", "value": pending.ID, "type": "button"}},
		})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	press(ActionConfirm)
	waitFor(t, "the confirmation", func() bool { return len(h.slack.postsContaining("已记录第53条进展")) == 1 })
	if hist := h.history(53); len(hist) != 1 || hist[0].Text != "森林公园已改造15个" {
		t.Errorf("History(53) = %+v", hist)
	}
	// A second press finds nothing to confirm and stores nothing more.
	press(ActionConfirm)
	waitFor(t, "the second answer", func() bool { return len(h.slack.postsContaining("没有等待您确认的内容")) == 1 })
	if n := len(h.history(53)); n != 1 {
		t.Errorf("%d reports after two presses", n)
	}
}

// TestRosterUploadedInSlack: an admin sends the bot a CSV roster in a DM:
// it is downloaded with the bot token and all its users are bound; the
// file_shared event for the same file does nothing more. A user who is not
// an admin is refused; a file shared only by file_shared is read through
// files.info.
func TestRosterUploadedInSlack(t *testing.T) {
	h := start(t, false)
	roster := []byte("\ufeff用户ID,单位\r\nU10,林业局\r\nU11,福州海关\r\n")
	file := h.slack.share("F1", "roster.csv", roster)
	msg := map[string]any{"type": "message", "subtype": "file_share", "channel_type": "im", "user": adminUser,
		"text": "", "ts": "1700004000.000100", "channel": "D" + adminUser, "files": []any{file}}
	h.event("Ev-file", msg)
	waitFor(t, "the roster answer", func() bool { return len(h.slack.postsContaining("已按名单绑定 2 位用户")) == 1 })
	bs, _ := h.store.Bindings(context.Background())
	got := map[string]string{}
	for _, b := range bs {
		got[b.UserID] = b.Agency
	}
	if got["U10"] != "省林业局" || got["U11"] != "福州海关" {
		t.Errorf("bindings = %v", got)
	}
	h.slack.mu.Lock()
	auth := append([]string(nil), h.slack.downloads...)
	h.slack.mu.Unlock()
	if len(auth) != 1 || auth[0] != "Bearer xoxb-test" {
		t.Errorf("downloads = %q", auth)
	}
	// The file_shared event of the same file: nothing more.
	h.event("Ev-shared", map[string]any{"type": "file_shared", "channel_id": "D" + adminUser, "file_id": "F1", "user_id": adminUser,
		"file": map[string]any{"id": "F1"}, "event_ts": "1700004000.000200"})
	// A user who is not an admin.
	bad := h.slack.share("F2", "roster2.csv", []byte("用户ID,单位\nU12,林业局\n"))
	h.event("Ev-file2", map[string]any{"type": "message", "subtype": "file_share", "channel_type": "im", "user": "UX",
		"text": "", "ts": "1700004001.000100", "channel": "DUX", "files": []any{bad}})
	waitFor(t, "the refusal", func() bool { return len(h.slack.postsContaining("只有办公室")) == 1 })
	// A file known only from file_shared.
	h.slack.share("F3", "more.csv", []byte("用户ID,单位\nU13,省教育厅\n"))
	h.event("Ev-shared3", map[string]any{"type": "file_shared", "channel_id": "D" + adminUser, "file_id": "F3", "user_id": adminUser,
		"file": map[string]any{"id": "F3"}, "event_ts": "1700004002.000200"})
	waitFor(t, "the second roster", func() bool { return len(h.slack.postsContaining("已按名单绑定 1 位用户")) == 1 })
	if n := len(h.slack.postsContaining("已按名单绑定 2 位用户")); n != 1 {
		t.Errorf("the first roster answered %d times", n)
	}
	h.slack.mu.Lock()
	infos := h.slack.fileInfos
	h.slack.mu.Unlock()
	if infos != 1 {
		t.Errorf("files.info called %d times, want once (for F3 only)", infos)
	}
	// Files shared in a channel are not the bot's business; files that are
	// not CSV get a word on what the bot reads.
	h.event("Ev-pdf", map[string]any{"type": "message", "subtype": "file_share", "channel_type": "im", "user": adminUser,
		"text": "", "ts": "1700004003.000100", "channel": "D" + adminUser,
		"files": []any{map[string]any{"id": "F4", "name": "报告.pdf", "filetype": "pdf", "size": 10}}})
	waitFor(t, "the word on files", func() bool { return len(h.slack.postsContaining("我读取两种文件")) == 1 })
}

// TestReportFormPrefilled: the form opened on an item starts from the
// agency's latest report on it.
func TestReportFormPrefilled(t *testing.T) {
	h := start(t, false)
	h.bind("UA", "省林业局")
	u := duban.Update{Plan: "fujian-2021-quality", Item: 53, Agency: "省林业局", AuthorID: "UA", Status: duban.StatusDelayed, Percent: 40, Text: "资金未到位", SourceID: "s1"}
	if _, _, err := h.store.AddUpdate(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	h.interact(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "UA"}, "trigger_id": "trig-btn",
		"channel": map[string]any{"id": "C1"}, "message": map[string]any{"ts": "1700002000.000100"},
		"container": map[string]any{"type": "message"},
		"actions":   []map[string]any{{"action_id": ActionReport, "block_id": "b", "value": "53", "type": "button"}},
	})
	v := openedView(t, h)
	var got struct {
		View struct {
			Blocks []struct {
				BlockID string `json:"block_id"`
				Element struct {
					InitialOption struct{ Value string } `json:"initial_option"`
					InitialValue  string                 `json:"initial_value"`
				} `json:"element"`
			} `json:"blocks"`
		} `json:"view"`
	}
	if err := json.Unmarshal(v, &got); err != nil {
		t.Fatal(err)
	}
	vals := map[string]string{}
	for _, b := range got.View.Blocks {
		vals[b.BlockID] = b.Element.InitialOption.Value + b.Element.InitialValue
	}
	if vals[BlockItem] != "53" || vals[BlockStatus] != "4" || vals[BlockPercent] != "40" {
		t.Errorf("form starts with %v, want item 53, status 4 (滞后), percent 40", vals)
	}
	if !strings.Contains(string(v), "上次报送") {
		t.Error("the form does not say it was pre-filled")
	}
}

// TestDelayNoticeToOfficeChannel: with the notices on, a report of 滞后
// is posted in the office's channel; the reporter hears nothing of it.
func TestDelayNoticeToOfficeChannel(t *testing.T) {
	h := startEngine(t, false, func(c *bot.Config) { c.NotifyDelayed = "C0OFFICE" })
	h.bind("UA", "省林业局")
	h.event("Ev1", dm("UA", "进展 #3 滞后 资金未到位", "1700005000.000100"))
	waitFor(t, "the notice", func() bool {
		for _, p := range h.slack.postsSnapshot() {
			if p.Channel == "C0OFFICE" && strings.Contains(p.Text, "【滞后】省林业局报告第3条") {
				return true
			}
		}
		return false
	})
	for _, p := range h.slack.postsSnapshot() {
		if p.Channel == "DUA" && strings.Contains(p.Text, "私信") {
			t.Errorf("the reporter was told of the notice: %q", p.Text)
		}
	}
}
