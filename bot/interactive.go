package bot

import (
	"context"
	"strconv"
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

// reportWords are the words that start a report in chat; alone they ask
// for the report form.
var reportWords = map[string]bool{
	"进展": true, "更新": true, "汇报": true, "报告进展": true, "报进展": true,
	"update": true, "report": true,
}

// WantsReportForm reports whether the text asks to report without saying
// what: a report word alone ("进展", "update"). Adapters with forms open
// one instead of answering.
func WantsReportForm(text string) bool {
	return reportWords[strings.ToLower(strings.TrimSpace(text))]
}

// formAdmin reports whether the user is an admin by configuration or in
// the store.
func (e *Engine) formAdmin(ctx context.Context, userID string) bool {
	if e.admins[userID] {
		return true
	}
	if e.store == nil {
		return false
	}
	ok, err := e.store.IsAdmin(ctx, userID)
	if err != nil {
		e.log.Error("checking admin", "user", userID, "err", err)
	}
	return ok
}

// Workbench returns the user's agency and its items with their latest
// status.
func (e *Engine) Workbench(ctx context.Context, userID string) (Workbench, error) {
	wb := Workbench{UserID: userID}
	if e.store == nil {
		wb.Notice = "存储不可用，暂时无法报送进展 (storage unavailable)。"
		return wb, nil
	}
	wb.Admin = e.formAdmin(ctx, userID)
	b, ok, err := e.store.Binding(ctx, userID)
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

// SubmitReport stores a report filled in a form, under the same rules as a
// report written in chat: the item exists, the user's bound agency is
// responsible for it, a status is given, the percent is 0 to 100 and the
// text 2 to 2000 characters. req carries the author and a SourceID; the
// same SourceID twice stores once. On success the reply confirms; on
// failure errs maps form fields to Chinese messages and nothing is stored.
func (e *Engine) SubmitReport(ctx context.Context, req Request, in ReportInput) (reply Reply, errs map[string]string) {
	errs = map[string]string{}
	if e.store == nil {
		errs[FieldText] = "存储不可用，暂时无法报送进展 (storage unavailable)。"
		return Reply{}, errs
	}
	it := e.plan.Item(in.Item)
	if it == nil {
		errs[FieldItem] = "请选择一条工作要点（第1至" + strconv.Itoa(len(e.plan.Items)) + "条）。"
	}
	if in.Status == duban.StatusNone {
		errs[FieldStatus] = "请选择状态：未开始、进行中、已完成或滞后。"
	}
	if in.Percent != duban.NoPercent && (in.Percent < 0 || in.Percent > 100) {
		errs[FieldPercent] = "完成比例应为0到100之间的整数 (percent)。"
	}
	text := strings.TrimSpace(in.Text)
	switch n := utf8.RuneCountInString(text); {
	case n < 2:
		errs[FieldText] = "请写下进展内容，至少2个字 (text too short)。"
	case n > 2000:
		errs[FieldText] = "进展内容最多2000字，当前" + strconv.Itoa(n) + "字，请精简后再提交 (text too long)。"
	}
	b, bound, err := e.store.Binding(ctx, req.UserID)
	if err != nil {
		errs[FieldText] = duban.UserMessage(err)
		return Reply{}, errs
	}
	if !bound {
		errs[FieldItem] = "您还没有绑定单位，请联系办公室（管理员）为您绑定后再报送。"
	} else if it != nil && !it.RoleOf(b.Agency).Responsible() {
		errs[FieldItem] = "第" + strconv.Itoa(it.Number) + "条不由" + b.Agency + "负责，负责单位是：" + strings.Join(it.Responsible(), "、") + "。"
	}
	if len(errs) > 0 {
		return Reply{}, errs
	}
	if req.Time.IsZero() {
		req.Time = e.now()
	}
	u := duban.Update{
		Item: it.Number, Agency: b.Agency, AuthorID: req.UserID, AuthorName: req.UserName,
		Status: in.Status, Percent: in.Percent, Text: text, Time: req.Time,
		Channel: req.Channel, SourceID: req.SourceID,
	}
	stored, dup, err := e.store.AddUpdate(ctx, u)
	if err != nil {
		errs[FieldText] = duban.UserMessage(err)
		return Reply{}, errs
	}
	return formReceipt(it, stored, dup), nil
}

// formReceipt confirms a stored report.
func formReceipt(it *duban.Item, u duban.Update, dup bool) Reply {
	title := "已记录第" + strconv.Itoa(u.Item) + "条的进展"
	if dup {
		title += "（此前已记录，未重复保存）"
	}
	fields := []Field{{"单位", u.Agency}, {"状态", u.Status.String()}}
	if u.Percent != duban.NoPercent {
		fields = append(fields, Field{"完成比例", strconv.Itoa(u.Percent) + "%"})
	}
	return Reply{
		Intent:   IntentUpdate,
		Title:    title,
		Sections: []Section{{Heading: "第" + strconv.Itoa(it.Number) + "条 " + it.Title, Fields: fields, Text: u.Text, Item: it.Number}},
		Items:    []int{u.Item},
		Agencies: []string{u.Agency},
	}
}
