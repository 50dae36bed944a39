package duban

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// The fields of a progress report that a FieldError may point at. Forms
// (the Slack report modal) map them to their inputs; `duban ask --json`
// shows them as they are.
const (
	FieldItem    = "item"
	FieldAgency  = "agency"
	FieldStatus  = "status"
	FieldPercent = "percent"
	FieldText    = "text"
)

// Codes of field errors, beside CodeInvalid, CodeNotFound and
// CodeForbidden.
const (
	CodeMissing      Code = "missing"      // the field is required and empty
	CodeTooShort     Code = "too_short"    // the text is shorter than MinReportText
	CodeTooLong      Code = "too_long"     // the text is longer than MaxReportText
	CodeOutOfRange   Code = "out_of_range" // a percent outside 0..100
	CodeInconsistent Code = "inconsistent" // a warning: stored, but worth checking
)

// FieldError is what is wrong with one field of a report: the field, a
// code an adapter can react to, and a polite Chinese message that may be
// shown as it is. The console shows the message, the Slack form puts it
// under the field (response_action: errors), and the JSON output carries
// all three; they all read it from here.
type FieldError struct {
	Field   string `json:"field"`
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

// Error returns the message.
func (e FieldError) Error() string { return e.Message }

// Text limits of a report, in characters (runes). A report that says the
// work is done (已完成, or 100%) may have no text at all.
const (
	MinReportText = 2
	MaxReportText = 2000
)

// Draft is a progress report as written, before it is stored: the agency
// is the one it is reported for (canonical), the status StatusNone when
// the writer gave none, the percent NoPercent when none.
type Draft struct {
	Item    int
	Agency  string
	Status  Status
	Percent int
	Text    string
}

// Complete reports whether the draft says the work is done (已完成, or
// 100%): such a report is complete without text.
func (d Draft) Complete() bool {
	return d.Status == StatusDone || d.Status == StatusNone && d.Percent == 100
}

// MayOmitText reports whether the draft says all with its status: a
// completion, or work not started.
func (d Draft) MayOmitText() bool { return d.Complete() || d.Status == StatusNotStarted }

// CheckReport returns what is wrong with a draft against the plan: an item
// the plan lacks, an agency not responsible for it, a percent outside 0 to
// 100, a text that is missing (unless MayOmitText), too
// short (counted in characters that show, VisibleLen), too long or not
// valid UTF-8. It checks the agency only when the draft names one. No
// errors means the draft may be stored; its text should have been cleaned
// with CleanText first.
func (p *Plan) CheckReport(d Draft) []FieldError {
	var errs []FieldError
	it := p.Item(d.Item)
	switch {
	case it == nil && d.Item <= 0:
		errs = append(errs, FieldError{FieldItem, CodeMissing,
			fmt.Sprintf("请写明条目编号（1到%d），例如：进展 #3 进行中 ……", len(p.Items))})
	case it == nil:
		errs = append(errs, FieldError{FieldItem, CodeNotFound,
			fmt.Sprintf("工作要点共%d条，没有第%d条 (no such item)。请写 1 到 %d 之间的编号。", len(p.Items), d.Item, len(p.Items))})
	case d.Agency != "" && !it.RoleOf(d.Agency).Responsible():
		errs = append(errs, FieldError{FieldItem, CodeForbidden,
			fmt.Sprintf("%s不是第%d条的牵头或按职责落实单位，不能报送这一条的进展 (forbidden)。第%d条的负责单位：%s。",
				d.Agency, it.Number, it.Number, ResponsibleText(it))})
	}
	if d.Status < StatusNone || d.Status > StatusDelayed {
		errs = append(errs, FieldError{FieldStatus, CodeInvalid, "请选择状态：未开始、进行中、已完成或滞后。"})
	}
	if d.Percent != NoPercent && (d.Percent < 0 || d.Percent > 100) {
		errs = append(errs, FieldError{FieldPercent, CodeOutOfRange,
			fmt.Sprintf("完成比例应在0%%到100%%之间，您写的是%d%%。", d.Percent)})
	}
	n, visible := utf8.RuneCountInString(d.Text), VisibleLen(d.Text)
	switch {
	case !utf8.ValidString(d.Text):
		errs = append(errs, FieldError{FieldText, CodeInvalid, "进展内容含有无法识别的字符，请检查后重新发送。"})
	case n == 0 && !d.MayOmitText():
		example := "进展 #3 进行中 已完成……"
		if it != nil {
			example = fmt.Sprintf("进展 #%d 进行中 已完成……", it.Number)
		}
		errs = append(errs, FieldError{FieldText, CodeMissing,
			fmt.Sprintf("请写明进展内容（%d到%d字），例如：%s；已完成或未开始的工作可以只写“已完成”或“未开始”。", MinReportText, MaxReportText, example)})
	case n > 0 && visible < MinReportText:
		errs = append(errs, FieldError{FieldText, CodeTooShort, fmt.Sprintf("进展内容太短（%d字），请至少写%d个字。", visible, MinReportText)})
	case n > MaxReportText:
		errs = append(errs, FieldError{FieldText, CodeTooLong,
			fmt.Sprintf("进展内容太长（%d字），最多%d字 (text too long)。请精简后重新发送，或分几次报送。", n, MaxReportText)})
	}
	return errs
}

// Warnings returns what is worth checking in a report that is otherwise
// fine, given the agency's previous live report on the item (nil if none):
// 已完成 with a percent below 100, and a percent lower than the previous
// one. The report is stored all the same; the warnings go with the
// confirmation.
func (d Draft) Warnings(prev *Update) []FieldError {
	var out []FieldError
	if d.Status == StatusDone && d.Percent != NoPercent && d.Percent < 100 {
		out = append(out, FieldError{FieldPercent, CodeInconsistent,
			fmt.Sprintf("状态为已完成，但完成比例为%d%%，请核对。", d.Percent)})
	}
	if prev != nil && d.Percent != NoPercent && prev.Percent != NoPercent && d.Percent < prev.Percent {
		out = append(out, FieldError{FieldPercent, CodeInconsistent,
			fmt.Sprintf("完成比例%d%%低于本单位上次报送的%d%%（%s），请核对。", d.Percent, prev.Percent, prev.Time.In(ChinaTime()).Format("2006-01-02"))})
	}
	return out
}

// ResponsibleText lists an item's responsible agencies with their roles:
// "省林业局（牵头），福州海关、厦门海关（按职责落实）".
func ResponsibleText(it *Item) string {
	var parts []string
	if len(it.Lead) > 0 {
		parts = append(parts, strings.Join(it.Lead, "、")+"（牵头）")
	}
	if len(it.Joint) > 0 {
		parts = append(parts, strings.Join(it.Joint, "、")+"（按职责落实）")
	}
	if len(parts) == 0 {
		return "（未写明负责单位）"
	}
	return strings.Join(parts, "，")
}

// Pending is something a user was asked to confirm before it is done: a
// message that was perhaps a report, a retraction that goes further back
// than the one just made. It is kept in the store, so that it survives a
// restart, until the user answers or it lapses.
type Pending struct {
	ID     string    // unique; a chat button carries it
	UserID string    // who was asked
	Kind   string    // what is to be done (the engine's name for it)
	Data   []byte    // the action, encoded by the engine
	Time   time.Time // when the user was asked
}
