// Package slack connects duban's conversation engine to Slack. It is the
// only package that imports slack-go.
//
// Two transports deliver the same events: Socket Mode (a WebSocket opened
// with an app-level token, no public URL needed) and HTTP (the Events API,
// slash commands and interactivity posted to /slack/events,
// /slack/commands and /slack/interactivity, every request checked against
// the signing secret). Either way each event is acknowledged at once,
// answered by bot.Engine.Handle, processed once by its id whatever Slack
// retries, and rendered as Block Kit with a plain-text fallback.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"duban"
	"duban/bot"
)

// EventLog remembers which events were processed, so that an event Slack
// delivers again is not processed twice, and lets several replicas of the
// bot share the work: an event is claimed in the store before it is
// answered, so that of the replicas that receive it (a retry sent to
// another one) exactly one answers. The store implements it and keeps ids
// for a day (Slack retries within minutes).
type EventLog interface {
	// EventSeen reports whether the event id was marked processed.
	EventSeen(ctx context.Context, id string) (bool, error)
	// MarkEvent marks the event id processed and reports whether it was
	// the first time; it ends a claim.
	MarkEvent(ctx context.Context, id string) (first bool, err error)
	// ClaimEvent claims an unprocessed event id for hold; false when it
	// was processed or another claim on it holds.
	ClaimEvent(ctx context.Context, id string, hold time.Duration) (bool, error)
	// ReleaseEvent gives up this process's claim, so a retry is processed.
	ReleaseEvent(ctx context.Context, id string) error
}

// claimHold is how long a claim on an event keeps other replicas off it
// while it is being answered. A replica that dies holding one delays a
// later retry of that event by at most this much.
const claimHold = 2 * time.Minute

// Config is what an Adapter is built from.
type Config struct {
	BotToken      string // xoxb-…, required
	AppToken      string // xapp-…, for Socket Mode
	SigningSecret string // for HTTP
	APIURL        string // replaces https://slack.com/api/ when set
	Engine        *bot.Engine
	Events        EventLog     // required: processed event ids
	HTTPClient    *http.Client // nil: a client with a 30-second timeout
	Logger        *slog.Logger // nil: slog.Default()
	// AckBudget is how long a slash command may take to be answered in the
	// HTTP response itself; slower answers go through response_url.
	// Zero means 2 seconds (Slack waits 3).
	AckBudget time.Duration
	// MaxRetryWait bounds one wait for a rate limit (Retry-After); zero
	// means one minute.
	MaxRetryWait time.Duration
	// MaxQueue bounds the events acknowledged and not yet processed; an
	// event beyond it is refused before it is acknowledged (HTTP 503, or
	// no Socket Mode ack) so that Slack delivers it again. Zero means 64.
	MaxQueue int
}

// Errors returned by CheckTokens, phrased for the person starting duban.
var (
	ErrNoBotToken  = errors.New("SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) from your Slack app's OAuth & Permissions page")
	ErrBadBotToken = errors.New("SLACK_BOT_TOKEN does not start with xoxb-: use the Bot User OAuth Token, not a user or app-level token")
	ErrBadAppToken = errors.New("SLACK_APP_TOKEN does not start with xapp-: create an app-level token with the connections:write scope (Basic Information > App-Level Tokens)")
	ErrNoTransport = errors.New("no Slack transport: set SLACK_APP_TOKEN for Socket Mode, or pass --http ADDR with SLACK_SIGNING_SECRET for HTTP")
	ErrNoSecret    = errors.New("--http needs SLACK_SIGNING_SECRET (Basic Information > App Credentials > Signing Secret)")
)

// CheckTokens validates the tokens' presence and prefixes without ever
// putting a token in the error. http says whether HTTP mode was asked for.
func CheckTokens(cfg Config, http bool) error {
	switch {
	case strings.TrimSpace(cfg.BotToken) == "":
		return ErrNoBotToken
	case !strings.HasPrefix(cfg.BotToken, "xoxb-"):
		return ErrBadBotToken
	case cfg.AppToken != "" && !strings.HasPrefix(cfg.AppToken, "xapp-"):
		return ErrBadAppToken
	case http && cfg.SigningSecret == "":
		return ErrNoSecret
	case !http && cfg.AppToken == "":
		return ErrNoTransport
	}
	return nil
}

// Adapter is a running connection between Slack and the engine.
type Adapter struct {
	cfg    Config
	api    *slack.Client
	engine *bot.Engine
	events EventLog
	log    *slog.Logger

	botUserID atomic.Value // string: the bot's own user id, set by Connect
	names     *nameCache

	mu       sync.Mutex
	inFlight map[string]bool // event ids being processed now
	closing  bool
	stopping chan struct{}     // closed when the shutdown begins
	stopBy   time.Time         // when the shutdown gives up on handlers (zero: unknown)
	wg       sync.WaitGroup    // handlers in flight
	running  map[uint64]string // handlers in flight: what each is doing
	nextID   uint64
	queued   int       // event handlers in flight (bounded by MaxQueue)
	lastAck  time.Time // when the last Socket Mode ack was queued

	// baseCtx is the context handlers run under; it outlives the request
	// that started them and is cancelled only after they are waited for.
	baseCtx    context.Context
	cancelBase context.CancelFunc
}

// New checks the configuration and returns an adapter. It does not
// connect; Run and Handler do.
func New(cfg Config) (*Adapter, error) {
	if cfg.Engine == nil {
		return nil, errors.New("slack: Config.Engine is nil")
	}
	if cfg.Events == nil {
		return nil, errors.New("slack: Config.Events is nil")
	}
	if strings.TrimSpace(cfg.BotToken) == "" {
		return nil, ErrNoBotToken
	}
	if !strings.HasPrefix(cfg.BotToken, "xoxb-") {
		return nil, ErrBadBotToken
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.AckBudget <= 0 {
		cfg.AckBudget = 2 * time.Second
	}
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = time.Minute
	}
	if cfg.MaxQueue <= 0 {
		cfg.MaxQueue = 64
	}
	opts := []slack.Option{slack.OptionHTTPClient(cfg.HTTPClient)}
	if cfg.APIURL != "" {
		u := cfg.APIURL
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		opts = append(opts, slack.OptionAPIURL(u))
	}
	if cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	a := &Adapter{
		cfg:      cfg,
		api:      slack.New(cfg.BotToken, opts...),
		engine:   cfg.Engine,
		events:   cfg.Events,
		log:      cfg.Logger,
		inFlight: map[string]bool{},
		stopping: make(chan struct{}),
		running:  map[uint64]string{},
	}
	a.names = newNameCache(a.api, time.Hour)
	a.baseCtx, a.cancelBase = context.WithCancel(context.Background())
	return a, nil
}

// Connect checks the bot token with auth.test and learns the bot's own
// user id, so that its own messages are ignored.
func (a *Adapter) Connect(ctx context.Context) error {
	var resp *slack.AuthTestResponse
	err := a.retry(ctx, func() error {
		var err error
		resp, err = a.api.AuthTestContext(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("slack auth.test: %w", err)
	}
	a.botUserID.Store(resp.UserID)
	a.log.Info("connected to Slack", "team", resp.Team, "bot_user", resp.UserID)
	return nil
}

// BotUserID is the bot's own user id, known after Connect.
func (a *Adapter) BotUserID() string {
	id, _ := a.botUserID.Load().(string)
	return id
}

// goHandle runs f as a tracked handler: Shutdown waits for it. what says
// what it does, for the log should the shutdown have to drop it. It
// returns false, doing nothing, once the adapter is shutting down.
func (a *Adapter) goHandle(what string, f func(ctx context.Context)) bool {
	return a.startHandler(what, false, f) == nil
}

// Why startHandler did not start a handler.
var (
	errClosing = errors.New("shutting down")
	errBusy    = errors.New("event queue full")
)

// goEvent is goHandle for an event that has been or is about to be
// acknowledged: at most MaxQueue run at once, and beyond that it returns
// errBusy, so that the caller refuses the event before acknowledging it
// and Slack delivers it again.
func (a *Adapter) goEvent(what string, f func(ctx context.Context)) error {
	return a.startHandler(what, true, f)
}

func (a *Adapter) startHandler(what string, event bool, f func(ctx context.Context)) error {
	a.mu.Lock()
	if a.closing {
		a.mu.Unlock()
		return errClosing
	}
	if event && a.queued >= a.cfg.MaxQueue {
		a.mu.Unlock()
		a.log.Warn("slack: event queue full; refused, Slack will deliver it again", "event", what, "queued", a.cfg.MaxQueue)
		return errBusy
	}
	if event {
		a.queued++
	}
	a.nextID++
	id := a.nextID
	a.running[id] = what
	a.wg.Add(1)
	a.mu.Unlock()
	go func() {
		defer func() {
			a.mu.Lock()
			delete(a.running, id)
			if event {
				a.queued--
			}
			a.mu.Unlock()
			a.wg.Done()
		}()
		defer func() {
			if p := recover(); p != nil {
				a.log.Error("slack handler panic", "error_id", duban.NewErrorID(), "handler", what,
					"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			}
		}()
		f(a.baseCtx)
	}()
	return nil
}

// accepting reports whether new events are still taken.
func (a *Adapter) accepting() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return !a.closing
}

// stopAccepting is the first step of a shutdown that gives up on
// handlers at by (zero: no limit known): no event is taken (or
// acknowledged) from now on, and waits for rate limits that would end
// after by end at once.
func (a *Adapter) stopAccepting(by time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.closing {
		a.closing = true
		a.stopBy = by
		close(a.stopping)
	}
}

// waitFitsShutdown reports whether a wait that ends at end leaves time,
// once the shutdown has begun, to finish the work before it gives up.
func (a *Adapter) waitFitsShutdown(end time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return !a.stopBy.IsZero() && end.Before(a.stopBy.Add(-time.Second))
}

// drainGrace is how long Drain waits, once its context is done and the
// handlers left are cancelled, for them to return.
const drainGrace = time.Second

// Drain stops taking events and waits for the handlers in flight, at most
// until ctx is done; then it cancels what is left, logs each handler it
// had to drop (an event so dropped was not marked processed: Slack
// delivers it again) and returns an error saying how many.
func (a *Adapter) Drain(ctx context.Context) error {
	by, _ := ctx.Deadline()
	a.stopAccepting(by)
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	select {
	case <-done:
		a.cancelBase()
		return nil
	case <-ctx.Done():
	}
	a.mu.Lock()
	var left []string
	for _, what := range a.running {
		left = append(left, what)
	}
	a.mu.Unlock()
	for _, what := range left {
		a.log.Error("slack: dropped at shutdown, not finished within the shutdown timeout", "handler", what)
	}
	a.cancelBase()
	select {
	case <-done:
	case <-time.After(drainGrace):
	}
	return fmt.Errorf("slack: %d handlers dropped at shutdown: %w", len(left), ctx.Err())
}

// userMessage is what a Slack user is shown of err: its message, or for an
// internal error a short apology with an error id, the error itself
// logged under that id (never a server path or a stack in chat).
func (a *Adapter) userMessage(doing string, err error) string {
	if duban.ErrorCode(err) != duban.CodeInternal {
		return duban.UserMessage(err)
	}
	id := duban.NewErrorID()
	a.log.Error("slack: "+doing, "error_id", id, "err", err.Error())
	return duban.InternalMessage(id)
}

// begin claims an event id for processing, first among this process's
// handlers and then in the store, among all replicas. It returns false
// when the event was processed before or is being processed now, here or
// by another replica.
func (a *Adapter) begin(ctx context.Context, id string) (bool, error) {
	a.mu.Lock()
	if a.inFlight[id] {
		a.mu.Unlock()
		return false, nil
	}
	a.inFlight[id] = true
	a.mu.Unlock()
	ok, err := a.events.ClaimEvent(ctx, id, claimHold)
	if err != nil || !ok {
		a.unflight(id)
		return false, err
	}
	return true, nil
}

// unflight forgets an event id among this process's handlers.
func (a *Adapter) unflight(id string) {
	a.mu.Lock()
	delete(a.inFlight, id)
	a.mu.Unlock()
}

// end releases an event id claimed by begin whose processing failed, so
// that Slack's retry is processed, here or by another replica.
func (a *Adapter) end(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.events.ReleaseEvent(ctx, id); err != nil {
		a.log.Warn("slack: releasing event claim", "event", id, "err", err)
	}
	a.unflight(id)
}

// finish marks an event processed and releases it.
func (a *Adapter) finish(ctx context.Context, id string) {
	if _, err := a.events.MarkEvent(ctx, id); err != nil {
		a.log.Error("slack: marking event processed", "event", id, "err", err)
	}
	a.unflight(id)
}
