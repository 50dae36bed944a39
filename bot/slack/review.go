package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"duban"
	"duban/bot"
)

// Completion review in Slack: a report of 已完成 under review is posted
// to the office channel with 通过 and 退回 buttons; 通过 decides at once,
// 退回 opens a form that asks for the reason. Both go through
// Engine.Decide (admins only), whose reply is posted in the thread of the
// request and whose direct messages tell the agency.
const (
	ActionPass     = "duban_review_pass"   // the 通过 button
	ActionReturn   = "duban_review_return" // the 退回 button
	CallbackReturn = "duban_return_form"   // the form asking why
	BlockReason    = "reason"
)

// reviewValue is the buttons' value: "item|report|agency".
func reviewValue(r *bot.ReviewAsk) string {
	return strconv.Itoa(r.Item) + "|" + strconv.FormatUint(r.Report, 10) + "|" + r.Agency
}

// parseReviewValue reads a button's value.
func parseReviewValue(v string) (bot.ReviewAsk, bool) {
	parts := strings.SplitN(v, "|", 3)
	if len(parts) != 3 {
		return bot.ReviewAsk{}, false
	}
	item, err1 := strconv.Atoi(parts[0])
	report, err2 := strconv.ParseUint(parts[1], 10, 64)
	if err1 != nil || err2 != nil || item < 1 || parts[2] == "" {
		return bot.ReviewAsk{}, false
	}
	return bot.ReviewAsk{Item: item, Report: report, Agency: parts[2]}, true
}

// reviewBlocks are a review request: its text and the two buttons.
func reviewBlocks(text string, r *bot.ReviewAsk) []slack.Block {
	pass := slack.NewButtonBlockElement(ActionPass, reviewValue(r), plain("通过"))
	pass.Style = slack.StylePrimary
	ret := slack.NewButtonBlockElement(ActionReturn, reviewValue(r), plain("退回"))
	ret.Style = slack.StyleDanger
	return []slack.Block{
		slack.NewSectionBlock(mrkdwn(Escape(truncate(text, maxSectionRunes))), nil, nil),
		slack.NewActionBlock("review", pass, ret),
	}
}

// postMessage posts a message of the engine to its channel: a review
// request with its buttons, anything else as text.
func (a *Adapter) postMessage(ctx context.Context, m bot.Message) error {
	if m.Review == nil {
		return a.postText(ctx, where{channel: m.Channel}, m.Text)
	}
	opts := []slack.MsgOption{
		slack.MsgOptionText(Escape(truncate(m.Text, maxSectionRunes)), false),
		slack.MsgOptionBlocks(reviewBlocks(m.Text, m.Review)...),
		slack.MsgOptionDisableLinkUnfurl(),
	}
	return a.retry(ctx, func() error {
		_, _, err := a.api.PostMessageContext(ctx, m.Channel, opts...)
		return err
	})
}

// returnMeta is what the 退回 form carries: the completion and where the
// request was posted.
type returnMeta struct {
	bot.ReviewAsk
	Channel string `json:"c,omitempty"`
	Thread  string `json:"t,omitempty"`
}

// returnModal asks the admin why the completion goes back.
func returnModal(meta returnMeta) slack.ModalViewRequest {
	mb, _ := json.Marshal(meta)
	in := slack.NewPlainTextInputBlockElement(plain("例如：缺少佐证材料，请补充后重新报送"), actionInput)
	in.Multiline = true
	in.MaxLength = 1000
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		Title:           plain("退回"),
		Close:           plain("取消"),
		Submit:          plain("退回"),
		CallbackID:      CallbackReturn,
		PrivateMetadata: string(mb),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewSectionBlock(mrkdwn(Escape(fmt.Sprintf("退回 %s 在第%d条的完成报告（记录 %d）。", meta.Agency, meta.Item, meta.Report))), nil, nil),
			slack.NewInputBlock(BlockReason, plain("退回理由"), nil, in),
		}},
	}
}

// reviewAction handles a press of 通过 or 退回.
func (a *Adapter) reviewAction(cb slack.InteractionCallback, act *slack.BlockAction) {
	ask, ok := parseReviewValue(act.Value)
	if !ok {
		a.log.Warn("slack: review button with a bad value", "value", act.Value)
		return
	}
	to := where{channel: cb.Channel.ID, threadTS: cb.Message.Timestamp}
	user, trigger := cb.User.ID, cb.TriggerID
	source := "review:" + cb.Channel.ID + ":" + cb.Message.Timestamp + ":" + act.ActionTs
	if act.ActionID == ActionReturn {
		meta := returnMeta{ReviewAsk: ask, Channel: to.channel, Thread: to.threadTS}
		a.goHandle("return form "+source, func(ctx context.Context) {
			v := returnModal(meta)
			if err := a.retry(ctx, func() error { _, err := a.api.OpenViewContext(ctx, trigger, v); return err }); err != nil {
				a.log.Error("slack: views.open (return)", "err", err)
			}
		})
		return
	}
	a.goHandle("review "+source, func(ctx context.Context) {
		req := bot.Request{UserID: user, UserName: a.names.Name(ctx, a, user), Channel: to.channel, SourceID: source}
		r := a.engine.Decide(ctx, req, ask.Item, ask.Agency, ask.Report, duban.DecisionPass, "")
		if err := a.deliver(ctx, to, r); err != nil {
			a.log.Error("slack: review reply", "err", err)
		}
	})
}

// submitReturn reads the 退回 form and decides; a missing reason or a
// refusal is shown in the form.
func (a *Adapter) submitReturn(ctx context.Context, cb slack.InteractionCallback) *slack.ViewSubmissionResponse {
	var meta returnMeta
	if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &meta); err != nil || meta.Item < 1 {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{BlockReason: "表单已失效，请在消息中重新点“退回”。"})
	}
	reason := ""
	if cb.View.State != nil {
		reason = strings.TrimSpace(cb.View.State.Values[BlockReason][actionInput].Value)
	}
	if reason == "" {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{BlockReason: "请写明退回理由。"})
	}
	nctx, cancel := context.WithTimeout(ctx, a.cfg.AckBudget/2)
	name := a.names.Name(nctx, a, cb.User.ID)
	cancel()
	req := bot.Request{UserID: cb.User.ID, UserName: name, Channel: meta.Channel, SourceID: "view:" + cb.View.ID}
	r := a.engine.Decide(ctx, req, meta.Item, meta.Agency, meta.Report, duban.DecisionReturn, reason)
	if r.Intent == bot.IntentError {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{BlockReason: r.Title})
	}
	a.goHandle("return notices view:"+cb.View.ID, func(ctx context.Context) {
		if meta.Channel == "" {
			if _, err := a.sendDirect(ctx, r.Direct); err != nil {
				a.log.Error("slack: return notices", "err", err)
			}
			return
		}
		if err := a.deliver(ctx, where{channel: meta.Channel, threadTS: meta.Thread}, r); err != nil {
			a.log.Error("slack: return reply", "err", err)
		}
	})
	return slack.NewClearViewSubmissionResponse()
}

// Publish posts a reply to a channel with its file and messages, as an
// answer is delivered: the scheduled 通报 goes to the office's channel so.
func (a *Adapter) Publish(ctx context.Context, channel string, r bot.Reply) error {
	if !a.accepting() {
		return fmt.Errorf("slack: shutting down; not posted")
	}
	return a.deliver(ctx, where{channel: channel}, r)
}
