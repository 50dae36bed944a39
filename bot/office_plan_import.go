package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"duban"
	"duban/bot/understand"
)

// previewUnknown bounds the unknown agencies a preview lists.
const previewUnknown = 15

// PlanPreview is what the office sees before a plan is stored: the plan's
// id, title and year, its items and responsibilities, and the agencies
// no directory lists, each with the known agencies it may be. The
// console, the chat import and `duban plan add` show the same.
func PlanPreview(p *duban.Plan) Reply {
	s := p.Summarize()
	r := Reply{Intent: IntentPlans, Items: []int{},
		Title: fmt.Sprintf("计划《%s》（%s，%s）", planLabel(p), p.ID, planYear(p))}
	fields := []Field{
		{"条目", fmt.Sprintf("%d 条", s.Items)},
		{"牵头", fmt.Sprintf("%d 个“条目-牵头单位”组合", s.Lead)},
		{"按职责落实", fmt.Sprintf("%d 个“条目-配合单位”组合", s.Joint)},
		{"责任单位", fmt.Sprintf("%d 个", s.Agencies)},
	}
	if !p.Meta.Deadline.IsZero() {
		fields = append(fields, Field{"反馈截止", p.Meta.DeadlineText})
	}
	r.Sections = append(r.Sections, Section{Fields: fields})
	if len(s.Unknown) == 0 {
		r.Sections = append(r.Sections, Section{Text: "所有单位都在单位目录中。"})
		return r
	}
	var lines []string
	for i, u := range s.Unknown {
		if i == previewUnknown {
			lines = append(lines, fmt.Sprintf("……另有%d个", len(s.Unknown)-i))
			break
		}
		line := u.Name
		if len(u.Items) > 0 {
			line += "（" + itemList(u.Items, 6) + "）"
		} else {
			line += "（仅见于主送单位）"
		}
		if len(u.Suggestions) > 0 {
			line += "：可能是" + strings.Join(u.Suggestions, "、")
		} else {
			line += "：新单位"
		}
		lines = append(lines, line)
	}
	r.Sections = append(r.Sections, Section{
		Heading: fmt.Sprintf("不在单位目录中的单位（%d个，将按文档中的名称新增）", len(s.Unknown)),
		Text:    strings.Join(lines, "\n"),
	})
	r.Note = "若是已有单位的另一种写法，请在计划的单位别名文件中写明（格式见 lexicon/agencies.txt）后重新导入。"
	return r
}

// itemList writes item numbers as 第4、5条, at most n of them.
func itemList(items []int, n int) string {
	var parts []string
	for _, it := range items[:min(n, len(items))] {
		parts = append(parts, fmt.Sprint(it))
	}
	out := "第" + strings.Join(parts, "、") + "条"
	if len(items) > n {
		out += fmt.Sprintf("等%d条", len(items))
	}
	return out
}

// pendingPlan is the kind of a pending action that adds a plan.
const pendingPlan = "plan"

// pendingPlanData is a plan waiting for the office's confirmation: what it
// is made from, parsed again when confirmed.
type pendingPlanData struct {
	Source duban.PlanSource `json:"source"`
	Name   string           `json:"name"` // the file's name, for messages
}

// PlanImport is what comes with a plan document besides its content.
type PlanImport struct {
	Name     string // the file's name ("" when unknown)
	ID       string // the id to store it under; "" derives one (duban.SuggestPlanID)
	Title    string // the plan's title; "" takes the document's
	Agencies []byte // the plan's own agency file, if any
}

// ImportPlan reads a plan document an admin sent (a Slack file, a console
// path, `duban plan add`): it parses it and shows what was read, and keeps
// it waiting for the admin's 是. Nothing is stored before that; a
// document with a problem is refused with its line and the reason.
func (e *Engine) ImportPlan(ctx context.Context, req Request, data []byte, in PlanImport) Reply {
	if req.Time.IsZero() {
		req.Time = e.now()
	}
	if r, ok := e.requireAdmin(ctx, req, "导入计划"); !ok {
		return r
	}
	if e.planStore() == nil {
		return errorReply(duban.Errorf(duban.CodeInternal, "抱歉，当前的数据存储不能保存计划 (plans cannot be stored)。"))
	}
	p, src, err := e.readPlan(data, in)
	if err != nil {
		return importRefused(in.Name, err)
	}
	c, err := e.ask(ctx, req, pendingPlan, pendingPlanData{Source: src, Name: in.Name}, "导入这个计划", "取消")
	if err != nil {
		return errorReply(err)
	}
	r := PlanPreview(p)
	r.Confirm = c
	r.Intent = IntentConfirm
	r.Title = "导入预览：" + r.Title
	r.Note = strings.TrimSpace(fmt.Sprintf("回复“是”导入这个计划，回复“否”取消；%d分钟内有效，确认前不会保存。%s",
		int(e.cfg.PendingTTL/time.Minute), r.Note))
	return r
}

// readPlan parses a document to import and checks that it is new: an id
// or a document already loaded is refused.
func (e *Engine) readPlan(data []byte, in PlanImport) (*duban.Plan, duban.PlanSource, error) {
	src := duban.PlanSource{ID: strings.TrimSpace(in.ID), Title: strings.TrimSpace(in.Title), Document: data, Agencies: in.Agencies}
	if len(data) > duban.MaxDocumentBytes {
		return nil, src, duban.Errorf(duban.CodeInvalid, "文件太大（%d 字节），计划文档最多 %d MiB (too large)", len(data), duban.MaxDocumentBytes>>20)
	}
	probe := src
	if probe.ID == "" {
		probe.ID = "probe" // checked below, once the year is known
	}
	p, err := probe.Parse()
	if err != nil {
		return nil, src, err
	}
	if src.ID == "" {
		src.ID = duban.SuggestPlanID(p, in.Name, func(id string) bool { return e.plans.byID(id) != nil })
	}
	p.ID = src.ID
	if pe := e.plans.byID(src.ID); pe != nil {
		return nil, src, duban.Errorf(duban.CodeInvalid, "计划编号“%s”已被《%s》使用，请换一个编号 (--id) (plan id taken)", src.ID, planLabel(pe.plan))
	}
	for _, pe := range e.plans.all() {
		if pe.plan.Hash != "" && pe.plan.Hash == p.Hash {
			return nil, src, duban.Errorf(duban.CodeInvalid, "这份文档与已载入的《%s》（%s）完全相同，无需重复导入 (same document)", planLabel(pe.plan), pe.plan.ID)
		}
	}
	return p, src, nil
}

// importRefused is the answer to a document that cannot be imported: the
// reason, with its line, and that nothing changed.
func importRefused(name string, err error) Reply {
	what := "这份文档"
	if name != "" {
		what = "“" + name + "”"
	}
	return Reply{Intent: IntentError, Title: fmt.Sprintf("无法导入%s，没有做任何更改。", what), Note: duban.UserMessage(err)}
}

// AddPlanNow reads a plan document and, when it can be imported, stores
// it and serves it at once, without asking (the command line: `duban plan
// add` is the admin's decision already). The reply is the preview and
// what was stored, or why nothing was; check true only previews.
func (e *Engine) AddPlanNow(ctx context.Context, req Request, data []byte, in PlanImport, check bool) Reply {
	if req.Time.IsZero() {
		req.Time = e.now()
	}
	if r, ok := e.requireAdmin(ctx, req, "导入计划"); !ok {
		return r
	}
	p, src, err := e.readPlan(data, in)
	if err != nil {
		return importRefused(in.Name, err)
	}
	preview := PlanPreview(p)
	if check {
		preview.Note = strings.TrimSpace("检查通过，没有保存 (--check)。" + preview.Note)
		return preview
	}
	r := e.storePlan(ctx, req, pendingPlanData{Source: src, Name: in.Name}, sourceID(req))
	if r.Intent == IntentError {
		return r
	}
	preview.Sections = append(preview.Sections, Section{Text: r.Title})
	preview.Note = r.Note
	return preview
}

// confirmPlan stores a plan the office confirmed and serves it at once.
func (e *Engine) confirmPlan(ctx context.Context, req Request, p duban.Pending, src string) Reply {
	var d pendingPlanData
	if err := json.Unmarshal(p.Data, &d); err != nil || d.Source.ID == "" {
		e.log.Error("pending plan", "err", err, "user", req.UserID)
		return errorReply(duban.Errorf(duban.CodeInternal, "待确认的计划无法读取，请重新导入。"))
	}
	return e.storePlan(ctx, req, d, src)
}

// storePlan stores a plan and serves it.
func (e *Engine) storePlan(ctx context.Context, req Request, d pendingPlanData, src string) Reply {
	ps := e.planStore()
	if ps == nil {
		return errorReply(duban.Errorf(duban.CodeInternal, "抱歉，当前的数据存储不能保存计划 (plans cannot be stored)。"))
	}
	plan, err := d.Source.Parse()
	if err != nil {
		return importRefused(d.Name, err)
	}
	if e.plans.byID(plan.ID) != nil {
		return importRefused(d.Name, duban.Errorf(duban.CodeInvalid, "计划编号“%s”已被使用 (plan id taken)", plan.ID))
	}
	d.Source.AddedBy, d.Source.AddedAt = req.UserID, req.Time
	if _, err := ps.AddPlan(ctx, d.Source, src); err != nil {
		e.log.Error("store plan", "plan", d.Source.ID, "err", err)
		return errorReply(err)
	}
	if err := e.AddPlan(plan); err != nil {
		return errorReply(err)
	}
	s := plan.Summarize()
	return Reply{Intent: IntentPlans, Items: []int{},
		Title: fmt.Sprintf("已导入《%s》（%s，%s）：%d条，%d个责任单位。", planLabel(plan), plan.ID, planYear(plan), s.Items, s.Agencies),
		Note:  fmt.Sprintf("提问时写“%s…”或先“切换计划 %s”；管理员可用“切换计划 %s 全局”把它设为默认计划。", planYear(plan), plan.ID, plan.ID)}
}

// importCommand answers 导入计划 typed in chat: with a file attached it
// imports it; at the console (the local operator) the path of a file; else
// it says how.
func (e *Engine) importCommand(ctx context.Context, req Request, c understand.PlanCommand) Reply {
	if len(req.Files) > 0 {
		f := req.Files[0]
		data, err := f.Fetch(ctx, int64(duban.MaxDocumentBytes))
		if err != nil {
			return importRefused(f.Name, err)
		}
		return e.ImportPlan(ctx, req, data, PlanImport{Name: f.Name})
	}
	if c.Arg != "" && req.Channel == consoleChannel && req.UserID == LocalOperator {
		path := strings.Trim(c.Arg, "\"'“”")
		data, err := os.ReadFile(path)
		if err != nil {
			return importRefused(filepath.Base(path), duban.Errorf(duban.CodeNotFound, "无法读取文件 %s (cannot read file)", filepath.Base(path)))
		}
		return e.ImportPlan(ctx, req, data, PlanImport{Name: filepath.Base(path)})
	}
	return Reply{Intent: IntentPlans, Title: "导入计划：请把计划文档（UTF-8 文本，格式同现有的工作要点）作为文件发给我，并附上“导入计划”；只有管理员可以导入。",
		Note: "命令行：duban plan add 文件 [--id 编号] [--title 标题]。导入前会显示读到的条目和单位，确认后才保存。"}
}
