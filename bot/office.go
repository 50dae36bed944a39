package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"duban"
)

// Limits that keep the office's replies readable in chat (about 40
// lines); the full detail is in the export.
const (
	summaryAgencyLines = 20 // agencies listed by 汇总
	agencyItemLines    = 28 // items listed by 汇总 <agency>
	missingLines       = 28 // agencies listed by 未报送
	remindLines        = 24 // agencies listed in the reply to 提醒
	remindItems        = 15 // items listed in one reminder message
	snippetRunes       = 40 // report text shown per line
	replyLines         = 38 // lines a reply may take (room for a closing note)
)

// errNoStore is the reply when the engine runs without storage.
var errNoStore = duban.Errorf(duban.CodeUnavailable, "抱歉，未配置数据存储 (storage)，无法汇总进展。")

// loadProgress reads the latest reports, the deadlines, review steps and
// settings, and computes the state of every (item, responsible agency)
// pair (duban.Assess).
func (e *Engine) loadProgress(ctx context.Context) (*progress, error) {
	if e.store == nil {
		return nil, errNoStore
	}
	latest, err := e.store.Latest(ctx, e.plan.ID)
	if err != nil {
		return nil, fmt.Errorf("read latest reports: %w", err)
	}
	facts, rules, _, err := e.supervision(ctx)
	if err != nil {
		return nil, err
	}
	facts.Latest = latest
	p := newProgress(duban.Assess(e.plan, facts, rules, e.now()))
	p.deadlineChanges, p.reviews = facts.Deadlines, facts.Reviews
	return p, nil
}

// Summary answers 汇总: counts by light (red first) and by status, the
// round, the completion rate, the feedback deadline and the per-agency
// table, red before yellow before green.
func (e *Engine) Summary(ctx context.Context) Reply {
	e = e.atDefault(ctx)
	p, err := e.loadProgress(ctx)
	if err != nil {
		return e.officeError(err)
	}
	return summaryReply(p)
}

func summaryReply(p *progress) Reply {
	total := p.total()
	r := Reply{Intent: IntentSummary, Title: "工作要点落实情况汇总（截至 " + officeFullTime(p.now) + "）"}
	fields := []Field{{"统计范围", fmt.Sprintf("%d 项工作，共 %d 个“工作-责任单位”组合（按各单位最新一次报送计）", len(p.plan.Items), total)}}
	fields = append(fields, Field{"红黄绿灯", lightCounts(p.Lights, total)})
	if f, ok := roundField(p); ok {
		fields = append(fields, f)
	}
	for _, st := range []duban.Status{duban.StatusDone, duban.StatusInProgress, duban.StatusDelayed, duban.StatusNotStarted, duban.StatusNone} {
		fields = append(fields, Field{st.String(), fmt.Sprintf("%d（%s）", p.counts[st], officePercent(p.counts[st], total))})
	}
	if p.Rules.Review.On {
		fields = append(fields, Field{"完成审核", fmt.Sprintf("待审核 %d，已退回 %d", p.Pending, p.Returned)})
	}
	fields = append(fields, Field{"完成率", fmt.Sprintf("%s（所有责任单位均已完成的工作 %d/%d 项）",
		officePercent(p.Done, total), p.itemsDone, len(p.plan.Items))})
	if d, ok := deadlineText(p.plan.Meta, p.now); ok {
		fields = append(fields, Field{"反馈截止", d})
	}
	r.Sections = append(r.Sections, Section{Fields: fields})

	var lines []string
	for i, a := range p.agencies {
		if i == summaryAgencyLines {
			break
		}
		lines = append(lines, agencyLine(a, p.now))
	}
	r.Sections = append(r.Sections, Section{Heading: "各单位进度（红灯在前，其次黄灯、绿灯）", Text: strings.Join(lines, "\n")})
	note := "发送“汇总 单位名”查看某单位各项工作的最新进展；发送“红灯”“黄灯”列出相应工作；发送“导出”生成完整表格。"
	if rest := len(p.agencies) - len(lines); rest > 0 {
		var hidden [duban.LightRed + 1]int
		for _, a := range p.agencies[len(lines):] {
			hidden[a.Worst()]++
		}
		note = fmt.Sprintf("另有 %d 个单位未列出（最差为红灯的 %d 个、黄灯 %d 个、绿灯 %d 个），完整明细请发送“导出”生成表格；发送“汇总 单位名”查看某单位的进展。",
			rest, hidden[duban.LightRed], hidden[duban.LightYellow], hidden[duban.LightGreen])
	}
	r.Note = note
	return r
}

// agencyLine is one agency's line of the per-agency table.
func agencyLine(a *agencyProgress, now time.Time) string {
	last := "尚未报送"
	if !a.LastReport.IsZero() {
		last = "最近报送 " + officeShortTime(a.LastReport, now)
	}
	return fmt.Sprintf("%s %s：%s｜负责 %d 项，已报送 %d，已完成 %d，滞后 %d，%s",
		a.Worst().Emoji(), a.Agency, shortLights(a), a.Responsible(), a.Reported(), a.Counts[duban.StatusDone], a.Counts[duban.StatusDelayed], last)
}

// AgencySummary answers 汇总 <agency> for the given canonical names: each
// agency's items with their latest status, percent, text, author and time.
func (e *Engine) AgencySummary(ctx context.Context, agencies []string) Reply {
	e = e.atDefault(ctx)
	p, err := e.loadProgress(ctx)
	if err != nil {
		return e.officeError(err)
	}
	return agencySummaryReply(p, agencies)
}

func agencySummaryReply(p *progress, agencies []string) Reply {
	// The most detailed form that fits in chat: each item with its latest
	// report; else each agency with its items' statuses; else one line per
	// agency.
	var r Reply
	for _, form := range []func(*progress, []string) Reply{agencyDetail, agencyCompact, agencyLines} {
		r = form(p, agencies)
		if len(strings.Split(r.PlainText(), "\n")) <= replyLines {
			break
		}
	}
	r.Intent, r.Agencies = IntentSummary, agencies
	for _, name := range agencies {
		for _, row := range p.rowsOf(name) {
			if !slices.Contains(r.Items, row.Item) {
				r.Items = append(r.Items, row.Item)
			}
		}
	}
	slices.Sort(r.Items)
	return r
}

// agencyTitle is the title of an agency view.
func agencyTitle(p *progress, agencies []string) string {
	return strings.Join(agencies, "、") + " 工作落实情况（截至 " + officeFullTime(p.now) + "）"
}

// noItems is what an agency view says of an agency responsible for nothing.
const noItems = "该单位在工作要点中没有牵头或按职责落实的工作。"

// agencyDetail lists each agency's figures and then each of its items with
// its latest report, up to agencyItemLines items in all.
func agencyDetail(p *progress, agencies []string) Reply {
	r := Reply{Title: agencyTitle(p, agencies)}
	budget := agencyItemLines
	for _, name := range agencies {
		ap := p.byAgency[name]
		if ap == nil {
			r.Sections = append(r.Sections, Section{Heading: name, Text: noItems})
			continue
		}
		var st []string
		for _, s := range []duban.Status{duban.StatusDone, duban.StatusInProgress, duban.StatusDelayed, duban.StatusNotStarted, duban.StatusNone} {
			st = append(st, fmt.Sprintf("%s %d", s, ap.Counts[s]))
		}
		last := "尚未报送"
		if !ap.LastReport.IsZero() {
			last = officeFullTime(ap.LastReport)
		}
		sec := Section{Fields: []Field{
			{"负责工作", fmt.Sprintf("%d 项（牵头 %d，按职责落实 %d）", ap.Responsible(), ap.Lead, ap.Joint)},
			{"红黄绿灯", fmt.Sprintf("%s 红灯 %d，%s 黄灯 %d，%s 绿灯 %d", duban.LightRed.Emoji(), ap.Lights[duban.LightRed],
				duban.LightYellow.Emoji(), ap.Lights[duban.LightYellow], duban.LightGreen.Emoji(), ap.Lights[duban.LightGreen])},
			{"各状态", strings.Join(st, "，")},
			{"最近报送", last},
		}}
		if len(agencies) > 1 {
			sec.Heading = name
		}
		r.Sections = append(r.Sections, sec)
		var lines []string
		rows := p.rowsOf(name)
		for i, row := range rows {
			if budget == 0 {
				lines = append(lines, "其余："+compactItems(rows[i:]))
				r.Note = "条目较多，未能逐条列出；完整明细请发送“导出”生成表格。"
				break
			}
			lines = append(lines, itemLine(row, p.now))
			budget--
		}
		r.Sections = append(r.Sections, Section{Text: strings.Join(lines, "\n")})
	}
	return r
}

// agencyCompact gives each agency its line of the per-agency table and
// its items' statuses.
func agencyCompact(p *progress, agencies []string) Reply {
	r := Reply{Title: agencyTitle(p, agencies),
		Note: "单位较多，未列出各条进展；请分别发送“汇总 单位名”查看，或发送“导出”生成表格。"}
	for _, name := range agencies {
		text := noItems
		if ap := p.byAgency[name]; ap != nil {
			text = agencyLine(ap, p.now) + "\n" + compactItems(p.rowsOf(name))
		}
		r.Sections = append(r.Sections, Section{Heading: name, Text: text})
	}
	return r
}

// agencyLines gives each agency one line of the per-agency table.
func agencyLines(p *progress, agencies []string) Reply {
	r := Reply{Title: agencyTitle(p, agencies),
		Note: "单位较多，只列出各单位的统计；请分别发送“汇总 单位名”查看，或发送“导出”生成表格。"}
	var lines []string
	for _, name := range agencies {
		if ap := p.byAgency[name]; ap != nil {
			lines = append(lines, agencyLine(ap, p.now))
		} else {
			lines = append(lines, name+"："+noItems)
		}
	}
	budget := replyLines - 6
	r.Sections = append(r.Sections, Section{Text: strings.Join(officeCapLines(lines, &budget), "\n")})
	return r
}

// compactItems lists items with their statuses on one line.
func compactItems(rows []progressRow) string {
	parts := make([]string, len(rows))
	for i, row := range rows {
		parts[i] = fmt.Sprintf("%s#%d %s", row.Light.Emoji(), row.Item, row.StatusText())
	}
	return strings.Join(parts, "、")
}

// itemLine is one item of an agency view: number, role, status, percent,
// the start of the latest report, its author and time.
func itemLine(row progressRow, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s #%d【%s】%s", row.Light.Emoji(), row.Item, row.Role, row.StatusText())
	u := row.Latest
	if u == nil {
		fmt.Fprintf(&b, "｜截止 %s，%s", deadlineShort(row.Deadline, now), row.Reason)
		return b.String()
	}
	if u.Percent != duban.NoPercent {
		fmt.Fprintf(&b, " %d%%", u.Percent)
	}
	if t := officeOneLine(u.Text); t != "" {
		b.WriteString("：")
		b.WriteString(officeTruncate(t, snippetRunes))
	}
	fmt.Fprintf(&b, "（%s，%s）", officeAuthor(u), officeShortTime(u.Time, now))
	fmt.Fprintf(&b, "｜截止 %s，%s", deadlineShort(row.Deadline, now), row.Reason)
	return b.String()
}

// Missing answers 未报送: the agencies with items that have no report, or
// only a report older than the stale limit, with those items. When
// agencies is not empty only those agencies are considered.
func (e *Engine) Missing(ctx context.Context, agencies ...string) Reply {
	e = e.atDefault(ctx)
	p, err := e.loadProgress(ctx)
	if err != nil {
		return e.officeError(err)
	}
	return missingReply(p, e.cfg.Stale, agencies)
}

func missingReply(p *progress, stale time.Duration, only []string) Reply {
	late, items := p.late(only...)
	what := missingPhrase(p)
	r := Reply{Intent: IntentMissing, Items: items}
	scope := "所有单位"
	if len(only) > 0 {
		scope = strings.Join(only, "、")
		r.Agencies = only
	}
	if len(late) == 0 {
		r.Title = fmt.Sprintf("%s负责的工作都已报送（没有%s的工作，截至 %s）。", scope, what, officeFullTime(p.now))
		return r
	}
	pairs := 0
	for _, la := range late {
		pairs += len(la.Rows)
		if len(only) == 0 {
			r.Agencies = append(r.Agencies, la.Agency)
		}
	}
	r.Title = fmt.Sprintf("%s：%d 个单位、%d 项工作（截至 %s）", what, len(late), len(items), officeFullTime(p.now))
	var lines []string
	for i, la := range late {
		if i == missingLines {
			break
		}
		lines = append(lines, lateLine(la, p.now))
	}
	r.Sections = append(r.Sections, Section{Text: strings.Join(lines, "\n")})
	var notes []string
	if rest := len(late) - len(lines); rest > 0 {
		notes = append(notes, fmt.Sprintf("另有 %d 个单位未列出，完整明细请发送“导出”生成表格。", rest))
	}
	notes = append(notes, fmt.Sprintf("共 %d 个“工作-责任单位”组合待报送；“上次”为该单位最近一次报送的日期。管理员可发送“提醒”通知这些单位的联系人。", pairs))
	r.Note = strings.Join(notes, "\n")
	return r
}

// lateLine is one agency's line of 未报送: its late items, the stale ones
// with the date of their last report.
func lateLine(la lateAgency, now time.Time) string {
	parts := make([]string, len(la.Rows))
	for i, lr := range la.Rows {
		parts[i] = fmt.Sprintf("#%d", lr.Item)
		if lr.Stale {
			parts[i] += "（上次 " + officeShortDate(lr.Latest.Time, now) + "）"
		}
	}
	return fmt.Sprintf("%s（%d 项）：%s", la.Agency, len(la.Rows), strings.Join(parts, "、"))
}

// Remind answers 提醒: for every late agency, the reminder text and the
// users bound to it, as direct messages for the adapter to send. It does
// not check permissions; the chat command does (admins only), and a
// scheduled run is the operator's own. When agencies is not empty only
// those agencies are reminded.
func (e *Engine) Remind(ctx context.Context, agencies ...string) Reply {
	e = e.atDefault(ctx)
	now := e.now()
	return e.RemindAs(ctx, Request{UserID: ScheduleUser, SourceID: fmt.Sprintf("remind@%d", now.UnixNano()), Time: now}, agencies...)
}

// RemindAs is Remind on behalf of the request's user: each agency reached
// is counted as reminded once more in the round (once per
// req.SourceID), and from the Supervision.Escalate-th reminder on the
// office is told too (催办).
func (e *Engine) RemindAs(ctx context.Context, req Request, agencies ...string) Reply {
	e = e.atDefault(ctx)
	p, err := e.loadProgress(ctx)
	if err != nil {
		return e.officeError(err)
	}
	bindings, err := e.store.Bindings(ctx)
	if err != nil {
		return e.officeError(fmt.Errorf("read bindings: %w", err))
	}
	r := remindReply(p, bindings, e.cfg.Stale, agencies)
	if r.Intent != IntentError {
		e.escalate(ctx, req, p, bindings, agencies, &r)
	}
	return r
}

func remindReply(p *progress, bindings []duban.Binding, stale time.Duration, only []string) Reply {
	late, items := p.late(only...)
	r := Reply{Intent: IntentMissing, Items: items}
	if len(late) == 0 {
		r.Title = fmt.Sprintf("没有需要提醒的单位：没有%s的工作。", missingPhrase(p))
		r.Agencies = only
		return r
	}
	users := map[string][]string{}
	for _, b := range bindings {
		users[b.Agency] = append(users[b.Agency], b.UserID)
	}
	var sent, unbound []string
	reached := 0
	for _, la := range late {
		r.Agencies = append(r.Agencies, la.Agency)
		to := users[la.Agency]
		if len(to) == 0 {
			unbound = append(unbound, fmt.Sprintf("%s（%d 项）", la.Agency, len(la.Rows)))
			continue
		}
		text := reminderText(p, la, stale)
		for _, u := range to {
			r.Direct = append(r.Direct, Message{UserID: u, Text: text})
		}
		reached++
		sent = append(sent, fmt.Sprintf("%s（%d 项）→ %s", la.Agency, len(la.Rows), strings.Join(to, "、")))
	}
	r.Title = fmt.Sprintf("提醒：%d 个单位%s；已生成 %d 条提醒，发往 %d 个单位。",
		len(late), missingPhrase(p), len(r.Direct), reached)
	budget := remindLines
	if len(sent) > 0 {
		r.Sections = append(r.Sections, Section{Heading: "提醒对象", Text: strings.Join(officeCapLines(sent, &budget), "\n")})
	}
	if len(unbound) > 0 {
		r.Sections = append(r.Sections, Section{Heading: "以下单位没有绑定联系人，提醒无法送达", Text: strings.Join(officeCapLines(unbound, &budget), "\n")})
		r.Note = "请用“绑定 用户 单位”为这些单位绑定联系人后再发送提醒。"
	}
	return r
}

// reminderText is the message an agency's users receive.
func reminderText(p *progress, la lateAgency, stale time.Duration) string {
	var b strings.Builder
	title := p.plan.Meta.Title
	if title == "" {
		title = "工作要点"
	}
	fmt.Fprintf(&b, "【督办提醒】%s：《%s》中由贵单位负责的以下 %d 项工作%s：\n",
		la.Agency, title, len(la.Rows), missingPhrase(p))
	for i, lr := range la.Rows {
		if i == remindItems {
			fmt.Fprintf(&b, "……等共 %d 项，发送“汇总 %s”查看全部。\n", len(la.Rows), la.Agency)
			break
		}
		line := fmt.Sprintf("#%d %s（截止 %s）", lr.Item, officeItemTitle(p.plan, lr.Item), deadlineShort(lr.Deadline, p.now))
		if lr.Stale {
			line += "（上次报送 " + officeShortDate(lr.Latest.Time, p.now) + "）"
		}
		b.WriteString(line + "\n")
	}
	fmt.Fprintf(&b, "请在群里发送进展，例如：进展 #%d 进行中 已完成……", la.Rows[0].Item)
	if d, ok := deadlineText(p.plan.Meta, p.now); ok {
		b.WriteString("\n反馈截止：" + d + "。")
	}
	return b.String()
}

// officeCapLines returns as many lines as the budget allows, the last one
// saying how many were left out, and lowers the budget.
func officeCapLines(lines []string, budget *int) []string {
	if len(lines) <= *budget {
		*budget -= len(lines)
		return lines
	}
	n := max(*budget-1, 0)
	out := append(lines[:n:n], fmt.Sprintf("……另有 %d 个单位", len(lines)-n))
	*budget = 0
	return out
}

// officeError turns an error of the office commands into a reply, logging
// what the user is not shown (the office's methods are called by adapters
// and the reminder schedule directly, not only through Handle).
func (e *Engine) officeError(err error) Reply {
	r := errorReply(err)
	e.logInternal(&r, "")
	return r
}

// deadlineText is the feedback deadline with the days left or overdue.
func deadlineText(meta duban.Meta, now time.Time) (string, bool) {
	days, ok := deadlineDays(meta, now)
	if !ok {
		return "", false
	}
	date := meta.Deadline.Format("2006年1月2日")
	switch {
	case days > 0:
		return fmt.Sprintf("%s（还有 %d 天）", date, days), true
	case days == 0:
		return date + "（今天截止）", true
	}
	return fmt.Sprintf("%s（已逾期 %d 天）", date, -days), true
}

// officePercent formats n/total as a percentage with one decimal.
func officePercent(n, total int) string {
	if total == 0 {
		return "0%"
	}
	return fmt.Sprintf("%.1f%%", float64(n)*100/float64(total))
}

// staleText states the stale limit as it is: "14 天" for whole days,
// "36 小时" for whole hours, else minutes (followed by a space, so that it
// reads before 未更新 or 内).
func staleText(d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%d 天", d/(24*time.Hour))
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%d 小时", d/time.Hour)
	}
	return fmt.Sprintf("%d 分钟", max(d/time.Minute, 1))
}

// officeFullTime formats a time in China time to the minute.
func officeFullTime(t time.Time) string { return t.In(chinaTime).Format("2006-01-02 15:04") }

// officeShortTime formats a time in China time, without the year when it is the
// year of now.
func officeShortTime(t, now time.Time) string {
	t = t.In(chinaTime)
	if t.Year() == now.In(chinaTime).Year() {
		return t.Format("01-02 15:04")
	}
	return t.Format("2006-01-02 15:04")
}

// officeShortDate is shortTime without the time of day.
func officeShortDate(t, now time.Time) string {
	t = t.In(chinaTime)
	if t.Year() == now.In(chinaTime).Year() {
		return t.Format("01-02")
	}
	return t.Format("2006-01-02")
}

// officeAuthor is the author's display name, or their user id.
func officeAuthor(u *duban.Update) string {
	if n := strings.TrimSpace(u.AuthorName); n != "" {
		return n
	}
	return u.AuthorID
}

// officeItemTitle returns the title of item n, shortened for a list.
func officeItemTitle(plan *duban.Plan, n int) string {
	if it := plan.Item(n); it != nil {
		return officeTruncate(it.Title, 30)
	}
	return ""
}

// officeOneLine joins the lines of s with spaces.
func officeOneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// officeTruncate shortens s to n runes, marking the cut with an ellipsis.
func officeTruncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
