package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"

	"duban"
	"duban/seeds"
	"duban/store"
)

// This file runs the real `duban serve --http` binary against a fake Slack
// Web API (slacktest with our own handlers) and real signed requests on
// loopback: the end-to-end test and the load benchmark.

const e2eSecret = "e2e-signing-secret-0123456789abcdef"

// slackFake records the messages the bot posts.
type slackFake struct {
	srv   *slacktest.Server
	mu    sync.Mutex
	posts map[string]string // thread ts -> text
	dms   map[string]string // DM channel -> text
	n     int
	log   []fakePost // every message, in order
}

// fakePost is one message the bot posted.
type fakePost struct {
	channel, thread, text string
	at                    time.Time
}

func newSlackFake(t testing.TB) *slackFake {
	f := &slackFake{posts: map[string]string{}, dms: map[string]string{}}
	f.srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/auth.test", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"ok":true,"user_id":"UBOT","team":"T","team_id":"T1"}`)
		})
		c.Handle("/users.info", func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			fmt.Fprintf(w, `{"ok":true,"user":{"id":%q,"name":"n","profile":{"display_name":"名%s"}}}`, r.Form.Get("user"), r.Form.Get("user"))
		})
		c.Handle("/conversations.open", func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			fmt.Fprintf(w, `{"ok":true,"channel":{"id":"D%s"}}`, r.Form.Get("users"))
		})
		c.Handle("/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			f.mu.Lock()
			f.log = append(f.log, fakePost{channel: r.Form.Get("channel"), thread: r.Form.Get("thread_ts"), text: r.Form.Get("text"), at: time.Now()})
			if ch := r.Form.Get("channel"); strings.HasPrefix(ch, "D") {
				f.dms[ch] = r.Form.Get("text")
			} else {
				f.posts[r.Form.Get("thread_ts")] = r.Form.Get("text")
				f.n++
			}
			f.mu.Unlock()
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1.1"}`, r.Form.Get("channel"))
		})
	})
	f.srv.Start()
	t.Cleanup(f.srv.Stop)
	return f
}

func (f *slackFake) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

// buildDuban builds the duban binary once per test binary.
var buildDuban = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "duban-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "duban")
	out, err := exec.Command("go", "build", "-o", bin, "duban/cmd/duban").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// served is a running `duban serve --http`.
type served struct {
	cmd  *exec.Cmd
	url  string
	logs *syncBuffer
	done chan error
}

// startServe runs the binary on a free loopback port with the data dir.
func startServe(t testing.TB, api, data string, extra ...string) *served {
	t.Helper()
	bin, err := buildDuban()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &served{url: "http://" + addr, logs: &syncBuffer{}, done: make(chan error, 1)}
	s.cmd = exec.Command(bin, append([]string{"serve", "--http", addr, "--data", data}, extra...)...)
	s.cmd.Env = append(os.Environ(),
		"SLACK_BOT_TOKEN=xoxb-e2e-TOPSECRET", "SLACK_APP_TOKEN=", "SLACK_SIGNING_SECRET="+e2eSecret,
		"SLACK_API_URL="+api, "DUBAN_ADMINS=UADMIN")
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() { s.cmd.Process.Kill() })
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(s.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("duban serve did not start: %v\n%s", err, s.logs)
		}
		select {
		case err := <-s.done:
			t.Fatalf("duban serve exited: %v\n%s", err, s.logs)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop sends SIGTERM and waits for a clean exit.
func (s *served) stop(t testing.TB) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("duban serve after SIGTERM: %v\n%s", err, s.logs)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("duban serve did not stop after SIGTERM\n%s", s.logs)
	}
}

// signedEvent posts an app_mention event signed as Slack does and
// returns how long the acknowledgement took.
func signedEvent(client *http.Client, base, eventID, user, text, ts string, retry int) (time.Duration, int, error) {
	body, _ := json.Marshal(map[string]any{
		"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
		"event_id": eventID, "event_time": time.Now().Unix(),
		"event": map[string]any{"type": "app_mention", "user": user, "text": "<@UBOT> " + text,
			"ts": ts, "channel": "C1", "event_ts": ts},
	})
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(e2eSecret))
	fmt.Fprintf(mac, "v0:%s:", stamp)
	mac.Write(body)
	req, _ := http.NewRequest(http.MethodPost, base+"/slack/events", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	if retry > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	began := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return time.Since(began), resp.StatusCode, nil
}

// reporter is a user bound to an agency responsible for an item.
type reporter struct {
	user   string
	agency string
	item   int
}

// seedReporters binds n users, each to an agency responsible for some
// item, and returns them.
func seedReporters(t testing.TB, data string, n int) []reporter {
	t.Helper()
	p, err := duban.LoadPlan(seeds.FS, seeds.Default)
	if err != nil {
		t.Fatal(err)
	}
	as := p.Assignments()
	st, err := store.Open(data, store.Options{NoSocket: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out := make([]reporter, n)
	for i := range out {
		a := as[i%len(as)]
		out[i] = reporter{user: fmt.Sprintf("U%04d", i), agency: a.Agency, item: a.Item}
		b := duban.Binding{UserID: out[i].user, Agency: a.Agency, BoundBy: "UADMIN", Time: time.Now()}
		if err := st.Bind(context.Background(), b, "seed-bind-"+out[i].user); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// storedSources returns the source ids of every stored report.
func storedSources(t testing.TB, data string) []string {
	t.Helper()
	st, err := store.Open(data, store.Options{NoSocket: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var ids []string
	for n := 1; n <= 71; n++ {
		us, err := st.History(context.Background(), "fujian-2021-quality", n)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range us {
			ids = append(ids, u.SourceID)
		}
	}
	slices.Sort(ids)
	return ids
}

func TestServeEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the duban binary")
	}
	fake := newSlackFake(t)
	data := t.TempDir()
	rs := seedReporters(t, data, 1)
	s := startServe(t, fake.srv.GetAPIURL(), data)
	text := fmt.Sprintf("进展 #%d 进行中 已完成第一阶段 <!channel>", rs[0].item)
	for retry := range 3 {
		d, code, err := signedEvent(http.DefaultClient, s.url, "EvE2E", rs[0].user, text, "1700000000.000001", retry)
		if err != nil || code != http.StatusOK || d > 3*time.Second {
			t.Fatalf("event: %v, status %d after %v", err, code, d)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for fake.count() < 1 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	if got := fake.count(); got != 1 {
		t.Errorf("%d replies, want 1", got)
	}
	fake.mu.Lock()
	reply := fake.posts["1700000000.000001"]
	fake.mu.Unlock()
	if !strings.Contains(reply, "已记录") || strings.Contains(reply, "<!channel>") {
		t.Errorf("reply %q: want a confirmation with the text escaped", reply)
	}
	s.stop(t)
	logs := s.logs.String()
	if strings.Contains(logs, "TOPSECRET") {
		t.Errorf("the token appears in the logs:\n%s", logs)
	}
	if !strings.Contains(logs, "store closed") {
		t.Errorf("no sign of the store being closed on SIGTERM:\n%s", logs)
	}
	if got := storedSources(t, data); !slices.Equal(got, []string{"EvE2E"}) {
		t.Errorf("stored sources %v, want [EvE2E]", got)
	}
}

func TestServeScheduledRemindersAsDMs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the duban binary")
	}
	fake := newSlackFake(t)
	data := t.TempDir()
	rs := seedReporters(t, data, 2)
	s := startServe(t, fake.srv.GetAPIURL(), data, "--remind", "@every 1s")
	deadline := time.Now().Add(15 * time.Second)
	for {
		fake.mu.Lock()
		n := len(fake.dms)
		fake.mu.Unlock()
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d reminder DMs after 15s, want 2\n%s", n, s.logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.stop(t)
	fake.mu.Lock()
	defer fake.mu.Unlock()
	for _, r := range rs {
		if text := fake.dms["D"+r.user]; !strings.Contains(text, r.agency) {
			t.Errorf("DM to %s = %q, want a reminder naming %s", r.user, text, r.agency)
		}
	}
}
