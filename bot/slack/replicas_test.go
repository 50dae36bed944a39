package slack

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"duban/bot"
	"duban/bot/export"
)

// startReplica runs a second adapter, with its own engine, on the store
// and the fake Slack of h: another replica of the bot.
func startReplica(t *testing.T, h *harness) string {
	t.Helper()
	return startReplicaOn(t, h, h.store)
}

// startReplicaOn runs an adapter with its own engine on st and the fake
// Slack of h, and returns its HTTP base URL.
func startReplicaOn(t *testing.T, h *harness, st testStore) string {
	t.Helper()
	eng := bot.New(bot.Config{
		Plan: testPlan(), Store: st, Admins: []string{adminUser}, DataDir: h.dir, Exporter: export.Writer{},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	a, err := New(Config{
		BotToken: "xoxb-test", SigningSecret: testSecret, APIURL: h.slack.srv.GetAPIURL(),
		Engine: eng, Events: st, MaxRetryWait: 3 * time.Second,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, RunOptions{HTTP: ln, ShutdownTimeout: 5 * time.Second}) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "the replica to connect", func() bool { return a.BotUserID() == botUser })
	return "http://" + ln.Addr().String()
}

// TestReplicasAnswerEachEventOnce: two replicas on one store receive the
// same events at the same moment (a retry sent to the other one): each
// event is answered once and each report stored once.
func TestReplicasAnswerEachEventOnce(t *testing.T) {
	h := start(t, false)
	h.bind("UA", "省林业局")
	other := startReplica(t, h)
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		id := "EvRep" + string(rune('A'+i))
		ts := "17000005" + string(rune('0'+i%10)) + "0.0001" + string(rune('0'+i/10))
		body := eventBody(id, mention("UA", "进展 #3 进行中 第"+string(rune('A'+i))+"批材料已报送", ts))
		for _, base := range []string{h.url, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest(http.MethodPost, base+"/slack/events", bytes.NewReader(body))
				stamp, sig := sign(testSecret, time.Now(), body)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Slack-Request-Timestamp", stamp)
				req.Header.Set("X-Slack-Signature", sig)
				if resp, err := http.DefaultClient.Do(req); err == nil {
					resp.Body.Close()
				}
			}()
		}
	}
	wg.Wait()
	waitFor(t, "the answers", func() bool { return len(h.slack.postsSnapshot()) >= n })
	time.Sleep(300 * time.Millisecond)
	if got := len(h.slack.postsSnapshot()); got != n {
		t.Errorf("%d answers to %d events each sent to both replicas, want %d", got, n, n)
	}
	if got := len(h.history(3)); got != n {
		t.Errorf("%d reports stored, want %d", got, n)
	}
}
