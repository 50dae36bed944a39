package bot

import (
	"context"
	"fmt"
	"strings"

	"duban"
	"duban/bot/understand"
)

// IntentPlans is the intent of the plan commands: 计划列表, 切换计划 and
// 导入计划 (a new intent of the conversation contract).
const IntentPlans Intent = "plans"

// planCommand answers the plan commands; cur is the plan the asker is on.
func (e *Engine) planCommand(ctx context.Context, req Request, c understand.PlanCommand, cur *planEntry) Reply {
	switch c.Kind {
	case "list":
		return e.listPlans(ctx, req, cur)
	case "switch":
		return e.switchPlan(ctx, req, c, cur)
	case "import":
		return e.importCommand(ctx, req, c)
	}
	return Reply{Intent: IntentError, Title: "无法识别的计划命令。"}
}

// listPlans answers 计划列表: every plan with its year, id and size, the
// office's default and the one the asker is on.
func (e *Engine) listPlans(ctx context.Context, req Request, cur *planEntry) Reply {
	def := e.current(ctx, "", "")
	all := e.plans.all()
	r := Reply{Intent: IntentPlans, Title: fmt.Sprintf("已载入的计划（%d个）", len(all)), Items: []int{}}
	var lines []string
	for i, pe := range all {
		if i == listPlanLines {
			lines = append(lines, fmt.Sprintf("……另有%d个计划未列出", len(all)-i))
			break
		}
		var marks []string
		if pe == def {
			marks = append(marks, "默认")
		}
		if pe == cur {
			marks = append(marks, "您当前使用")
		}
		line := fmt.Sprintf("%s 《%s》 %s，共%d条", planYear(pe.plan), planLabel(pe.plan), pe.plan.ID, len(pe.plan.Items))
		if len(marks) > 0 {
			line += "（" + strings.Join(marks, "，") + "）"
		}
		lines = append(lines, line)
	}
	r.Sections = []Section{{Text: strings.Join(lines, "\n")}}
	r.Note = "提问时可以指明计划，如“2022年省林业局牵头哪些”“去年的第3条”；输入“切换计划 2022”改用另一个计划。"
	return r
}

// listPlanLines bounds the plans 计划列表 shows.
const listPlanLines = 30

// findPlan resolves what 切换计划 names: a year ("2022", "2022年"), a
// relative year, an id, or words of a title.
func (e *Engine) findPlan(arg string, cur *planEntry) (*planEntry, error) {
	arg = strings.TrimSpace(arg)
	if pe := e.plans.byID(strings.ToLower(arg)); pe != nil {
		return pe, nil
	}
	refs := understand.FindPlanRefs(arg)
	if len(refs) == 0 {
		// A bare year: "2022".
		refs = understand.FindPlanRefs("计划 " + arg)
	}
	for _, r := range refs {
		if pe := e.resolvePlanRef(r, cur); pe != nil {
			return pe, nil
		}
	}
	if arg != "" {
		var found []*planEntry
		for _, pe := range e.plans.all() {
			if strings.Contains(pe.plan.Title, arg) {
				found = append(found, pe)
			}
		}
		if len(found) == 1 {
			return found[0], nil
		}
	}
	return nil, duban.Errorf(duban.CodeNotFound, "没有找到计划“%s”(no such plan)。已载入的计划：%s。", arg, e.knownPlans())
}

// switchPlan answers 切换计划: the asker's own plan, the channel's default
// (admins), the office's default for everyone (admins), or back to the
// default.
func (e *Engine) switchPlan(ctx context.Context, req Request, c understand.PlanCommand, cur *planEntry) Reply {
	if c.Scope == "reset" && c.Arg == "" {
		if err := e.setChoice(ctx, ScopeUser(req.UserID), "", sourceID(req)); err != nil {
			return errorReply(err)
		}
		def := e.current(ctx, "", req.Channel)
		return Reply{Intent: IntentPlans, Title: fmt.Sprintf("已恢复默认计划：《%s》（%s）。", planLabel(def.plan), def.plan.ID)}
	}
	if c.Arg == "" {
		return Reply{Intent: IntentPlans, Title: fmt.Sprintf("您当前使用《%s》（%s）。", planLabel(cur.plan), cur.plan.ID),
			Note: "用法：切换计划 2022（只对您有效）· 切换计划 2022 本频道 · 切换计划 2022 全局（管理员）· 切换计划 默认。已载入：" + e.knownPlans() + "。"}
	}
	pe, err := e.findPlan(c.Arg, cur)
	if err != nil {
		return errorReply(err)
	}
	scope, whom := ScopeUser(req.UserID), "只对您有效"
	switch c.Scope {
	case "channel":
		if req.Channel == "" || req.Channel == consoleChannel {
			return errorReply(duban.Errorf(duban.CodeInvalid, "这里不是频道，请在要设置的频道里发送“切换计划 %s 本频道”。", c.Arg))
		}
		if r, ok := e.requireAdmin(ctx, req, "设置频道的默认计划"); !ok {
			return r
		}
		scope, whom = ScopeChannel(req.Channel), "本频道默认使用；个人选择优先"
	case "global":
		if r, ok := e.requireAdmin(ctx, req, "设置全局默认计划"); !ok {
			return r
		}
		scope, whom = ScopeGlobal, "所有人默认使用；频道和个人的选择优先"
	}
	if err := e.setChoice(ctx, scope, pe.plan.ID, sourceID(req)); err != nil {
		return errorReply(err)
	}
	return Reply{Intent: IntentPlans, Title: fmt.Sprintf("已切换到《%s》（%s，共%d条；%s）。", planLabel(pe.plan), pe.plan.ID, len(pe.plan.Items), whom)}
}

// consoleChannel is the channel of console requests.
const consoleChannel = "console"
