package bot

import (
	"context"
	"strings"
	"unicode/utf8"

	"duban"
)

// This file is what forms and dashboards (the Slack report modal and App
// Home) need from the engine: the user's agency and its items, and a way
// to submit a report field by field that goes through the same rules as a
// report written in chat.

// Workbench is a user's view of their work: the agency they report for
// and its items with the latest status of each.
type Workbench struct {
	UserID string
	Agency string // canonical name of the bound agency; "" when unbound
	Admin  bool
	Items  []WorkItem // the agency's items (lead or joint), ascending
	Notice string     // when the user cannot report here, why (Chinese)
}

// WorkItem is one item of a workbench.
type WorkItem struct {
	Number int
	Title  string
	Role   duban.Role
	Latest *duban.Update // the agency's latest report on it; nil if none
}

// Form fields a report error may point at.
const (
	FieldItem    = "item"
	FieldStatus  = "status"
	FieldPercent = "percent"
	FieldText    = "text"
)

// ReportInput is a report filled in field by field.
type ReportInput struct {
	Item    int
	Status  duban.Status
	Percent int // 0..100, or duban.NoPercent
	Text    string
}

// WantsReportForm reports whether the text asks to report without saying
// on what: a report word alone ("进展", "update"), as the report grammar
// reads it. Adapters with forms open one instead of answering.
func WantsReportForm(text string) bool {
	_, kind := parseReport(strings.TrimSpace(text))
	return kind == reportNoItem
}

// Workbench returns the user's agency and its items with their latest
// status.
func (e *Engine) Workbench(ctx context.Context, userID string) (Workbench, error) {
	wb := Workbench{UserID: userID}
	if e.store == nil {
		wb.Notice = "存储不可用，暂时无法报送进展 (storage unavailable)。"
		return wb, nil
	}
	admin, err := e.isAdmin(ctx, userID)
	if err != nil {
		return wb, err
	}
	wb.Admin = admin
	b, ok, err := e.binding(ctx, userID)
	if err != nil {
		return wb, duban.Errorf(duban.CodeInternal, "读取单位绑定失败 (binding): %w", err)
	}
	if !ok {
		wb.Notice = "您还没有绑定单位，请联系办公室（管理员）用「绑定 @您 单位名称」为您绑定后再报送。"
		if wb.Admin {
			wb.Notice = "您是管理员但未绑定单位：代单位报送请在聊天中写「进展 #34 [厦门海关] 进行中 …」。"
		}
		return wb, nil
	}
	wb.Agency = b.Agency
	latest, err := e.store.Latest(ctx)
	if err != nil {
		return wb, duban.Errorf(duban.CodeInternal, "读取最新进展失败 (latest): %w", err)
	}
	byItem := map[int]*duban.Update{}
	for i := range latest {
		if latest[i].Agency == b.Agency {
			byItem[latest[i].Item] = &latest[i]
		}
	}
	for _, n := range e.plan.ItemsFor(b.Agency, duban.RoleLead, duban.RoleJoint) {
		it := e.plan.Item(n)
		wb.Items = append(wb.Items, WorkItem{Number: n, Title: it.Title, Role: it.RoleOf(b.Agency), Latest: byItem[n]})
	}
	if len(wb.Items) == 0 {
		wb.Notice = "您的单位（" + b.Agency + "）在工作要点中没有牵头或按职责落实的工作。"
	}
	return wb, nil
}

// SubmitReport stores a report filled in a form. It goes through the very
// checks and storage of a report written in chat (Engine.report): the item
// exists, the user's bound agency is responsible for it, the text is 2 to
// 2000 characters, the percent 0 to 100; req carries the author and a
// SourceID, and the same SourceID twice stores once. The form itself
// requires an item and a status. On success the reply confirms; on failure
// errs maps the form field the problem concerns to the Chinese message,
// and nothing is stored.
func (e *Engine) SubmitReport(ctx context.Context, req Request, in ReportInput) (reply Reply, errs map[string]string) {
	errs = map[string]string{}
	if in.Item <= 0 {
		errs[FieldItem] = "请选择一条工作要点。"
	}
	if in.Status == duban.StatusNone {
		errs[FieldStatus] = "请选择状态：未开始、进行中、已完成或滞后。"
	}
	if len(errs) > 0 {
		return Reply{}, errs
	}
	if req.Time.IsZero() {
		req.Time = e.now()
	}
	cmd := reportCmd{Item: in.Item, Status: in.Status, Percent: in.Percent, Text: strings.TrimSpace(in.Text)}
	r := e.report(ctx, req, cmd)
	if r.Intent != IntentError {
		return r, nil
	}
	msg := r.Title
	if len(r.Sections) > 0 && len(r.Sections[0].Fields) > 0 {
		f := r.Sections[0].Fields[0]
		msg += " " + f.Label + "：" + f.Value
	}
	errs[e.reportField(ctx, req, cmd)] = msg
	return Reply{}, errs
}

// reportField says which form field a refused report's problem concerns,
// following the order in which Engine.report checks: the item and the
// user's right to report on it, then the text, then the percent.
func (e *Engine) reportField(ctx context.Context, req Request, cmd reportCmd) string {
	it := e.plan.Item(cmd.Item)
	if it == nil {
		return FieldItem
	}
	b, bound, err := e.binding(ctx, req.UserID)
	if err == nil && (!bound || !it.RoleOf(b.Agency).Responsible()) {
		return FieldItem
	}
	if n := utf8.RuneCountInString(cmd.Text); n < MinReportText || n > MaxReportText {
		return FieldText
	}
	if cmd.Percent != duban.NoPercent && (cmd.Percent < 0 || cmd.Percent > 100) {
		return FieldPercent
	}
	return FieldText
}
