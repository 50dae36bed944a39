package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"duban"
	"duban/bot/understand"
)

// Figure questions: "供水管网要新改建多少公里" (by topic) and
// "第13条污水管网多少公里" (within an item). The figure answers first, then
// its item.

// targetTopicReply answers a figure question by topic: "供水管网要新改建
// 多少公里", "食品安全要遵循几个最严", "What is the special campaign for the
// consumer goods industry called?". The question's figure kind, measure
// word and head (package understand) and the items the search finds go to
// duban.PickFigure; the reply leads with the figure and its item.
//
// A question for a name, a date or an ordinal (叫什么, 什么时候, 第几类) that
// no figure of the items answers is answered as a search for searchTopic:
// it was a question about the plan's words before it was one about a
// figure.
func (e *Engine) targetTopicReply(ctx context.Context, topic, searchTopic string) Reply {
	ask, _ := understand.FigureAsked(topic)
	kept, asideText := understand.FigureSetAside(understand.FigureTopic(topic))
	q := understand.FigureSubject(kept)
	if q == "" {
		return Reply{Intent: IntentTarget, Title: "请说明要问的指标，例如“供水管网要新改建多少公里”。", Items: []int{}}
	}
	res, r, ok := e.runSearch(ctx, IntentTarget, q, 3)
	if !ok {
		return r
	}
	res.Hits = res.Best() // a figure is read off the items that fit best
	fq := duban.FigureQuestion{Ask: ask, Text: topic, Terms: res.Terms, Forms: alternatives(res), Relaxed: res.Relaxed}
	for _, a := range asideText {
		if ar, err := e.search.Search(ctx, a, 1); err == nil {
			fq.Aside = append(fq.Aside, ar.Terms...)
		}
	}
	ans, found := duban.PickFigure(e.plan, fq, res.Hits)
	if !found && !ask.Kind.Quantitative() && ask.Kind != duban.FigureAny && searchTopic != "" {
		return e.searchReply(ctx, searchTopic)
	}
	if !found {
		// No figure in the items found: show them as a search does.
		r.Title = fmt.Sprintf("相关条目中没有找到“%s”的具体数字，以下是最相关的条目", shorten(q, 30))
		for _, h := range res.Hits {
			r.Items = append(r.Items, h.Item)
			r.Sections = append(r.Sections, e.hitSection(h))
		}
		if res.Relaxed {
			r.Note = "没有条目同时包含全部关键词，以上条目只符合其中一部分。"
		}
		return r
	}
	r = e.figureReply(r, ans.Item, ans.Figure)
	r = e.sameFigureElsewhere(r, ans.Item, ans.Figure)
	if res.Relaxed {
		r.Note = "没有条目同时包含全部关键词，以上按最接近的条目回答。"
	}
	return r
}

// sameFigureElsewhere adds to a figure reply the other items that state the
// same figure in the same words (items 4 and 41 both set 15.86万批次 of
// food sampling): the figure belongs to each of them, and naming one only
// would hide the other.
func (e *Engine) sameFigureElsewhere(r Reply, n int, best duban.Target) Reply {
	var also []string
	for _, it := range e.plan.Items {
		if it == nil || it.Number == n {
			continue
		}
		for _, t := range it.Figures {
			if t.Value != best.Value || t.Clause != best.Clause {
				continue
			}
			r.Items = append(r.Items, it.Number)
			r.Agencies = appendNew(r.Agencies, it.Responsible()...)
			also = append(also, fmt.Sprintf("第%d条", it.Number))
			var marks []Span
			if i := strings.Index(t.Clause, t.Value); i >= 0 {
				marks = []Span{{Start: i, End: i + len(t.Value)}}
			}
			r.Sections = append(r.Sections, Section{
				Heading: e.itemLine(it.Number),
				Fields:  responsibilityFields(it),
				Text:    t.Clause,
				Marks:   marks,
				Item:    it.Number,
			})
			break
		}
	}
	if len(also) > 0 {
		r.Title = fmt.Sprintf("%s（第%d条；%s有相同表述）", best.Value, n, strings.Join(also, "、"))
	}
	return r
}

// figureReply answers with one figure of an item: the figure first, then
// the item, its agencies and the clause with the figure marked.
func (e *Engine) figureReply(r Reply, n int, best duban.Target) Reply {
	it := e.plan.Item(n)
	clause := best.Clause
	var marks []Span
	if i := strings.Index(clause, best.Value); i >= 0 {
		marks = []Span{{Start: i, End: i + len(best.Value)}}
	}
	r.Title = fmt.Sprintf("%s（第%d条）", best.Value, n)
	r.Sections = []Section{{
		Heading: e.itemLine(n),
		Fields:  responsibilityFields(it),
		Text:    clause,
		Marks:   marks,
		Item:    n,
	}}
	r.Items = []int{n}
	r.Agencies = it.Responsible()
	return r
}

// itemFigure answers "第13条污水管网多少公里": the figure of item n that
// the topic's words stand by, of the kind the question asks for, when one
// fits.
func (e *Engine) itemFigure(ctx context.Context, n int, topic, question string) (Reply, bool) {
	it := e.plan.Item(n)
	if e.search == nil || it == nil || len(it.Figures) == 0 {
		return Reply{}, false
	}
	res, err := e.search.Search(ctx, topic, len(e.plan.Items))
	if err != nil || len(res.Terms) == 0 {
		return Reply{}, false
	}
	ask, _ := understand.FigureAsked(question)
	ans, found := duban.PickFigure(e.plan, duban.FigureQuestion{Ask: ask, Text: question, Terms: res.Terms, Forms: alternatives(res)}, []duban.Hit{{Item: n}})
	if !found {
		return Reply{}, false
	}
	return e.figureReply(Reply{Intent: IntentTarget}, n, ans.Figure), true
}

// alternatives returns the plan's forms of the searched terms (文博会 is
// written 文化博览交易会, 奶粉 乳粉): a figure's clause holds the plan's
// words, not the question's.
func alternatives(res duban.SearchResult) []string {
	var out []string
	for _, t := range res.Terms {
		for _, a := range res.Alternatives[t] {
			if !slices.Contains(out, a) && !slices.Contains(res.Terms, a) {
				out = append(out, a)
			}
		}
	}
	return out
}
