package slack

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"duban/bot"
)

// maxAttempts bounds the calls made for one Web API request that keeps
// being rate limited.
const maxAttempts = 5

// retry calls f until it succeeds, fails with something other than a rate
// limit, or has been rate limited maxAttempts times. Between attempts it
// waits what Slack's Retry-After asked (at most MaxRetryWait), or until
// ctx is done. Once the shutdown begins, a wait that would outlast it
// ends at once: a wait of up to a minute must not hold the shutdown up
// (the event is then not marked processed, and Slack delivers it again).
func (a *Adapter) retry(ctx context.Context, f func() error) error {
	for attempt := 1; ; attempt++ {
		err := f()
		var rl *slack.RateLimitedError
		if err == nil || !errors.As(err, &rl) || attempt == maxAttempts {
			return redactURLs(err)
		}
		wait := min(max(rl.RetryAfter, 100*time.Millisecond), a.cfg.MaxRetryWait)
		a.log.Warn("slack rate limited; waiting", "retry_after", wait, "attempt", attempt)
		end := time.Now().Add(wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return redactURLs(fmt.Errorf("waiting out a rate limit: %w", ctx.Err()))
		case <-a.stopping:
			if !a.waitFitsShutdown(end) {
				t.Stop()
				return redactURLs(fmt.Errorf("waiting out a rate limit: %w", errClosing))
			}
			select {
			case <-ctx.Done():
				t.Stop()
				return redactURLs(fmt.Errorf("waiting out a rate limit: %w", ctx.Err()))
			case <-t.C:
			}
		case <-t.C:
		}
	}
}

// redactURLs removes the path and query of the URL a failed HTTP call
// names in err: a slash command's response_url and a file's upload_url
// are credentials (whoever holds one may post), and errors are logged.
// The Web API's own URLs carry no token (it goes in a header).
func redactURLs(err error) error {
	var ue *url.Error
	if err == nil || !errors.As(err, &ue) || ue.URL == "" {
		return err
	}
	orig := ue.URL
	short := "(url)"
	if u, perr := url.Parse(orig); perr == nil && u.Host != "" {
		short = u.Scheme + "://" + u.Host + "/…"
	}
	// Wrapping errors formatted their text when they were made: replace
	// the URL in the text too, keeping the chain for errors.Is and As.
	msg := strings.ReplaceAll(err.Error(), strconv.Quote(orig), strconv.Quote(short))
	msg = strings.ReplaceAll(msg, orig, short)
	ue.URL = short
	return &redactedError{msg: msg, err: err}
}

// redactedError is an error whose text had a URL removed.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// where says where an answer goes.
type where struct {
	channel  string
	threadTS string // "" for the channel itself
}

// post sends a rendered reply to a channel (in a thread when set).
func (a *Adapter) post(ctx context.Context, to where, r bot.Reply) error {
	rd := Render(r, true)
	opts := []slack.MsgOption{
		slack.MsgOptionText(rd.Fallback, false),
		slack.MsgOptionBlocks(rd.Blocks...),
		slack.MsgOptionDisableLinkUnfurl(),
	}
	if to.threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(to.threadTS))
	}
	return a.retry(ctx, func() error {
		_, _, err := a.api.PostMessageContext(ctx, to.channel, opts...)
		return err
	})
}

// postEphemeral sends a rendered reply to a channel (in a thread when
// set) that only user sees.
func (a *Adapter) postEphemeral(ctx context.Context, to where, user string, r bot.Reply) error {
	rd := Render(r, false)
	opts := []slack.MsgOption{slack.MsgOptionText(rd.Fallback, false), slack.MsgOptionBlocks(rd.Blocks...)}
	if to.threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(to.threadTS))
	}
	return a.retry(ctx, func() error {
		_, err := a.api.PostEphemeralContext(ctx, to.channel, user, opts...)
		return err
	})
}

// postText sends plain text (escaped) to a channel.
func (a *Adapter) postText(ctx context.Context, to where, text string) error {
	opts := []slack.MsgOption{slack.MsgOptionText(Escape(text), false), slack.MsgOptionDisableLinkUnfurl()}
	if to.threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(to.threadTS))
	}
	return a.retry(ctx, func() error {
		_, _, err := a.api.PostMessageContext(ctx, to.channel, opts...)
		return err
	})
}

// upload puts the reply's file into the channel (in the thread when set)
// with Slack's external upload flow.
func (a *Adapter) upload(ctx context.Context, to where, f *bot.File) error {
	st, err := os.Stat(f.Path)
	if err != nil {
		return fmt.Errorf("export file: %w", err)
	}
	if st.Size() == 0 {
		return fmt.Errorf("export file %s is empty", f.Name)
	}
	name := f.Name
	if name == "" {
		name = st.Name()
	}
	return a.retry(ctx, func() error {
		file, err := os.Open(f.Path)
		if err != nil {
			return fmt.Errorf("export file: %w", err)
		}
		defer file.Close()
		_, err = a.api.UploadFileContext(ctx, slack.UploadFileParameters{
			Reader:          file,
			FileSize:        int(st.Size()),
			Filename:        name,
			Title:           name,
			Channel:         to.channel,
			ThreadTimestamp: to.threadTS,
		})
		return err
	})
}

// dmChannel opens (or finds) the direct-message channel with a user.
func (a *Adapter) dmChannel(ctx context.Context, userID string) (string, error) {
	var ch *slack.Channel
	err := a.retry(ctx, func() error {
		var err error
		ch, _, _, err = a.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{userID}})
		return err
	})
	if err != nil {
		return "", fmt.Errorf("conversations.open %s: %w", userID, err)
	}
	return ch.ID, nil
}

// sendDirect sends the reply's direct messages one after another (Slack
// allows about one message a second per channel; rate limits are waited
// out) and returns how many were delivered.
func (a *Adapter) sendDirect(ctx context.Context, msgs []bot.Message) (int, error) {
	sent := 0
	var errs []error
	for _, m := range msgs {
		if m.Review != nil { // a review request to an admin
			ch, err := a.dmChannel(ctx, m.UserID)
			if err == nil {
				m.Channel = ch
				err = a.postMessage(ctx, m)
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("direct message to %s: %w", m.UserID, err))
				continue
			}
			sent++
			continue
		}
		ch, err := a.dmChannel(ctx, m.UserID)
		if err == nil {
			err = a.postText(ctx, where{channel: ch}, m.Text)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("direct message to %s: %w", m.UserID, err))
			continue
		}
		sent++
	}
	return sent, errors.Join(errs...)
}

// sendMessages sends messages to channels (Message.Channel) or users by
// direct message, and returns how many were delivered.
func (a *Adapter) sendMessages(ctx context.Context, msgs []bot.Message) (int, error) {
	var direct []bot.Message
	sent := 0
	var errs []error
	for _, m := range msgs {
		if m.Channel == "" {
			direct = append(direct, m)
			continue
		}
		if err := a.postMessage(ctx, m); err != nil { // with 通过/退回 for a review request
			errs = append(errs, fmt.Errorf("post to %s: %w", m.Channel, err))
			continue
		}
		sent++
	}
	n, err := a.sendDirect(ctx, direct)
	return sent + n, errors.Join(append(errs, err)...)
}

// deliver sends a reply where it belongs: the message, then its file, then
// its direct messages, with a closing line saying how many were sent.
func (a *Adapter) deliver(ctx context.Context, to where, r bot.Reply) error {
	if err := a.post(ctx, to, r); err != nil {
		return fmt.Errorf("chat.postMessage: %w", err)
	}
	return a.deliverExtras(ctx, to, r)
}

// deliverExtras uploads the reply's file and sends its direct messages.
func (a *Adapter) deliverExtras(ctx context.Context, to where, r bot.Reply) error {
	var errs []error
	if r.File != nil {
		if err := a.upload(ctx, to, r.File); err != nil {
			a.log.Error("slack: upload", "file", r.File.Name, "err", err)
			_ = a.postText(ctx, to, "抱歉，文件上传失败，请稍后再试 (upload failed)。")
			errs = append(errs, err)
		} else if err := os.Remove(r.File.Path); err != nil {
			// The file was written for this answer and is in Slack now:
			// anyone may ask for exports, so copies must not pile up.
			a.log.Warn("slack: removing uploaded file", "file", r.File.Name, "err", err)
		}
	}
	if len(r.Notices) > 0 {
		// The office's notices (a report of 滞后) go quietly: the reporter
		// is not told, and a failure is logged, not shown.
		if _, err := a.sendMessages(ctx, r.Notices); err != nil {
			a.log.Error("slack: office notices", "err", err)
		}
	}
	if len(r.Direct) > 0 {
		sent, err := a.sendDirect(ctx, r.Direct)
		msg := "已私信提醒 " + strconv.Itoa(sent) + " 人。"
		if r.Intent != bot.IntentMissing {
			msg = "已发出 " + strconv.Itoa(sent) + " 条通知。"
		}
		if err != nil {
			a.log.Error("slack: reminders", "err", err)
			msg += "另有 " + strconv.Itoa(len(r.Direct)-sent) + " 人未能送达，请稍后重试。"
		}
		if perr := a.postText(ctx, to, msg); perr != nil {
			errs = append(errs, perr)
		}
	}
	return errors.Join(errs...)
}

// nameCache remembers users' display names from users.info. Concurrent
// lookups of the same user share one call.
type nameCache struct {
	api     *slack.Client
	ttl     time.Duration
	max     int // names kept at most
	mu      sync.Mutex
	m       map[string]cachedName
	pending map[string]chan struct{} // user id -> closed when its lookup ends
}

type cachedName struct {
	name string
	at   time.Time
}

func newNameCache(api *slack.Client, ttl time.Duration) *nameCache {
	return &nameCache{api: api, ttl: ttl, max: maxNames, m: map[string]cachedName{}, pending: map[string]chan struct{}{}}
}

// maxNames bounds the name cache: far more people than one office's
// workspace, few enough to stay small (about a megabyte).
const maxNames = 10000

// makeRoom drops expired names, and when the cache is still full, any
// others, so that one more fits. c.mu is held.
func (c *nameCache) makeRoom() {
	if len(c.m) < c.max {
		return
	}
	for id, e := range c.m {
		if time.Since(e.at) >= c.ttl {
			delete(c.m, id)
		}
	}
	for id := range c.m {
		if len(c.m) < c.max {
			break
		}
		delete(c.m, id)
	}
}

// nameWait bounds how long an answer waits for a display name: a name is
// decoration, and users.info may be rate limited for minutes.
const nameWait = 1500 * time.Millisecond

// Name returns the user's display name (else real name, else user name),
// asking users.info at most once per ttl. On failure, or when users.info
// does not answer within nameWait, it returns the id.
func (c *nameCache) Name(ctx context.Context, a *Adapter, userID string) string {
	ctx, cancel := context.WithTimeout(ctx, nameWait)
	defer cancel()
	for {
		c.mu.Lock()
		e, ok := c.m[userID]
		if ok && time.Since(e.at) < c.ttl {
			c.mu.Unlock()
			return e.name
		}
		wait, busy := c.pending[userID]
		if !busy {
			c.pending[userID] = make(chan struct{})
			c.mu.Unlock()
			break
		}
		c.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return userID
		}
		c.mu.Lock()
		e, ok = c.m[userID]
		c.mu.Unlock()
		if ok {
			return e.name
		}
		return userID // the lookup failed; do not pile on
	}
	name := c.fetch(ctx, a, userID)
	c.mu.Lock()
	if name != "" {
		if _, ok := c.m[userID]; !ok {
			c.makeRoom()
		}
		c.m[userID] = cachedName{name, time.Now()}
	}
	close(c.pending[userID])
	delete(c.pending, userID)
	c.mu.Unlock()
	if name == "" {
		return userID
	}
	return name
}

// fetch asks users.info for a name; "" when it cannot.
func (c *nameCache) fetch(ctx context.Context, a *Adapter, userID string) string {
	var u *slack.User
	err := a.retry(ctx, func() error {
		var err error
		u, err = c.api.GetUserInfoContext(ctx, userID)
		return err
	})
	if err != nil {
		a.log.Warn("slack users.info", "user", userID, "err", err)
		return ""
	}
	for _, n := range []string{u.Profile.DisplayName, u.RealName, u.Name} {
		if n != "" {
			return n
		}
	}
	return ""
}

// SendReminders sends a round of reminders (a reply of Engine.Remind, as
// the --remind schedule produces) as direct messages, waiting out rate
// limits. It returns how the round went; the messages that could be sent
// are sent even when others fail.
func (a *Adapter) SendReminders(ctx context.Context, r bot.Reply) error {
	if !a.accepting() {
		return errors.New("slack: shutting down; reminders not sent")
	}
	sent, err := a.sendDirect(ctx, r.Direct)
	a.log.Info("reminders sent", "sent", sent, "of", len(r.Direct))
	return err
}
