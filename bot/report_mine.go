package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"duban"
	"duban/bot/understand"
)

// This file answers the views of progress by latest status that are not
// the office's commands: a user's own items (我的进展, 我的条目, my items)
// and the status filters (哪些工作滞后, 已完成的有哪些, 还没开始的,
// 哪些单位逾期了). Both read the latest report of each (item, agency) pair,
// as 汇总 does.

// filterLines is how many lines a status filter lists.
const filterLines = 30

// mine answers 我的进展: the user's agency's items with the latest status
// of each, what is still missing and how to report.
func (e *Engine) mine(ctx context.Context, req Request) Reply {
	if e.store == nil {
		return noStore()
	}
	b, bound, err := e.binding(ctx, req.UserID)
	if err != nil {
		return errorReply(err)
	}
	if !bound {
		r := Reply{Intent: IntentError, Title: "您还没有绑定单位，所以没有“我的条目”。请联系办公室（管理员）为您绑定单位。",
			Note: "您的用户ID：" + req.UserID + "。查看某个单位的进展可以发送“汇总 单位名”。"}
		return r
	}
	p, err := e.loadProgress(ctx)
	if err != nil {
		return e.officeError(err)
	}
	r := agencySummaryReply(p, []string{b.Agency})
	r.Title = "您的单位：" + r.Title
	late, _ := p.late(b.Agency)
	var notes []string
	if len(late) > 0 {
		var missing, stale []string
		for _, lr := range late[0].Rows {
			if lr.Stale {
				stale = append(stale, fmt.Sprintf("#%d", lr.Item))
			} else {
				missing = append(missing, fmt.Sprintf("#%d", lr.Item))
			}
		}
		if len(missing) > 0 {
			notes = append(notes, "尚未报送："+strings.Join(missing, "、")+"。")
		}
		if len(stale) > 0 {
			what := fmt.Sprintf("超过%s未更新", staleText(e.cfg.Stale))
			if p.Round.ID != "" {
				what = "本轮（" + p.Round.Text() + "）未报送"
			}
			notes = append(notes, what+"："+strings.Join(stale, "、")+"。")
		}
	}
	first := 0
	if len(r.Items) > 0 {
		first = r.Items[0]
		if len(late) > 0 {
			first = late[0].Rows[0].Item
		}
		notes = append(notes, fmt.Sprintf("报送示例：进展 #%d 进行中 已完成……；已完成的工作：进展 #%d 已完成；几条一起：进展 #%s 进行中 ……", first, first, joinItems(r.Items, "、#")))
	}
	if r.Note != "" {
		notes = append(notes, r.Note)
	}
	r.Note = strings.Join(notes, "\n")
	return r
}

// joinItems joins item numbers with sep: 3、#53.
func joinItems(items []int, sep string) string {
	var s []string
	for _, n := range items {
		s = append(s, fmt.Sprint(n))
	}
	if len(s) > 3 {
		s = s[:2]
	}
	return strings.Join(s, sep)
}

// statusFilter lists the items (or agencies) whose latest status is the
// one asked for.
func (e *Engine) statusFilter(ctx context.Context, f understand.Filter) Reply {
	p, err := e.loadProgress(ctx)
	if err != nil {
		return e.officeError(err)
	}
	// 逾期 is 滞后 and, besides, whatever is past its deadline (the item's,
	// the office's or the plan's) and not done.
	overdue := false
	for _, row := range p.rows {
		overdue = overdue || f.Overdue && row.Overdue()
	}
	match := func(row progressRow) bool {
		return row.Status() == f.Status || overdue && row.Overdue()
	}
	word := f.Status.String()
	if overdue {
		word = "逾期（已过截止日期未完成）或滞后"
	}
	r := Reply{Intent: IntentSummary, Items: []int{}, Agencies: []string{}}
	var rows []progressRow
	for _, row := range p.rows {
		if match(row) {
			rows = append(rows, row)
			if !slices.Contains(r.Items, row.Item) {
				r.Items = append(r.Items, row.Item)
			}
			if !slices.Contains(r.Agencies, row.Agency) {
				r.Agencies = append(r.Agencies, row.Agency)
			}
		}
	}
	asOf := "（按各单位最新一次报送，截至 " + officeFullTime(p.now) + "）"
	if len(rows) == 0 {
		r.Title = fmt.Sprintf("目前没有%s的工作%s。", word, asOf)
		r.Note = "发送“汇总”查看各状态的数量，发送“未报送”查看还没有报送的单位。"
		return r
	}
	var lines []string
	if f.Agencies {
		byAgency := map[string][]int{}
		var order []string
		for _, row := range rows {
			if _, ok := byAgency[row.Agency]; !ok {
				order = append(order, row.Agency)
			}
			byAgency[row.Agency] = append(byAgency[row.Agency], row.Item)
		}
		slices.SortStableFunc(order, func(a, b string) int { return len(byAgency[b]) - len(byAgency[a]) })
		for _, a := range order {
			lines = append(lines, fmt.Sprintf("%s（%d项）：#%s", a, len(byAgency[a]), joinAll(byAgency[a], "、#")))
		}
		r.Agencies = order
		r.Title = fmt.Sprintf("有%s工作的单位：%d个%s", word, len(order), asOf)
	} else {
		for _, row := range rows {
			lines = append(lines, itemLine(row, p.now)+" "+row.Agency)
		}
		r.Title = fmt.Sprintf("%s的工作：%d项，%d个“工作-责任单位”组合%s", word, len(r.Items), len(rows), asOf)
	}
	slices.Sort(r.Items)
	if len(lines) > filterLines {
		r.Note = fmt.Sprintf("共%d行，只列出前%d行；完整明细请发送“导出”生成表格。", len(lines), filterLines)
		lines = lines[:filterLines]
	}
	r.Sections = []Section{{Text: strings.Join(lines, "\n")}}
	if f.Status == duban.StatusNotStarted && !overdue {
		missing := p.counts[duban.StatusNone]
		if missing > 0 {
			note := fmt.Sprintf("另有%d个组合尚未报送，发送“未报送”查看。", missing)
			r.Note = strings.TrimSpace(r.Note + "\n" + note)
		}
	}
	return r
}

// joinAll joins every item number with sep.
func joinAll(items []int, sep string) string {
	s := make([]string, len(items))
	for i, n := range items {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, sep)
}
