package slack

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"duban"
	"duban/bot"
)

// TestPlanImportedInSlack: an admin sends the bot a plan document in a DM:
// it is downloaded, its preview comes with two buttons, nothing is stored
// until 导入这个计划 is pressed, and then every answer says its plan.
func TestPlanImportedInSlack(t *testing.T) {
	h := start(t, false)
	doc, err := os.ReadFile("../../testdata/plans/fujian-2022-quality/fujian-2022-quality-workpoints.txt")
	if err != nil {
		t.Fatal(err)
	}
	file := h.slack.share("FP1", "2022年工作要点.txt", doc)
	file["filetype"], file["mimetype"] = "text", "text/plain"
	h.event("Ev-plan", map[string]any{"type": "message", "subtype": "file_share", "channel_type": "im", "user": adminUser,
		"text": "导入计划", "ts": "1700005000.000100", "channel": "D" + adminUser, "files": []any{file}})
	waitFor(t, "the preview", func() bool { return len(h.slack.postsContaining("导入预览")) == 1 })
	p := h.slack.postsContaining("导入预览")[0]
	if !strings.Contains(p.Blocks, "条目: 28 条") && !strings.Contains(p.Blocks, "28 条") || !strings.Contains(p.Blocks, ActionConfirm) {
		t.Fatalf("preview: %s", p.Blocks)
	}
	if ps, _ := h.store.StoredPlans(context.Background()); len(ps) != 0 {
		t.Fatal("stored before the admin confirmed")
	}
	pending, ok, _ := h.store.Pending(context.Background(), adminUser)
	if !ok {
		t.Fatal("no question waits")
	}
	resp, _ := h.interact(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": adminUser}, "trigger_id": "trig-p",
		"channel":   map[string]any{"id": p.Channel},
		"message":   map[string]any{"ts": "1700005001.000100"},
		"container": map[string]any{"type": "message"},
		"actions":   []map[string]any{{"action_id": ActionConfirm, "block_id": "b", "value": pending.ID, "type": "button"}},
	})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	waitFor(t, "the import", func() bool {
		return len(h.slack.postsContaining("已导入《2022年福建省质量强省工作要点》")) == 1
	})
	if ps, _ := h.store.StoredPlans(context.Background()); len(ps) != 1 {
		t.Errorf("%d plans stored", len(ps))
	}
	h.event("Ev-q", dm("UA", "2022年省林业局牵头哪些", "1700005002.000100"))
	waitFor(t, "an answer from the 2022 plan", func() bool {
		for _, p := range h.slack.postsContaining("省林业局牵头的工作要点（3条）") {
			if strings.Contains(p.Blocks, "〔2022年福建省质量强省工作要点〕") {
				return true
			}
		}
		return false
	})
	// A user who is not an admin is refused.
	other := h.slack.share("FP2", "plan.txt", doc)
	other["filetype"], other["mimetype"] = "text", "text/plain"
	h.event("Ev-plan2", map[string]any{"type": "message", "subtype": "file_share", "channel_type": "im", "user": "UX",
		"text": "", "ts": "1700005003.000100", "channel": "DUX", "files": []any{other}})
	waitFor(t, "the refusal", func() bool { return len(h.slack.postsContaining("导入计划 (forbidden)")) == 1 })
}

// TestReportButtonCarriesItsPlan: with two plans, the 报告进展 button of
// an answer from the 2022 plan opens the form on that plan's items, and
// the report is stored on it, whatever plan the user is on.
func TestReportButtonCarriesItsPlan(t *testing.T) {
	p22, err := duban.LoadPlan(os.DirFS("../../testdata/plans"), "fujian-2022-quality")
	if err != nil {
		t.Fatal(err)
	}
	h := startEngine(t, false, func(c *bot.Config) { c.Plans = []*duban.Plan{p22} })
	h.bind("UA", "省林业局")
	h.event("Ev-b1", dm("UA", "plan 2022 item 7", "1700006000.000100"))
	waitFor(t, "the answer", func() bool { return len(h.slack.postsContaining("推进森林康养基地建设")) > 0 })
	p := h.slack.postsContaining("推进森林康养基地建设")[0]
	if !strings.Contains(p.Blocks, `"value":"fujian-2022-quality:7"`) {
		t.Fatalf("the button does not carry its plan: %s", p.Blocks)
	}
	h.interact(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "UA"}, "trigger_id": "trig-b2",
		"channel":   map[string]any{"id": "DUA"},
		"message":   map[string]any{"ts": "1700006001.000100"},
		"container": map[string]any{"type": "message"},
		"actions":   []map[string]any{{"action_id": ActionReport, "block_id": "b", "value": "fujian-2022-quality:7", "type": "button"}},
	})
	v := openedView(t, h)
	if !strings.Contains(string(v), "推进森林康养基地建设") || !strings.Contains(string(v), `\"pl\":\"fujian-2022-quality\"`) {
		t.Fatalf("the form is not on the 2022 plan: %s", v)
	}
	sub := viewSubmission("UA", "V22", "7", "2", "", "新建森林康养基地5个")
	sub["view"].(map[string]any)["private_metadata"] = `{"c":"DUA","pl":"fujian-2022-quality"}`
	resp, body := h.interact(sub)
	if resp.StatusCode != http.StatusOK || strings.Contains(string(body), "errors") {
		t.Fatalf("submission: %d %s", resp.StatusCode, body)
	}
	if l, _ := h.store.Latest(context.Background(), "fujian-2022-quality"); len(l) != 1 || l[0].Item != 7 {
		t.Errorf("2022 latest: %+v", l)
	}
	if l, _ := h.store.Latest(context.Background(), "fujian-2021-quality"); len(l) != 0 {
		t.Errorf("a 2021 report was stored: %+v", l)
	}
}
