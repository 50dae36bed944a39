package slack

import (
	"bytes"
	"log/slog"
	"net"
	"net/http"
	"net/url"
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

