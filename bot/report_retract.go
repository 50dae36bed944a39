package bot

import (
	"context"
	"fmt"
	"strings"

	"duban"
	"duban/bot/understand"
)

// This file answers 撤回 and 更正. Reports are never deleted or rewritten:
// a retraction marks a record (it stays in the history as 已撤回), a
// correction is a new record that supersedes the one it corrects (which
// stays in the history as 已更正).
//
//	撤回               the user's latest live report; when the user has just
//	                   retracted one, going further back is asked first
//	撤回 #53           the user's latest live report on item 53
//	撤回 记录12         record 12: the user's own, or any for admins
//	更正 记录12 …       a correction of record 12 (the latest of its pair)
//	更正 #53 …          a correction of the user's latest report on item 53

// ownRecords is how many of a user's own reports 撤回 looks through.
const ownRecords = 500

// retract answers a retraction.
func (e *Engine) retract(ctx context.Context, req Request, r understand.Retraction) Reply {
	if e.store == nil {
		return noStore()
	}
	switch r.Kind {
	case understand.RetractRecord:
		return e.retractRecord(ctx, req, r.Record)
	case understand.RetractItem:
		if e.plan.Item(r.Item) == nil {
			return e.badItemReply(r.Item)
		}
	}
	mine, err := e.store.ByAuthor(ctx, req.UserID, ownRecords)
	if err != nil {
		return errorReply(err)
	}
	var (
		target     *duban.Update
		backedOver *duban.Update // a report newer than target the user already retracted
	)
	for i := range mine {
		u := &mine[i]
		if r.Kind == understand.RetractItem && (u.Item != r.Item || u.Plan != e.plan.ID) {
			continue
		}
		if u.Retracted {
			if backedOver == nil {
				backedOver = u
			}
			continue
		}
		if u.CorrectedBy != 0 {
			continue
		}
		target = u
		break
	}
	if target == nil {
		if r.Kind == understand.RetractItem {
			return e.nothingToRetractOn(ctx, req, r.Item)
		}
		return Reply{Intent: IntentError, Title: "您没有可以撤回的进展记录。"}
	}
	if r.Kind == understand.RetractLatest && backedOver != nil {
		// A second 撤回 right after the first: going further back is
		// asked first.
		c, err := e.ask(ctx, req, pendingRetract, pendingRetractData{Seq: target.Seq}, "撤回这条", "不撤回")
		if err != nil {
			return errorReply(err)
		}
		return Reply{
			Intent:  IntentConfirm,
			Confirm: c,
			Title: fmt.Sprintf("您最近的记录%d已撤回。再撤回将撤回更早的记录%d（第%d条，%s，%s报送）：%s。确定撤回吗？回复“是”撤回，回复“否”取消。",
				backedOver.Seq, target.Seq, target.Item, target.Agency, showTime(target.Time), textStart(target.Text)),
			Items:    []int{target.Item},
			Agencies: []string{target.Agency},
			Note:     fmt.Sprintf("也可以直接写明要撤回哪一条，例如“撤回 记录%d”或“撤回 #%d”。", target.Seq, target.Item),
		}
	}
	return e.retractSeq(ctx, req, target.Seq, sourceID(req))
}

// nothingToRetractOn says that the user has no live report on the item,
// and who has.
func (e *Engine) nothingToRetractOn(ctx context.Context, req Request, item int) Reply {
	r := Reply{Intent: IntentError, Title: fmt.Sprintf("第%d条没有您报送的、可以撤回的进展记录。", item), Items: []int{item}}
	latest, err := e.store.Latest(ctx, e.plan.ID)
	if err != nil {
		return errorReply(err)
	}
	var fields []Field
	for _, u := range latest {
		if u.Item == item {
			fields = append(fields, Field{u.Agency, fmt.Sprintf("记录%d，%s，%s报送", u.Seq, statusText(u), authorText(u))})
		}
	}
	if len(fields) > 0 {
		r.Sections = []Section{{Heading: fmt.Sprintf("第%d条当前的记录", item), Fields: fields}}
		r.Note = "只有报送人或办公室（管理员）可以撤回一条记录，例如“撤回 记录12”。"
	}
	return r
}

// retractRecord retracts record seq: the user's own, or any for admins.
func (e *Engine) retractRecord(ctx context.Context, req Request, seq uint64) Reply {
	u, found, err := e.store.Record(ctx, seq)
	if err != nil {
		return errorReply(err)
	}
	if !found {
		return Reply{Intent: IntentError, Title: fmt.Sprintf("没有记录%d (no such record)。记录编号见报送时的确认，或发送“第N条进展”查看。", seq)}
	}
	if u.AuthorID != req.UserID {
		admin, err := e.isAdmin(ctx, req.UserID)
		if err != nil {
			return errorReply(err)
		}
		if !admin {
			return Reply{Intent: IntentError, Title: fmt.Sprintf("记录%d不是您报送的（报送人：%s），只有报送人或办公室（管理员）可以撤回 (forbidden)。", seq, authorText(u))}
		}
	}
	switch {
	case u.Retracted:
		return Reply{Intent: IntentError, Title: fmt.Sprintf("记录%d已于%s撤回，无需再撤回。", seq, showTime(u.RetractedAt))}
	case u.CorrectedBy != 0:
		return Reply{Intent: IntentError, Title: fmt.Sprintf("记录%d已由记录%d更正；如需撤回，请撤回记录%d。", seq, u.CorrectedBy, u.CorrectedBy)}
	}
	return e.retractSeq(ctx, req, seq, sourceID(req))
}

// retractSeq retracts record seq and says which it was and how the pair
// stands now.
func (e *Engine) retractSeq(ctx context.Context, req Request, seq uint64, src string) Reply {
	u, err := e.store.RetractRecord(ctx, seq, req.UserID, src, req.Time)
	if err != nil {
		if duban.ErrorCode(err) == duban.CodeInternal {
			e.log.Error("retract", "err", err, "user", req.UserID, "record", seq)
		}
		return errorReply(err)
	}
	e = e.onPlan(u.Plan) // the record's plan, which may not be the asker's
	now := fmt.Sprintf("第%d条%s当前没有有效的进展记录（未报送）。", u.Item, u.Agency)
	if prev, ok, err := e.latestOf(ctx, u.Item, u.Agency); err != nil {
		return errorReply(err)
	} else if ok {
		now = fmt.Sprintf("第%d条%s当前状态：%s（记录%d，%s报送）。", u.Item, u.Agency, statusText(prev), prev.Seq, showTime(prev.Time))
	}
	fields := []Field{{"条目", e.itemLine(u.Item)}, {"单位", u.Agency}, {"状态", statusText(u)}, {"报送", authorText(u) + "，" + showTime(u.Time)}}
	return e.stamp(Reply{
		Intent: IntentUpdate,
		Title:  fmt.Sprintf("已撤回记录%d：第%d条，%s，%s", u.Seq, u.Item, u.Agency, textStart(u.Text)),
		Sections: []Section{
			{Fields: fields, Text: u.Text, Item: u.Item},
			{Text: now},
		},
		Items:    []int{u.Item},
		Agencies: []string{u.Agency},
		Note:     "撤回的记录仍保留在进展记录中，并标注“已撤回”。",
	})
}

// correct answers 更正: a new record that supersedes the one named.
func (e *Engine) correct(ctx context.Context, req Request, c understand.Correction) Reply {
	usage := Reply{Intent: IntentError,
		Title: "请写明更正哪条记录和更正后的内容，例如：更正 记录12 进行中 已改造森林公园15个。",
		Note:  "记录编号见报送时的确认，或发送“第N条进展”查看；也可以写“更正 #53 ……”更正您在第53条的最新记录。"}
	if c.Usage {
		return usage
	}
	if c.Item < 0 || c.Item > 0 && e.plan.Item(c.Item) == nil {
		return e.badItemReply(c.Item)
	}
	if e.store == nil {
		return noStore()
	}
	var old duban.Update
	if c.Item > 0 {
		mine, err := e.store.ByAuthor(ctx, req.UserID, ownRecords)
		if err != nil {
			return errorReply(err)
		}
		found := false
		for _, u := range mine {
			if u.Plan == e.plan.ID && u.Item == c.Item && !u.Retracted && u.CorrectedBy == 0 {
				old, found = u, true
				break
			}
		}
		if !found {
			return Reply{Intent: IntentError, Title: fmt.Sprintf("第%d条没有您报送的、可以更正的进展记录。请直接报送：进展 #%d 进行中 ……", c.Item, c.Item)}
		}
	} else {
		u, found, err := e.store.Record(ctx, c.Record)
		if err != nil {
			return errorReply(err)
		}
		if !found {
			return Reply{Intent: IntentError, Title: fmt.Sprintf("没有记录%d (no such record)。记录编号见报送时的确认，或发送“第N条进展”查看。", c.Record)}
		}
		old = u
	}
	if old.AuthorID != req.UserID {
		admin, err := e.isAdmin(ctx, req.UserID)
		if err != nil {
			return errorReply(err)
		}
		if !admin {
			return Reply{Intent: IntentError, Title: fmt.Sprintf("记录%d不是您报送的（报送人：%s），只有报送人或办公室（管理员）可以更正 (forbidden)。", old.Seq, authorText(old))}
		}
	}
	e = e.onPlan(old.Plan) // a correction stays on its record's plan
	d := duban.Draft{Item: old.Item, Agency: old.Agency, Status: c.Entry.Status, Percent: c.Entry.Percent, Text: c.Entry.Text}
	if d.Status == duban.StatusNone {
		d.Status = old.Status
		if c.Entry.Percent == 100 {
			d.Status = duban.StatusDone
		}
	}
	if d.Percent == duban.NoPercent && c.Entry.Status == duban.StatusNone {
		d.Percent = old.Percent
	}
	if d.Text == "" && c.Entry.Status == duban.StatusNone && c.Entry.Percent == duban.NoPercent {
		return usage
	}
	if d.Text == "" {
		d.Text = old.Text
	}
	d.Text = strings.TrimSpace(duban.CleanText(d.Text)) // hardening 6
	if errs := e.plan.CheckReport(d); len(errs) > 0 {
		return fieldErrorsReply(errs, []int{d.Item})
	}
	u := duban.Update{
		Plan: old.Plan, Item: d.Item, Agency: d.Agency, AuthorID: req.UserID, AuthorName: orDefault(req.UserName, req.UserID),
		Status: d.Status, Percent: d.Percent, Text: d.Text, Time: req.Time, Channel: req.Channel,
		SourceID: sourceID(req), Corrects: old.Seq,
	}
	stored, dup, err := e.store.Correct(ctx, u)
	if err != nil {
		if duban.ErrorCode(err) == duban.CodeInternal {
			e.log.Error("correct", "err", err, "user", req.UserID, "record", old.Seq)
		}
		return errorReply(err)
	}
	r := e.storedReply([]duban.Update{stored}, dup, nil)
	r.Title = fmt.Sprintf("已更正记录%d：第%d条，%s，%s（新的记录编号%d）", old.Seq, stored.Item, stored.Agency, statusText(stored), stored.Seq)
	if dup {
		r.Title = "这条消息已经记录过，没有重复记录。" + r.Title
	}
	r.Sections = append(r.Sections, Section{Heading: fmt.Sprintf("更正前（记录%d）", old.Seq), Fields: []Field{{"状态", statusText(old)}}, Text: old.Text})
	r.Note = fmt.Sprintf("记录%d仍保留在进展记录中，标注“已更正”。发送“第%d条进展”查看。", old.Seq, stored.Item)
	if w := d.Warnings(nil); len(w) > 0 && !dup {
		r.Warnings = w
		r.Sections = append(r.Sections, Section{Heading: "请核对", Text: w[0].Message})
	}
	return e.stamp(r)
}
