package bot

import (
	"context"
	"strings"

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
	Plan   *duban.Plan // the plan it is about: the one the user is on, or the one asked for
	Agency string      // canonical name of the bound agency; "" when unbound
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
	// Supervision: the pair's light and why, its deadline and review.
	Light    duban.Light
	Reason   string
	Deadline duban.Deadline
	Review   duban.ReviewState
}

// Form fields a report error may point at (duban.FieldError.Field).
const (
	FieldItem    = duban.FieldItem
	FieldStatus  = duban.FieldStatus
	FieldPercent = duban.FieldPercent
	FieldText    = duban.FieldText
)

// ReportInput is a report filled in field by field.
type ReportInput struct {
	Plan    string // the id of the plan the form was opened on; "": the one the user is on
	Item    int
	Status  duban.Status
	Percent int // 0..100, or duban.NoPercent
	Text    string
}

// Workbench returns the user's agency and its items with their latest
// status.
func (e *Engine) Workbench(ctx context.Context, userID string) (Workbench, error) {
	return e.WorkbenchOn(ctx, userID, "")
}

// WorkbenchOn is Workbench on a given plan (an id; "" for the plan the
// user is on), for a form opened from an answer about that plan.
func (e *Engine) WorkbenchOn(ctx context.Context, userID, plan string) (Workbench, error) {
	e = e.atUser(ctx, userID, "")
	if plan != "" {
		e = e.onPlan(plan)
	}
	wb := Workbench{UserID: userID, Plan: e.plan}
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
	latest, err := e.store.Latest(ctx, e.plan.ID)
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
	p, err := e.loadProgress(ctx)
	if err != nil {
		return wb, err
	}
	for _, pr := range p.Of(b.Agency) {
		for i := range wb.Items {
			if w := &wb.Items[i]; w.Number == pr.Item && w.Light == duban.LightNone {
				w.Light, w.Reason, w.Deadline, w.Review = pr.Light, pr.Reason, pr.Deadline, pr.Review
			}
		}
	}
	return wb, nil
}

// SubmitReport stores a report filled in a form. It goes through the very
// checks and storage of a report written in chat (duban.CheckReport, the
// user's binding, Engine.storeDrafts): the item exists, the user's bound
// agency is responsible for it, the text is 2 to 2000 characters (or empty
// for a completion), the percent 0 to 100; req carries the author and a
// SourceID, and the same SourceID twice stores once. The form itself
// requires an item and a status. On success the reply confirms; on
// failure errs maps each form field with a problem to its message (from
// the same duban.FieldError values the chat and JSON answers carry), and
// nothing is stored.
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
	e = e.atUser(ctx, req.UserID, req.Channel)
	if in.Plan != "" {
		e = e.onPlan(in.Plan)
	}
	if req.Time.IsZero() {
		req.Time = e.now()
	}
	if e.store == nil {
		return Reply{}, map[string]string{FieldItem: noStore().Title}
	}
	who, refused := e.reporterFor(ctx, req, "", []int{in.Item})
	if refused != nil {
		return Reply{}, formErrors(*refused)
	}
	d := duban.Draft{Item: in.Item, Agency: who.agency, Status: in.Status, Percent: in.Percent, Text: strings.TrimSpace(in.Text)}
	r := e.storeDrafts(ctx, req, who, []duban.Draft{d}, sourceID(req))
	e.logInternal(&r, req.UserID)
	if r.Intent == IntentError {
		return Reply{}, formErrors(r)
	}
	e.askReview(ctx, req, &r)
	return e.stamp(r), nil
}

// formErrors maps a refused report's field errors to the form's fields:
// the form has no agency field, so an agency's problem is the item's.
func formErrors(r Reply) map[string]string {
	errs := map[string]string{}
	for _, fe := range r.Errors {
		f := fe.Field
		if f == duban.FieldAgency {
			f = FieldItem
		}
		if _, ok := errs[f]; !ok {
			errs[f] = fe.Message
		}
	}
	if len(errs) == 0 {
		errs[FieldText] = r.Title
	}
	return errs
}
