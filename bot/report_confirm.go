package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"duban"
	"duban/bot/understand"
)

// This file keeps what the bot asked a user to confirm: a message that was
// perhaps a report, a retraction that goes further back than the one just
// made. The question is stored (Store.PutPending), so it survives a
// restart; it lapses after Config.PendingTTL, and an answer after that
// says so and does nothing. 是 or 否 answers it in any chat; Slack also
// shows two buttons that call Engine.Confirm.

// DefaultPendingTTL is how long a question to confirm is kept.
const DefaultPendingTTL = 2 * time.Hour

// IntentConfirm is the intent of a reply that asks the user to confirm
// something before it is done (nothing is stored yet).
const IntentConfirm Intent = "confirm"

// Kinds of pending actions.
const (
	pendingReport  = "report"
	pendingRetract = "retract"
)

// pendingReportData is a report waiting for confirmation.
type pendingReportData struct {
	Plan   string        `json:"plan,omitempty"` // the plan it is on ("" before plans were kept)
	Drafts []duban.Draft `json:"drafts"`
}

// pendingRetractData is a retraction waiting for confirmation.
type pendingRetractData struct {
	Seq uint64 `json:"seq"`
}

func newPendingID() string {
	var b [8]byte
	rand.Read(b[:])
	return "p" + hex.EncodeToString(b[:])
}

// ask stores a pending action for the user and returns the Confirm that
// goes with the question.
func (e *Engine) ask(ctx context.Context, req Request, kind string, data any, yes, no string) (*Confirm, error) {
	b, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("encode pending action: %w", err)
	}
	p := duban.Pending{ID: newPendingID(), UserID: req.UserID, Kind: kind, Data: b, Time: e.now()}
	if err := e.store.PutPending(ctx, p); err != nil {
		return nil, err
	}
	return &Confirm{ID: p.ID, Yes: yes, No: no}, nil
}

// askReport answers a message that is perhaps a report: the report as
// read, and a question to confirm it. ok is false when the message cannot
// be the user's report (no store, an item that is not theirs, a user
// without agency): the question intents answer it then.
func (e *Engine) askReport(ctx context.Context, req Request, rep understand.Report) (Reply, bool) {
	if e.store == nil || rep.MissingItem() {
		return Reply{}, false
	}
	for _, en := range rep.Entries {
		if e.plan.Item(en.Item) == nil {
			return Reply{}, false
		}
	}
	who, refused := e.reporterFor(ctx, req, rep.Agency, rep.Items())
	if refused != nil {
		return Reply{}, false
	}
	var drafts []duban.Draft
	for _, en := range rep.Entries {
		d := duban.Draft{Item: en.Item, Agency: who.agency, Status: en.Status, Percent: en.Percent, Text: en.Text}
		if len(e.plan.CheckReport(d)) > 0 {
			return Reply{}, false
		}
		drafts = append(drafts, d)
	}
	c, err := e.ask(ctx, req, pendingReport, pendingReportData{Plan: e.plan.ID, Drafts: drafts}, "记录这条进展", "不是报送")
	if err != nil {
		return errorReply(err), true
	}
	r := Reply{Intent: IntentConfirm, Confirm: c, Items: rep.Items(), Agencies: []string{who.agency}}
	r.Title = fmt.Sprintf("这是%s的进展报送吗？回复“是”记录，回复“否”取消。", itemsText(rep.Items()))
	for _, d := range drafts {
		st := d.Status.String()
		if d.Status == duban.StatusNone {
			st = "未写明（沿用上次报送的状态，没有则记为进行中）"
		}
		fields := []Field{{"单位", d.Agency}, {"状态", st}}
		if d.Percent != duban.NoPercent {
			fields = append(fields, Field{"完成比例", fmt.Sprintf("%d%%", d.Percent)})
		}
		r.Sections = append(r.Sections, Section{Heading: e.itemLine(d.Item), Fields: fields, Text: d.Text})
	}
	r.Note = fmt.Sprintf("确认前不会记录；%d分钟内有效。如果您是在提问，请换个问法，例如“第%d条是什么”。以后报送可以直接写：进展 #%d 进行中 ……",
		int(e.cfg.PendingTTL/time.Minute), drafts[0].Item, drafts[0].Item)
	return r, true
}

// itemsText names items: 第53条, 第3、53条.
func itemsText(items []int) string {
	s := ""
	for i, n := range items {
		if i > 0 {
			s += "、"
		}
		s += fmt.Sprint(n)
	}
	return "第" + s + "条"
}

// Confirm answers the user's yes or no to a question the bot asked (a
// Slack button carries its id). It does what was asked to be confirmed, or
// says why it cannot: no such question, another question since, lapsed.
func (e *Engine) Confirm(ctx context.Context, req Request, id string, yes bool) (reply Reply) {
	defer e.logInternal(&reply, req.UserID) // called by adapters, not through Handle
	if req.Time.IsZero() {
		req.Time = e.now()
	}
	r, ok := e.answerPending(ctx, req, yes, id)
	if !ok {
		return Reply{Intent: IntentError, Title: "没有等待您确认的内容（可能已经确认或取消过）。"}
	}
	return e.afterCommand(ctx, req, r)
}

// answerPending does, or drops, the action waiting for the user's
// confirmation. With id "" (a 是 typed in chat) it answers whatever waits;
// a button's id must match. ok is false when nothing waits, so that a 是
// with nothing to confirm is answered as any message.
func (e *Engine) answerPending(ctx context.Context, req Request, yes bool, id string) (Reply, bool) {
	if e.store == nil {
		return Reply{}, false
	}
	p, found, err := e.store.Pending(ctx, req.UserID)
	if err != nil {
		return errorReply(err), true
	}
	if !found {
		return Reply{}, false
	}
	if id != "" && p.ID != id {
		return Reply{Intent: IntentError, Title: "这个确认已失效：之后又有新的内容等待您确认，请按最新的一条回复。"}, true
	}
	if e.now().Sub(p.Time) > e.cfg.PendingTTL {
		if _, err := e.store.DropPending(ctx, req.UserID, p.ID); err != nil {
			return errorReply(err), true
		}
		return Reply{Intent: IntentError, Title: fmt.Sprintf("您之前待确认的内容已超过%d分钟，已作废，没有记录。请重新发送。", int(e.cfg.PendingTTL/time.Minute))}, true
	}
	if !yes {
		if _, err := e.store.DropPending(ctx, req.UserID, p.ID); err != nil {
			return errorReply(err), true
		}
		return Reply{Intent: IntentHelp, Title: "好的，已取消，没有记录。"}, true
	}
	src := "confirm:" + p.ID
	var r Reply
	switch p.Kind {
	case pendingReport:
		var d pendingReportData
		if err := json.Unmarshal(p.Data, &d); err != nil || len(d.Drafts) == 0 {
			e.log.Error("pending report", "err", err, "user", req.UserID)
			r = errorReply(duban.Errorf(duban.CodeInternal, "待确认的报送无法读取，请重新发送。"))
			break
		}
		pe := e.atUser(ctx, req.UserID, req.Channel)
		if d.Plan != "" {
			pe = e.onPlan(d.Plan) // the plan it was asked on, whatever the user is on now
		}
		who, refused := pe.reporterFor(ctx, req, d.Drafts[0].Agency, nil)
		if refused != nil {
			r = *refused
			break
		}
		r = pe.stamp(pe.storeDrafts(ctx, req, who, d.Drafts, src))
	case pendingRetract:
		var d pendingRetractData
		if err := json.Unmarshal(p.Data, &d); err != nil || d.Seq == 0 {
			r = errorReply(duban.Errorf(duban.CodeInternal, "待确认的撤回无法读取，请重新发送。"))
			break
		}
		r = e.retractSeq(ctx, req, d.Seq, src)
	case pendingPlan:
		r = e.confirmPlan(ctx, req, p, src)
	default:
		r = errorReply(duban.Errorf(duban.CodeInternal, "无法识别待确认的内容，请重新发送。"))
	}
	if _, err := e.store.DropPending(ctx, req.UserID, p.ID); err != nil {
		e.log.Warn("drop pending", "err", err, "user", req.UserID)
	}
	return r, true
}
