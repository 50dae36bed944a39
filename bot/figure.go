package bot

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"duban"
)

// Figure questions: "供水管网要新改建多少公里" (by topic) and
// "第13条污水管网多少公里" (within an item). The figure answers first, then
// its item.

// targetTopicReply answers "供水管网要新改建多少公里": among the figures of
// the best items whose unit fits the question (公里 for 多少公里), the one
// whose clause holds the topic's words, closest to them.
func (e *Engine) targetTopicReply(ctx context.Context, topic string) Reply {
	hint := unitHint(topic)
	q := stripQuestion(topic, targetFillers)
	if q == "" {
		return Reply{Intent: IntentTarget, Title: "请说明要问的指标，例如“供水管网要新改建多少公里”。", Items: []int{}}
	}
	res, r, ok := e.runSearch(ctx, IntentTarget, q, 3)
	if !ok {
		return r
	}
	best, bestItem, bestScore := duban.Target{}, 0, -1<<30
	for rank, h := range res.Hits {
		it := e.plan.Item(h.Item)
		if it == nil {
			continue
		}
		for _, t := range it.Targets {
			if hint != "" && !unitFits(t.Value, hint) {
				continue // 多少公里 is never answered with 30个
			}
			if !clauseHasTerm(t.Clause, res.Terms, res.Relaxed) && !sentenceHasLongTerm(it.Text, t, res.Terms) {
				continue // 金牌旅游村 is never answered with the 3个 of 3个100工程
			}
			s := targetScore(it.Text, t, res.Terms) - rank*15
			if s > bestScore {
				best, bestItem, bestScore = t, h.Item, s
			}
		}
	}
	if bestItem == 0 {
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
	r = e.figureReply(r, bestItem, best)
	r = e.sameFigureElsewhere(r, bestItem, best)
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
		for _, t := range it.Targets {
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
// the topic's words stand by, when one fits.
func (e *Engine) itemFigure(ctx context.Context, n int, topic, hint string) (Reply, bool) {
	it := e.plan.Item(n)
	if e.search == nil || it == nil || len(it.Targets) < 2 {
		return Reply{}, false
	}
	res, err := e.search.Search(ctx, topic, len(e.plan.Items))
	if err != nil || len(res.Terms) == 0 {
		return Reply{}, false
	}
	best, found, bestScore := duban.Target{}, false, -1<<30
	for _, t := range it.Targets {
		if hint != "" && !unitFits(t.Value, hint) || !clauseHasTerm(t.Clause, res.Terms, false) {
			continue
		}
		if s := targetScore(it.Text, t, res.Terms); s > bestScore {
			best, found, bestScore = t, true, s
		}
	}
	if !found {
		return Reply{}, false
	}
	return e.figureReply(Reply{Intent: IntentTarget}, n, best), true
}

// clauseHasTerm reports whether a figure's clause holds a searched word of
// two characters or more: a figure whose clause names nothing asked about
// answers nothing. After a relaxed search, where the terms include pieces
// of the words asked, one short piece is not enough: the clause must hold
// two of them or one of three characters or more.
func clauseHasTerm(clause string, terms []string, relaxed bool) bool {
	n := 0
	for _, t := range terms {
		rc := utf8.RuneCountInString(t)
		if rc < 2 || !strings.Contains(clause, t) {
			continue
		}
		if !relaxed || rc >= 3 {
			return true
		}
		if n++; n >= 2 {
			return true
		}
	}
	return false
}

// sentenceHasLongTerm reports whether the sentence of a figure holds a
// searched word of three characters or more: the word may stand in the
// clause before the figure's ("推进高频政务服务事项“跨省通办”,2021年底前增加
// …72项事项" answers 跨省通办新增几项). A sentence names one matter, so a
// word of another sentence (金牌旅游村 beside 3个100工程) still does not
// count.
func sentenceHasLongTerm(text string, t duban.Target, terms []string) bool {
	if t.Offset < 0 || t.Offset+len(t.Value) > len(text) {
		return false
	}
	start := strings.LastIndexAny(text[:t.Offset], sentenceBreaks) + 1
	if start > 0 {
		_, size := utf8.DecodeRuneInString(text[start-1:])
		start += size - 1
	}
	end := len(text)
	if i := strings.IndexAny(text[t.Offset:], sentenceBreaks); i >= 0 {
		end = t.Offset + i
	}
	sentence := text[start:end]
	for _, term := range terms {
		if utf8.RuneCountInString(term) >= 3 && strings.Contains(sentence, term) {
			return true
		}
	}
	return false
}

// sentenceBreaks end a sentence of an item.
const sentenceBreaks = "。；;！？!?"

// targetScore rates how well a figure answers the question: its clause
// holds the searched terms and it stands close to them in the item's text.
func targetScore(text string, t duban.Target, terms []string) int {
	s := 0
	mass := 0 // each term's length, weighed by how close it stands
	for _, term := range terms {
		if term == "" {
			continue
		}
		runes := utf8.RuneCountInString(term)
		if strings.Contains(t.Clause, term) {
			s += 10 * runes
		}
		near := 1 << 30
		for off := 0; ; {
			i := strings.Index(text[off:], term)
			if i < 0 {
				break
			}
			at := off + i
			var gap string
			d := t.Offset - (at + len(term)) // term before the figure
			if d >= 0 {
				gap = text[at+len(term) : t.Offset]
			}
			if at >= t.Offset+len(t.Value) {
				d = at - (t.Offset + len(t.Value)) // term after the figure
				gap = text[t.Offset+len(t.Value) : at]
			} else if at+len(term) > t.Offset {
				d = 0
			}
			if d < 0 {
				d = -d
			}
			// A list separator between them: the term belongs to another
			// figure (污水管网 of 900公里 is not the 800公里 before it).
			if strings.ContainsAny(gap, "、，,;；。") {
				d += proximityReach
			}
			// An ordinal names what follows it (第28届全省戏剧会演): a term
			// before it belongs to it less.
			if strings.HasPrefix(t.Value, "第") && at < t.Offset {
				d += proximityReach / 2
			}
			near = min(near, d)
			off = at + len(term)
		}
		if near < proximityReach {
			mass += runes * (proximityReach - near)
		}
	}
	return s + 10*mass/proximityReach
}

// proximityReach is how far (in bytes; a Chinese character is 3) a term
// still counts as standing by a figure.
const proximityReach = 60

// unitHint returns the unit a figure question asks for ("多少公里" ->
// "公里", "第几届" -> "届", "哪个系列" -> "系列"), or "".
func unitHint(q string) string {
	l := strings.ToLower(q)
	for _, h := range []struct{ cue, unit string }{
		{"百分之", "%"}, {"比例", "%"}, {"percent", "%"}, {"率", "%"}, {"kilomet", "公里"}, {" km", "公里"},
		{"which session", "届"}, {"which edition", "届"},
		{"哪个系列", "系列"}, {"什么系列", "系列"}, {"哪一级", "级"}, {"哪级", "级"}, {"什么级别", "级"},
	} {
		if strings.Contains(l, h.cue) {
			return h.unit
		}
	}
	if m := unitCueRe.FindStringSubmatch(l); m != nil {
		return m[1]
	}
	return ""
}

// sameUnits are the measure words a figure may be written with for a unit
// asked in other words: 多少人 is answered by 300名, 多少千米 by 800公里.
var sameUnits = map[string]string{"人": "名人", "名": "名人", "千米": "公里", "km": "公里", "家": "家个所", "件": "件项", "项": "项件"}

var unitCueRe = regexp.MustCompile(`(?:多少|几)\s*(公里|千米|km|米|批次|届|批|个|项|家|名|部|人|所|座|处|条|亩|吨|台|套|元|万|亿|%|级|系列|大)`)

// unitFits reports whether a figure has the unit asked for. A count ("多少
// 个") accepts any measure word that counts (30大渔业品牌, 12部作品).
func unitFits(value, hint string) bool {
	if strings.Contains(value, hint) {
		return true
	}
	if same, ok := sameUnits[hint]; ok && strings.ContainsAny(value, same) {
		return true
	}
	if hint == "个" {
		return strings.ContainsAny(value, "个大家项名部所座处条种类批") && !strings.Contains(value, "%")
	}
	if hint == "万" || hint == "亿" {
		return strings.ContainsAny(value, "0123456789")
	}
	return false
}
