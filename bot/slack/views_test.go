package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"duban"
)

// responsibleItems lists, from the plan itself, the items an agency leads
// or shares.
func responsibleItems(agency string) []int {
	var out []int
	for _, it := range testPlan().Items {
		if slices.Contains(it.Lead, agency) || slices.Contains(it.Joint, agency) {
			out = append(out, it.Number)
		}
	}
	return out
}

// viewSubmission is a view_submission payload for the report form.
func viewSubmission(user, viewID, item, status, percent, text string) map[string]any {
	sel := func(v string) map[string]any {
		if v == "" {
			return map[string]any{"type": "static_select", "selected_option": nil}
		}
		return map[string]any{"type": "static_select", "selected_option": map[string]any{"value": v}}
	}
	return map[string]any{
		"type": "view_submission", "user": map[string]any{"id": user}, "trigger_id": "trig-" + viewID,
		"view": map[string]any{
			"id": viewID, "type": "modal", "callback_id": CallbackReport, "private_metadata": `{"c":"C1","t":"1700001000.000100"}`,
			"state": map[string]any{"values": map[string]any{
				BlockItem:    map[string]any{actionInput: sel(item)},
				BlockStatus:  map[string]any{actionInput: sel(status)},
				BlockPercent: map[string]any{actionInput: map[string]any{"type": "number_input", "value": percent}},
				BlockText:    map[string]any{actionInput: map[string]any{"type": "plain_text_input", "value": text}},
			}},
		},
	}
}

type submissionResponse struct {
	ResponseAction string            `json:"response_action"`
	Errors         map[string]string `json:"errors"`
	View           json.RawMessage   `json:"view"`
}

func TestReportModal(t *testing.T) {
	h := start(t, false)
	const agency = "省林业局"
	items := responsibleItems(agency)
	if len(items) == 0 {
		t.Fatalf("%s has no items in the plan", agency)
	}
	h.bind("UA", agency)

	// /duban 进展 with no item opens the form with the agency's items.
	resp, body := h.command("UA", "进展", "trig-open")
	if resp.StatusCode != http.StatusOK || len(body) != 0 {
		t.Fatalf("ack = %d %q, want an empty 200", resp.StatusCode, body)
	}
	waitFor(t, "views.open", func() bool {
		h.slack.mu.Lock()
		defer h.slack.mu.Unlock()
		return len(h.slack.views["views.open"]) == 1
	})
	h.slack.mu.Lock()
	opened := h.slack.views["views.open"][0]
	h.slack.mu.Unlock()
	if opened["trigger_id"] != "trig-open" {
		t.Errorf("views.open trigger = %v, want trig-open", opened["trigger_id"])
	}
	vb, _ := json.Marshal(opened["view"])
	var offered []int
	for _, m := range strings.Split(string(vb), `"value":"`)[1:] {
		v, _, _ := strings.Cut(m, `"`)
		if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= 71 {
			offered = append(offered, n)
		}
	}
	// The status options' values (1..4) are also numbers: keep the items'.
	var itemOpts []int
	for _, n := range offered {
		if !slices.Contains([]int{1, 2, 3, 4}, n) || slices.Contains(items, n) {
			itemOpts = append(itemOpts, n)
		}
	}
	for _, n := range items {
		if !slices.Contains(itemOpts, n) {
			t.Errorf("form does not offer item %d of %s", n, agency)
		}
	}

	other := 0
	for _, it := range testPlan().Items {
		if !slices.Contains(items, it.Number) {
			other = it.Number
			break
		}
	}
	bad := []struct {
		name            string
		item, st, pct   string
		text, wantBlock string
	}{
		{"no status", strconv.Itoa(items[0]), "", "", "已完成森林步道120公里", BlockStatus},
		{"percent out of range", strconv.Itoa(items[0]), "2", "140", "已完成森林步道120公里", BlockPercent},
		{"text too short", strconv.Itoa(items[0]), "2", "", "好", BlockText},
		{"text too long", strconv.Itoa(items[0]), "2", "", strings.Repeat("长", 2001), BlockText},
		{"another agency's item", strconv.Itoa(other), "2", "", "已完成森林步道120公里", BlockItem},
		{"no item", "", "2", "", "已完成森林步道120公里", BlockItem},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := h.interact(viewSubmission("UA", "VBAD", tt.item, tt.st, tt.pct, tt.text))
			var got submissionResponse
			if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("response %d %q: %v", resp.StatusCode, body, err)
			}
			if got.ResponseAction != "errors" || got.Errors[tt.wantBlock] == "" {
				t.Errorf("response = %+v, want an inline error on %s", got, tt.wantBlock)
			}
		})
	}
	for _, n := range append(items, other) {
		if us := h.history(n); len(us) != 0 {
			t.Fatalf("rejected submissions stored %d reports on item %d", len(us), n)
		}
	}

	// A valid submission is stored once, even when submitted again.
	text := "已改造森林公园12个 <!channel> & <@U123>"
	for range 2 {
		resp, body := h.interact(viewSubmission("UA", "VOK", strconv.Itoa(items[0]), strconv.Itoa(int(duban.StatusInProgress)), "40", text))
		var got submissionResponse
		if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("response %d %q: %v", resp.StatusCode, body, err)
		}
		if got.ResponseAction != "update" {
			t.Fatalf("response = %+v, want the form replaced by a confirmation", got)
		}
		if v := rawJSON(got.View); strings.Contains(v, "<!channel>") || !strings.Contains(v, `&lt;!channel&gt; &amp; &lt;@U123&gt;`) {
			t.Errorf("confirmation does not escape the user's text: %s", got.View)
		}
	}
	us := h.history(items[0])
	if len(us) != 1 {
		t.Fatalf("%d reports stored from one form submitted twice, want 1", len(us))
	}
	u := us[0]
	if u.Agency != agency || u.AuthorID != "UA" || u.Status != duban.StatusInProgress || u.Percent != 40 || u.Text != text {
		t.Errorf("stored %+v, want the form's report by UA for %s", u, agency)
	}
	// The thread the form came from hears of it, escaped.
	waitFor(t, "the confirmation in the thread", func() bool {
		for _, p := range h.slack.postsSnapshot() {
			if p.Channel == "C1" && p.Thread == "1700001000.000100" {
				return true
			}
		}
		return false
	})
	for _, p := range h.slack.postsSnapshot() {
		if strings.Contains(p.Text, "<!channel>") || strings.Contains(p.Blocks, "<!channel>") || strings.Contains(p.Blocks, "<@U123>") {
			t.Errorf("a message carries the raw mention: %+v", p)
		}
	}
}

func TestReportButtonOpensFormOnItem(t *testing.T) {
	h := start(t, false)
	items := responsibleItems("省林业局")
	h.bind("UA", "省林业局")
	item := items[len(items)-1]
	resp, _ := h.interact(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "UA"}, "trigger_id": "trig-btn",
		"channel":   map[string]any{"id": "C1"},
		"message":   map[string]any{"ts": "1700002000.000100"},
		"container": map[string]any{"type": "message"},
		"actions":   []map[string]any{{"action_id": ActionReport, "block_id": "b", "value": strconv.Itoa(item), "type": "button"}},
	})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	v := openedView(t, h)
	var got struct {
		View struct {
			Blocks []struct {
				BlockID string `json:"block_id"`
				Element struct {
					InitialOption struct{ Value string } `json:"initial_option"`
				} `json:"element"`
			} `json:"blocks"`
		} `json:"view"`
	}
	if err := json.Unmarshal(v, &got); err != nil {
		t.Fatal(err)
	}
	initial := ""
	for _, b := range got.View.Blocks {
		if b.BlockID == BlockItem {
			initial = b.Element.InitialOption.Value
		}
	}
	if initial != strconv.Itoa(item) {
		t.Errorf("form starts on item %q, want %d", initial, item)
	}
}

// rawJSON re-encodes JSON without escaping &, < and >, as a reader sees it.
func rawJSON(b []byte) string {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return string(b)
	}
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return sb.String()
}

func TestAppHome(t *testing.T) {
	h := start(t, false)
	const agency = "省林业局"
	items := responsibleItems(agency)
	h.bind("UA", agency)
	_, _, err := h.store.AddUpdate(context.Background(), duban.Update{
		Plan: "fujian-2021-quality", Item: items[0], Agency: agency, AuthorID: "UA", Status: duban.StatusDone, Percent: duban.NoPercent,
		Text: "已完成", Time: time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC), SourceID: "home-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	h.event("EvHome", map[string]any{"type": "app_home_opened", "user": "UA", "channel": "DUA", "tab": "home", "event_ts": "1700003000.000100"})
	waitFor(t, "views.publish", func() bool {
		h.slack.mu.Lock()
		defer h.slack.mu.Unlock()
		return len(h.slack.views["views.publish"]) == 1
	})
	h.slack.mu.Lock()
	pub := h.slack.views["views.publish"][0]
	h.slack.mu.Unlock()
	if pub["user_id"] != "UA" {
		t.Errorf("published for %v, want UA", pub["user_id"])
	}
	v, _ := json.Marshal(pub["view"])
	s := string(v)
	if !strings.Contains(s, agency) {
		t.Errorf("home does not name the agency %s", agency)
	}
	if got, want := strings.Count(s, `"action_id":"`+ActionReport+`"`), len(items); got != want {
		t.Errorf("home has %d report buttons, want one per item (%d)", got, want)
	}
	if !strings.Contains(s, "已完成（2021-06-01）") {
		t.Errorf("home does not show the latest status of item %d", items[0])
	}
	if got, want := strings.Count(s, "未报送"), len(items)-1; got != want {
		t.Errorf("home shows 未报送 %d times, want %d", got, want)
	}
}

func TestFormForUnboundUserExplains(t *testing.T) {
	h := start(t, false)
	h.command("UNOBODY", "进展", "trig-unbound")
	waitFor(t, "views.open", func() bool {
		h.slack.mu.Lock()
		defer h.slack.mu.Unlock()
		return len(h.slack.views["views.open"]) == 1
	})
	h.slack.mu.Lock()
	v, _ := json.Marshal(h.slack.views["views.open"][0]["view"])
	h.slack.mu.Unlock()
	s := rawJSON(v)
	if strings.Contains(s, `"submit"`) || !strings.Contains(s, "绑定") {
		t.Errorf("form for an unbound user = %s, want no submit button and a note on binding", s)
	}
	// Submitting anyway (a stale form) stores nothing and says why.
	resp, body := h.interact(viewSubmission("UNOBODY", "VNB", "3", "2", "", "已完成森林步道120公里"))
	var got submissionResponse
	if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("response %d %q: %v", resp.StatusCode, body, err)
	}
	if got.ResponseAction != "errors" || !strings.Contains(got.Errors[BlockItem], "绑定") {
		t.Errorf("response = %+v, want an error on the item saying the user is not bound", got)
	}
	if us := h.history(3); len(us) != 0 {
		t.Errorf("an unbound user's form stored %d reports", len(us))
	}
}
