package bot

import (
	"fmt"
	"strings"
)

// metaTopic is a question about the cover letter.
type metaTopic struct {
	kind string
}

// metaCues maps cue words to what of the cover letter they ask. The first
// kind whose cue matches wins, so the more specific kinds come first.
var metaCues = []struct {
	kind  string
	words []string
}{
	{"deadline", []string{"截止", "反馈时间", "什么时候反馈", "何时反馈", "哪天前", "最后期限", "期限", "什么时候之前", "什么时候前", "何时前", "几号前", "之前反馈", "前反馈", "deadline", "due date", "due by", "when is feedback due", "when must"}},
	{"fax", []string{"传真", "fax"}},
	{"email", []string{"邮箱", "电子邮件", "电子版", "发到哪", "发送到哪", "寄到哪", "email", "e-mail", "mail address", "where to send", "where should i send"}},
	{"phone", []string{"电话", "手机", "phone", "telephone"}},
	{"contact", []string{"联系人", "联系谁", "找谁", "联系方式", "contact"}},
	{"feedback", []string{"怎么反馈", "如何反馈", "反馈方式", "书面反馈", "如何报送", "报送方式", "反馈给谁", "反馈到哪", "报送给谁", "报给谁", "交给谁", "上报给谁", "报到哪", "交到哪", "报送到哪", "word版", "word格式", "word还是", "word或", "pdf", "send the report", "send our report", "send reports", "submit the report", "submit our report", "report back to", "feedback be sent", "send feedback", "submit feedback", "什么格式", "哪种格式", "文件格式", "什么形式反馈", "以什么形式", "how to report back", "feedback", "what format", "which format"}},
	{"recipients", []string{"收到", "主送", "发给", "下发给", "发送给", "哪些单位参与", "recipients", "sent to", "addressed to", "received", "receive", "which agencies got"}},
	{"basis", []string{"依据", "根据什么", "贯彻落实哪", "落实哪份", "哪份文件", "什么文件", "basis", "based on", "implements which", "which document"}},
	{"issuer", []string{"联席会议办公室", "联席办", "发文单位", "发文机关", "印发单位", "谁发的", "谁印发", "哪个单位发", "issuer", "issued by", "who issued", "who published"}},
	{"date", []string{"发文日期", "印发日期", "发文时间", "印发时间", "什么时候印发", "什么时候发", "哪天发", "哪年发", "哪一年发", "哪年印发", "哪一年印发", "通知是哪年", "文件是哪年", "通知是哪一年", "文件是哪一年", "哪年的通知", "哪年的文件", "通知日期", "文件日期", "date of issue", "issue date", "when was it issued", "when was the plan issued", "date of the notice", "date of the document", "date of the plan", "notice date", "what date", "when was the notice issued", "when was the document issued"}},
	{"count", []string{"一共多少", "一共有多少", "总共多少", "总共有多少", "一共多少条", "一共有多少条", "总共多少条", "共有多少条", "一共几条", "一共有几条", "总共几条", "共有几条", "多少条要点", "多少条工作要点", "几条要点", "how many items", "how many work items", "how many points"}},
	{"title", []string{"文件名", "标题", "文件名称", "全称", "what is this document", "title of"}},
	{"preamble", []string{"总体思路", "总体要求", "指导思想", "overall approach"}},
}

// findMeta returns the cover-letter topic a question asks about, if any.
func findMeta(text string) *metaTopic {
	for _, c := range metaCues {
		if hasAny(text, c.words) {
			return &metaTopic{kind: c.kind}
		}
	}
	return nil
}

// metaReply answers a question about the cover letter.
func (e *Engine) metaReply(t *metaTopic) Reply {
	m := e.plan.Meta
	r := Reply{Intent: IntentMeta, Items: []int{}}
	contact := []Field{
		{"联系人", fmt.Sprintf("%s（%s）", m.ContactPerson, m.ContactDept)},
		{"联系电话", m.Phone},
		{"传真", m.Fax},
		{"电子邮箱", m.Email},
	}
	switch t.kind {
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
