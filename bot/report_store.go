package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"duban"
	"duban/bot/understand"
)

// This file stores progress reports as package understand reads them
// (understand.ReadReport: item first or verb first, numerals, percents,
// several items, one line per item …) and answers every message that looks
// like a report: stored and confirmed with its record numbers, or not
// stored with what is missing and how to write it, or, when the bot is not
// sure it was a report, a question with the report shown that 是 (or a
// Slack button) confirms. Nothing that looks like a report is dropped
// without a word.

// Text limits of a report, in characters (runes); see duban.CheckReport.
const (
	MinReportText = duban.MinReportText
	MaxReportText = duban.MaxReportText
)

// reporter is who a report is stored for: the agency and whether the
// author is an admin.
type reporter struct {
	agency string
	admin  bool
	bound  bool
}

// reporterFor decides the agency a report is for: the one in brackets
// (admins, or a user naming their own agency), else the user's bound
// agency. It returns a reply instead when there is none the user may use.
func (e *Engine) reporterFor(ctx context.Context, req Request, tag string, items []int) (reporter, *Reply) {
	admin, err := e.isAdmin(ctx, req.UserID)
	if err != nil {
		r := errorReply(err)
		return reporter{}, &r
	}
	b, bound, err := e.binding(ctx, req.UserID)
	if err != nil {
		r := errorReply(err)
		return reporter{}, &r
	}
	var first *duban.Item
	if len(items) == 1 {
		first = e.plan.Item(items[0])
	}
	example := 34
	if len(items) > 0 {
		example = items[0]
	}
	switch {
	case tag != "":
		agency, err := e.resolveAgencyFor(tag, first)
		if err != nil {
			r := Reply{Intent: IntentError, Title: duban.UserMessage(err),
				Errors: []duban.FieldError{{Field: duban.FieldAgency, Code: duban.ErrorCode(err), Message: duban.UserMessage(err)}}}
			return reporter{}, &r
		}
		if !admin && (!bound || b.Agency != agency) {
			msg := "只有办公室（管理员）可以代其他单位报送进展 (forbidden)。"
			if bound {
				msg += fmt.Sprintf("您绑定的单位是%s，报送本单位进展时不必写单位名称。", b.Agency)
			}
			r := Reply{Intent: IntentError, Title: msg, Errors: []duban.FieldError{{Field: duban.FieldAgency, Code: duban.CodeForbidden, Message: msg}}}
			return reporter{}, &r
		}
		return reporter{agency: agency, admin: admin, bound: bound}, nil
	case bound:
		return reporter{agency: b.Agency, admin: admin, bound: true}, nil
	case admin:
		resp := "省林业局"
		if it := e.plan.Item(example); it != nil && len(it.Responsible()) > 0 {
			resp = it.Responsible()[0]
		}
		msg := fmt.Sprintf("您是管理员，但没有绑定单位。请在条目后用方括号写明代哪个单位报送，例如：进展 #%d [%s] 进行中 ……", example, resp)
		r := Reply{Intent: IntentError, Title: msg, Errors: []duban.FieldError{{Field: duban.FieldAgency, Code: duban.CodeMissing, Message: msg}}}
		if it := e.plan.Item(example); it != nil {
			r.Note = fmt.Sprintf("第%d条的负责单位：%s", it.Number, duban.ResponsibleText(it))
		}
		return reporter{}, &r
	}
	msg := "您还没有绑定单位，暂时不能报送进展。请联系办公室（管理员）为您绑定单位，例如由管理员发送“绑定 <您的用户ID> 省林业局”。"
	r := Reply{Intent: IntentError, Title: msg, Note: "您的用户ID：" + req.UserID,
		Errors: []duban.FieldError{{Field: duban.FieldItem, Code: duban.CodeForbidden, Message: msg}}}
	return reporter{}, &r
}

// report checks a report read from a message and stores it, one record
// per item in one transaction, or says what is missing.
func (e *Engine) report(ctx context.Context, req Request, rep understand.Report) Reply {
	if rep.FormOnly {
		return Reply{Intent: IntentError,
			Title:  "请写明条目编号和进展内容，例如：进展 #53 进行中 已改造森林公园12个。",
			Note:   "条目编号可以写作 #53、第53条、第五十三条或53号；几条一起报送可写“进展 #3、#53 进行中 ……”或每行一条；查看某条的进展记录请发送“第53条进展”。",
			Errors: []duban.FieldError{{Field: duban.FieldItem, Code: duban.CodeMissing, Message: "请写明条目编号。"}}}
	}
	for _, en := range rep.Entries {
		if en.Item < 0 {
			r := e.badItemReply(en.Written)
			r.Errors = []duban.FieldError{{Field: duban.FieldItem, Code: duban.CodeNotFound, Message: r.Title}}
			return r
		}
	}
	if e.store == nil {
		return noStore()
	}
	who, refused := e.reporterFor(ctx, req, rep.Agency, rep.Items())
	if refused != nil {
		return *refused
	}
	if rep.MissingItem() {
		// The item its words come from, among the agency's, to confirm
		// ("林业标准化那条已经搞完了" from 省林业局: item 3).
		if len(rep.Entries) == 1 && rep.Entries[0].Text != "" {
			if n := e.plan.ClosestItem(rep.Entries[0].Text, e.plan.ItemsFor(who.agency, duban.RoleLead, duban.RoleJoint)); n > 0 {
				guessed := rep
				guessed.Entries = []understand.Entry{rep.Entries[0]}
				guessed.Entries[0].Item = n
				if r, ok := e.askReport(ctx, req, guessed); ok {
					r.Title = fmt.Sprintf("没有写条目编号；按内容看，这是第%d条的进展报送吗？回复“是”记录，回复“否”取消。", n)
					return r
				}
			}
		}
		return e.missingItemReply(who, rep)
	}
	drafts := make([]duban.Draft, len(rep.Entries))
	for i, en := range rep.Entries {
		drafts[i] = duban.Draft{Item: en.Item, Agency: who.agency, Status: en.Status, Percent: en.Percent, Text: en.Text}
	}
	return e.storeDrafts(ctx, req, who, drafts, sourceID(req))
}

// missingItemReply asks for the item of a report that names none, with
// the items the user's agency carries.
func (e *Engine) missingItemReply(who reporter, rep understand.Report) Reply {
	mine := e.plan.ItemsFor(who.agency, duban.RoleLead, duban.RoleJoint)
	example := 3
	if len(mine) > 0 {
		example = mine[0]
	}
	body := "进行中 ……"
	if len(rep.Entries) == 1 && rep.Entries[0].Text != "" {
		en := rep.Entries[0]
		st := en.Status.String()
		if en.Status == duban.StatusNone {
			st = "进行中"
		}
		body = st + " " + officeTruncate(officeOneLine(en.Text), 30)
	}
	msg := fmt.Sprintf("请写明条目编号，例如：进展 #%d %s", example, body)
	r := Reply{Intent: IntentError, Title: msg + "（这条消息没有记录）",
		Errors: []duban.FieldError{{Field: duban.FieldItem, Code: duban.CodeMissing, Message: msg}}}
	if len(mine) > 0 {
		var refs []string
		for _, n := range mine {
			refs = append(refs, fmt.Sprintf("#%d", n))
		}
		r.Sections = []Section{{Fields: []Field{{who.agency + "负责的条目", strings.Join(refs, "、")}}}}
		r.Items = mine
		r.Agencies = []string{who.agency}
	}
	r.Note = "条目编号可以写作 #53、第53条、第五十三条或53号；几条一起报送可写“进展 #3、#53 进行中 ……”。"
	return r
}

// fieldErrorsReply is the reply for a report that was not stored: each
// problem, and nothing stored. With several items each message names its
// item.
func fieldErrorsReply(errs []duban.FieldError, items []int) Reply {
	r := Reply{Intent: IntentError, Errors: errs}
	if len(errs) == 1 {
		r.Title = errs[0].Message
		return r
	}
	r.Title = fmt.Sprintf("这条消息有%d处需要修改，没有记录；请修改后重新发送。", len(errs))
	var lines []string
	for _, fe := range errs {
		lines = append(lines, "· "+fe.Message)
	}
	r.Sections = []Section{{Text: strings.Join(lines, "\n")}}
	r.Items = items
	return r
}

// storeDrafts checks drafts (one per item) and stores them all in one
// transaction under sourceID, or none; the reply confirms each record
// after the commit, with the warnings worth checking.
func (e *Engine) storeDrafts(ctx context.Context, req Request, who reporter, drafts []duban.Draft, src string) Reply {
	var (
		errs  []duban.FieldError
		items []int
	)
	// Control characters go before anything is checked or stored
	// (hardening 6).
	drafts = slices.Clone(drafts)
	for i := range drafts {
		drafts[i].Text = strings.TrimSpace(duban.CleanText(drafts[i].Text))
	}
	for _, d := range drafts {
		items = append(items, d.Item)
		for _, fe := range e.plan.CheckReport(d) {
			if len(drafts) > 1 && fe.Field != duban.FieldItem {
				fe.Message = fmt.Sprintf("第%d条：%s", d.Item, fe.Message)
			}
			if !slices.Contains(errs, fe) {
				errs = append(errs, fe)
			}
		}
	}
	if len(errs) > 0 {
		return fieldErrorsReply(errs, items)
	}
	latest, err := e.store.Latest(ctx, e.plan.ID)
	if err != nil {
		return errorReply(err)
	}
	updates := make([]duban.Update, len(drafts))
	carried := make([]bool, len(drafts))
	var warnings []duban.FieldError
	for i, d := range drafts {
		prev := latestFor(latest, d.Item, d.Agency)
		if d.Status == duban.StatusNone {
			switch {
			case d.Percent == 100:
				d.Status = duban.StatusDone
			case prev != nil:
				d.Status, carried[i] = prev.Status, true
			default:
				d.Status = duban.StatusInProgress
			}
		}
		for _, w := range d.Warnings(prev) {
			if len(drafts) > 1 {
				w.Message = fmt.Sprintf("第%d条：%s", d.Item, w.Message)
			}
			warnings = append(warnings, w)
		}
		updates[i] = duban.Update{
			Plan: e.plan.ID, Item: d.Item, Agency: d.Agency, AuthorID: req.UserID, AuthorName: orDefault(req.UserName, req.UserID),
			Status: d.Status, Percent: d.Percent, Text: d.Text, Time: req.Time,
			Channel: req.Channel, SourceID: src,
		}
		if len(drafts) > 1 {
			updates[i].SourceID = fmt.Sprintf("%s#%d", src, i+1)
		}
	}
	stored, dup, err := e.store.AddUpdates(ctx, updates)
	if err != nil {
		e.log.Error("store report", "err", err, "items", items, "agency", who.agency, "user", req.UserID)
		return errorReply(err)
	}
	r := e.storedReply(stored, dup, carried)
	if len(warnings) > 0 && !dup {
		r.Warnings = warnings
		var lines []string
		for _, w := range warnings {
			lines = append(lines, w.Message)
		}
		r.Sections = append(r.Sections, Section{Heading: "请核对", Text: strings.Join(lines, "\n")})
	}
	if !dup {
		r.Notices = e.delayNotices(ctx, stored)
	}
	return r
}

// latestFor returns the latest report of (item, agency) among latest.
func latestFor(latest []duban.Update, item int, agency string) *duban.Update {
	for i := range latest {
		if latest[i].Item == item && latest[i].Agency == agency {
			return &latest[i]
		}
	}
	return nil
}

// storedReply confirms stored reports, each with its record number.
func (e *Engine) storedReply(stored []duban.Update, dup bool, carried []bool) Reply {
	r := Reply{Intent: IntentUpdate, Items: []int{}, Agencies: []string{}}
	var seqs []string
	for i, u := range stored {
		r.Records = append(r.Records, u.Seq)
		seqs = append(seqs, fmt.Sprint(u.Seq))
		if !slices.Contains(r.Items, u.Item) {
			r.Items = append(r.Items, u.Item)
		}
		if !slices.Contains(r.Agencies, u.Agency) {
			r.Agencies = append(r.Agencies, u.Agency)
		}
		role := ""
		if it := e.plan.Item(u.Item); it != nil {
			role = "（" + it.RoleOf(u.Agency).String() + "）"
		}
		fields := []Field{
			{"单位", u.Agency + role},
			{"状态", u.Status.String()},
		}
		if i < len(carried) && carried[i] && !dup {
			fields[1].Value += "（沿用上次报送的状态）"
		}
		if u.Percent != duban.NoPercent {
			fields = append(fields, Field{"完成比例", fmt.Sprintf("%d%%", u.Percent)})
		}
		fields = append(fields,
			Field{"报送人", authorText(u)},
			Field{"时间", showTime(u.Time)},
			Field{"记录编号", fmt.Sprint(u.Seq)})
		text := u.Text
		if text == "" {
			text = "（未写进展内容）"
		}
		r.Sections = append(r.Sections, Section{Heading: e.itemLine(u.Item), Fields: fields, Text: text, Item: u.Item})
	}
	u := stored[0]
	if len(stored) == 1 {
		r.Title = fmt.Sprintf("已记录第%d条进展：%s，%s（记录编号%d）", u.Item, u.Agency, statusText(u), u.Seq)
		r.Note = fmt.Sprintf("发送“第%d条进展”查看记录；如有错误，发送“撤回”撤回这条，或“更正 记录%d ……”更正。", u.Item, u.Seq)
	} else {
		r.Title = fmt.Sprintf("已记录%d条进展：%s（记录编号%s）", len(stored), u.Agency, strings.Join(seqs, "、"))
		r.Note = fmt.Sprintf("如有错误，发送“撤回 记录%d”撤回其中一条，或“更正 记录%d ……”更正。", u.Seq, u.Seq)
	}
	if dup {
		r.Title = "这条消息已经记录过，没有重复记录。" + r.Title
	}
	return r
}

// delayNotices are the notices a report of 滞后 sends to the office when
// the engine is configured to (Config.NotifyDelayed): a post in the
// office's channel, or a direct message to each admin.
func (e *Engine) delayNotices(ctx context.Context, stored []duban.Update) []Message {
	to := strings.TrimSpace(e.cfg.NotifyDelayed)
	if to == "" {
		return nil
	}
	var lines []string
	for _, u := range stored {
		if u.Status != duban.StatusDelayed {
			continue
		}
		line := fmt.Sprintf("【滞后】%s报告第%d条（%s）滞后", u.Agency, u.Item, officeItemTitle(e.plan, u.Item))
		if t := officeOneLine(u.Text); t != "" {
			line += "：" + officeTruncate(t, 60)
		}
		lines = append(lines, line+fmt.Sprintf("（记录编号%d，%s）", u.Seq, authorText(u)))
	}
	if len(lines) == 0 {
		return nil
	}
	text := strings.Join(lines, "\n")
	if to != NotifyAdmins {
		return []Message{{Channel: to, Text: text}}
	}
	var out []Message
	for _, id := range e.adminIDs(ctx) {
		out = append(out, Message{UserID: id, Text: text})
	}
	return out
}

// NotifyAdmins is the value of Config.NotifyDelayed that sends 滞后
// notices to every admin by direct message.
const NotifyAdmins = "admins"

// adminIDs lists the admins who can receive messages: DUBAN_ADMINS and
// those made in the store, not the local operator.
func (e *Engine) adminIDs(ctx context.Context) []string {
	var out []string
	for id := range e.admins {
		if id != LocalOperator {
			out = append(out, id)
		}
	}
	if e.store != nil {
		more, err := e.store.Admins(ctx)
		if err != nil {
			e.log.Warn("list admins", "err", err)
		}
		for _, id := range more {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return out
}

// WantsReportForm reports whether the text asks to report without saying
// on what: a report word alone ("进展", "update"), as the report grammar
// reads it. Adapters with forms open one instead of answering.
func WantsReportForm(text string) bool {
	return understand.ReadReport(strings.TrimSpace(text), &duban.Plan{}).FormOnly
}

// textStart is the start of a report's text, for a reply that names it.
func textStart(s string) string {
	s = officeOneLine(s)
	if s == "" {
		return "（未写进展内容）"
	}
	if utf8.RuneCountInString(s) > 20 {
		return "“" + officeTruncate(s, 20) + "”"
	}
	return "“" + s + "”"
}
