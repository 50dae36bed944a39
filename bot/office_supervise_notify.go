package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"duban"
)

// ScheduleUser is the user id scheduled work (--remind, --digest) acts as.
const ScheduleUser = "schedule"

// officeChannel is where the office's notices go: Supervision's channel,
// else the channel of Config.NotifyDelayed, else "" (the admins by DM).
func (e *Engine) officeChannel() string {
	if ch := e.cfg.Supervision.OfficeChannel; ch != "" {
		return ch
	}
	if ch := e.cfg.NotifyDelayed; ch != "" && ch != NotifyAdmins {
		return ch
	}
	return ""
}

// officeMessages addresses a notice to the office: a post in the office
// channel, else a direct message to each admin of Config.Admins. It
// returns nil when there is nobody to tell.
func (e *Engine) officeMessages(text string, review *ReviewAsk) []Message {
	if ch := e.officeChannel(); ch != "" {
		return []Message{{Channel: ch, Text: text, Review: review}}
	}
	var out []Message
	for _, a := range e.cfg.Admins {
		if a = strings.TrimSpace(a); a != "" && a != LocalOperator {
			out = append(out, Message{UserID: a, Text: text, Review: review})
		}
	}
	return out
}

// afterCommand completes the reply of a command: a report of 已完成 under
// review is sent to the office for review, and an item's history shows
// the office's review steps and deadline changes.
func (e *Engine) afterCommand(ctx context.Context, req Request, r Reply) Reply {
	switch r.Intent {
	case IntentUpdate:
		e.askReview(ctx, req, &r)
	case IntentHistory:
		e.historySteps(ctx, &r)
	}
	return r
}

// askReview sends each completion the reply's report stored (its
// Records) to the office for review, when review is on: quietly, as the
// reply's Notices.
func (e *Engine) askReview(ctx context.Context, req Request, r *Reply) {
	if e.store == nil || len(r.Records) == 0 {
		return
	}
	_, rules, _, err := e.supervision(ctx)
	if err != nil || !rules.Review.On {
		return
	}
	asked := 0
	for _, seq := range r.Records {
		u, ok, err := e.store.Record(ctx, seq)
		if err != nil {
			e.log.Warn("review request", "record", seq, "err", err)
			continue
		}
		if !ok || u.Status != duban.StatusDone || u.Retracted || u.Time.Before(rules.Review.Since) {
			continue
		}
		it := e.plan.Item(u.Item)
		if it == nil {
			continue
		}
		text := fmt.Sprintf("【待审核】%s 报告第%d条“%s”已完成（记录 %d，报送人 %s）：%s\n请审核：通过，或退回并写明理由（也可发送“通过 #%d %s”或“退回 #%d %s 理由…”）。",
			u.Agency, u.Item, officeTruncate(it.Title, 30), u.Seq, officeAuthor(&u), officeTruncate(officeOneLine(u.Text), 200),
			u.Item, u.Agency, u.Item, u.Agency)
		r.Notices = append(r.Notices, e.officeMessages(text, &ReviewAsk{Item: u.Item, Agency: u.Agency, Report: u.Seq})...)
		asked++
	}
	if asked > 0 {
		note := "办公室已开启完成审核：报送的“已完成”待审核通过后计为完成。"
		if r.Note != "" {
			note = r.Note + "\n" + note
		}
		r.Note = note
	}
}

// historySteps adds to an item's history the office's review steps and
// deadline changes, newest first.
func (e *Engine) historySteps(ctx context.Context, r *Reply) {
	if e.store == nil || len(r.Items) != 1 {
		return
	}
	n := r.Items[0]
	facts, _, _, err := e.supervision(ctx)
	if err != nil {
		e.log.Warn("history steps", "err", err)
		return
	}
	type line struct {
		at   int64
		text string
	}
	var lines []line
	now := e.now()
	for _, s := range facts.Reviews {
		if s.Item != n {
			continue
		}
		t := fmt.Sprintf("%s %s %s：%s 的完成报告（记录 %d）", officeShortTime(s.Time, now), officeAuthorName(s.ByName, s.ByID), s.Decision, s.Agency, s.Report)
		if s.Reason != "" {
			t += "，理由：" + officeTruncate(officeOneLine(s.Reason), 60)
		}
		lines = append(lines, line{s.Time.UnixNano(), t})
	}
	for _, c := range facts.Deadlines {
		if c.Item == n {
			lines = append(lines, line{c.Time.UnixNano(), "截止日期：" + changeLine(c, now)})
		}
	}
	if len(lines) == 0 {
		return
	}
	slices.SortStableFunc(lines, func(a, b line) int {
		switch {
		case a.at > b.at:
			return -1
		case a.at < b.at:
			return 1
		}
		return 0
	})
	var text []string
	for i, l := range lines {
		if i == historySteps {
			text = append(text, fmt.Sprintf("……另有 %d 条", len(lines)-i))
			break
		}
		text = append(text, l.text)
	}
	r.Sections = append(r.Sections, Section{Heading: "办公室审核与截止调整", Text: strings.Join(text, "\n")})
}

// escalate counts the reminder of each agency it reached in the round and
// tells the office of those reminded Supervision.Escalate times or more.
func (e *Engine) escalate(ctx context.Context, req Request, p *progress, bindings []duban.Binding, only []string, r *Reply) {
	bound := map[string]bool{}
	for _, b := range bindings {
		bound[b.Agency] = true
	}
	late, _ := p.late(only...)
	var reached []string
	rows := map[string][]lateRow{}
	for _, la := range late {
		if bound[la.Agency] {
			reached = append(reached, la.Agency)
			rows[la.Agency] = la.Rows
		}
	}
	if len(reached) == 0 || req.SourceID == "" {
		return
	}
	round := p.Rules.Cadence.CountingRound(p.now)
	user := req.UserID
	if user == "" {
		user = ScheduleUser
	}
	counts, err := e.store.CountReminders(ctx, e.planID(), round.ID, reached, user, req.SourceID+"/remind")
	if err != nil {
		e.log.Error("count reminders", "err", err)
		return
	}
	var countLines, escalated []string
	for _, a := range reached {
		countLines = append(countLines, fmt.Sprintf("%s %d 次", a, counts[a]))
		if at := e.escalateAt(); at > 0 && counts[a] >= at {
			var items []string
			for i, lr := range rows[a] {
				if i == remindItems {
					items = append(items, fmt.Sprintf("等共 %d 项", len(rows[a])))
					break
				}
				items = append(items, fmt.Sprintf("#%d %s", lr.Item, officeItemTitle(p.plan, lr.Item)))
			}
			text := fmt.Sprintf("【催办】%s 在%s已被提醒 %d 次，仍有 %d 项工作%s：\n%s\n请办公室督促落实。",
				a, round.Name, counts[a], len(rows[a]), missingPhrase(p), strings.Join(items, "\n"))
			r.Notices = append(r.Notices, e.officeMessages(text, nil)...)
			escalated = append(escalated, fmt.Sprintf("%s（第 %d 次）", a, counts[a]))
		}
	}
	budget := 3
	r.Sections = append(r.Sections, Section{Heading: round.Name + "累计提醒次数", Text: strings.Join(officeCapLines([]string{strings.Join(countLines, "、")}, &budget), "\n")})
	if len(escalated) > 0 {
		where := "已通知办公室"
		if len(e.officeMessages("", nil)) == 0 {
			where = "未配置办公室频道或管理员，无法另行通知"
		}
		r.Sections = append(r.Sections, Section{Heading: "催办（" + where + "）", Text: strings.Join(escalated, "、")})
	}
}
