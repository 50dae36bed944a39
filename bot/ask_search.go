package bot

import (
	"context"
	"fmt"
	"strings"

	"duban"
)

// The topic intents: a search (the fallback for anything the router does
// not recognise), "who is responsible for this topic" and "what figure does
// the plan set for this topic". All three strip the question words here,
// in the engine, and hand the rest to the Searcher, which normalises it
// further (width, Slack markup, agency names, English topic words).

// searchLimit is how many items a search shows.
const searchLimit = 5

// searchReply answers a topic search: the best items with number, title,
// lead agency and a snippet with the matched terms marked.
func (e *Engine) searchReply(ctx context.Context, topic string) Reply {
	q := strings.TrimSpace(topic)
	if q == "" {
		return Reply{Intent: IntentSearch, Title: "请告诉我要查找的内容，例如“石墨烯”“有关茶的内容”“学前教育 幼儿园”。", Items: []int{}}
	}
	if e.allPlans {
		return e.searchAllReply(ctx, q)
	}
	res, r, ok := e.runSearch(ctx, IntentSearch, q, searchLimit)
	if !ok {
		return r
	}
	shown := shorten(q, 30)
	switch {
	case res.Relaxed:
		r.Title = fmt.Sprintf("没有完全符合“%s”的条目，以下%d条只符合其中一部分", shown, len(res.Hits))
	case res.Exact < len(res.Hits): // partial matches follow the exact ones
		r.Title = fmt.Sprintf("与“%s”相关的工作要点（%d条）：前%d条完全符合，后%d条只符合其中一部分",
			shown, len(res.Hits), res.Exact, len(res.Hits)-res.Exact)
	default:
		r.Title = fmt.Sprintf("与“%s”相关的工作要点，按相关程度排列（%d条）", shown, len(res.Hits))
	}
	for _, h := range res.Hits {
		r.Items = append(r.Items, h.Item)
		r.Sections = append(r.Sections, e.hitSection(h))
	}
	if res.Relaxed && len(res.Suggestions) > 0 {
		r.Note = "您是不是要找：" + strings.Join(res.Suggestions, "、")
	}
	return r
}

// runSearch searches and turns the cases with nothing to show (no
// searcher, an error, no hits) into a finished reply (ok false).
func (e *Engine) runSearch(ctx context.Context, intent Intent, q string, limit int) (duban.SearchResult, Reply, bool) {
	r := Reply{Intent: intent, Items: []int{}}
	if e.search == nil {
		r.Title = "全文搜索暂不可用 (search unavailable)。可以按条目编号或单位名称提问，输入“帮助”查看示例。"
		return duban.SearchResult{}, r, false
	}
	res, err := e.search.Search(ctx, q, limit)
	if err != nil {
		e.log.Error("search", "query", q, "err", err)
		r.Intent = IntentError
		r.Title = "抱歉，搜索时出现内部错误 (search error)，请稍后再试。"
		return res, r, false
	}
	if len(res.Hits) == 0 {
		r.Title = fmt.Sprintf("没有找到与“%s”相关的工作要点。", shorten(q, 30))
		switch {
		case res.OutOfPlan:
			r.Title = fmt.Sprintf("没有找到与“%s”相关的工作要点：这个问题不在《%s》的范围内。", shorten(q, 30), orDefault(e.plan.Meta.Title, "工作要点"))
			if len(res.Suggestions) > 0 {
				r.Note = "可以试试：" + strings.Join(res.Suggestions, "、")
			}
		case len(res.Suggestions) > 0: // words of the plan the question's words are likely typing errors of
			r.Note = "您是不是要找：" + strings.Join(res.Suggestions, "、")
		}
		return res, r, false
	}
	return res, r, true
}

// hitSection shows one search hit: number and title, agencies, snippet.
func (e *Engine) hitSection(h duban.Hit) Section {
	it := e.plan.Item(h.Item)
	s := Section{Text: h.Snippet, Marks: h.Marks, Item: h.Item}
	if it == nil {
		s.Heading = fmt.Sprintf("第%d条", h.Item)
		return s
	}
	s.Heading = e.itemLine(h.Item)
	s.Fields = responsibilityFields(it)
	if len(it.Mentioned) > 0 { // keep hits short: the responsible agencies only
		s.Fields = s.Fields[:len(s.Fields)-1]
	}
	return s
}

// whoReply answers "电梯安全归哪个部门牵头": the lead (or, without a lead,
// the joint) agencies of the items that best fit the topic, less the
// agencies the question excludes ("除了海关还有谁管食品安全"): an item
// whose responsible agencies are all excluded is left out.
func (e *Engine) whoReply(ctx context.Context, topic string, ex []string) Reply {
	q := strings.TrimSpace(topic)
	if q == "" {
		return Reply{Intent: IntentWho, Title: "请说明要问的工作内容，例如“电梯安全归哪个部门牵头”。", Items: []int{}}
	}
	res, r, ok := e.runSearch(ctx, IntentWho, q, whoCandidates)
	if !ok {
		return r
	}
	res.Hits = res.Best() // the items holding every word, when there are any
	hits, also := e.whoItems(res)
	var lines []string
	for _, h := range hits {
		it := e.plan.Item(h.Item)
		if it == nil {
			continue
		}
		lead, joint := without(it.Lead, ex), without(it.Joint, ex)
		if len(ex) > 0 && len(lead)+len(joint) == 0 {
			continue
		}
		r.Items = append(r.Items, h.Item)
		names, role := lead, "牵头"
		if len(names) == 0 {
			names, role = joint, "按职责落实"
		}
		if len(names) == 0 {
			names, role = []string{"未写明责任单位"}, ""
		}
		r.Agencies = appendNew(r.Agencies, lead...)
		if len(lead) == 0 {
			r.Agencies = appendNew(r.Agencies, joint...)
		}
		lines = append(lines, fmt.Sprintf("%s%s（第%d条）", strings.Join(names, "、"), role, h.Item))
		r.Sections = append(r.Sections, e.hitSection(h))
	}
	besides := ""
	if len(ex) > 0 {
		besides = "除" + strings.Join(ex, "、") + "外，"
	}
	if len(lines) == 0 {
		r.Title = fmt.Sprintf("“%s”：只有%s负责相关工作。", shorten(q, 30), strings.Join(ex, "、"))
	} else {
		r.Title = fmt.Sprintf("“%s”：%s%s", shorten(q, 30), besides, strings.Join(lines, "；"))
	}
	var notes []string
	if len(also) > 0 {
		notes = append(notes, "也相关："+strings.Join(also, "、"))
	}
	if res.Relaxed {
		notes = append(notes, "没有条目同时包含全部关键词，以上按最接近的条目回答。")
	}
	r.Note = strings.Join(notes, "\n")
	return r
}

// whoCandidates is how many items a who question weighs; whoMaxAbout is
// the most items it answers for (more, and the words are too general to
// name a matter: 质量 alone).
const (
	whoCandidates = 10
	whoMaxAbout   = 5
)

// whoItems chooses the items a who question is answered for. Every item
// whose head (itemHead: the matter it is about) holds all the searched
// words answers it, in rank order: "食品安全由哪些单位负责" names
// every agency whose item is about food safety, not only the best
// match's. Without such an item, the best item answers, with those that
// fit nearly as well; items that fit less well are named in also.
func (e *Engine) whoItems(res duban.SearchResult) (hits []duban.Hit, also []string) {
	if !res.Relaxed && len(res.Terms) > 0 {
		// An item whose head holds the matter answers however it scores:
		// one that names the matter in passing may outrank the items
		// about it (food safety: item 45's 粮食食品安全意识, a short item;
		// item 4, about it at length, scores low).
		for _, h := range res.Hits {
			if it := e.plan.Item(h.Item); it != nil && holdsAll(itemHead(it), res.Terms) {
				hits = append(hits, h)
			}
		}
	}
	if len(hits) > 0 && len(hits) <= whoMaxAbout {
		return hits, nil
	}
	hits = nil
	hits = []duban.Hit{res.Hits[0]}
	for _, h := range res.Hits[1:min(len(res.Hits), 3)] {
		switch {
		case h.Score >= whoCloseScore*res.Hits[0].Score:
			hits = append(hits, h)
		case h.Score >= whoAlsoScore*res.Hits[0].Score:
			if it := e.plan.Item(h.Item); it != nil {
				also = append(also, fmt.Sprintf("第%d条（%s）", h.Item, strings.Join(it.Responsible(), "、")))
			}
		}
	}
	return hits, also
}

// itemHead is what an item is about: the first clause of its first
// sentence ("加大食品安全监管力度"; item 45, one long sentence, is about
// 督促粮食经营单位落实质量安全主体责任, not the 粮食食品安全意识 it ends on).
func itemHead(it *duban.Item) string {
	head := it.Title
	if i := strings.IndexAny(head, ",，;；"); i >= 0 {
		head = head[:i]
	}
	return head
}

// holdsAll reports whether text holds every term (ASCII case folded).
func holdsAll(text string, terms []string) bool {
	lower := strings.ToLower(text)
	for _, t := range terms {
		if !strings.Contains(lower, strings.ToLower(t)) {
			return false
		}
	}
	return true
}

// An item scoring at least whoCloseScore of the best item's score also
// answers a who question; one scoring at least whoAlsoScore is mentioned.
const (
	whoCloseScore = 0.9
	whoAlsoScore  = 0.6
)
