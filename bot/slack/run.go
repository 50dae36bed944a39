package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"duban/bot"
)

// RunOptions says which transports Run starts.
type RunOptions struct {
	// HTTP, when set, serves /slack/events, /slack/commands and
	// /slack/interactivity on this listener (needs the signing secret).
	HTTP net.Listener
	// Socket starts Socket Mode (needs the app-level token).
	Socket bool
	// ShutdownTimeout bounds how long handlers in flight are waited for
	// once ctx is done; zero means 30 seconds.
	ShutdownTimeout time.Duration
}

// Run connects to Slack and serves events until ctx is done (SIGTERM in
// duban serve). Then it stops taking events, lets the handlers in flight
// finish and returns; the caller closes the store afterwards.
func (a *Adapter) Run(ctx context.Context, opt RunOptions) error {
	if opt.HTTP == nil && !opt.Socket {
		return ErrNoTransport
	}
	if opt.HTTP != nil && a.cfg.SigningSecret == "" {
		return ErrNoSecret
	}
	if opt.Socket && a.cfg.AppToken == "" {
		return ErrNoTransport
	}
	if opt.ShutdownTimeout <= 0 {
		opt.ShutdownTimeout = 30 * time.Second
	}
	if err := a.Connect(ctx); err != nil {
		return err
	}
	// The socket outlives ctx: it is closed only once the handlers in
	// flight have had their acks sent (see below).
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	errc := make(chan error, 2)
	var srv *http.Server
	var fresh freshConns
	if opt.HTTP != nil {
		srv = &http.Server{
			ConnState:         fresh.track,
			Handler:           a.Handler(),
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       2 * time.Minute,
		}
		a.log.Info("serving Slack over HTTP", "addr", opt.HTTP.Addr().String())
		go func() {
			if err := srv.Serve(opt.HTTP); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("http: %w", err)
			}
		}()
	}
	socketDone := make(chan struct{})
	if opt.Socket {
		go func() {
			defer close(socketDone)
			if err := a.runSocket(runCtx); err != nil && runCtx.Err() == nil {
				errc <- fmt.Errorf("socket mode: %w", err)
			}
		}()
	}
	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errc:
	}
	// Stop taking events first: from now on HTTP requests get 503 and
	// Socket Mode envelopes no ack, so Slack delivers them again, and
	// rate-limit waits end. Then let the handlers in flight finish while
	// the socket is still open, so that their acks go out; close it last.
	sctx, cancel := context.WithTimeout(context.Background(), opt.ShutdownTimeout)
	defer cancel()
	by, _ := sctx.Deadline()
	a.stopAccepting(by)
	a.log.Info("stopping: no new events; finishing handlers in flight")
	if srv != nil {
		// Shutdown waits up to 5 seconds for connections that were opened
		// but never carried a request; close those at once.
		done := make(chan error, 1)
		go func() { done <- srv.Shutdown(sctx) }()
		fresh.closeAll()
		if err := <-done; err != nil {
			a.log.Warn("slack: HTTP requests still open at shutdown", "err", err)
		}
	}
	if err := a.Drain(sctx); err != nil {
		// Each dropped handler is logged; the events are not marked
		// processed, so Slack delivers them again. A stop that had to
		// drop work is still the stop that was asked for.
		a.log.Error("slack: shutdown timeout reached", "err", err)
	}
	if opt.Socket {
		a.waitAcksSent(by.Add(drainGrace))
	}
	stop()
	if opt.Socket {
		select {
		case <-socketDone:
		case <-time.After(drainGrace):
		}
	}
	return runErr
}

// runSocket serves Socket Mode until ctx is done. Every envelope is
// acknowledged at once (slash commands and form submissions with their
// answer) and processed in a tracked handler.
func (a *Adapter) runSocket(ctx context.Context) error {
	smc := socketmode.New(a.api)
	errc := make(chan error, 1)
	go func() { errc <- smc.RunContext(ctx) }()
	a.log.Info("connecting to Slack over Socket Mode")
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			return err
		case evt, ok := <-smc.Events:
			if !ok {
				return nil
			}
			if err := a.onSocketEvent(smc, evt); err != nil {
				return err
			}
		}
	}
}

// ackWait bounds how long an acknowledgement may wait to be queued for
// the socket: Slack gives up on it after 3 seconds anyway, and a handler
// must never hang on a socket that is gone.
const ackWait = 3 * time.Second

// ack acknowledges a Socket Mode envelope, with the payload when not nil,
// within ackWait, and logs a failure. slack-go only queues the ack for
// the socket's writer; lastAck keeps when, so that the shutdown leaves the
// writer time to send it before closing the socket.
func (a *Adapter) ack(smc *socketmode.Client, req socketmode.Request, payload any) {
	ctx, cancel := context.WithTimeout(context.Background(), ackWait)
	defer cancel()
	if err := smc.AckCtx(ctx, req.EnvelopeID, payload); err != nil {
		a.log.Error("slack: socket mode ack failed", "envelope", req.EnvelopeID, "type", req.Type, "err", err)
		return
	}
	a.mu.Lock()
	a.lastAck = time.Now()
	a.mu.Unlock()
}

// ackFlush is how long the shutdown keeps the socket open after the last
// ack was queued: the writer sends a queued ack in far less.
const ackFlush = 300 * time.Millisecond

// waitAcksSent waits until ackFlush has passed since the last ack was
// queued, or until by.
func (a *Adapter) waitAcksSent(by time.Time) {
	a.mu.Lock()
	until := a.lastAck.Add(ackFlush)
	a.mu.Unlock()
	if !by.IsZero() && until.After(by) {
		until = by
	}
	if d := time.Until(until); d > 0 {
		time.Sleep(d)
	}
}

// restarting is the answer to a slash command that comes while duban
// shuts down.
var restarting = bot.Reply{Intent: bot.IntentError, Title: "duban 正在重启，请稍后再试。"}

// onSocketEvent handles one Socket Mode event.
func (a *Adapter) onSocketEvent(smc *socketmode.Client, evt socketmode.Event) error {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		a.log.Info("socket mode connected")
	case socketmode.EventTypeInvalidAuth:
		return errors.New("SLACK_APP_TOKEN was refused (invalid_auth)")
	case socketmode.EventTypeConnectionError:
		a.log.Warn("socket mode connection error; slack-go reconnects", "err", evt.Data)
	case socketmode.EventTypeErrorWriteFailed:
		// An ack that did not reach Slack: Slack delivers the envelope
		// again (an event is then answered once, by its id).
		if e, ok := evt.Data.(*socketmode.ErrorWriteFailed); ok {
			id := ""
			if e.Response != nil {
				id = e.Response.EnvelopeID
			}
			a.log.Error("slack: socket mode ack not written", "envelope", id, "err", e.Cause)
		} else {
			a.log.Error("slack: socket mode ack not written", "data", evt.Data)
		}
	case socketmode.EventTypeErrorBadMessage:
		if e, ok := evt.Data.(*socketmode.ErrorBadMessage); ok {
			a.log.Error("slack: unreadable socket mode message", "err", e.Cause, "message", truncate(string(e.Message), 300))
		} else {
			a.log.Error("slack: unreadable socket mode message", "data", evt.Data)
		}
	case socketmode.EventTypeEventsAPI:
		if evt.Request == nil {
			return nil
		}
		payload := evt.Request.Payload
		var p eventsPayload
		_ = json.Unmarshal(payload, &p)
		// Queued before it is acknowledged: when the queue is full or the
		// adapter is shutting down it is not acknowledged, and Slack
		// delivers it again.
		if err := a.goEvent("event "+p.EventID, func(ctx context.Context) { a.dispatchEvent(ctx, payload) }); err != nil {
			return nil
		}
		a.ack(smc, *evt.Request, nil)
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok || evt.Request == nil {
			return nil
		}
		req := *evt.Request
		started := a.goHandle("command ack "+req.EnvelopeID, func(ctx context.Context) {
			res := a.dispatchCommand(cmd)
			switch {
			case res.msg == nil:
				a.ack(smc, req, nil)
			case fitsSocket(res.msg):
				a.ack(smc, req, res.msg)
			default:
				// Too long for an acknowledgement: the answer follows
				// through response_url.
				a.ack(smc, req, nil)
				if rerr := a.respondMsg(ctx, cmd.ResponseURL, res.msg); rerr != nil {
					a.log.Error("slack: response_url", "err", rerr)
				}
			}
		})
		if !started {
			a.ack(smc, req, ephemeral(restarting))
		}
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok || evt.Request == nil {
			return nil
		}
		req := *evt.Request
		started := a.goHandle("interaction ack "+req.EnvelopeID, func(ctx context.Context) {
			res := a.dispatchInteraction(ctx, cb)
			if res.view != nil {
				a.ack(smc, req, fitView(res.view))
			} else {
				a.ack(smc, req, nil)
			}
		})
		if !started && cb.Type == slack.InteractionTypeViewSubmission {
			// The form stays open with a word on why; it can be sent again.
			a.ack(smc, req, slack.NewErrorsViewSubmissionResponse(map[string]string{BlockText: "duban 正在重启，请稍后再提交。"}))
		}
	}
	return nil
}

// maxSocketPayload bounds an acknowledgement's payload in Socket Mode:
// Slack silently drops messages of 20 KB or more (slack-go refuses to send
// them, so the request would go unacknowledged); 1 KB is left for the
// envelope.
const maxSocketPayload = 19 * 1024

// fitsSocket reports whether payload fits in a Socket Mode
// acknowledgement.
func fitsSocket(payload any) bool {
	b, err := json.Marshal(payload)
	return err == nil && len(b) <= maxSocketPayload
}

// fitView shortens a view_submission response to fit in a Socket Mode
// acknowledgement: the blocks that fit are kept, with a note that the
// rest is in the chat.
func fitView(v *slack.ViewSubmissionResponse) *slack.ViewSubmissionResponse {
	if fitsSocket(v) || v.View == nil {
		return v
	}
	all := v.View.Blocks.BlockSet
	short := *v.View
	out := *v
	out.View = &short
	note := slack.NewContextBlock("", mrkdwn("内容较长，这里只显示了一部分；完整记录请在聊天中发送「第N条进展」（N 为条目编号）查看。"))
	for n := len(all) - 1; n >= 0; n-- {
		blocks := append(append([]slack.Block{}, all[:n]...), note)
		short.Blocks = slack.Blocks{BlockSet: blocks}
		if fitsSocket(&out) {
			return &out
		}
	}
	return &out
}

// freshConns tracks connections that have not yet carried a request.
type freshConns struct {
	mu sync.Mutex
	m  map[net.Conn]bool
}

func (f *freshConns) track(c net.Conn, st http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if st == http.StateNew {
		if f.m == nil {
			f.m = map[net.Conn]bool{}
		}
		f.m[c] = true
	} else {
		delete(f.m, c)
	}
}

func (f *freshConns) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.m {
		_ = c.Close()
	}
}
