package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"duban"
	"duban/bot"
)

// markupRE matches Slack's markup in message text: <@U123>, <@U123|name>,
// <#C1|general>, <!here>, <!subteam^S1|@team>, <https://x|label>.
var markupRE = regexp.MustCompile(`<([@#!][^<>|]*|[a-z][a-z0-9+.-]*:[^<>|]*)(?:\|([^<>]*))?>`)

// cleanText turns message text as Slack sends it into what the user typed
// (plainText), so that the engine never sees Slack's markup.
func (a *Adapter) cleanText(text string) string {
	return plainText(text, a.BotUserID())
}

// plainText turns Slack's markup into plain text: the bot's own mention
// (self) goes; another user's mention is @ and the user id, never the
// display name (绑定 @U123 省林业局 reads the id; a mention in a question
// is left out by the engine); a channel is #name, @here, @channel and
// @everyone read so, a user group or a date its label, a link its label or
// else its address. Entities (&lt; &gt; &amp;) are decoded last, so that
// what the user typed as < stays text.
func plainText(text, self string) string {
	text = markupRE.ReplaceAllStringFunc(text, func(m string) string {
		sub := markupRE.FindStringSubmatch(m)
		target, label := sub[1], sub[2]
		switch target[0] {
		case '@':
			if self != "" && target[1:] == self {
				return " "
			}
			return target
		case '#':
			if label != "" {
				return "#" + label
			}
			return target
		case '!':
			kind, _, _ := strings.Cut(target[1:], "^")
			switch kind {
			case "here", "channel", "everyone":
				return "@" + kind
			}
			return label
		}
		if label != "" {
			return label
		}
		return target
	})
	return strings.TrimSpace(unescape(text))
}

// tsTime turns a Slack timestamp ("1700000000.000100") into a time.
func tsTime(ts string) time.Time {
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil || s <= 0 {
		return time.Time{}
	}
	var ns int64
	if frac != "" {
		f, _ := strconv.ParseInt((frac + "000000000")[:9], 10, 64)
		ns = f
	}
	return time.Unix(s, ns)
}

// eventsPayload is the part of an Events API envelope the adapter needs
// before handing it to slackevents.
type eventsPayload struct {
	Type      string `json:"type"`
	Challenge string `json:"challenge"`
	EventID   string `json:"event_id"`
}

// dispatchEvent handles an Events API callback (the JSON Slack posts to
// /slack/events or carries in a Socket Mode envelope). It is run after
// the event was acknowledged. Unknown or ignored events do nothing.
func (a *Adapter) dispatchEvent(ctx context.Context, raw []byte) {
	ev, err := slackevents.ParseEvent(json.RawMessage(raw), slackevents.OptionNoVerifyToken())
	if err != nil {
		a.log.Warn("slack: unparsable event", "err", err)
		return
	}
	if ev.Type != slackevents.CallbackEvent {
		return
	}
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok || cb.EventID == "" {
		a.log.Warn("slack: callback without event id")
		return
	}
	switch inner := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		if inner.BotID != "" || inner.User == "" || inner.User == a.BotUserID() {
			return
		}
		thread := inner.ThreadTimeStamp
		if thread == "" {
			thread = inner.TimeStamp
		}
		to := where{channel: inner.Channel, threadTS: thread}
		if len(inner.Files) > 0 {
			a.receiveFiles(ctx, cb.EventID, inner.User, inner.Files, to)
			return
		}
		a.answer(ctx, cb.EventID, inner.User, inner.Text, inner.TimeStamp, to)
	case *slackevents.MessageEvent:
		// Only new messages people write in a DM with the bot: no edits,
		// joins or other subtypes (but a file shared with the bot), no
		// bots (this one included).
		if inner.ChannelType != "im" || inner.BotID != "" || inner.User == "" || inner.User == a.BotUserID() {
			return
		}
		to := where{channel: inner.Channel, threadTS: inner.ThreadTimeStamp}
		if inner.SubType == "file_share" && inner.Message != nil && len(inner.Message.Files) > 0 {
			a.receiveFiles(ctx, cb.EventID, inner.User, inner.Message.Files, to)
			return
		}
		if inner.SubType != "" {
			return
		}
		a.answer(ctx, cb.EventID, inner.User, inner.Text, inner.TimeStamp, to)
	case *slackevents.FileSharedEvent:
		// A file shared in a DM with the bot. The message that carries it
		// usually comes too; whichever arrives first handles the file
		// (once, by its id). Files shared in channels are not the bot's.
		if !strings.HasPrefix(inner.ChannelID, "D") || inner.UserID == "" || inner.UserID == a.BotUserID() || inner.FileID == "" {
			return
		}
		a.receiveSharedFile(ctx, cb.EventID, inner.UserID, inner.FileID, where{channel: inner.ChannelID})
	case *slackevents.AppHomeOpenedEvent:
		if inner.Tab != "" && inner.Tab != "home" {
			return
		}
		if err := a.publishHome(ctx, inner.User); err != nil {
			a.log.Error("slack: views.publish", "user", inner.User, "err", err)
		}
	}
}

// answer processes one message event once: the engine's reply is posted
// where it belongs and only then is the event marked processed, so an
// event whose processing failed is processed again when Slack retries it.
func (a *Adapter) answer(ctx context.Context, eventID, userID, text, ts string, to where) {
	ok, err := a.begin(ctx, eventID)
	if err != nil {
		a.log.Error("slack: event log", "event", eventID, "err", err)
		if duban.ErrorCode(err) == duban.CodeUnavailable {
			// The store cannot be reached: say so rather than nothing;
			// nothing of the message was saved.
			if err := a.deliver(ctx, to, bot.Reply{Intent: bot.IntentError, Title: duban.UserMessage(err)}); err != nil {
				a.log.Error("slack: answering event", "event", eventID, "err", err)
			}
		}
		return
	}
	if !ok {
		a.log.Info("slack: duplicate event ignored", "event", eventID)
		return
	}
	// One message may come as two events (app_mention and message.im when
	// the bot is mentioned in its DM): answer the message once.
	msgKey := "msg:" + to.channel + ":" + ts
	if ok, err := a.begin(ctx, msgKey); err != nil || !ok {
		if err == nil {
			a.log.Info("slack: message already answered", "event", eventID, "ts", ts)
			a.finish(ctx, eventID)
		} else {
			a.end(eventID)
		}
		return
	}
	if bot.WantsReportForm(a.cleanText(text)) {
		// A form needs a trigger id, which messages do not have: offer the
		// button that opens it.
		err = a.postReportPrompt(ctx, to)
	} else {
		req := bot.Request{
			Text:     a.cleanText(text),
			UserID:   userID,
			UserName: a.names.Name(ctx, a, userID),
			Channel:  to.channel,
			SourceID: eventID,
			Time:     tsTime(ts),
		}
		reply := a.engine.Handle(ctx, req)
		err = a.deliver(ctx, to, reply)
	}
	if err != nil {
		a.log.Error("slack: answering event", "event", eventID, "err", err)
		a.end(eventID)
		a.end(msgKey)
		return
	}
	a.finish(ctx, msgKey)
	a.finish(ctx, eventID)
}

// postReportPrompt offers the report form's button in a message.
func (a *Adapter) postReportPrompt(ctx context.Context, to where) error {
	blocks := []slack.Block{
		slack.NewSectionBlock(mrkdwn("点击按钮填写进展报告；也可以直接写「进展 #53 进行中 已完成……」。"), nil,
			slack.NewAccessory(slack.NewButtonBlockElement(ActionReport, "0", plain("报告进展")))),
	}
	opts := []slack.MsgOption{slack.MsgOptionText("报告进展", false), slack.MsgOptionBlocks(blocks...)}
	if to.threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(to.threadTS))
	}
	return a.retry(ctx, func() error {
		_, _, err := a.api.PostMessageContext(ctx, to.channel, opts...)
		return err
	})
}

// commandResult is what a slash command is acknowledged with: nothing
// (the answer follows through response_url or a form opens) or the
// ephemeral answer itself.
type commandResult struct {
	msg *slack.Msg
}

// dispatchCommand handles /duban TEXT. It returns within the ack budget:
// with the answer when the engine was quick, else empty, the answer then
// following through response_url. The work after the ack is tracked.
func (a *Adapter) dispatchCommand(cmd slack.SlashCommand) commandResult {
	id := "cmd:" + cmd.TriggerID
	if cmd.TriggerID == "" {
		id = "cmd:" + cmd.TeamID + ":" + cmd.UserID + ":" + cmd.ChannelID + ":" + cmd.Text
	}
	text := plainText(cmd.Text, a.BotUserID())
	if bot.WantsReportForm(text) {
		a.goHandle("report form for "+cmd.UserID, func(ctx context.Context) {
			if err := a.openReportModal(ctx, cmd.TriggerID, cmd.UserID, 0, formMeta{}); err != nil {
				a.log.Error("slack: views.open", "err", err)
				a.respond(ctx, cmd.ResponseURL, bot.Reply{Intent: bot.IntentError, Title: "抱歉，无法打开报告表单，请直接写「进展 #条号 状态 内容」。"})
			}
		})
		return commandResult{}
	}
	// The handler answers in the ack when it is done within the budget;
	// once the ack has gone without it, it answers through response_url.
	var (
		mu       sync.Mutex
		acked    bool       // the ack went out without the answer
		answered *bot.Reply // the answer, when ready before the ack
		ready    = make(chan struct{})
	)
	started := a.goHandle("command "+id, func(ctx context.Context) {
		defer func() {
			mu.Lock()
			if answered == nil && !acked {
				close(ready) // nothing to show in the ack
				acked = true
			}
			mu.Unlock()
		}()
		ok, err := a.begin(ctx, id)
		if !ok && err == nil {
			return // answered before, or being answered now
		}
		var reply bot.Reply
		if err != nil {
			// The command cannot be claimed (the store failed): say so,
			// and log why under the id the user is shown.
			reply = bot.Reply{Intent: bot.IntentError, Title: a.userMessage("claiming a slash command", err)}
		} else {
			req := bot.Request{
				Text: text, UserID: cmd.UserID, UserName: a.names.Name(ctx, a, cmd.UserID),
				Channel: cmd.ChannelID, SourceID: id, Time: time.Now(),
			}
			reply = a.engine.Handle(ctx, req)
		}
		mu.Lock()
		inAck := !acked
		if inAck {
			answered = &reply
			acked = true
			close(ready)
		}
		mu.Unlock()
		if !inAck {
			if err := a.respond(ctx, cmd.ResponseURL, reply); err != nil {
				a.log.Error("slack: response_url", "err", err)
				if ok {
					a.end(id)
				}
				return
			}
		}
		if !ok {
			return // the claim failed: nothing was done, nothing to mark
		}
		if reply.File != nil || len(reply.Direct) > 0 {
			// A slash command may come from a channel the bot is not in:
			// files and notices go to the user's DM with the bot.
			ch, err := a.dmChannel(ctx, cmd.UserID)
			if err == nil {
				err = a.deliverExtras(ctx, where{channel: ch}, reply)
			}
			if err != nil {
				a.log.Error("slack: command extras", "err", err)
			}
		}
		a.finish(ctx, id)
	})
	if !started {
		return commandResult{msg: ephemeral(bot.Reply{Intent: bot.IntentError, Title: "duban 正在重启，请稍后再试。"})}
	}
	t := time.NewTimer(a.cfg.AckBudget)
	defer t.Stop()
	select {
	case <-ready:
	case <-t.C:
	}
	mu.Lock()
	defer mu.Unlock()
	acked = true
	if answered == nil {
		return commandResult{}
	}
	return commandResult{msg: ephemeral(*answered)}
}

// ephemeral is a reply as a slash-command response only the asker sees.
func ephemeral(r bot.Reply) *slack.Msg {
	rd := Render(r, true)
	return &slack.Msg{
		ResponseType: slack.ResponseTypeEphemeral,
		Text:         rd.Fallback,
		Blocks:       slack.Blocks{BlockSet: rd.Blocks},
	}
}

// respond sends a reply through a slash command's response_url.
func (a *Adapter) respond(ctx context.Context, responseURL string, r bot.Reply) error {
	if responseURL == "" {
		return fmt.Errorf("no response_url")
	}
	return a.respondMsg(ctx, responseURL, ephemeral(r))
}

// respondMsg sends a message through a slash command's response_url.
func (a *Adapter) respondMsg(ctx context.Context, responseURL string, m *slack.Msg) error {
	if responseURL == "" {
		return fmt.Errorf("no response_url")
	}
	msg := &slack.WebhookMessage{ResponseType: m.ResponseType, Text: m.Text, Blocks: &m.Blocks}
	return a.retry(ctx, func() error {
		return slack.PostWebhookCustomHTTPContext(ctx, responseURL, a.cfg.HTTPClient, msg)
	})
}
