package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"duban"
	"duban/bot/understand"
)

// officeCommand answers the office's commands as package understand reads
// them (understand.ReadOfficeCommand): 汇总 / summary [agency],
// 未报送 / missing [agency], 提醒 / remind [agency] (admins only) and
// 导出 / export [csv|xlsx]. ok is false when text is none of them, or
// names with 汇总 at its end no agency (哪些工作涉及数据汇总 is a search).
func (e *Engine) officeCommand(ctx context.Context, req Request, text string) (Reply, bool) {
	c, ok := understand.ReadOfficeCommand(text)
	if !ok {
		return Reply{}, false
	}
	switch c.Kind {
	case understand.Export:
		if !c.FormatOK {
			return errorReply(duban.Errorf(duban.CodeInvalid, "不支持的导出格式“%s”(format)，可选：%s，例如“导出 csv”。", c.Typed, strings.Join(ExportFormats, "、"))), true
		}
		if r, ok := e.summaryAccess(ctx, req.UserID); !ok {
			return r, true
		}
		return e.exportChat(ctx, c.Format), true

	case understand.Remind:
		admin, err := e.isAdmin(ctx, req.UserID)
		if err != nil {
			return e.officeError(fmt.Errorf("check admin: %w", err)), true
		}
		if !admin {
			return errorReply(duban.Errorf(duban.CodeForbidden, "抱歉，只有办公室管理员可以发送提醒 (admins only)。")), true
		}
		agencies, err := e.officeAgencies(c.Name)
		if err != nil {
			return errorReply(err), true
		}
		return e.withAmbiguity(e.RemindAs(ctx, req, agencies...), c.Typed, agencies), true

	case understand.Missing:
		agencies, err := e.officeAgencies(c.Name)
		if err != nil {
			return errorReply(err), true
		}
		return e.withAmbiguity(e.Missing(ctx, agencies...), c.Typed, agencies), true

	case understand.SummaryOf:
		// 省林业局汇总: only when what comes before names an agency, so
		// that a question such as 哪些工作涉及数据汇总 stays a search.
		agencies, err := e.officeAgencies(c.Name)
		if err != nil || len(agencies) == 0 {
			return Reply{}, false
		}
		if r, ok := e.summaryAccess(ctx, req.UserID); !ok {
			return r, true
		}
		return e.withAmbiguity(e.AgencySummary(ctx, agencies), c.Typed, agencies), true
	}
	agencies, err := e.officeAgencies(c.Name)
	if err != nil {
		return errorReply(err), true
	}
	if r, ok := e.summaryAccess(ctx, req.UserID); !ok {
		return r, true
	}
	if len(agencies) == 0 {
		return e.Summary(ctx), true
	}
	return e.withAmbiguity(e.AgencySummary(ctx, agencies), c.Typed, agencies), true
}

// summaryAccess checks that the user may have 汇总 and 导出, which show
// every agency's reports: with Config.PublicSummaries everyone may; else
// admins and users bound to an agency. When the user may not, it returns
// the reply that says so.
func (e *Engine) summaryAccess(ctx context.Context, userID string) (Reply, bool) {
	if e.cfg.PublicSummaries || e.store == nil { // without a store the command says so itself
		return Reply{}, true
	}
	admin, err := e.isAdmin(ctx, userID)
	if err != nil {
		return e.officeError(fmt.Errorf("check admin: %w", err)), false
	}
	if admin {
		return Reply{}, true
	}
	_, bound, err := e.binding(ctx, userID)
	if err != nil {
		return e.officeError(fmt.Errorf("check binding: %w", err)), false
	}
	if bound {
		return Reply{}, true
	}
	return errorReply(duban.Errorf(duban.CodeForbidden,
		"抱歉，汇总和导出只对已绑定单位的用户和办公室管理员开放 (summaries are for bound users and admins)。请联系办公室为您绑定单位；哪些单位尚未报送可以发送“未报送”查看。")), false
}

// withAmbiguity adds to r, when the name typed fits several agencies (海关),
// a note that says so.
func (e *Engine) withAmbiguity(r Reply, name string, agencies []string) Reply {
	name = strings.TrimSpace(name)
	if len(agencies) < 2 || r.Intent == IntentError || e.plan.Directory == nil || !e.plan.Directory.Ambiguous(name) {
		return r
	}
	note := fmt.Sprintf("“%s”对应 %d 个单位（%s），分别列出。", name, len(agencies), strings.Join(agencies, "、"))
	if r.Note != "" {
		note += "\n" + r.Note
	}
	r.Note = note
	return r
}

// officeAgencies reads the agencies a command names (understand's
// OfficeCommand.Name). An empty name names none (the whole office). A
// name that fits several agencies names each of them.
func (e *Engine) officeAgencies(name string) ([]string, error) {
	if name == "" {
		return nil, nil
	}
	dir := e.plan.Directory
	if dir != nil {
		if names, ok := dir.Resolve(name); ok {
			return names, nil
		}
		var out []string
		for _, m := range dir.Find(duban.Fold(name)) {
			for _, n := range m.Names {
				if !slices.Contains(out, n) {
					out = append(out, n)
				}
			}
		}
		if len(out) > 0 {
			return out, nil
		}
		if s := dir.Suggest(name, 3); len(s) > 0 {
			return nil, duban.Errorf(duban.CodeNotFound, "没有找到单位“%s”(agency)。您是不是要找：%s？", name, strings.Join(s, "、"))
		}
	}
	return nil, duban.Errorf(duban.CodeNotFound, "没有找到单位“%s”(agency)，请使用工作要点中的单位名称，例如“汇总 省林业局”。", name)
}
