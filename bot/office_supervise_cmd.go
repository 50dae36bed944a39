package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"duban"
	"duban/bot/understand"
)

// The intents of supervision. The values are part of the `duban ask
// --json` contract (docs/ARCHITECTURE.md).
const (
	IntentDeadline Intent = "deadline" // 第19条截止时间, 截止 #19, 设置截止 #19 2021-06-30
	IntentLights   Intent = "lights"   // 红灯, 哪些黄灯, 逾期的有哪些, 待审核
	IntentRound    Intent = "round"    // 报送周期 每月 25日
	IntentReview   Intent = "review"   // 审核 开启, 通过 #19 省林业局, 退回 #19 省林业局 理由…
	IntentDigest   Intent = "digest"   // 通报
	IntentChart    Intent = "chart"    // 汇总 图
)

// Limits of the supervision replies.
const (
	lightLines   = 30 // pairs listed by a light question
	historySteps = 8  // review steps and deadline changes shown under a history
)

// superviseCommand answers the office's commands on supervision; ok is
// false when text is none of them.
func (e *Engine) superviseCommand(ctx context.Context, req Request, text string) (Reply, bool) {
	cmd, ok := understand.ReadSuperviseCommand(text)
	if !ok {
		return Reply{}, false
	}
	switch cmd.Kind {
	case understand.CmdDeadline:
		items, agencies, rest, err := e.itemsAgenciesRest(cmd.Rest)
		if err != nil {
			return errorReply(err), true
		}
		// 截止 #19 (or 截止 #19 是哪天) asks; 截止 #19 6月底 sets.
		if _, ok := duban.ParseDate(rest, e.plan.Year()); !ok {
			return e.deadlineReply(ctx, items), true
		}
		return e.setDeadline(ctx, req, items, agencies, rest, false), true
	case understand.CmdSetDeadline, understand.CmdClearDeadline:
		items, agencies, rest, err := e.itemsAgenciesRest(cmd.Rest)
		if err != nil {
			return errorReply(err), true
		}
		return e.setDeadline(ctx, req, items, agencies, rest, cmd.Kind == understand.CmdClearDeadline), true
	case understand.CmdRound:
		return e.roundCommand(ctx, req, cmd), true
	case understand.CmdReview:
		return e.reviewSetting(ctx, req, cmd.Setting), true
	case understand.CmdPass, understand.CmdReturn:
		return e.decideCommand(ctx, req, cmd), true
	case understand.CmdDigest:
		if r, ok := e.summaryAccessCheck(ctx, req.UserID); !ok {
			return r, true
		}
		return e.Digest(ctx), true
	case understand.CmdChart:
		if r, ok := e.summaryAccessCheck(ctx, req.UserID); !ok {
			return r, true
		}
		return e.chartReply(ctx), true
	}
	return Reply{}, false
}

// summaryAccessCheck is where a rule on who may have the summaries
// applies to 通报 and the chart too. They show counts and lights, not what
// was reported, so for now they are open to all, as 未报送 is.
func (e *Engine) summaryAccessCheck(context.Context, string) (Reply, bool) { return Reply{}, true }

// itemsAgenciesRest reads a command's rest: its item references (there
// must be one), the agencies it names, and what is left (a date, a
// reason), in the order written.
func (e *Engine) itemsAgenciesRest(rest string) (items []int, agencies []string, left string, err error) {
	text := duban.Fold(rest)
	refs := duban.FindItemRefs(text)
	items, bad := e.plan.ResolveItemRefs(refs)
	if len(bad) > 0 || len(items) == 0 {
		n := int64(0)
		if len(bad) > 0 {
			n = bad[0]
		}
		return nil, nil, "", duban.Errorf(duban.CodeNotFound, "工作要点共%d条，没有第%d条。请写明条目编号，例如“#19”。", len(e.plan.Items), n)
	}
	mask := []byte(text)
	blank := func(s, t int) {
		for i := s; i < t && i < len(mask); i++ {
			mask[i] = ' '
		}
	}
	for _, r := range refs {
		blank(r.Start, r.End)
	}
	if e.plan.Directory != nil {
		for _, m := range e.plan.Directory.Find(string(mask)) {
			agencies = appendNew(agencies, m.Names...)
			blank(m.Start, m.End)
		}
	}
	left = strings.Join(strings.Fields(string(mask)), " ")
	return items, agencies, left, nil
}

// responsibleOf checks that every agency named is responsible for every
// item, and returns the agencies to act on: those named, or (none named)
// "" for all.
func (e *Engine) responsibleOf(items []int, agencies []string) error {
	for _, n := range items {
		it := e.plan.Item(n)
		for _, a := range agencies {
			if !it.RoleOf(a).Responsible() {
				return duban.Errorf(duban.CodeInvalid, "%s不是第%d条的责任单位；第%d条由%s负责。", a, n, n, strings.Join(it.Responsible(), "、"))
			}
		}
	}
	return nil
}

// deadlineQuestion answers 第19条截止时间.
func (e *Engine) deadlineQuestion(ctx context.Context, q *understand.Query) Reply {
	items := slices.Clone(q.Items)
	slices.Sort(items)
	return e.deadlineReply(ctx, items)
}

// deadlineReply shows the deadline of each item: the item's (stated or
// the plan's), each responsible agency's with its light, and the office's
// changes.
func (e *Engine) deadlineReply(ctx context.Context, items []int) Reply {
	r := Reply{Intent: IntentDeadline, Items: items}
	var p *progress
	var changes []duban.DeadlineChange
	if e.store != nil {
		var err error
		if p, err = e.loadProgress(ctx); err != nil {
			return e.officeError(err)
		}
		changes = p.deadlineChanges
	}
	now := e.now()
	if len(items) == 1 {
		it := e.plan.Item(items[0])
		r.Title = fmt.Sprintf("第%d条 %s 的截止时间", it.Number, officeTruncate(it.Title, 30))
	} else {
		r.Title = fmt.Sprintf("%d 项工作的截止时间", len(items))
	}
	for _, n := range items {
		it := e.plan.Item(n)
		base := e.plan.DeadlineOf(n, "", changes)
		sec := Section{Item: n, Fields: []Field{{"截止", deadlineLong(base, now)}}}
		if len(items) > 1 {
			sec.Heading = fmt.Sprintf("第%d条 %s", n, officeTruncate(it.Title, 30))
		}
		var lines []string
		if p != nil {
			for _, pr := range p.Item(n) {
				r.Agencies = appendNew(r.Agencies, pr.Agency)
				line := fmt.Sprintf("%s %s【%s】截止 %s，%s", pr.Light.Emoji(), pr.Agency, pr.Role, officeShortDate(pr.Deadline.Date, now), pr.Reason)
				if pr.Deadline.Source == duban.DeadlineSet {
					line += "（办公室设定）"
				}
				lines = append(lines, line)
			}
			for _, c := range changes {
				if c.Item == n {
					lines = append(lines, "调整："+changeLine(c, now))
				}
			}
		} else {
			r.Agencies = appendNew(r.Agencies, it.Responsible()...)
		}
		sec.Text = strings.Join(lines, "\n")
		r.Sections = append(r.Sections, sec)
	}
	r.Note = "管理员可发送“设置截止 #19 2021-06-30”（或“设置截止 #19 省林业局 6月底”）调整，“取消截止 #19”恢复条文或通知的截止日期。"
	return r
}

// changeLine describes a deadline change: "05-29 09:00 张三 设为 2021-06-30（全部责任单位）".
func changeLine(c duban.DeadlineChange, now time.Time) string {
	what := "恢复为条文或通知的截止日期"
	if !c.Date.IsZero() {
		what = "设为 " + c.Date.In(chinaTime).Format("2006-01-02")
	}
	who := "全部责任单位"
	if c.Agency != "" {
		who = c.Agency
	}
	return fmt.Sprintf("%s %s %s（%s）", officeShortTime(c.Time, now), officeAuthorName(c.ByName, c.ByID), what, who)
}

// setDeadline records the office's deadline for items (for the agencies
// named, else for all responsible), or clears it.
func (e *Engine) setDeadline(ctx context.Context, req Request, items []int, agencies []string, rest string, clear bool) Reply {
	if r, ok := e.requireAdmin(ctx, req, "设置截止日期"); !ok {
		return r
	}
	if e.store == nil {
		return errorReply(errNoStore)
	}
	if err := e.responsibleOf(items, agencies); err != nil {
		return errorReply(err)
	}
	var date time.Time
	if !clear {
		d, ok := duban.ParseDate(rest, e.plan.Year())
		if !ok {
			if strings.TrimSpace(rest) == "" {
				return errorReply(duban.Errorf(duban.CodeInvalid, "请写明截止日期，例如“设置截止 #%d 2021-06-30”或“设置截止 #%d 6月底”。", items[0], items[0]))
			}
			return errorReply(duban.Errorf(duban.CodeInvalid, "无法识别日期“%s”(date)。请写成 2021-06-30、6月30日、6月底、年底或三季度。", rest))
		}
		date = d
	} else if strings.TrimSpace(rest) != "" {
		return errorReply(duban.Errorf(duban.CodeInvalid, "“取消截止”只需写条目和单位，例如“取消截止 #%d”；不认识“%s”。", items[0], rest))
	}
	targets := agencies
	if len(targets) == 0 {
		targets = []string{""}
	}
	var done []string
	for _, n := range items {
		for _, a := range targets {
			c := duban.DeadlineChange{Item: n, Agency: a, Date: date, ByID: req.UserID, ByName: req.UserName, Time: req.Time,
				SourceID: fmt.Sprintf("%s/deadline/%d/%s", req.SourceID, n, a)}
			if _, _, err := e.store.AddDeadline(ctx, e.planID(), c); err != nil {
				return e.officeError(fmt.Errorf("store deadline: %w", err))
			}
			who := "全部责任单位"
			if a != "" {
				who = a
			}
			done = append(done, fmt.Sprintf("第%d条（%s）", n, who))
		}
	}
	r := e.deadlineReply(ctx, items)
	what := "截止日期设为 " + date.Format("2006年1月2日")
	if clear {
		what = "截止日期恢复为条文或通知所定"
	}
	r.Title = "已记录：" + strings.Join(done, "、") + what + "。"
	return r
}

// lightsQuestion answers 红灯, 哪些黄灯, 逾期的有哪些, 待审核, each
// optionally for agencies.
func (e *Engine) lightsQuestion(ctx context.Context, q *understand.Query) Reply {
	var agencies []string
	for _, a := range q.Agencies {
		agencies = appendNew(agencies, a.Names...)
	}
	return e.Lights(ctx, q.Light, agencies...)
}

// Lights lists the pairs of a light ("red", "yellow", "green"), the
// overdue ones ("overdue") or the completions awaiting review ("pending"),
// for the agencies given or all.
func (e *Engine) Lights(ctx context.Context, kind string, agencies ...string) Reply {
	e = e.atDefault(ctx)
	p, err := e.loadProgress(ctx)
	if err != nil {
		return e.officeError(err)
	}
	var rows []progressRow
	var what string
	switch kind {
	case "overdue":
		rows, what = p.OverduePairs(agencies...), "已逾期未完成"
	case "pending":
		for _, r := range p.WithLight(duban.LightNone, agencies...) {
			if r.Review == duban.ReviewPending {
				rows = append(rows, r)
			}
		}
		what = "已报完成、待审核"
	default:
		l := map[string]duban.Light{"red": duban.LightRed, "yellow": duban.LightYellow, "green": duban.LightGreen}[kind]
		rows, what = p.WithLight(l, agencies...), l.Emoji()+" "+l.String()
	}
	scope := ""
	if len(agencies) > 0 {
		scope = strings.Join(agencies, "、") + " "
	}
	r := Reply{Intent: IntentLights, Agencies: agencies}
	for _, row := range rows {
		r.Items = appendInt(r.Items, row.Item)
		if len(agencies) == 0 {
			r.Agencies = appendNew(r.Agencies, row.Agency)
		}
	}
	slices.Sort(r.Items)
	if len(rows) == 0 {
		r.Title = fmt.Sprintf("%s没有%s的工作（截至 %s）。", scope, what, officeFullTime(p.now))
		if kind == "pending" && !p.Rules.Review.On {
			r.Note = "完成审核未开启；管理员可发送“审核 开启”。"
		}
		return r
	}
	r.Title = fmt.Sprintf("%s%s的工作：%d 个“工作-责任单位”组合、%d 项工作（截至 %s）", scope, what, len(rows), len(r.Items), officeFullTime(p.now))
	var lines []string
	for i, row := range rows {
		if i == lightLines {
			lines = append(lines, fmt.Sprintf("……另有 %d 个未列出，完整明细请发送“导出”。", len(rows)-i))
			break
		}
		lines = append(lines, pairLine(row, p.now))
	}
	r.Sections = append(r.Sections, Section{Text: strings.Join(lines, "\n")})
	switch kind {
	case "pending":
		r.Note = "管理员可发送“通过 #条目 单位”或“退回 #条目 单位 理由…”。"
	case "red":
		r.Note = "红灯：已过截止日期仍未完成，或报送为滞后。发送“汇总 单位名”查看某单位的全部工作。"
	case "overdue":
		r.Note = "逾期：已过截止日期仍未完成。报送为“滞后”的请发送“红灯”或“哪些滞后”查看。"
	case "yellow":
		r.Note = "黄灯：距截止不足 " + fmt.Sprint(p.Rules.WarnDays) + " 天、本轮未报送、待审核或被退回。"
	}
	return r
}

// roundCommand shows or sets the reporting cadence (报送周期).
func (e *Engine) roundCommand(ctx context.Context, req Request, cmd understand.SuperviseCommand) Reply {
	if e.store == nil {
		return errorReply(errNoStore)
	}
	if cmd.Setting == "" {
		return e.roundReply(ctx, "")
	}
	if cmd.Setting == "invalid" {
		return Reply{Intent: IntentError, Title: fmt.Sprintf("无法识别报送周期“%s”(round)。请写“报送周期 每月 25日”“报送周期 每季度 25日”或“报送周期 关闭”。", cmd.Rest)}
	}
	if r, ok := e.requireAdmin(ctx, req, "设置报送周期"); !ok {
		return r
	}
	value := "off"
	if cmd.Setting != "off" {
		day := cmd.Day
		if day == 0 {
			day = 31
		}
		value = fmt.Sprintf("%s:%d", cmd.Setting, day)
	}
	c := duban.SettingChange{Name: duban.SettingCadence, Value: value, ByID: req.UserID, ByName: req.UserName, Time: req.Time, SourceID: req.SourceID}
	if _, _, err := e.store.AddSetting(ctx, e.planID(), c); err != nil {
		return e.officeError(fmt.Errorf("store cadence: %w", err))
	}
	return e.roundReply(ctx, "已记录。")
}

// roundReply says how the office reports: the cadence and the current round.
func (e *Engine) roundReply(ctx context.Context, prefix string) Reply {
	_, rules, settings, err := e.supervision(ctx)
	if err != nil {
		return e.officeError(err)
	}
	r := Reply{Intent: IntentRound, Title: prefix + "报送周期：" + rules.Cadence.Text()}
	if rules.Cadence.On() {
		round := rules.Cadence.RoundAt(e.now())
		r.Sections = append(r.Sections, Section{Fields: []Field{{"当前轮次", round.Text()}}})
		r.Note = "“未报送”“提醒”和黄灯按本轮是否报送判断；报送计入其到达时所在的轮次。"
	} else {
		r.Note = fmt.Sprintf("未设置报送周期：“未报送”按最近 %s内是否报送判断。管理员可发送“报送周期 每月 25日”。", staleText(rules.Stale))
	}
	for i := len(settings) - 1; i >= 0; i-- {
		if c := settings[i]; c.Name == duban.SettingCadence {
			r.Sections = append(r.Sections, Section{Fields: []Field{{"最近设置", fmt.Sprintf("%s %s 设为 %s", officeShortTime(c.Time, e.now()), officeAuthorName(c.ByName, c.ByID), c.Value)}}})
			break
		}
	}
	return r
}

// reviewSetting shows, turns on or turns off completion review (审核).
func (e *Engine) reviewSetting(ctx context.Context, req Request, setting string) Reply {
	if e.store == nil {
		return errorReply(errNoStore)
	}
	prefix := ""
	if setting != "" {
		if r, ok := e.requireAdmin(ctx, req, "开启或关闭完成审核"); !ok {
			return r
		}
		c := duban.SettingChange{Name: duban.SettingReview, Value: setting, ByID: req.UserID, ByName: req.UserName, Time: req.Time, SourceID: req.SourceID}
		if _, _, err := e.store.AddSetting(ctx, e.planID(), c); err != nil {
			return e.officeError(fmt.Errorf("store review setting: %w", err))
		}
		prefix = "已记录。"
	}
	p, err := e.loadProgress(ctx)
	if err != nil {
		return e.officeError(err)
	}
	r := Reply{Intent: IntentReview}
	if p.Rules.Review.On {
		r.Title = fmt.Sprintf("%s完成审核：已开启（%s 起）。待审核 %d，已退回 %d。", prefix, officeFullTime(p.Rules.Review.Since), p.Pending, p.Returned)
		r.Note = "各单位报送“已完成”后进入待审核，由管理员“通过 #条目 单位”或“退回 #条目 单位 理由…”；通过前显示黄灯。发送“待审核”列出待审的工作。"
	} else {
		r.Title = prefix + "完成审核：未开启。报送“已完成”即视为完成（绿灯）。"
		r.Note = "管理员可发送“审核 开启”。"
	}
	return r
}

// decideCommand answers 通过 #19 [单位] and 退回 #19 [单位] 理由….
func (e *Engine) decideCommand(ctx context.Context, req Request, cmd understand.SuperviseCommand) Reply {
	items, agencies, rest, err := e.itemsAgenciesRest(cmd.Rest)
	if err != nil {
		return errorReply(err)
	}
	if len(items) != 1 {
		return errorReply(duban.Errorf(duban.CodeInvalid, "请一次审核一条工作，例如“通过 #%d 单位”。", items[0]))
	}
	decision := duban.DecisionPass
	if cmd.Kind == understand.CmdReturn {
		decision = duban.DecisionReturn
	}
	agency := ""
	switch len(agencies) {
	case 0:
	case 1:
		agency = agencies[0]
	default:
		return errorReply(duban.Errorf(duban.CodeInvalid, "请一次审核一个单位，例如“通过 #%d %s”。", items[0], agencies[0]))
	}
	return e.Decide(ctx, req, items[0], agency, 0, decision, understand.ReasonText(rest))
}

// Decide records the office's review of an agency's completion of an
// item: accept it (通过) or send it back with a reason (退回). agency may
// be "" when one agency alone awaits review on the item; report, when not
// 0, is the record the decision is about (a button names it), and must
// still be the pair's latest. Only admins decide. The agency's bound users
// get a direct message.
func (e *Engine) Decide(ctx context.Context, req Request, item int, agency string, report uint64, d duban.Decision, reason string) (reply Reply) {
	defer e.logInternal(&reply, req.UserID) // called by adapters, not through Handle
	what := "审核完成情况"
	if r, ok := e.requireAdmin(ctx, req, what); !ok {
		return r
	}
	if req.Time.IsZero() {
		req.Time = e.now()
	}
	if !e.bound { // a button: the plan of the record it is about
		e = e.atUser(ctx, req.UserID, req.Channel)
		if report != 0 {
			if u, ok, err := e.store.Record(ctx, report); err == nil && ok {
				e = e.onPlan(u.Plan)
			}
		}
	}
	it := e.plan.Item(item)
	if it == nil {
		return errorReply(duban.Errorf(duban.CodeNotFound, "工作要点共%d条，没有第%d条。", len(e.plan.Items), item))
	}
	p, err := e.loadProgress(ctx)
	if err != nil {
		return e.officeError(err)
	}
	if !p.Rules.Review.On {
		return errorReply(duban.Errorf(duban.CodeInvalid, "完成审核未开启，报送“已完成”即视为完成。管理员可先发送“审核 开启”。"))
	}
	if agency != "" && !it.RoleOf(agency).Responsible() {
		return errorReply(duban.Errorf(duban.CodeInvalid, "%s不是第%d条的责任单位；第%d条由%s负责。", agency, item, item, strings.Join(it.Responsible(), "、")))
	}
	var target *progressRow
	var waiting []string
	for _, pr := range p.Item(item) {
		if pr.Review == duban.ReviewNone {
			continue
		}
		if agency == "" && pr.Review == duban.ReviewPending {
			waiting = append(waiting, pr.Agency)
		}
		if pr.Agency == agency || agency == "" && pr.Review == duban.ReviewPending && target == nil {
			pr := pr
			target = &pr
		}
	}
	switch {
	case agency == "" && len(waiting) > 1:
		return errorReply(duban.Errorf(duban.CodeInvalid, "第%d条有 %d 个单位待审核（%s），请写明单位，例如“通过 #%d %s”。", item, len(waiting), strings.Join(waiting, "、"), item, waiting[0]))
	case target == nil && agency == "":
		return errorReply(duban.Errorf(duban.CodeNotFound, "第%d条没有待审核的完成情况。发送“待审核”查看待审的工作。", item))
	case target == nil:
		return errorReply(duban.Errorf(duban.CodeNotFound, "%s在第%d条的最新报送不是“已完成”，没有需要审核的内容。", agency, item))
	case report != 0 && target.Latest.Seq != report:
		return errorReply(duban.Errorf(duban.CodeInvalid, "%s在第%d条已有更新的报送（记录 %d），请按最新报送审核：发送“第%d条进展”查看。", target.Agency, item, target.Latest.Seq, item))
	case d == duban.DecisionReturn && reason == "":
		return errorReply(duban.Errorf(duban.CodeInvalid, "退回需要写明理由，例如“退回 #%d %s 理由：缺少佐证材料”。", item, target.Agency))
	}
	step := duban.ReviewStep{Item: item, Agency: target.Agency, Report: target.Latest.Seq, Decision: d, Reason: reason,
		ByID: req.UserID, ByName: req.UserName, Time: req.Time, SourceID: req.SourceID}
	stored, dup, err := e.store.AddReview(ctx, e.planID(), step)
	if err != nil {
		return e.officeError(fmt.Errorf("store review: %w", err))
	}
	r := Reply{Intent: IntentReview, Items: []int{item}, Agencies: []string{stored.Agency}}
	if stored.Decision == duban.DecisionPass {
		r.Title = fmt.Sprintf("已通过：第%d条 %s 的完成情况（记录 %d）审核通过，显示绿灯。", item, stored.Agency, stored.Report)
	} else {
		r.Title = fmt.Sprintf("已退回：第%d条 %s 的完成情况（记录 %d），理由：%s。该单位需重新报送。", item, stored.Agency, stored.Report, stored.Reason)
	}
	if dup {
		return r // already told the agency the first time
	}
	text := fmt.Sprintf("【审核通过】贵单位（%s）报送的第%d条 %s 已完成，办公室审核通过。", stored.Agency, item, officeTruncate(it.Title, 30))
	if stored.Decision == duban.DecisionReturn {
		text = fmt.Sprintf("【退回】贵单位（%s）报送的第%d条 %s 已完成，办公室退回，理由：%s\n请补充后重新报送，例如：进展 #%d 已完成 ……", stored.Agency, item, officeTruncate(it.Title, 30), stored.Reason, item)
	}
	bindings, err := e.store.Bindings(ctx)
	if err != nil {
		return e.officeError(fmt.Errorf("read bindings: %w", err))
	}
	for _, b := range bindings {
		if b.Agency == stored.Agency {
			r.Direct = append(r.Direct, Message{UserID: b.UserID, Text: text})
		}
	}
	if len(r.Direct) == 0 {
		r.Note = stored.Agency + "没有绑定联系人，无法私信通知。"
	}
	return r
}
