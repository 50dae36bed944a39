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
	runCtx, stop := context.WithCancel(ctx)
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
	if opt.Socket {
		go func() {
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
	stop()
	a.log.Info("stopping: no new events; finishing handlers in flight")
	sctx, cancel := context.WithTimeout(context.Background(), opt.ShutdownTimeout)
	defer cancel()
	if srv != nil {
		// Shutdown waits up to 5 seconds for connections that were opened
		// but never carried a request; close those at once.
		done := make(chan error, 1)
		go func() { done <- srv.Shutdown(sctx) }()
		fresh.closeAll()
		if err := <-done; err != nil {
			runErr = errors.Join(runErr, fmt.Errorf("http shutdown: %w", err))
		}
	}
	if err := a.Drain(sctx); err != nil {
		runErr = errors.Join(runErr, err)
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

// onSocketEvent handles one Socket Mode event.
func (a *Adapter) onSocketEvent(smc *socketmode.Client, evt socketmode.Event) error {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		a.log.Info("socket mode connected")
	case socketmode.EventTypeInvalidAuth:
		return errors.New("SLACK_APP_TOKEN was refused (invalid_auth)")
	case socketmode.EventTypeConnectionError:
		a.log.Warn("socket mode connection error; slack-go reconnects", "err", evt.Data)
	case socketmode.EventTypeEventsAPI:
		if evt.Request == nil || !a.accepting() {
			return nil // not acknowledged: Slack delivers it again
		}
		// Answer first, work after.
		if err := smc.Ack(*evt.Request); err != nil {
			a.log.Error("socket mode ack", "err", err)
		}
		payload := evt.Request.Payload
		a.goHandle(func(ctx context.Context) { a.dispatchEvent(ctx, payload) })
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok || evt.Request == nil {
			return nil
		}
		req := *evt.Request
		a.goHandle(func(ctx context.Context) {
			res := a.dispatchCommand(cmd)
			var err error
			switch {
			case res.msg == nil:
				err = smc.Ack(req)
			case fitsSocket(res.msg):
				err = smc.Ack(req, res.msg)
			default:
				// Too long for an acknowledgement: the answer follows
				// through response_url.
				err = smc.Ack(req)
				if rerr := a.respondMsg(ctx, cmd.ResponseURL, res.msg); rerr != nil {
					a.log.Error("slack: response_url", "err", rerr)
				}
			}
			if err != nil {
				a.log.Error("socket mode ack", "err", err)
			}
		})
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok || evt.Request == nil {
			return nil
		}
		req := *evt.Request
		a.goHandle(func(ctx context.Context) {
			res := a.dispatchInteraction(ctx, cb)
			var err error
			if res.view != nil {
				err = smc.Ack(req, fitView(res.view))
			} else {
				err = smc.Ack(req)
			}
			if err != nil {
				a.log.Error("socket mode ack", "err", err)
			}
		})
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
