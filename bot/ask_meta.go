package bot

import (
	"fmt"
	"strings"

	"duban/bot/understand"
)

// metaQuestion answers a question about the cover letter; a contact
// question that names an agency says that the notice lists one contact
// for all.
func (e *Engine) metaQuestion(q *understand.Query) Reply {
	r := e.metaReply(q.Meta)
	if len(q.Agencies) > 0 && !strings.Contains(e.plan.Meta.ContactDept, strings.TrimPrefix(q.Agencies[0].Names[0], "省")) {
		r.Note = fmt.Sprintf("通知只列了这一位联系人（%s），没有写%s的联系方式。", e.plan.Meta.ContactDept, q.Agencies[0].Names[0])
	}
	return r
}

// metaReply answers a question about the cover letter.
func (e *Engine) metaReply(kind string) Reply {
	m := e.plan.Meta
	r := Reply{Intent: IntentMeta, Items: []int{}}
	contact := []Field{
		{"联系人", fmt.Sprintf("%s（%s）", m.ContactPerson, m.ContactDept)},
		{"联系电话", m.Phone},
		{"传真", m.Fax},
		{"电子邮箱", m.Email},
	}
	switch kind {
	case "deadline", "feedback":
		r.Title = fmt.Sprintf("请各单位于%s将工作落实情况以书面形式反馈%s。", m.DeadlineText, orDefault(m.Issuer, "办公室"))
		if !m.Deadline.IsZero() {
			now := e.now().In(m.Deadline.Location())
			end := m.Deadline.AddDate(0, 0, 1)
			if now.Before(end) {
				r.Note = fmt.Sprintf("距截止还有%d天。", int(end.Sub(now).Hours()/24))
			} else {
				r.Note = fmt.Sprintf("截止日期已过%d天。", int(now.Sub(end).Hours()/24)+1)
			}
		}
		r.Sections = []Section{{Text: "同时将Word或PDF版材料发送至邮箱 " + m.Email + "。", Fields: contact}}
		if !strings.Contains(m.Opening, "Word") {
			r.Sections[0].Text = m.Opening
		}
	case "fax":
		r.Title = "传真：" + m.Fax
		r.Sections = []Section{{Fields: contact}}
	case "email":
		r.Title = "电子邮箱：" + m.Email
		r.Sections = []Section{{Text: "书面材料的Word或PDF版发送至此邮箱。", Fields: contact}}
	case "phone":
		r.Title = "联系电话：" + m.Phone
		r.Sections = []Section{{Fields: contact}}
	case "contact":
		r.Title = fmt.Sprintf("联系人：%s（%s）", m.ContactPerson, m.ContactDept)
		r.Sections = []Section{{Fields: contact}}
	case "recipients":
		r.Title = fmt.Sprintf("通知主送%d个单位", len(m.RecipientsRaw))
		r.Sections = []Section{{Text: strings.Join(m.RecipientsRaw, "、")}}
		r.Agencies = m.Recipients
	case "basis":
		r.Title = fmt.Sprintf("依据的文件：省委和省政府《%s》", m.Basis)
		r.Sections = []Section{{Text: m.Opening}}
	case "issuer":
		r.Title = "发文单位：" + m.Issuer
		r.Sections = []Section{{Fields: []Field{{"发文日期", m.DateText}, {"文件", "《" + m.Title + "》"}}}}
	case "date":
		r.Title = "发文日期：" + m.DateText
		r.Sections = []Section{{Fields: []Field{{"发文单位", m.Issuer}, {"文件", "《" + m.Title + "》"}}}}
	case "title":
		r.Title = "《" + m.Title + "》"
		r.Sections = []Section{{Fields: []Field{{"发文单位", m.Issuer}, {"发文日期", m.DateText}, {"条目", fmt.Sprintf("%d条", len(e.plan.Items))}}}}
	case "count":
		r.Title = fmt.Sprintf("《%s》共%d条工作要点。", orDefault(m.Title, "工作要点"), len(e.plan.Items))
		r.Sections = []Section{{Text: "输入条目编号（如“第39条”）查看全文，或问“省林业局牵头哪些工作”。"}}
	case "preamble":
		r.Title = "总体思路和要求"
		r.Sections = []Section{{Text: m.Preamble}}
	}
	return r
}
