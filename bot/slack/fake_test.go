package slack

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack/slacktest"

	"duban"
	"duban/bot"
	"duban/bot/chart"
	"duban/bot/export"
	"duban/seeds"
)

// This file fakes Slack at its network boundary: slacktest's server with
// our own handlers recording what the adapter sends (messages, views,
// uploads, DMs, response_url posts) and a Socket Mode WebSocket that sends
// hello and events_api envelopes and pings. Everything on our side of the
// boundary is real: the engine, the bbolt store, the HTTP server.

const (
	testSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	botUser    = "UBOT"
	adminUser  = "UADMIN"
	// officeChannel is the office's channel: review requests, 催办 and the
	// scheduled 通报 go there.
	officeChannel = "COFFICE"
)

// posted is one chat.postMessage call.
type posted struct {
	Channel string
	Thread  string
	Text    string
	Blocks  string // the blocks JSON as sent
}

// upload is one file received through the external upload flow.
type upload struct {
	FileID  string
	Name    string
	Data    []byte
	Channel string
	Thread  string
	Title   string
}

// fakeSlack is a recording Slack Web API and Socket Mode server.
type fakeSlack struct {
	srv *slacktest.Server

	mu        sync.Mutex
	posts     []posted
	views     map[string][]map[string]any // method -> JSON bodies
	uploads   map[string]*upload          // file id -> upload
	completed []*upload
	responses []map[string]any // response_url posts
	opened    []string         // users conversations.open was called for
	userInfos int
	calls     map[string][]time.Time // method -> when it was called
	limit     map[string]int         // method -> 429s still to answer
	retry     map[string]int         // method -> Retry-After seconds of its 429s (default 1)
	delay     map[string]time.Duration
	ephemeral []posted // chat.postEphemeral calls (Thread holds the user)
	nextFile  int
	// Files people shared with the bot: id -> content, served at
	// /files-pri/ID/NAME to requests carrying the bot token, and described
	// by files.info.
	shared    map[string][]byte
	downloads []string // Authorization headers of the downloads
	fileInfos int

	// Socket Mode.
	envelopes chan string // JSON envelopes to send down the socket
	acks      chan map[string]any
	pongs     chan string
}

func newFakeSlack(t *testing.T) *fakeSlack {
	t.Helper()
	f := &fakeSlack{
		views:     map[string][]map[string]any{},
		uploads:   map[string]*upload{},
		shared:    map[string][]byte{},
		calls:     map[string][]time.Time{},
		limit:     map[string]int{},
		retry:     map[string]int{},
		delay:     map[string]time.Duration{},
		envelopes: make(chan string, 64),
		acks:      make(chan map[string]any, 64),
		pongs:     make(chan string, 16),
	}
	f.srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/auth.test", f.limited("auth.test", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, map[string]any{"ok": true, "user_id": botUser, "team": "测试团队", "team_id": "T1", "bot_id": "B1"})
		}))
		c.Handle("/chat.postMessage", f.limited("chat.postMessage", f.postMessage))
		c.Handle("/chat.postEphemeral", f.limited("chat.postEphemeral", f.postEphemeral))
		c.Handle("/conversations.open", f.limited("conversations.open", f.conversationsOpen))
		c.Handle("/users.info", f.limited("users.info", f.usersInfo))
		c.Handle("/views.open", f.limited("views.open", f.view("views.open")))
		c.Handle("/views.publish", f.limited("views.publish", f.view("views.publish")))
		c.Handle("/files.getUploadURLExternal", f.limited("files.getUploadURLExternal", f.getUploadURL))
		c.Handle("/upload/", f.receiveUpload)
		c.Handle("/files.completeUploadExternal", f.limited("files.completeUploadExternal", f.completeUpload))
		c.Handle("/response/", f.responseURL)
		c.Handle("/files.info", f.limited("files.info", f.filesInfo))
		c.Handle("/files-pri/", f.download)
		c.Handle("/ws", f.websocket)
	})
	f.srv.Start()
	t.Cleanup(f.srv.Stop)
	return f
}

// base is the fake's URL without the trailing slash.
func (f *fakeSlack) base() string { return strings.TrimSuffix(f.srv.GetAPIURL(), "/") }

// rateLimit makes the next n calls of method answer 429 Retry-After: 1.
func (f *fakeSlack) rateLimit(method string, n int) {
	f.mu.Lock()
	f.limit[method] = n
	f.mu.Unlock()
}

func (f *fakeSlack) callTimes(method string) []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.calls[method]...)
}

// slowDown makes every call of method wait d before it is answered.
func (f *fakeSlack) slowDown(method string, d time.Duration) {
	f.mu.Lock()
	f.delay[method] = d
	f.mu.Unlock()
}

// limited records the call, waits the method's delay, and answers 429
// while the method is limited.
func (f *fakeSlack) limited(method string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.calls[method] = append(f.calls[method], time.Now())
		n := f.limit[method]
		if n > 0 {
			f.limit[method] = n - 1
		}
		after, delay := f.retry[method], f.delay[method]
		f.mu.Unlock()
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		if n > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(max(after, 1)))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		h(w, r)
	}
}

func (f *fakeSlack) postEphemeral(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p := posted{Channel: r.Form.Get("channel"), Thread: r.Form.Get("user"), Text: r.Form.Get("text"), Blocks: r.Form.Get("blocks")}
	f.mu.Lock()
	f.ephemeral = append(f.ephemeral, p)
	f.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "message_ts": "1700000000.999999"})
}

func (f *fakeSlack) postMessage(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p := posted{Channel: r.Form.Get("channel"), Thread: r.Form.Get("thread_ts"), Text: r.Form.Get("text"), Blocks: r.Form.Get("blocks")}
	f.mu.Lock()
	f.posts = append(f.posts, p)
	n := len(f.posts)
	f.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "channel": p.Channel, "ts": fmt.Sprintf("1700000000.%06d", n)})
}

func (f *fakeSlack) conversationsOpen(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	users := r.Form.Get("users")
	f.mu.Lock()
	f.opened = append(f.opened, users)
	f.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "channel": map[string]any{"id": "D" + users}})
}

func (f *fakeSlack) usersInfo(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id := r.Form.Get("user")
	f.mu.Lock()
	f.userInfos++
	f.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "user": map[string]any{
		"id": id, "name": strings.ToLower(id), "real_name": "用户" + id,
		"profile": map[string]any{"display_name": "显示名" + id},
	}})
}

func (f *fakeSlack) view(method string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.views[method] = append(f.views[method], body)
		n := len(f.views[method])
		f.mu.Unlock()
		writeJSON(w, map[string]any{"ok": true, "view": map[string]any{"id": fmt.Sprintf("V%d", n)}})
	}
}

func (f *fakeSlack) getUploadURL(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f.mu.Lock()
	f.nextFile++
	id := fmt.Sprintf("F%d", f.nextFile)
	f.uploads[id] = &upload{FileID: id, Name: r.Form.Get("filename")}
	f.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "upload_url": f.base() + "/upload/" + id, "file_id": id})
}

func (f *fakeSlack) receiveUpload(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/upload/")
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	var data []byte
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		if p.FormName() == "file" {
			data, _ = io.ReadAll(p)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	u, ok := f.uploads[id]
	if !ok {
		http.Error(w, "unknown upload", http.StatusNotFound)
		return
	}
	u.Data = data
	_, _ = io.WriteString(w, "OK - "+strconv.Itoa(len(data)))
}

func (f *fakeSlack) completeUpload(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	var files []struct{ ID, Title string }
	if err := json.Unmarshal([]byte(r.Form.Get("files")), &files); err != nil || len(files) != 1 {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_files"})
		return
	}
	f.mu.Lock()
	u, ok := f.uploads[files[0].ID]
	if ok && u.Data != nil {
		u.Channel, u.Thread, u.Title = r.Form.Get("channel_id"), r.Form.Get("thread_ts"), files[0].Title
		f.completed = append(f.completed, u)
	}
	f.mu.Unlock()
	if !ok || u.Data == nil {
		writeJSON(w, map[string]any{"ok": false, "error": "file_not_found"})
		return
	}
	writeJSON(w, map[string]any{"ok": true, "files": []map[string]string{{"id": u.FileID, "title": u.Title}}})
}

// share makes a file someone shared with the bot downloadable, and
// returns it as Slack describes it in events.
func (f *fakeSlack) share(id, name string, data []byte) map[string]any {
	f.mu.Lock()
	f.shared[id] = data
	f.mu.Unlock()
	return map[string]any{"id": id, "name": name, "filetype": "csv", "mimetype": "text/csv", "size": len(data),
		"url_private": f.base() + "/files-pri/" + id + "/" + name, "url_private_download": f.base() + "/files-pri/" + id + "/download/" + name}
}

func (f *fakeSlack) filesInfo(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id := r.Form.Get("file")
	f.mu.Lock()
	f.fileInfos++
	data, ok := f.shared[id]
	f.mu.Unlock()
	if !ok {
		writeJSON(w, map[string]any{"ok": false, "error": "file_not_found"})
		return
	}
	writeJSON(w, map[string]any{"ok": true, "file": f.share(id, id+".csv", data)})
}

func (f *fakeSlack) download(w http.ResponseWriter, r *http.Request) {
	id, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/files-pri/"), "/")
	f.mu.Lock()
	f.downloads = append(f.downloads, r.Header.Get("Authorization"))
	data, ok := f.shared[id]
	f.mu.Unlock()
	if !ok || r.Header.Get("Authorization") != "Bearer xoxb-test" {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	_, _ = w.Write(data)
}

func (f *fakeSlack) responseURL(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.responses = append(f.responses, body)
	f.mu.Unlock()
	_, _ = io.WriteString(w, "ok")
}

// websocket is the Socket Mode endpoint: hello first, then the envelopes
// queued in f.envelopes, a ping now and then; acks go to f.acks.
func (f *fakeSlack) websocket(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	c, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	var wmu sync.Mutex
	write := func(mt int, data []byte) error {
		wmu.Lock()
		defer wmu.Unlock()
		if mt == websocket.PingMessage {
			return c.WriteControl(mt, data, time.Now().Add(time.Second))
		}
		return c.WriteMessage(mt, data)
	}
	c.SetPongHandler(func(s string) error {
		select {
		case f.pongs <- s:
		default:
		}
		return nil
	})
	if err := write(websocket.TextMessage, []byte(`{"type":"hello","num_connections":1,"connection_info":{"app_id":"A1"},"debug_info":{"host":"fake"}}`)); err != nil {
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			_, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			var ack map[string]any
			if json.Unmarshal(msg, &ack) == nil {
				f.acks <- ack
			}
		}
	}()
	ping := time.NewTicker(200 * time.Millisecond)
	defer ping.Stop()
	for i := 0; ; i++ {
		select {
		case <-done:
			return
		case <-r.Context().Done():
			return
		case env := <-f.envelopes:
			if write(websocket.TextMessage, []byte(env)) != nil {
				return
			}
		case <-ping.C:
			if write(websocket.PingMessage, []byte("ping-"+strconv.Itoa(i))) != nil {
				return
			}
		}
	}
}

func (f *fakeSlack) postsSnapshot() []posted {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]posted(nil), f.posts...)
}

// waitFor polls cond until it holds or five seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	waitForUpTo(t, 5*time.Second, what, cond)
}

// waitForUpTo polls cond until it holds or d passes.
func waitForUpTo(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// sign returns Slack's signature headers for body at time ts.
func sign(secret string, ts time.Time, body []byte) (string, string) {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:", stamp)
	mac.Write(body)
	return stamp, "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// testPlan is the seed plan, parsed once.
var testPlan = sync.OnceValue(func() *duban.Plan {
	p, err := duban.LoadPlan(seeds.FS, seeds.Default)
	if err != nil {
		panic(err)
	}
	return p
})

// harness is one adapter on a real store, talking to the fake Slack,
// served over HTTP on loopback and, when asked, Socket Mode.
type harness struct {
	t      *testing.T
	slack  *fakeSlack
	store  testStore
	engine *bot.Engine
	a      *Adapter
	url    string // the adapter's HTTP base URL
	cancel context.CancelFunc
	done   chan error
	dir    string
}

// start runs the adapter until the test ends.
func start(t *testing.T, socket bool, tweak ...func(*Config)) *harness {
	t.Helper()
	return startFull(t, socket, 5*time.Second, nil, tweak...)
}

// startEngine is start with the engine's configuration tweaked first.
func startEngine(t *testing.T, socket bool, engine func(*bot.Config), tweak ...func(*Config)) *harness {
	t.Helper()
	return startFull(t, socket, 5*time.Second, engine, tweak...)
}

// startWith is start with the shutdown timeout Run is given.
func startWith(t *testing.T, socket bool, shutdown time.Duration, tweak ...func(*Config)) *harness {
	t.Helper()
	return startFull(t, socket, shutdown, nil, tweak...)
}

// startFull is start with the shutdown timeout Run is given and the
// engine's configuration tweaked first.
func startFull(t *testing.T, socket bool, shutdown time.Duration, engine func(*bot.Config), tweak ...func(*Config)) *harness {
	t.Helper()
	h := &harness{t: t, slack: newFakeSlack(t), dir: t.TempDir()}
	h.store = openTestStore(t, h.dir)
	ecfg := bot.Config{
		Plan: testPlan(), Store: h.store, Admins: []string{adminUser}, DataDir: h.dir, Exporter: export.Writer{},
		Charter: chart.Drawer{}, Supervision: bot.Supervision{OfficeChannel: officeChannel},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	if engine != nil {
		engine(&ecfg)
	}
	h.engine = bot.New(ecfg)
	cfg := Config{
		BotToken: "xoxb-test", SigningSecret: testSecret, APIURL: h.slack.srv.GetAPIURL(),
		Engine: h.engine, Events: h.store, MaxRetryWait: 3 * time.Second,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	if socket {
		cfg.AppToken = "xapp-test"
	}
	for _, f := range tweak {
		f(&cfg)
	}
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.a = a
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.url = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan error, 1)
	go func() { h.done <- a.Run(ctx, RunOptions{HTTP: ln, Socket: socket, ShutdownTimeout: shutdown}) }()
	t.Cleanup(h.stop)
	waitFor(t, "the adapter to connect", func() bool { return a.BotUserID() == botUser })
	return h
}

// stop shuts the adapter down as SIGTERM would.
func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.cancel = nil
	if err := <-h.done; err != nil {
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		h.t.Errorf("Run: %v\n%s", err, buf[:n])
	}
}

// send posts a body to the adapter, signed at ts with secret (no
// signature when secret is empty).
func (h *harness) send(path, contentType string, body []byte, secret string, ts time.Time) (*http.Response, []byte) {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.url+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if secret != "" {
		stamp, sig := sign(secret, ts, body)
		req.Header.Set("X-Slack-Request-Timestamp", stamp)
		req.Header.Set("X-Slack-Signature", sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// event posts a signed Events API callback.
func (h *harness) event(eventID string, inner map[string]any) (*http.Response, []byte) {
	h.t.Helper()
	return h.send("/slack/events", "application/json", eventBody(eventID, inner), testSecret, time.Now())
}

// eventBody is an Events API callback envelope.
func eventBody(eventID string, inner map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{
		"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
		"event_id": eventID, "event_time": time.Now().Unix(), "event": inner,
	})
	return b
}

// mention is an app_mention event by user in channel C1.
func mention(user, text, ts string) map[string]any {
	return map[string]any{"type": "app_mention", "user": user, "text": "<@" + botUser + "> " + text,
		"ts": ts, "channel": "C1", "event_ts": ts}
}

// dm is a message.im event by user.
func dm(user, text, ts string) map[string]any {
	return map[string]any{"type": "message", "channel_type": "im", "user": user, "text": text,
		"ts": ts, "channel": "D" + user, "event_ts": ts}
}

// command posts a signed /duban command.
func (h *harness) command(user, text, trigger string) (*http.Response, []byte) {
	h.t.Helper()
	form := url.Values{
		"token": {"x"}, "team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {user}, "command": {"/duban"},
		"text": {text}, "trigger_id": {trigger}, "response_url": {h.slack.base() + "/response/" + trigger},
	}
	return h.send("/slack/commands", "application/x-www-form-urlencoded", []byte(form.Encode()), testSecret, time.Now())
}

// interact posts a signed interactivity payload.
func (h *harness) interact(payload any) (*http.Response, []byte) {
	h.t.Helper()
	b, _ := json.Marshal(payload)
	form := url.Values{"payload": {string(b)}}
	return h.send("/slack/interactivity", "application/x-www-form-urlencoded", []byte(form.Encode()), testSecret, time.Now())
}

// bind binds a user to an agency through the store, as an admin would.
func (h *harness) bind(user, agency string) {
	h.t.Helper()
	err := h.store.Bind(context.Background(), duban.Binding{UserID: user, Agency: agency, BoundBy: adminUser, Time: time.Now()}, "bind-"+user)
	if err != nil {
		h.t.Fatal(err)
	}
}

// history returns the stored reports of an item.
func (h *harness) history(item int) []duban.Update {
	h.t.Helper()
	us, err := h.store.History(context.Background(), "fujian-2021-quality", item)
	if err != nil {
		h.t.Fatal(err)
	}
	return us
}

// openedView waits for the one views.open call a test expects and returns
// the view it sent, as JSON.
func openedView(t *testing.T, h *harness) []byte {
	t.Helper()
	waitFor(t, "views.open", func() bool {
		h.slack.mu.Lock()
		defer h.slack.mu.Unlock()
		return len(h.slack.views["views.open"]) == 1
	})
	h.slack.mu.Lock()
	defer h.slack.mu.Unlock()
	v, _ := json.Marshal(h.slack.views["views.open"][0])
	return v
}
