package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"duban/bot/understand"
)

// intentRow is one row of the intent table: what a message asks and who
// answers it. A row with a Command reads the message itself (a command
// word starts it); a row with Match decides from the question as the
// understanding step read it. Rows are tried by Precedence, lowest first;
// the first that takes the message answers it.
type intentRow struct {
	Name       Intent
	Precedence int
	Strict     bool     // a Command row routed to plans strictly (only a plan named as one or at the start moves it)
	Group      string   // the help heading it is shown under; "" for none
	Examples   []string // help lines, each a few examples joined by " · "
	Command    func(e *Engine, ctx context.Context, req Request, text string) (Reply, bool)
	Match      func(e *Engine, q *understand.Query) bool
	Answer     func(e *Engine, ctx context.Context, req Request, q *understand.Query) Reply
}

// helpGroups are the help headings, in the order help shows them.
var helpGroups = []string{"查条目", "查单位", "查主题", "查通知", "报进展", "办公室", "督办"}

// intentTable is every intent the bot answers. Help is generated from it.
// It is filled in init: its rows call the handlers, and help reads it.
var intentTable []intentRow

func init() { intentTable = sortedRows(intentRows()) }

// intentRows returns the rows of the intent table.
func intentRows() []intentRow {
	return []intentRow{
		{Name: IntentHelp, Precedence: 10,
			Command: func(e *Engine, _ context.Context, _ Request, text string) (Reply, bool) {
				return e.help(), understand.Whole(text) == "help"
			}},
		{Name: IntentReview, Precedence: 15, Group: "督办",
			Examples: []string{"第19条截止时间 · 红灯 · 哪些黄灯 · 逾期的有哪些 · 待审核 · 省林业局红灯", "通报 · 汇总 图",
				"设置截止 #19 2021-06-30 · 截止 #19 · 取消截止 #19", "报送周期 每月 25日 · 审核 开启 · 通过 #19 省林业局 · 退回 #19 省林业局 理由…"},
			Command: func(e *Engine, ctx context.Context, req Request, text string) (Reply, bool) {
				return e.superviseCommand(ctx, req, text)
			}},
		{Name: IntentLights, Precedence: 18,
			Command: func(e *Engine, ctx context.Context, _ Request, text string) (Reply, bool) {
				// 逾期的有哪些 asks for the overdue pairs before it is read
				// as a filter on the status 滞后 (逾期 is a word for it).
				if !understand.LightCue(text) {
					return Reply{}, false
				}
				q := e.reader.Read(text)
				if q.Light == "" || len(q.Items) > 0 || len(q.BadItems) > 0 {
					return Reply{}, false
				}
				return e.lightsQuestion(ctx, &q), true
			}},
		// The rows from 20 to 30 read and write what the store keeps: they
		// read the message as written (req.Text) and are routed strictly
		// to plans (Strict: a report's text may mention years).
		{Name: IntentUpdate, Precedence: 20, Strict: true,
			// 是 / 否 answering what the bot asked to confirm (report_confirm.go).
			Command: func(e *Engine, ctx context.Context, req Request, _ string) (Reply, bool) {
				a := understand.ReadAnswer(strings.TrimSpace(req.Text))
				if a == understand.NoAnswer {
					return Reply{}, false
				}
				return e.answerPending(ctx, req, a == understand.Yes, "")
			}},
		{Name: IntentUpdate, Precedence: 21, Strict: true,
			// 撤回, 撤回 #53, 撤回 记录12 (report_retract.go).
			Command: func(e *Engine, ctx context.Context, req Request, _ string) (Reply, bool) {
				r, ok := understand.ReadRetraction(strings.TrimSpace(req.Text), e.plan)
				if !ok {
					return Reply{}, false
				}
				return e.retract(ctx, req, r), true
			}},
		{Name: IntentUpdate, Precedence: 22, Strict: true,
			// 更正 记录12 …, 更正 #53 … (report_retract.go).
			Command: func(e *Engine, ctx context.Context, req Request, _ string) (Reply, bool) {
				c, ok := understand.ReadCorrection(strings.TrimSpace(req.Text), e.plan)
				if !ok {
					return Reply{}, false
				}
				return e.correct(ctx, req, c), true
			}},
		{Name: IntentUpdate, Precedence: 23, Strict: true, Group: "报进展",
			// A report, stored (report_store.go), or perhaps one, asked about
			// first (intent confirm).
			Examples: []string{"进展 #53 进行中 已改造森林公园12个 · 第53条进展 · 撤回 · 我的单位"},
			Command: func(e *Engine, ctx context.Context, req Request, _ string) (Reply, bool) {
				text := strings.TrimSpace(req.Text)
				switch rep := understand.ReadReport(text, e.plan); rep.Verdict {
				case understand.IsReport:
					// Sentences each on its item that the grammar read as
					// one item's text ("第3条进度七成。第53条卡住了"): each.
					if loose := understand.ReadLooseReport(text, e.plan); len(loose.Items()) > len(rep.Items()) {
						if loose.Verdict == understand.IsReport {
							return e.report(ctx, req, loose), true
						}
						return e.askReport(ctx, req, loose)
					}
					return e.report(ctx, req, rep), true
				case understand.MaybeReport:
					// A status or a share said further on ("第4条…已经搞定了")
					// makes it a report without asking.
					loose := understand.ReadLooseReport(text, e.plan)
					switch {
					case loose.Verdict == understand.IsReport && !loose.MissingItem():
						return e.report(ctx, req, loose), true
					case loose.Verdict == understand.MaybeReport && len(loose.Items()) > len(rep.Items()):
						return e.askReport(ctx, req, loose) // 第3条…。第53条…: both
					}
					return e.askReport(ctx, req, rep)
				}
				return Reply{}, false
			}},
		{Name: IntentSummary, Precedence: 24, Strict: true,
			// 我的进展, 我的条目, my items (report_mine.go).
			Command: func(e *Engine, ctx context.Context, req Request, _ string) (Reply, bool) {
				if !understand.ReadMine(strings.TrimSpace(req.Text)) {
					return Reply{}, false
				}
				return e.mine(ctx, req), true
			}},
		{Name: IntentSummary, Precedence: 25, Strict: true,
			// 省林业局进展如何: an agency's progress, as 汇总 省林业局.
			Command: func(e *Engine, ctx context.Context, req Request, _ string) (Reply, bool) {
				names, typed, ok := understand.ReadAgencyProgress(strings.TrimSpace(req.Text), e.plan.Directory)
				if !ok {
					return Reply{}, false
				}
				if r, ok := e.summaryAccess(ctx, req.UserID); !ok {
					return r, true
				}
				return e.withAmbiguity(e.AgencySummary(ctx, names), typed, names), true
			}},
		{Name: IntentSummary, Precedence: 26, Strict: true,
			// 哪些工作滞后, 已完成的有哪些: items or agencies by status (report_mine.go).
			Command: func(e *Engine, ctx context.Context, req Request, _ string) (Reply, bool) {
				f, ok := understand.ReadFilter(strings.TrimSpace(req.Text))
				if !ok {
					return Reply{}, false
				}
				if r, ok := e.summaryAccess(ctx, req.UserID); !ok { // every agency's statuses
					return r, true
				}
				return e.statusFilter(ctx, f), true
			}},
		{Name: IntentUpdate, Precedence: 27, Strict: true,
			// A report in other words or another order ("我们局第53条推进中",
			// "第三条这边进度大概六成"): stored, confirmed first, or answered
			// with what it lacks; never dropped (report_loose in understand).
			Command: func(e *Engine, ctx context.Context, req Request, _ string) (Reply, bool) {
				if isCommand(req.Text) {
					return Reply{}, false // send reminders to everyone late: the office's command
				}
				switch rep := understand.ReadLooseReport(strings.TrimSpace(req.Text), e.plan); rep.Verdict {
				case understand.IsReport:
					return e.report(ctx, req, rep), true
				case understand.MaybeReport:
					return e.askReport(ctx, req, rep)
				}
				return Reply{}, false
			}},
		{Name: IntentBind, Precedence: 28, Strict: true,
			// 我的单位, whoami (report_binding.go).
			Command: func(e *Engine, ctx context.Context, req Request, _ string) (Reply, bool) {
				if !understand.ReadWhoami(req.Text) {
					return Reply{}, false
				}
				return e.whoami(ctx, req), true
			}},
		{Name: IntentHistory, Precedence: 29, Strict: true,
			// 第3条进展, #3进展, history #3 (report_progress.go).
			Command: func(e *Engine, ctx context.Context, req Request, _ string) (Reply, bool) {
				n, ok := understand.ReadHistory(req.Text)
				if !ok {
					return Reply{}, false
				}
				return e.history(ctx, n), true
			}},
		{Name: IntentBind, Precedence: 30, Strict: true,
			// 绑定, 解绑, 设为管理员, 取消管理员 (report_binding.go).
			Command: func(e *Engine, ctx context.Context, req Request, _ string) (Reply, bool) {
				c, ok := understand.ReadBindCommand(req.Text)
				if !ok {
					return Reply{}, false
				}
				return e.bindCommand(ctx, req, c), true
			}},
		{Name: IntentSummary, Precedence: 35, Group: "办公室",
			Examples: []string{"汇总 · 汇总 省林业局 · 未报送 · 提醒 · 导出"},
			Command: func(e *Engine, ctx context.Context, req Request, text string) (Reply, bool) {
				return e.officeCommand(ctx, req, text)
			}},
		{Name: IntentHelp, Precedence: 40,
			Command: func(e *Engine, _ context.Context, _ Request, text string) (Reply, bool) {
				return e.smallTalk(understand.Whole(text))
			}},
		{Name: IntentSearch, Precedence: 50, Group: "查主题",
			Examples: []string{"搜索 省住建厅"},
			Command: func(e *Engine, ctx context.Context, _ Request, text string) (Reply, bool) {
				rest, ok := understand.SearchCommand(text)
				if !ok {
					return Reply{}, false
				}
				return e.searchReply(ctx, rest), true // the text as written, agency names and all
			}},
		{Name: IntentMeta, Precedence: 60, Group: "查通知",
			Examples: []string{"反馈截止时间是什么时候 · 联系人 · 联系电话 · 传真 · 邮箱 · 哪些单位收到了通知"},
			Match:    (*Engine).isMetaQuestion,
			Answer: func(e *Engine, _ context.Context, _ Request, q *understand.Query) Reply {
				return e.metaQuestion(q)
			}},
		{Name: IntentDeadline, Precedence: 65,
			Match: func(_ *Engine, q *understand.Query) bool {
				return q.Meta == "deadline" && len(q.Items) > 0 && len(q.BadItems) == 0
			},
			Answer: func(e *Engine, ctx context.Context, _ Request, q *understand.Query) Reply {
				return e.deadlineQuestion(ctx, q)
			}},
		{Name: IntentLights, Precedence: 66,
			Match: func(_ *Engine, q *understand.Query) bool {
				return q.Light != "" && len(q.Items) == 0 && len(q.BadItems) == 0
			},
			Answer: func(e *Engine, ctx context.Context, _ Request, q *understand.Query) Reply {
				return e.lightsQuestion(ctx, q)
			}},
		{Name: IntentItem, Precedence: 70, Group: "查条目",
			Examples: []string{"第39条是什么 · 第三十九条 · 要点35 · #35 · show item 67", "第13条有哪些量化指标 · 最后一条 · 五十一至五十二条"},
			Match: func(_ *Engine, q *understand.Query) bool {
				if withinItems(q) {
					return false // 前十条里哪些是海关的: the agency's items among them
				}
				return len(q.Items) > 0 || len(q.BadItems) > 0 && !(q.Bare && len(q.Items) == 0)
			},
			Answer: func(e *Engine, ctx context.Context, _ Request, q *understand.Query) Reply {
				return e.itemQuestion(ctx, q)
			}},
		{Name: IntentInvolved, Precedence: 80, Group: "查单位",
			Examples: []string{"省林业局牵头哪些工作 · 林业局负责什么 · 海关按职责落实哪些", "药监局除了牵头的还配合哪些 · 前十条里哪些是海关的 · which items does 省林业局 lead"},
			// An agency named in a figure question with no role word
			// ("海关知识产权保护专项行动叫什么名字") is part of its topic.
			Match: func(_ *Engine, q *understand.Query) bool { return len(q.Agencies) > 0 && !(q.Figure && !q.Roles.Any()) },
			Answer: func(e *Engine, ctx context.Context, _ Request, q *understand.Query) Reply {
				return e.agencyQuestion(ctx, q)
			}},
		{Name: IntentError, Precedence: 90,
			Match: func(_ *Engine, q *understand.Query) bool { return q.Unknown != "" },
			Answer: func(e *Engine, _ context.Context, _ Request, q *understand.Query) Reply {
				return e.unknownAgency(q.Unknown)
			}},
		{Name: IntentMeta, Precedence: 95,
			// A topic question the cover letter or the preamble answers;
			// when they do not, the rows after this one answer it.
			Match: func(_ *Engine, q *understand.Query) bool { return q.Topic != "" },
			Answer: func(e *Engine, ctx context.Context, req Request, q *understand.Query) Reply {
				if r, ok := e.passageAnswer(ctx, q); ok {
					return r
				}
				return e.answerFrom(ctx, req, q, 95)
			}},
		{Name: IntentWho, Precedence: 100, Group: "查主题",
			Examples: []string{"电梯安全归哪个部门牵头 · 除了海关还有谁负责第34条 · who leads 疫苗 supervision"},
			Match:    func(_ *Engine, q *understand.Query) bool { return q.Who },
			Answer: func(e *Engine, ctx context.Context, _ Request, q *understand.Query) Reply {
				return e.whoReply(ctx, q.Topic, excludedNames(q))
			}},
		{Name: IntentTarget, Precedence: 110, Group: "查主题",
			Examples: []string{"供水管网要新改建多少公里"},
			Match:    func(_ *Engine, q *understand.Query) bool { return q.Figure },
			Answer: func(e *Engine, ctx context.Context, _ Request, q *understand.Query) Reply {
				return e.targetTopicReply(ctx, q.Rest, withAgencies(q))
			}},
		{Name: IntentSearch, Precedence: 120, Group: "查主题",
			Examples: []string{"哪些工作涉及石墨烯 · 有关茶的内容 · items about 医疗器械"},
			Match:    func(*Engine, *understand.Query) bool { return true },
			Answer: func(e *Engine, ctx context.Context, _ Request, q *understand.Query) Reply {
				return e.searchReply(ctx, q.Topic)
			}},
	}
}

// isCommand reports whether a message is one of the commands the rows
// after the loose report read (the office's, supervision, plans, 绑定):
// words such as late or 完成 in them are no report.
func isCommand(text string) bool {
	if _, ok := understand.ReadOfficeCommand(text); ok {
		return true
	}
	if _, ok := understand.ReadSuperviseCommand(text); ok {
		return true
	}
	if _, ok := understand.ReadBindCommand(text); ok {
		return true
	}
	_, ok := understand.ReadPlanCommand(text)
	return ok
}

// withinItems reports whether a question asks for an agency's items among
// several it names ("前十条里哪些是海关的", "第20条以后文旅厅牵头的").
func withinItems(q *understand.Query) bool {
	return len(q.Items) > 1 && len(q.Agencies) > 0 && !q.Who && !q.Figure
}

// sortedRows orders the table by precedence.
func sortedRows(rows []intentRow) []intentRow {
	slices.SortStableFunc(rows, func(a, b intentRow) int { return a.Precedence - b.Precedence })
	return rows
}

// route answers a request from the intent table, from the plan the
// message names or the asker is on (office_plans.go): the plan commands first,
// then a comparison of plans, then the rows of the table, each with a
// copy of the engine bound to the plan. A long answer is sent a page at
// a time (ask_pages.go).
func (e *Engine) route(ctx context.Context, req Request) Reply {
	text := cleanText(req.Text)
	if understand.Whole(text) == "more" {
		return e.nextPage(req)
	}
	return e.paginate(req, e.routeMessage(ctx, req, text))
}

// routeMessage answers a message that is not 更多.
func (e *Engine) routeMessage(ctx context.Context, req Request, text string) Reply {
	cur := e.current(ctx, req.UserID, req.Channel)
	if c, ok := understand.ReadPlanCommand(text); ok {
		return e.forPlan(cur).planCommand(ctx, req, c, cur)
	}
	if r, ok := e.compareQuestion(ctx, text, cur); ok {
		return r
	}
	loose := e.routePlans(text, cur, false)
	if loose.reply != nil {
		return *loose.reply
	}
	// A report's text may mention years: only a plan named as one, or at
	// the start of the message, moves it to another plan.
	strict := e.routePlans(text, cur, true)
	for _, row := range intentTable {
		if row.Command == nil {
			continue
		}
		rt := loose
		if row.Strict {
			rt = strict
		}
		be := e.forPlan(rt.entry)
		be.allPlans = rt.all
		rq := req
		if len(rt.refs) > 0 {
			rq.Text = rt.text
		}
		if r, ok := row.Command(be, ctx, rq, rt.text); ok {
			return be.stamp(be.afterCommand(ctx, rq, r))
		}
	}
	be := e.forPlan(loose.entry)
	be.allPlans = loose.all
	q := be.reader.Read(loose.text, loose.refs...)
	for _, row := range intentTable {
		if row.Match != nil && row.Match(be, &q) {
			return be.stamp(row.Answer(be, ctx, req, &q))
		}
	}
	return be.stamp(be.searchReply(ctx, q.Topic))
}

// withAgencies is a question's topic with the agencies it names as part
// of it, for a figure question about an agency's work.
func withAgencies(q *understand.Query) string {
	topic := q.Topic
	for _, a := range q.Agencies {
		topic = strings.TrimSpace(a.Text + " " + topic)
	}
	return topic
}

// answerFrom answers a question from the first row after precedence
// after that takes it.
func (e *Engine) answerFrom(ctx context.Context, req Request, q *understand.Query, after int) Reply {
	for _, row := range intentTable {
		if row.Precedence > after && row.Match != nil && row.Match(e, q) {
			return row.Answer(e, ctx, req, q)
		}
	}
	return e.searchReply(ctx, q.Topic)
}

// isMetaQuestion reports whether a question asks about the cover letter:
// a cue of it, no item, and nothing else asked about (a contact question
// may name an agency: "省市场监管局的联系人是谁").
func (e *Engine) isMetaQuestion(q *understand.Query) bool {
	if q.Meta == "" || len(q.Items) > 0 || len(q.BadItems) > 0 {
		return false
	}
	if len(q.Agencies) > 0 {
		// "省市场监管局的联系人是谁", "收文单位有省委党校吗"
		return (contactKind(q.Meta) || q.Meta == "recipients") && !q.Roles.Any()
	}
	return !namesTopic(q.Residue)
}

// contactKind reports whether a cover-letter fact is the notice's contact.
func contactKind(kind string) bool {
	switch kind {
	case "contact", "phone", "email", "fax":
		return true
	}
	return false
}

// namesTopic reports whether what a question says besides its cues names
// a matter of its own: two Chinese characters or an English word of three
// letters or more.
func namesTopic(residue string) bool {
	for _, w := range strings.Fields(residue) {
		if utf8.RuneCountInString(w) >= 2 && w[0] >= utf8.RuneSelf || len(w) >= 3 {
			return true
		}
	}
	return false
}

// help is the short Chinese guide shown on start and for 帮助, generated
// from the intent table.
func (e *Engine) help() Reply {
	r := Reply{
		Intent: IntentHelp,
		Title:  "督办助手：《" + orDefault(e.plan.Meta.Title, "工作要点") + "》共" + strconv.Itoa(len(e.plan.Items)) + "条，可以这样问我",
		Note:   "输入“帮助”随时查看本说明。",
	}
	for _, g := range helpGroups {
		var lines []string
		for _, row := range intentTable {
			if row.Group == g {
				lines = append(lines, row.Examples...)
			}
		}
		if len(lines) > 0 {
			r.Sections = append(r.Sections, Section{Heading: g, Text: strings.Join(lines, "\n")})
		}
	}
	return r
}
