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

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// itemLine is the one-line form of an item in a list: its number and title.
func (e *Engine) itemLine(n int) string {
	it := e.plan.Item(n)
	return fmt.Sprintf("第%d条 %s", n, shorten(it.Title, 40))
}

// shorten cuts s to at most n characters, marking the cut with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// itemQuestion answers a question that names item numbers: the item
// itself, its figures, or who is responsible for it.
func (e *Engine) itemQuestion(ctx context.Context, q *understand.Query) Reply {
	if len(q.BadItems) > 0 && len(q.Items) == 0 {
		if q.BadItems[0] < 0 {
			return Reply{Intent: IntentError, Title: fmt.Sprintf("条目编号不能是负数。工作要点共%d条，请输入1到%d之间的编号，例如“第39条”。",
				len(e.plan.Items), len(e.plan.Items))}
		}
		return Reply{Intent: IntentError, Title: fmt.Sprintf("工作要点共%d条，没有第%d条。请输入1到%d之间的条目编号，例如“第39条”。",
			len(e.plan.Items), q.BadItems[0], len(e.plan.Items))}
	}
	items := slices.Clone(q.Items)
	slices.Sort(items)
	switch {
	case q.Figure:
		if len(items) == 1 {
			if topic := understand.ItemFigureSubject(q.Rest); utf8.RuneCountInString(topic) >= 2 {
				if r, ok := e.itemFigure(ctx, items[0], topic, q.Text); ok {
					return r
				}
			}
		}
		return e.itemTargets(items)
	case len(items) == 1 && len(q.Agencies) > 0 && !q.Who && (q.Roles.Any() || e.asksItemAgencies(q)):
		return e.itemRoleCheck(items[0], q) // 第5条是海关牵头的吗, does customs lead item 5
	case (q.Who || e.asksItemAgencies(q)) && len(items) == 1:
		if ex := excludedNames(q); len(ex) > 0 {
			return e.itemWhoBesides(items[0], ex)
		}
		return e.itemWho(items[0])
	}
	if len(items) == 1 {
		return e.withItemLights(ctx, e.itemReply(items[0]), items[0])
	}
	r := Reply{Intent: IntentItem, Title: fmt.Sprintf("共%d条", len(items)), Items: items}
	for _, n := range items {
		s := e.itemReply(n)
		s.Sections[0].Heading = s.Title
		r.Sections = append(r.Sections, s.Sections...)
		r.Agencies = appendNew(r.Agencies, s.Agencies...)
	}
	return r
}

// itemRoleCheck answers whether the agencies a question names have the
// role it asks on the item: "第5条是海关牵头的吗" is answered 不是, with who
// leads and who shares it.
func (e *Engine) itemRoleCheck(n int, q *understand.Query) Reply {
	it := e.plan.Item(n)
	roles := q.Roles.Set()
	var yes, no []string
	for _, a := range q.Agencies {
		for _, name := range a.Names {
			if slices.Contains(roles, it.RoleOf(name)) {
				yes = appendNew(yes, name)
			} else {
				no = appendNew(no, name)
			}
		}
	}
	role := "负责"
	if len(roles) == 1 {
		role = map[duban.Role]string{duban.RoleLead: "牵头", duban.RoleJoint: "按职责落实"}[roles[0]]
	}
	var b strings.Builder
	switch {
	case len(no) == 0:
		fmt.Fprintf(&b, "是的，%s%s第%d条。", strings.Join(yes, "、"), role, n)
	case len(yes) == 0:
		fmt.Fprintf(&b, "不是，%s不%s第%d条。", strings.Join(no, "、"), role, n)
	default:
		fmt.Fprintf(&b, "%s%s第%d条；%s不%s。", strings.Join(yes, "、"), role, n, strings.Join(no, "、"), role)
	}
	r := e.itemWho(n)
	b.WriteString(r.Title + "。")
	r.Title = b.String()
	return r
}

// asksItemAgencies reports whether a question about an item asks for its
// agencies (第35条的责任单位, item 34 agencies).
func (e *Engine) asksItemAgencies(q *understand.Query) bool {
	for _, m := range q.Cues {
		if m.Is("item-who") {
			return true
		}
	}
	return false
}

func appendNew(dst []string, names ...string) []string {
	for _, n := range names {
		if !slices.Contains(dst, n) {
			dst = append(dst, n)
		}
	}
	return dst
}

// responsibilityFields lists an item's lead, joint and mentioned agencies.
func responsibilityFields(it *duban.Item) []Field {
	var fs []Field
	if len(it.Lead) > 0 {
		fs = append(fs, Field{"牵头单位", strings.Join(it.Lead, "、")})
	}
	if len(it.Joint) > 0 {
		fs = append(fs, Field{"按职责落实", strings.Join(it.Joint, "、")})
	}
	if len(it.Mentioned) > 0 {
		fs = append(fs, Field{"文中提及", strings.Join(it.Mentioned, "、")})
	}
	return fs
}

// itemReply shows one item: number, title, agencies and the full text.
func (e *Engine) itemReply(n int) Reply {
	it := e.plan.Item(n)
	return Reply{
		Intent: IntentItem,
		Title:  fmt.Sprintf("第%d条 %s", n, shorten(it.Title, 60)),
		Sections: []Section{{
			Fields: responsibilityFields(it),
			Text:   it.Text,
			Item:   n,
		}},
		Items:    []int{n},
		Agencies: it.Responsible(),
	}
}

// itemWho answers "第39条谁牵头".
func (e *Engine) itemWho(n int) Reply {
	it := e.plan.Item(n)
	title := fmt.Sprintf("第%d条由%s牵头", n, strings.Join(it.Lead, "、"))
	if len(it.Lead) == 0 {
		title = fmt.Sprintf("第%d条没有单一牵头单位，由%s按职责落实", n, strings.Join(it.Joint, "、"))
	}
	return Reply{
		Intent:   IntentWho,
		Title:    title,
		Sections: []Section{{Fields: responsibilityFields(it), Text: e.itemLine(n), Item: n}},
		Items:    []int{n},
		Agencies: it.Responsible(),
	}
}

// excludedNames are the canonical names of the agencies a question
// excludes ("除了海关还有谁").
func excludedNames(q *understand.Query) []string {
	var out []string
	for _, a := range q.Excluded {
		out = appendNew(out, a.Names...)
	}
	return out
}

// without returns names less those in ex.
func without(names, ex []string) []string {
	var out []string
	for _, n := range names {
		if !slices.Contains(ex, n) {
			out = append(out, n)
		}
	}
	return out
}

// itemWhoBesides answers "除了海关还有谁负责第34条": the item's agencies
// other than the excluded ones.
func (e *Engine) itemWhoBesides(n int, ex []string) Reply {
	it := e.plan.Item(n)
	lead, joint := without(it.Lead, ex), without(it.Joint, ex)
	var named []string // the excluded agencies the item names
	for _, a := range ex {
		if slices.Contains(it.Lead, a) || slices.Contains(it.Joint, a) {
			named = append(named, a)
		}
	}
	var parts []string
	if len(lead) > 0 {
		parts = append(parts, strings.Join(lead, "、")+"牵头")
	}
	if len(joint) > 0 {
		parts = append(parts, strings.Join(joint, "、")+"按职责落实")
	}
	r := Reply{
		Intent:   IntentWho,
		Sections: []Section{{Fields: responsibilityFields(it), Text: e.itemLine(n), Item: n}},
		Items:    []int{n},
		Agencies: append(slices.Clone(lead), joint...),
	}
	switch {
	case len(parts) == 0:
		r.Title = fmt.Sprintf("第%d条只由%s负责，没有其他单位。", n, strings.Join(named, "、"))
	case len(named) == 0:
		r.Title = fmt.Sprintf("第%d条由%s（%s不负责这一条）", n, strings.Join(parts, "，"), strings.Join(ex, "、"))
	default:
		r.Title = fmt.Sprintf("第%d条除%s外，由%s", n, strings.Join(named, "、"), strings.Join(parts, "，"))
	}
	return r
}

// itemTargets lists the figures of the items.
func (e *Engine) itemTargets(items []int) Reply {
	r := Reply{Intent: IntentTarget, Items: items}
	total := 0
	for _, n := range items {
		it := e.plan.Item(n)
		r.Agencies = appendNew(r.Agencies, it.Responsible()...)
		if len(it.Targets) == 0 {
			r.Sections = append(r.Sections, Section{Heading: e.itemLine(n), Text: "这一条没有量化指标。", Item: n})
			continue
		}
		total += len(it.Targets)
		var b strings.Builder
		var marks []Span
		line := 0
		for i, tg := range it.Targets {
			if i > 0 && tg.Clause == it.Targets[i-1].Clause {
				continue // one line per clause, every figure in it marked
			}
			if line++; line > 1 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "%d. ", line)
			base := b.Len()
			b.WriteString(tg.Clause)
			from := 0
			for _, t2 := range it.Targets[i:] {
				if t2.Clause != tg.Clause {
					break
				}
				if j := strings.Index(tg.Clause[from:], t2.Value); j >= 0 {
					marks = append(marks, Span{Start: base + from + j, End: base + from + j + len(t2.Value)})
					from += j + len(t2.Value)
				}
			}
		}
		r.Sections = append(r.Sections, Section{Heading: e.itemLine(n), Text: b.String(), Marks: marks, Item: n})
	}
	if len(items) == 1 {
		r.Title = fmt.Sprintf("第%d条的量化指标（%d项）", items[0], total)
		if total == 0 {
			r.Title = fmt.Sprintf("第%d条没有量化指标", items[0])
		}
	} else {
		r.Title = fmt.Sprintf("%d条工作要点的量化指标（共%d项）", len(items), total)
	}
	return r
}

// agencyQuestion answers lead, joint and involved questions for every
// agency the question names, each on its own.
func (e *Engine) agencyQuestion(ctx context.Context, q *understand.Query) Reply {
	roles := q.Roles.Set()
	intent, verb := IntentInvolved, "负责（牵头或按职责落实）"
	switch {
	case len(roles) == 1 && roles[0] == duban.RoleJoint:
		intent, verb = IntentJoint, "按职责落实"
	case len(roles) == 1 && roles[0] == duban.RoleLead:
		intent, verb = IntentLead, "牵头"
	}
	if q.Who && !q.Roles.Any() && q.Topic != "" {
		return e.whoReply(ctx, q.Topic, excludedNames(q))
	}
	r := Reply{Intent: intent, Items: []int{}}
	var notes []string
	var names []string
	for _, a := range q.Agencies {
		if len(a.Names) > 1 {
			notes = append(notes, fmt.Sprintf("“%s”可指%s，都已列出。", a.Text, strings.Join(a.Names, "、")))
		}
		if a.Corrected {
			notes = append(notes, fmt.Sprintf("没有“%s”这个单位，已按“%s”回答。", a.Text, strings.Join(a.Names, "、")))
		}
		names = appendNew(names, a.Names...)
	}
	var secNames [][]string // the agencies of each section
	dropped := false
	for _, name := range names {
		items := e.plan.ItemsFor(name, roles...)
		if len(q.ExcludedItems) > 0 { // 除了第三条，林业局还有啥
			n := len(items)
			items = slices.DeleteFunc(slices.Clone(items), func(i int) bool { return slices.Contains(q.ExcludedItems, i) })
			dropped = dropped || len(items) < n
		}
		if withinItems(q) { // 前十条里哪些是海关的
			items = slices.DeleteFunc(slices.Clone(items), func(i int) bool { return !slices.Contains(q.Items, i) })
		}
		r.Agencies = append(r.Agencies, name)
		for _, n := range items {
			r.Items = appendInt(r.Items, n)
		}
		sec := Section{Heading: fmt.Sprintf("%s%s的工作要点（%d条）", name, verb, len(items))}
		if len(items) == 0 {
			sec.Heading = ""
			sec.Text = e.noneText(name, intent)
		}
		var lines []string
		for _, n := range items {
			line := e.itemLine(n)
			if intent == IntentInvolved {
				line += "（" + e.plan.Item(n).RoleOf(name).String() + "）"
			}
			lines = append(lines, line)
		}
		if len(lines) > 0 {
			sec.Text = strings.Join(lines, "\n")
		}
		if len(items) == 1 {
			sec.Item = items[0]
		}
		// Agencies with the very same list (福州海关 and 厦门海关) share
		// one section instead of repeating it.
		if j := slices.IndexFunc(r.Sections, func(o Section) bool { return len(items) > 0 && o.Text == sec.Text }); j >= 0 {
			secNames[j] = append(secNames[j], name)
			r.Sections[j].Heading = fmt.Sprintf("%s%s的工作要点（各%d条，相同）", strings.Join(secNames[j], "、"), verb, len(items))
			continue
		}
		r.Sections = append(r.Sections, sec)
		secNames = append(secNames, []string{name})
	}
	slices.Sort(r.Items)
	if len(names) > 1 && len(r.Sections) == 1 && r.Sections[0].Heading != "" {
		r.Title = r.Sections[0].Heading
		r.Sections[0].Heading = ""
	} else if len(names) == 1 {
		r.Title = r.Sections[0].Heading
		if r.Title == "" {
			r.Title = r.Sections[0].Text
			r.Sections = nil
		} else {
			r.Sections[0].Heading = ""
		}
	} else {
		r.Title = fmt.Sprintf("%s%s的工作要点（合计%d条）", strings.Join(names, "、"), verb, len(r.Items))
	}
	if withinItems(q) {
		lo, hi := slices.Min(q.Items), slices.Max(q.Items)
		notes = append(notes, fmt.Sprintf("只列第%d至%d条中的。", lo, hi))
	}
	if dropped {
		var ex []string
		for _, n := range q.ExcludedItems {
			ex = append(ex, fmt.Sprintf("第%d条", n))
		}
		notes = append(notes, fmt.Sprintf("已按要求除去%s。", strings.Join(ex, "、")))
	}
	if intent == IntentInvolved && len(names) == 1 {
		// Said without numbers, which could be taken for the answer.
		if m := e.plan.ItemsFor(names[0], duban.RoleMentioned); len(m) > 0 && len(r.Items) > 0 {
			notes = append(notes, fmt.Sprintf("另有%d条在正文中提到%s，但它不是那些条目的责任单位；输入“搜索 %s”可以查看。", len(m), names[0], names[0]))
		}
	}
	if len(names) > 1 && q.Together {
		both := e.sharedItems(names, roles)
		switch {
		case len(both) > 0 && len(both) < len(r.Items):
			var refs []string
			for _, n := range both {
				refs = append(refs, fmt.Sprintf("第%d条", n))
			}
			notes = append(notes, fmt.Sprintf("其中%s共同负责的是%s。", strings.Join(names, "、"), strings.Join(refs, "、")))
		case len(both) == 0 && len(r.Items) > 0:
			notes = append(notes, fmt.Sprintf("%s没有共同负责的条目，以上是各自负责的。", strings.Join(names, "和")))
		}
	}
	r.Note = strings.Join(notes, "")
	if r.Note == "" && len(r.Items) > 0 {
		r.Note = "输入条目编号（如“第" + fmt.Sprint(r.Items[0]) + "条”）查看全文。"
	}
	if topic := q.Topic; utf8.RuneCountInString(strings.ReplaceAll(topic, " ", "")) >= 2 {
		return e.filterByTopic(ctx, r, topic)
	}
	return r
}

// sharedItems returns the items where every one of the agencies has one
// of the roles.
func (e *Engine) sharedItems(names []string, roles []duban.Role) []int {
	var out []int
	for _, it := range e.plan.Items {
		if it == nil {
			continue
		}
		all := true
		for _, n := range names {
			if !slices.Contains(roles, it.RoleOf(n)) {
				all = false
				break
			}
		}
		if all {
			out = append(out, it.Number)
		}
	}
	return out
}

// filterByTopic narrows an agency answer to the items a search for the
// topic finds. When the search finds nothing of the agency's, the full
// answer stands with a note saying so.
func (e *Engine) filterByTopic(ctx context.Context, r Reply, topic string) Reply {
	if e.search == nil || len(r.Items) == 0 {
		return r
	}
	res, err := e.search.Search(ctx, topic, len(e.plan.Items))
	if err != nil {
		e.log.Error("search", "query", topic, "err", err)
		return r
	}
	if len(res.Hits) == 0 || res.Relaxed {
		return r
	}
	found := map[int]bool{}
	for _, h := range res.Hits[:res.Exact] { // the items holding every word of the topic
		found[h.Item] = true
	}
	var keep []int
	for _, n := range r.Items {
		if found[n] {
			keep = append(keep, n)
		}
	}
	if len(keep) == 0 {
		r.Note = fmt.Sprintf("其中没有与“%s”直接相关的条目，以上为全部。", shorten(topic, 20))
		return r
	}
	out := Reply{Intent: r.Intent, Items: keep, Agencies: r.Agencies}
	verb := map[Intent]string{IntentLead: "牵头", IntentJoint: "按职责落实", IntentInvolved: "负责"}[r.Intent]
	out.Title = fmt.Sprintf("%s%s的工作中，与“%s”相关的有%d条", strings.Join(r.Agencies, "、"), verb, shorten(topic, 20), len(keep))
	for _, n := range keep {
		line := e.itemLine(n)
		var roles []string
		for _, a := range r.Agencies {
			if role := e.plan.Item(n).RoleOf(a); role.Responsible() {
				roles = append(roles, a+role.String())
			}
		}
		out.Sections = append(out.Sections, Section{Text: line + "（" + strings.Join(roles, "、") + "）", Item: n})
	}
	out.Note = fmt.Sprintf("共负责%d条；去掉“%s”可查看全部。", len(r.Items), shorten(topic, 20))
	return out
}

// noneText says that an agency has no items of a kind, and what it does
// have, without listing numbers that could be mistaken for the answer.
func (e *Engine) noneText(name string, intent Intent) string {
	lead := len(e.plan.ItemsFor(name, duban.RoleLead))
	joint := len(e.plan.ItemsFor(name, duban.RoleJoint))
	mentioned := len(e.plan.ItemsFor(name, duban.RoleMentioned))
	switch intent {
	case IntentLead:
		if joint > 0 {
			return fmt.Sprintf("%s没有牵头的工作要点；它有按职责落实的工作，可以问“%s按职责落实哪些工作”。", name, name)
		}
	case IntentJoint:
		if lead > 0 {
			return fmt.Sprintf("%s没有按职责落实的工作要点；它有牵头的工作，可以问“%s牵头哪些工作”。", name, name)
		}
	}
	if lead+joint == 0 {
		s := fmt.Sprintf("%s在本工作要点中没有牵头或按职责落实的条目。", name)
		if slices.Contains(e.plan.Meta.Recipients, name) {
			s += "它在通知的主送单位名单中，请结合各自职能贯彻落实。"
		}
		if mentioned > 0 {
			s += "它在部分条目正文中被提及，可以问“" + name + "”相关的内容。"
		}
		return s
	}
	switch intent {
	case IntentLead:
		return fmt.Sprintf("%s没有牵头的工作要点。", name)
	case IntentJoint:
		return fmt.Sprintf("%s没有按职责落实的工作要点。", name)
	}
	return fmt.Sprintf("%s没有负责的工作要点。", name)
}

// unknownAgency answers a question about an agency the directory lacks.
func (e *Engine) unknownAgency(name string) Reply {
	msg := fmt.Sprintf("没有找到这个单位：“%s”。", name)
	if s := e.plan.Directory.Suggest(name, 3); len(s) > 0 {
		msg += "您是不是要找：" + strings.Join(s, "、") + "？"
	}
	return Reply{Intent: IntentError, Title: msg, Note: "可以输入“帮助”查看提问方式。"}
}
