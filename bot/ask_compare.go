package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"duban"
	"duban/bot/understand"
)

// IntentCompare is the intent of a comparison of two plans ("省林业局今年
// 和去年牵头的工作对比", "compare 2021 2022 省林业局"), a new intent of the
// conversation contract.
const IntentCompare Intent = "compare"

// compareLines bounds the items each part of a comparison lists.
const compareLines = 10

// compareQuestion answers a question that asks to compare two plans: a
// comparison word and two plans (or one besides the asker's), about an
// agency or about the plans as a whole. ok is false for anything else (a
// figure "和2020年相比" is not a comparison of plans).
func (e *Engine) compareQuestion(ctx context.Context, text string, cur *planEntry) (Reply, bool) {
	if len(understand.CompareWords(text)) == 0 {
		return Reply{}, false
	}
	var plans []*planEntry
	var used []understand.PlanRef
	for _, r := range understand.FindPlanRefs(text) {
		if r.All {
			continue
		}
		if pe := e.resolvePlanRef(r, cur); pe != nil {
			used = append(used, r)
			if !slices.Contains(plans, pe) {
				plans = append(plans, pe)
			}
		}
	}
	switch {
	case len(plans) == 1 && plans[0] != cur:
		plans = append(plans, cur) // "和去年对比": with the plan the asker is on
	case len(plans) < 2:
		return Reply{}, false
	}
	older, newer := plans[0], plans[1]
	if older.plan.Year() > newer.plan.Year() {
		older, newer = newer, older
	}
	rest := understand.StripPlanRefs(text, used)
	rest = understand.StripMatches(rest, understand.CompareWords(rest))

	// The agencies, as either plan knows them (an agency may be in one only).
	var q understand.Query
	for _, pe := range []*planEntry{newer, older} {
		q = e.forPlan(pe).reader.Read(rest, used...)
		if len(q.Agencies) > 0 {
			break
		}
	}
	var names []string
	for _, a := range q.Agencies {
		names = appendNew(names, a.Names...)
	}
	if len(names) == 0 && utf8.RuneCountInString(strings.ReplaceAll(q.Topic, " ", "")) >= 2 && !understand.OnlyPlanWords(q.Topic) {
		return Reply{}, false // a topic, not a comparison of plans
	}
	roles := q.Roles.Set()
	return e.compareReply(older.plan, newer.plan, names, roles), true
}

// compareReply is the table of a comparison: the counts, then the items
// carried on, gained and dropped, each with its number in its plan.
func (e *Engine) compareReply(older, newer *duban.Plan, names []string, roles []duban.Role) Reply {
	itemsOf := func(p *duban.Plan) []int {
		if len(names) == 0 {
			out := make([]int, 0, len(p.Items))
			for _, it := range p.Items {
				out = append(out, it.Number)
			}
			return out
		}
		var out []int
		for _, n := range names {
			for _, i := range p.ItemsFor(n, roles...) {
				out = appendInt(out, i)
			}
		}
		slices.Sort(out)
		return out
	}
	oi, ni := itemsOf(older), itemsOf(newer)
	c := duban.CompareItems(older, oi, newer, ni)
	oy, ny := planYear(older), planYear(newer)
	what := "工作要点"
	if len(names) > 0 {
		verb := "负责"
		switch {
		case len(roles) == 1 && roles[0] == duban.RoleLead:
			verb = "牵头"
		case len(roles) == 1 && roles[0] == duban.RoleJoint:
			verb = "按职责落实"
		}
		what = strings.Join(names, "、") + verb + "的工作"
	}
	r := Reply{Intent: IntentCompare, Agencies: names, Items: []int{},
		Title: fmt.Sprintf("%s对比：%s → %s", what, oy, ny)}
	r.Sections = append(r.Sections, Section{Fields: []Field{
		{oy, fmt.Sprintf("%d项（《%s》）", len(oi), planLabel(older))},
		{ny, fmt.Sprintf("%d项（《%s》）", len(ni), planLabel(newer))},
		{"变化", fmt.Sprintf("延续 %d 项 · 新增 %d 项 · 不再列入 %d 项", len(c.Carried), len(c.Gained), len(c.Dropped))},
	}})
	title := func(p *duban.Plan, n int) string {
		if it := p.Item(n); it != nil {
			return shorten(it.Title, 30)
		}
		return ""
	}
	capped := func(lines []string) string {
		if len(lines) > compareLines {
			more := len(lines) - compareLines
			lines = append(lines[:compareLines], fmt.Sprintf("……另有%d项", more))
		}
		return strings.Join(lines, "\n")
	}
	if len(c.Carried) > 0 {
		var lines []string
		for _, x := range c.Carried {
			lines = append(lines, fmt.Sprintf("%s第%d条 → %s第%d条 %s", oy, x.Old, ny, x.New, title(newer, x.New)))
		}
		r.Sections = append(r.Sections, Section{Heading: fmt.Sprintf("延续（%d项，按标题相近匹配）", len(c.Carried)), Text: capped(lines)})
	}
	if len(c.Gained) > 0 {
		var lines []string
		for _, n := range c.Gained {
			lines = append(lines, fmt.Sprintf("%s第%d条 %s", ny, n, title(newer, n)))
		}
		r.Sections = append(r.Sections, Section{Heading: fmt.Sprintf("新增（%d项）", len(c.Gained)), Text: capped(lines)})
	}
	if len(c.Dropped) > 0 {
		var lines []string
		for _, n := range c.Dropped {
			lines = append(lines, fmt.Sprintf("%s第%d条 %s", oy, n, title(older, n)))
		}
		r.Sections = append(r.Sections, Section{Heading: fmt.Sprintf("不再列入（%d项）", len(c.Dropped)), Text: capped(lines)})
	}
	for _, x := range c.Carried {
		r.Items = append(r.Items, x.New)
	}
	r.Items = append(r.Items, c.Gained...)
	slices.Sort(r.Items)
	r.Note = fmt.Sprintf("条目编号按各自计划；输入“%s第N条”查看全文。", ny)
	return r
}

// searchAllLimit is how many hits a search over every plan shows.
const searchAllLimit = 8

// searchAllReply answers a search over every plan ("搜索 全部计划 茶"): the
// best hits of all plans by score, each headed by its plan's year.
func (e *Engine) searchAllReply(ctx context.Context, q string) Reply {
	type hit struct {
		be *Engine
		h  duban.Hit
	}
	var hits []hit
	var failed []string
	relaxed := false
	for _, pe := range e.plans.all() {
		be := e.forPlan(pe)
		res, r, ok := be.runSearch(ctx, IntentSearch, q, searchAllLimit)
		if !ok {
			if r.Intent == IntentError {
				failed = append(failed, planYear(pe.plan))
			}
			continue
		}
		relaxed = relaxed || res.Relaxed
		for _, h := range res.Hits {
			hits = append(hits, hit{be, h})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		switch {
		case a.h.Score > b.h.Score:
			return -1
		case a.h.Score < b.h.Score:
			return 1
		}
		return 0
	})
	shown := shorten(q, 30)
	r := Reply{Intent: IntentSearch, Items: []int{}, Plan: "all", PlanTitle: "全部计划"}
	if len(hits) == 0 {
		r.Title = fmt.Sprintf("所有计划中都没有找到与“%s”相关的工作要点。", shown)
		return r
	}
	total := len(hits)
	hits = hits[:min(len(hits), searchAllLimit)]
	r.Title = fmt.Sprintf("所有计划中与“%s”相关的工作要点（%d个计划，显示%d条）", shown, e.plans.count(), len(hits))
	if relaxed {
		r.Title += "；部分条目只符合其中一部分"
	}
	for _, h := range hits {
		s := h.be.hitSection(h.h)
		s.Heading = "〔" + planYear(h.be.plan) + "〕" + s.Heading
		r.Sections = append(r.Sections, s)
		r.Items = append(r.Items, h.h.Item)
	}
	if total > len(hits) {
		r.Note = fmt.Sprintf("共找到%d条，只列出最相关的%d条；指明计划可以看全部，如“2022年 %s”。", total, len(hits), shown)
	}
	if len(failed) > 0 {
		r.Note = strings.TrimSpace(r.Note + " " + strings.Join(failed, "、") + "的计划暂时无法搜索。")
	}
	return r
}
