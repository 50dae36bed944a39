package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a log destination safe for concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// closedURL returns an http URL on loopback where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func TestResponseURLSecretNotLogged(t *testing.T) {
	// A response_url lets whoever holds it post into the channel for half
	// an hour: when posting to it fails, the log says so without it.
	var logs syncBuffer
	h := start(t, false, func(c *Config) {
		c.AckBudget = time.Nanosecond // the answer goes through response_url
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	const secret = "B0SECRETb1c2d3e4f5"
	form := url.Values{
		"token": {"x"}, "team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"UA"}, "command": {"/duban"},
		"text": {"帮助"}, "trigger_id": {"trig-leak"},
		"response_url": {closedURL(t) + "/commands/T1/1234/" + secret + "?token=" + secret},
	}
	resp, _ := h.send("/slack/commands", "application/x-www-form-urlencoded", []byte(form.Encode()), testSecret, time.Now())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	waitFor(t, "the failed response_url post to be logged", func() bool {
		return strings.Contains(logs.String(), "slack: response_url")
	})
	if got := logs.String(); strings.Contains(got, secret) {
		t.Errorf("log contains the response_url's secret:\n%s", got)
	}
}

func TestFormSubmissionAckedInTimeWhileUsersInfoIsRateLimited(t *testing.T) {
	// users.info keeps answering 429 Retry-After: 1 (four times, longer
	// than Slack waits for a form's answer). The submission must still be
	// answered within Slack's 3 seconds, with the report stored once.
	h := start(t, false)
	const agency = "省林业局"
	items := responsibleItems(agency)
	h.bind("UA", agency)
	h.slack.rateLimit("users.info", 4)
	began := time.Now()
	resp, body := h.interact(viewSubmission("UA", "VSLOWNAME", strconv.Itoa(items[0]), "2", "", "已完成森林步道120公里"))
	took := time.Since(began)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if took > 3*time.Second {
		t.Errorf("form answered after %v; Slack gives up after 3s and shows the user an error", took)
	}
	if !strings.Contains(string(body), `"response_action":"update"`) {
		t.Errorf("response %s, want the confirmation view", body)
	}
	if us := reportsBy(h.history(items[0]), "UA"); len(us) != 1 {
		t.Errorf("%d reports stored, want 1", len(us))
	}
}

func TestSocketModeLargeSlashAnswerGoesThroughResponseURL(t *testing.T) {
	// Slack drops Socket Mode acknowledgements of 20 KB or more (slack-go
	// refuses to send them): a long answer (seven long items in full; an
	// item's history is kept short since hardening 25) must still reach
	// the user, through response_url.
	h := start(t, true)
	cmd, _ := json.Marshal(map[string]any{"command": "/duban", "text": "#30 #4 #54 #62 #13 #17 #34",
		"user_id": "UA", "channel_id": "C1", "team_id": "T1", "trigger_id": "trig-big",
		"response_url": h.slack.base() + "/response/big"})
	h.slack.envelopes <- envelope("slash_commands", "env-big", cmd, 0)
	if ack := h.slack.nextAck(t); ack["envelope_id"] != "env-big" {
		t.Fatalf("acknowledged %v, want env-big", ack["envelope_id"])
	} else if b, _ := json.Marshal(ack); len(b) >= 20*1024 {
		t.Errorf("acknowledgement of %d bytes; Slack drops 20 KB and more", len(b))
	}
	waitFor(t, "the answer through response_url", func() bool {
		h.slack.mu.Lock()
		defer h.slack.mu.Unlock()
		return len(h.slack.responses) == 1
	})
	h.slack.mu.Lock()
	r := h.slack.responses[0]
	h.slack.mu.Unlock()
	if b, _ := json.Marshal(r); !strings.Contains(string(b), "质量") || r["response_type"] != "ephemeral" {
		t.Errorf("response_url got %.300s…, want the ephemeral items", b)
	}
}

func TestSocketModeLargeFormConfirmationFits(t *testing.T) {
	// A 2000-character report of ampersands renders as &amp; and then
	// \u0026amp; in JSON: the confirmation view must still fit in a Socket
	// Mode acknowledgement, and the report be stored once.
	h := start(t, true)
	items := responsibleItems("省林业局")
	h.bind("UA", "省林业局")
	p, _ := json.Marshal(viewSubmission("UA", "VBIG", strconv.Itoa(items[0]), "2", "", strings.Repeat("&", 2000)))
	h.slack.envelopes <- envelope("interactive", "env-form", p, 0)
	ack := h.slack.nextAck(t)
	if ack["envelope_id"] != "env-form" {
		t.Fatalf("acknowledged %v, want env-form", ack["envelope_id"])
	}
	payload, _ := ack["payload"].(map[string]any)
	if payload["response_action"] != "update" {
		t.Errorf("ack payload %.300v, want the confirmation view", payload)
	}
	if us := h.history(items[0]); len(us) != 1 {
		t.Errorf("%d reports stored, want 1", len(us))
	}
}

func TestFormSubmittedTwiceAnnouncedOnce(t *testing.T) {
	// The same form submitted twice (a second click after a slow answer,
	// or Slack delivering it again) stores one report; the thread the
	// form came from must also hear of it once, not as if two were made.
	h := start(t, false)
	items := responsibleItems("省林业局")
	h.bind("UA", "省林业局")
	for range 2 {
		resp, body := h.interact(viewSubmission("UA", "VTWICE", strconv.Itoa(items[0]), "2", "", "已完成森林步道120公里"))
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"response_action":"update"`) {
			t.Fatalf("response %d %s, want the confirmation", resp.StatusCode, body)
		}
	}
	inThread := func() int {
		n := 0
		for _, p := range h.slack.postsSnapshot() {
			if p.Channel == "C1" && p.Thread == "1700001000.000100" {
				n++
			}
		}
		return n
	}
	waitFor(t, "the announcement", func() bool { return inThread() >= 1 })
	h.stop() // lets every handler in flight finish
	if n := inThread(); n != 1 {
		t.Errorf("the thread heard of one report %d times, want once", n)
	}
	if us := h.history(items[0]); len(us) != 1 {
		t.Errorf("%d reports stored, want 1", len(us))
	}
}

func TestExportFileRemovedAfterUpload(t *testing.T) {
	// Anyone bound may ask for 导出 as often as they like: once the file
	// is in Slack, the copy in the data directory must not pile up.
	h := start(t, false)
	h.bind("UA", "省林业局")
	for i := range 3 {
		h.event("EvExportTmp"+strconv.Itoa(i), mention("UA", "导出 csv", "170001100"+strconv.Itoa(i)+".000100"))
	}
	waitFor(t, "the uploads", func() bool {
		h.slack.mu.Lock()
		defer h.slack.mu.Unlock()
		return len(h.slack.completed) == 3
	})
	h.stop()
	left, _ := filepath.Glob(filepath.Join(h.dir, "duban-export-*"))
	if len(left) != 0 {
		t.Errorf("export files left in the data directory after upload: %v", left)
	}
}

func TestAnswerNotHeldUpByUsersInfoRateLimit(t *testing.T) {
	// A display name is only decoration: while users.info is rate limited
	// (here four times Retry-After: 1), a question is still answered
	// promptly, not after the limit has been waited out.
	h := start(t, false)
	h.slack.rateLimit("users.info", 4)
	began := time.Now()
	h.event("EvNameSlow", mention("UA", "帮助", "1700012000.000100"))
	waitFor(t, "the answer", func() bool { return len(h.slack.postsSnapshot()) == 1 })
	if d := time.Since(began); d > 3*time.Second {
		t.Errorf("answered after %v, waiting for users.info", d)
	}
}

func TestUserNameCacheBounded(t *testing.T) {
	// Names are remembered per user id; the cache must not grow with every
	// id Slack ever shows us (shared channels bring in other organisations).
	h := start(t, false)
	c := newNameCache(h.a.api, time.Hour)
	c.max = 5
	ctx := context.Background()
	for i := range 50 {
		id := "U" + strconv.Itoa(1000+i)
		if got, want := c.Name(ctx, h.a, id), "显示名"+id; got != want {
			t.Fatalf("name of %s = %q, want %q", id, got, want)
		}
	}
	c.mu.Lock()
	n := len(c.m)
	c.mu.Unlock()
	if n > 5 {
		t.Errorf("%d names cached, want at most 5", n)
	}
	// The most recent name is still cached.
	h.slack.mu.Lock()
	before := h.slack.userInfos
	h.slack.mu.Unlock()
	c.Name(ctx, h.a, "U1049")
	h.slack.mu.Lock()
	after := h.slack.userInfos
	h.slack.mu.Unlock()
	if after != before {
		t.Errorf("the latest name was not cached (%d users.info calls)", after-before)
	}
}
