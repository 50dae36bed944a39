package bot

import (
	"fmt"
	"strings"

	"duban"
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
