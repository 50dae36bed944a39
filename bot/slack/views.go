package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"duban"
	"duban/bot"
)

// The report modal: its callback id and the block and action ids of its
// inputs (block ids are what view_submission errors point at).
const (
	CallbackReport = "duban_report_form"
	BlockItem      = "item"
	BlockStatus    = "status"
	BlockPercent   = "percent"
	BlockText      = "text"
	actionInput    = "value"
)

// formFields maps the engine's form fields to the modal's block ids.
var formFields = map[string]string{
	bot.FieldItem: BlockItem, bot.FieldStatus: BlockStatus,
	bot.FieldPercent: BlockPercent, bot.FieldText: BlockText,
}

// formMeta is what the modal carries in private_metadata: where it was
// opened from, so that the confirmation can also go there; Private when
// that was a message only the user sees (an ephemeral /duban answer), so
// that the confirmation is for them alone too.
type formMeta struct {
	Channel string `json:"c,omitempty"`
	Thread  string `json:"t,omitempty"`
	Private bool   `json:"p,omitempty"`
	Plan    string `json:"pl,omitempty"` // the plan of the answer it was opened from ("" for the user's)
}

// itemLabel is an item as an option: "#53 title", within Slack's 75
// characters.
func itemLabel(n int, title string) string {
	return truncate("#"+strconv.Itoa(n)+" "+title, 75)
}

// statusLine says how an item stands for the agency.
func statusLine(u *duban.Update) string {
	if u == nil {
		return "未报送"
	}
	s := u.Status.String()
	if u.Percent != duban.NoPercent {
		s += " " + strconv.Itoa(u.Percent) + "%"
	}
	return s + "（" + u.Time.In(duban.ChinaTime()).Format("2006-01-02") + "）"
}

// homeSupervision is an item's light, review and deadline on the Home tab:
// " · 黄灯：本轮未报送 · 截止 2021-12-31".
func homeSupervision(it bot.WorkItem) string {
	if it.Light == duban.LightNone {
		return ""
	}
	s := " · " + Escape(it.Light.String()+"："+it.Reason)
	if it.Deadline.Source != duban.DeadlineNone {
		s += " · 截止 " + Escape(it.Deadline.Date.In(duban.ChinaTime()).Format("2006-01-02"))
	}
	return s
}

// reportModal builds the report form for a workbench, with item chosen
// when it is one of the agency's items.
func reportModal(wb bot.Workbench, item int, meta formMeta) slack.ModalViewRequest {
	mb, _ := json.Marshal(meta)
	v := slack.ModalViewRequest{
		Type:            slack.VTModal,
		Title:           plain("报告进展"),
		Close:           plain("取消"),
		CallbackID:      CallbackReport,
		PrivateMetadata: string(mb),
	}
	if wb.Agency == "" || len(wb.Items) == 0 {
		v.Blocks = slack.Blocks{BlockSet: []slack.Block{slack.NewSectionBlock(mrkdwn(Escape(wb.Notice)), nil, nil)}}
		return v
	}
	v.Submit = plain("提交")
	var opts []*slack.OptionBlockObject
	var initial *slack.OptionBlockObject
	for _, it := range wb.Items {
		o := slack.NewOptionBlockObject(strconv.Itoa(it.Number), plain(itemLabel(it.Number, it.Title)), nil)
		opts = append(opts, o)
		if it.Number == item {
			initial = o
		}
	}
	itemSel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("选择工作要点"), actionInput, opts...)
	itemSel.InitialOption = initial
	// The form opened on an item starts from the agency's latest report
	// on it: its status and percent, which the user only changes.
	var prev *duban.Update
	for _, it := range wb.Items {
		if it.Number == item {
			prev = it.Latest
		}
	}
	var stOpts []*slack.OptionBlockObject
	var stInitial *slack.OptionBlockObject
	for _, st := range duban.Statuses {
		o := slack.NewOptionBlockObject(strconv.Itoa(int(st)), plain(st.String()), nil)
		stOpts = append(stOpts, o)
		if prev != nil && prev.Status == st {
			stInitial = o
		}
	}
	stSel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("选择状态"), actionInput, stOpts...)
	stSel.InitialOption = stInitial
	pct := slack.NewNumberInputBlockElement(plain("0–100"), actionInput, false)
	pct.MinValue, pct.MaxValue = "0", "100"
	if prev != nil && prev.Percent != duban.NoPercent {
		pct.InitialValue = strconv.Itoa(prev.Percent)
	}
	txt := slack.NewPlainTextInputBlockElement(plain("本阶段做了什么、取得了哪些数字"), actionInput)
	txt.Multiline = true
	txt.MaxLength = 2000
	pctBlock := slack.NewInputBlock(BlockPercent, plain("完成比例（%）"), nil, pct)
	pctBlock.Optional = true
	head := "报送单位：" + bold(Escape(wb.Agency))
	if prev != nil {
		head += "　上次报送：" + Escape(statusLine(prev)) + "（已预填状态和完成比例）"
	}
	v.Blocks = slack.Blocks{BlockSet: []slack.Block{
		slack.NewContextBlock("", mrkdwn(head)),
		slack.NewInputBlock(BlockItem, plain("工作要点"), nil, itemSel),
		slack.NewInputBlock(BlockStatus, plain("状态"), nil, stSel),
		pctBlock,
		slack.NewInputBlock(BlockText, plain("进展内容"), nil, txt),
	}}
	return v
}

// doneModal replaces the form after a successful submission.
func doneModal(r bot.Reply) *slack.ModalViewRequest {
	rd := Render(r, false)
	blocks := rd.Blocks
	if len(blocks) > 90 {
		blocks = blocks[:90]
	}
	return &slack.ModalViewRequest{
		Type:   slack.VTModal,
		Title:  plain("报告进展"),
		Close:  plain("完成"),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

// homeView is the App Home tab: the user's agency and its items with the
// latest status of each and a button to report.
func homeView(wb bot.Workbench, plan *duban.Plan) slack.HomeTabViewRequest {
	if wb.Plan != nil {
		plan = wb.Plan
	}
	blocks := []slack.Block{slack.NewHeaderBlock(plain(truncate("督办 · "+plan.Meta.Title, maxHeaderRunes)))}
	if wb.Agency != "" {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn("您的单位："+bold(Escape(wb.Agency))+
			"，负责 "+strconv.Itoa(len(wb.Items))+" 条工作。"), nil, nil))
	}
	if wb.Notice != "" {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn(Escape(wb.Notice)), nil, nil))
	}
	if !plan.Meta.Deadline.IsZero() {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn("反馈截止："+Escape(plan.Meta.Deadline.In(duban.ChinaTime()).Format("2006-01-02")))))
	}
	if len(wb.Items) > 0 {
		blocks = append(blocks, slack.NewDividerBlock())
	}
	for _, it := range wb.Items {
		if len(blocks) >= 98 { // a Home tab holds 100 blocks
			blocks = append(blocks, slack.NewContextBlock("", mrkdwn("更多工作请在聊天中发送「汇总 "+Escape(wb.Agency)+"」。")))
			break
		}
		text := it.Light.Emoji() + " " + bold("#"+strconv.Itoa(it.Number)) + " " + Escape(truncate(it.Title, 200)) +
			"\n" + Escape(it.Role.String()) + " · " + Escape(statusLine(it.Latest)) + homeSupervision(it)
		sec := slack.NewSectionBlock(mrkdwn(text), nil, reportButton(plan.ID, it.Number))
		blocks = append(blocks, sec)
	}
	blocks = append(blocks, slack.NewContextBlock("", mrkdwn("在频道中 @duban 或私信提问，例如「省林业局牵头哪些工作」「第39条是什么」「汇总」。")))
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}

// publishHome shows the user's App Home.
func (a *Adapter) publishHome(ctx context.Context, userID string) error {
	wb, err := a.engine.Workbench(ctx, userID)
	if err != nil {
		wb.Notice = a.userMessage("App Home", err)
	}
	v := homeView(wb, a.engine.Plan())
	return a.retry(ctx, func() error {
		_, err := a.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: userID, View: v})
		return err
	})
}

// openReportModal opens the report form for the user.
func (a *Adapter) openReportModal(ctx context.Context, triggerID, userID string, item int, meta formMeta) error {
	wb, err := a.engine.WorkbenchOn(ctx, userID, meta.Plan)
	if err != nil {
		wb.Notice = a.userMessage("report form", err)
	}
	v := reportModal(wb, item, meta)
	return a.retry(ctx, func() error {
		_, err := a.api.OpenViewContext(ctx, triggerID, v)
		return err
	})
}

// interactionResult is how an interaction is acknowledged: empty, or with
// a view_submission response (errors inline, or the confirmation).
type interactionResult struct {
	view *slack.ViewSubmissionResponse
}

// dispatchInteraction handles a button press or a form submission. A
// submission is validated and stored before the ack (the ack carries its
// errors or confirmation); a button opens the form after the ack.
func (a *Adapter) dispatchInteraction(ctx context.Context, cb slack.InteractionCallback) interactionResult {
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		for _, act := range cb.ActionCallback.BlockActions {
			if act.ActionID == ActionPass || act.ActionID == ActionReturn {
				a.reviewAction(cb, act)
				continue
			}
			if act.ActionID == ActionConfirm || act.ActionID == ActionCancel {
				a.answerConfirm(cb, act.Value, act.ActionID == ActionConfirm)
				continue
			}
			if act.ActionID != ActionReport {
				continue
			}
			plan, item := reportTarget(act.Value)
			meta := formMeta{Channel: cb.Channel.ID, Thread: cb.Message.ThreadTimestamp}
			if meta.Thread == "" {
				meta.Thread = cb.Message.Timestamp
			}
			if cb.Container.IsEphemeral {
				// Only the user saw the answer with the button: the
				// report is confirmed to them alone.
				meta = formMeta{Channel: cb.Channel.ID, Thread: cb.Container.ThreadTs, Private: true}
				if meta.Channel == "" {
					meta.Channel = cb.Container.ChannelID
				}
			}
			if cb.View.Type == slack.VTHomeTab {
				meta = formMeta{}
			}
			meta.Plan = plan
			user, trigger := cb.User.ID, cb.TriggerID
			a.goHandle("report form for "+user, func(ctx context.Context) {
				if err := a.openReportModal(ctx, trigger, user, item, meta); err != nil {
					a.log.Error("slack: views.open", "err", err)
				}
			})
		}
		return interactionResult{}
	case slack.InteractionTypeViewSubmission:
		if cb.View.CallbackID == CallbackReturn {
			return interactionResult{view: a.submitReturn(ctx, cb)}
		}
		if cb.View.CallbackID != CallbackReport {
			return interactionResult{}
		}
		return interactionResult{view: a.submitReport(ctx, cb)}
	}
	return interactionResult{}
}

// submitReport reads the report form and submits it through the engine.
func (a *Adapter) submitReport(ctx context.Context, cb slack.InteractionCallback) *slack.ViewSubmissionResponse {
	in := bot.ReportInput{Percent: duban.NoPercent}
	errs := map[string]string{}
	if cb.View.State != nil {
		vals := cb.View.State.Values
		if v, ok := vals[BlockItem][actionInput]; ok {
			in.Item, _ = strconv.Atoi(v.SelectedOption.Value)
		}
		if v, ok := vals[BlockStatus][actionInput]; ok {
			n, _ := strconv.Atoi(v.SelectedOption.Value)
			in.Status = duban.Status(n)
			if in.Status < duban.StatusNone || in.Status > duban.StatusDelayed {
				in.Status = duban.StatusNone
			}
		}
		if v, ok := vals[BlockPercent][actionInput]; ok && strings.TrimSpace(v.Value) != "" {
			p, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(v.Value, "%")))
			if err != nil {
				errs[BlockPercent] = "完成比例应为0到100之间的整数 (percent)。"
			} else {
				in.Percent = p
			}
		}
		if v, ok := vals[BlockText][actionInput]; ok {
			in.Text = v.Value
		}
	}
	if len(errs) > 0 {
		return slack.NewErrorsViewSubmissionResponse(errs)
	}
	// The form waits for this answer (Slack gives up after 3 seconds): a
	// display name that users.info is slow to give (rate limits) is not
	// waited for; the report then names the author by id.
	nctx, cancel := context.WithTimeout(ctx, a.cfg.AckBudget/2)
	name := a.names.Name(nctx, a, cb.User.ID)
	cancel()
	req := bot.Request{
		UserID:   cb.User.ID,
		UserName: name,
		Channel:  "modal",
		SourceID: "view:" + cb.View.ID,
	}
	var meta formMeta
	_ = json.Unmarshal([]byte(cb.View.PrivateMetadata), &meta)
	if meta.Channel != "" {
		req.Channel = meta.Channel
	}
	in.Plan = meta.Plan
	reply, ferrs := a.engine.SubmitReport(ctx, req, in)
	if len(ferrs) > 0 {
		for f, msg := range ferrs {
			if b, ok := formFields[f]; ok {
				errs[b] = msg
			} else {
				errs[BlockText] = msg
			}
		}
		return slack.NewErrorsViewSubmissionResponse(errs)
	}
	user, viewID := cb.User.ID, cb.View.ID
	a.goHandle("report confirmation view:"+viewID, func(ctx context.Context) {
		// The same form submitted again (a second click, a redelivery)
		// stored nothing new: the thread hears of the report once.
		first := true
		if meta.Channel != "" {
			var err error
			if first, err = a.events.MarkEvent(ctx, "announce:view:"+viewID); err != nil {
				a.log.Warn("slack: event log", "view", viewID, "err", err)
			}
		}
		switch {
		case meta.Channel == "" || !first:
		case meta.Private:
			// The form came from a message only the user saw: confirm
			// where it came from, to them alone.
			if err := a.postEphemeral(ctx, where{channel: meta.Channel, threadTS: meta.Thread}, user, reply); err != nil {
				a.log.Warn("slack: confirming report privately", "err", err)
			}
		default:
			// Tell the thread the form came from, where others see it too.
			r := reply
			r.Title = fmt.Sprintf("%s 通过表单报送了进展", a.names.Name(ctx, a, user))
			if err := a.post(ctx, where{channel: meta.Channel, threadTS: meta.Thread}, r); err != nil {
				a.log.Warn("slack: confirming report in channel", "err", err)
			}
		}
		if first && len(reply.Notices) > 0 { // a completion sent for review, a 滞后 notice
			if _, err := a.sendMessages(ctx, reply.Notices); err != nil {
				a.log.Warn("slack: office notices", "err", err)
			}
		}
		if err := a.publishHome(ctx, user); err != nil {
			a.log.Warn("slack: refreshing home", "err", err)
		}
	})
	return slack.NewUpdateViewSubmissionResponse(doneModal(reply))
}

// answerConfirm answers a press of a confirmation button (after the ack):
// the engine does or drops what it asked to confirm, and the answer goes
// where the question was, in its thread (or through response_url for a
// question only the user saw).
func (a *Adapter) answerConfirm(cb slack.InteractionCallback, id string, yes bool) {
	user := cb.User.ID
	to := where{channel: cb.Channel.ID, threadTS: cb.Message.ThreadTimestamp}
	ephemeral := cb.Container.IsEphemeral || to.channel == ""
	responseURL := cb.ResponseURL
	a.goHandle("confirmation button "+id, func(ctx context.Context) {
		req := bot.Request{UserID: user, UserName: a.names.Name(ctx, a, user), Channel: to.channel, SourceID: "button:" + id, Time: time.Now()}
		r := a.engine.Confirm(ctx, req, id, yes)
		var err error
		if ephemeral && responseURL != "" {
			err = a.respond(ctx, responseURL, r)
		} else {
			err = a.deliver(ctx, to, r)
		}
		if err != nil {
			a.log.Error("slack: answering a confirmation", "err", err)
		}
	})
}
