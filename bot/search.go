package bot

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

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
	q := stripQuestion(topic, searchFillers)
	if q == "" {
		return Reply{Intent: IntentSearch, Title: "请告诉我要查找的内容，例如“石墨烯”“有关茶的内容”“学前教育 幼儿园”。", Items: []int{}}
	}
	res, r, ok := e.runSearch(ctx, IntentSearch, q, searchLimit)
	if !ok {
		return r
	}
	shown := shorten(q, 30)
	r.Title = fmt.Sprintf("与“%s”相关的工作要点，按相关程度排列（%d条）", shown, len(res.Hits))
	if res.Relaxed {
		r.Title = fmt.Sprintf("没有完全符合“%s”的条目，以下%d条只符合其中一部分", shown, len(res.Hits))
	}
	for _, h := range res.Hits {
		r.Items = append(r.Items, h.Item)
		r.Sections = append(r.Sections, e.hitSection(h))
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
		if len(res.Suggestions) > 0 {
			r.Note = "可以试试：" + strings.Join(res.Suggestions, "、")
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
// the joint) agencies of the items that best fit the topic.
func (e *Engine) whoReply(ctx context.Context, topic string) Reply {
	q := stripQuestion(topic, whoFillers)
	if q == "" {
		return Reply{Intent: IntentWho, Title: "请说明要问的工作内容，例如“电梯安全归哪个部门牵头”。", Items: []int{}}
	}
	res, r, ok := e.runSearch(ctx, IntentWho, q, 3)
	if !ok {
		return r
	}
	// The best item, and those that fit nearly as well; items that fit
	// less well are named in the note, without their agencies.
	hits := []duban.Hit{res.Hits[0]}
	var also []string
	for _, h := range res.Hits[1:] {
		switch {
		case h.Score >= whoCloseScore*res.Hits[0].Score:
			hits = append(hits, h)
		case h.Score >= whoAlsoScore*res.Hits[0].Score:
			if it := e.plan.Item(h.Item); it != nil {
				also = append(also, fmt.Sprintf("第%d条（%s）", h.Item, strings.Join(it.Responsible(), "、")))
			}
		}
	}
	var lines []string
	for _, h := range hits {
		it := e.plan.Item(h.Item)
		if it == nil {
			continue
		}
		r.Items = append(r.Items, h.Item)
		names, role := it.Lead, "牵头"
		if len(names) == 0 {
			names, role = it.Joint, "按职责落实"
		}
		if len(names) == 0 {
			names, role = []string{"未写明责任单位"}, ""
		}
		r.Agencies = appendNew(r.Agencies, it.Lead...)
		if len(it.Lead) == 0 {
			r.Agencies = appendNew(r.Agencies, it.Joint...)
		}
		lines = append(lines, fmt.Sprintf("%s%s（第%d条）", strings.Join(names, "、"), role, h.Item))
		r.Sections = append(r.Sections, e.hitSection(h))
	}
	r.Title = fmt.Sprintf("“%s”：%s", shorten(q, 30), strings.Join(lines, "；"))
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

// An item scoring at least whoCloseScore of the best item's score also
// answers a who question; one scoring at least whoAlsoScore is mentioned.
const (
	whoCloseScore = 0.9
	whoAlsoScore  = 0.6
)

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

// Question words removed before searching, by intent. Each list is applied
// in order; a filler is removed wherever it stands.
var (
	commonFillers = []*regexp.Regexp{
		regexp.MustCompile(`^(?:请问|请|麻烦|帮我|帮忙|我想知道|想了解|我想了解|我想查)\s*`),
		regexp.MustCompile(`^(?:查一下|查查|查询|查找|搜索|搜一下|搜|找一下|找找|找|看看|看一下|列出|列一下)\s*`),
		regexp.MustCompile(`(?i)^(?:please\s+)?(?:search\s+for|search|find|show\s+me|show|list|look\s+up|tell\s+me\s+about|what\s+about)\b`),
		regexp.MustCompile(`(?i)\b(?:which|what)\s+(?:work\s+)?(?:items?|tasks?|points?)\s+(?:mention|mentions|involve|involves|cover|covers|are\s+about|is\s+about|concern|concerns|relate\s+to|deal\s+with|about|on)\b`),
		regexp.MustCompile(`(?i)\b(?:work\s+)?(?:items?|tasks?|points?)\s+(?:about|on|mentioning|related\s+to|concerning|regarding|involving)\b`),
		regexp.MustCompile(`(?i)\b(?:anything|something)\s+(?:about|on)\b`),
		regexp.MustCompile(`(?i)^(?:is|are)\s+there\s+(?:anything|something|any\s+(?:work\s+)?(?:items?|tasks?|points?))\s+(?:on|about|regarding|mentioning|related\s+to)\b`),
		regexp.MustCompile(`(?i)^any\s+(?:work\s+)?(?:items?|tasks?|points?)\s+(?:on|about|regarding|mentioning)\b`),
		regexp.MustCompile(`(?i)\bwhat\s+does\s+the\s+(?:plan|document|notice)\s+say\s+(?:about|on)\b`),
		regexp.MustCompile(`(?i)\b(?:which|what)\s+(?:work\s+)?(?:items?|tasks?|points?)\s+(?:talk|talks|speak|speaks|say\s+something)\s+about\b`),
		regexp.MustCompile(`(?i)^(?:list|show)\s+(?:me\s+)?(?:everything|all|anything)\s+(?:about|on)\b`),
		regexp.MustCompile(`(?i)\b(?:the\s+)?work\s+on\b`),
		regexp.MustCompile(`(?i)^(?:is|are)\s+there\s+`),
		regexp.MustCompile(`(?i)^(?:everything|all|anything)\s+(?:about|on)\b`),
		regexp.MustCompile(`(?i)^(?:the|a|an|any)\s+`),
	}
	searchFillers = append(slices.Clone(commonFillers),
		regexp.MustCompile(`^(?:关键词|关键字|主题)\s*:?\s*`),
		regexp.MustCompile(`^(?:有)?(?:哪些|哪几条|哪几项)?(?:工作|要点|条目|内容|事项)?(?:跟|和|与|同)(.+?)(?:有关|相关)(?:的)?(?:工作|要点|条目|内容|事项)?(?:有哪些|有什么|是什么)?$`),
		regexp.MustCompile(`^有没有(?:涉及|关于|提到|讲到|提及|包含|说到|写到|有关)?(?:到)?`),
		regexp.MustCompile(`^(?:有关|关于)(.+?)的(?:内容|工作|要点|条目|事项)(?:有哪些|有什么|是什么)?$`),
		regexp.MustCompile(`在哪(?:一|些|几)?(?:个)?(?:条目|条|项|要点|地方|部分)(?:里|中)?(?:有|提到|出现|写到)?`),
		regexp.MustCompile(`(?:在)?哪(?:里|儿)(?:有)?(?:提到|出现|写到|说到|讲到|提及|涉及|有)(?:了|过)?`),
		regexp.MustCompile(`的?(?:工作|要点|条目|内容|事项)?(?:有|共有|一共有|总共有)?(?:几条|多少条|哪几条|哪些条目?|几项|多少项)$`),
		regexp.MustCompile(`^(?:跟|和|与|同)(.+?)(?:有关|相关)(?:的)?(?:工作|要点|条目|内容|事项)?$`),
		regexp.MustCompile(`(?:是)?哪(?:一|几)?(?:条|项|个要点|些条目|个条目)(?:是|在)?(?:讲|说|关于|涉及|提到|写|有关)?(?:了)?`),
		regexp.MustCompile(`(?:方面|领域)(?:的)?(?:有)?(?:哪些|什么)?(?:工作|要点|内容|条目|事项)?(?:有哪些|有什么|是什么)?$`),
		regexp.MustCompile(`有(?:哪些|什么|哪几条|哪几项)(?:工作|要点|条目|内容|事项|任务)$`),
		regexp.MustCompile(`(?:哪些|哪几|什么|多少|有几)(?:项|条|个)?(?:工作|条目|要点|内容|事项|任务)?(?:里|中)?(?:是)?(?:涉及|提到|包含|有关|关于|讲到|说到|提及|写到)(?:了)?`),
		regexp.MustCompile(`^(?:涉及|提到|包含|关于|有关|讲到|提及)(?:了)?`),
		regexp.MustCompile(`(?:相关|有关)的?(?:工作|要点|条目|内容|事项|任务)?(?:有哪些|有什么|是什么)?$`),
		regexp.MustCompile(`的(?:工作|要点|条目|内容|事项|任务)(?:有哪些|有什么|是什么)?$`),
		regexp.MustCompile(`(?:的)?(?:工作|要点|条目|内容|事项|任务)?(?:有哪些|有什么|是什么|有没有|在哪里|在哪)$`),
		regexp.MustCompile(`(?:吗|呢|呀|吧|么)$`),
		regexp.MustCompile(`的$`),
		regexp.MustCompile(`(?i)\b(?:related|relevant)\s+(?:items?|work|tasks?)\b`),
	)
	whoFillers = append(slices.Clone(commonFillers),
		regexp.MustCompile(`(?:是|归|由|找|问)*(?:哪个|哪些|哪家|什么|那个|哪一个|哪)(?:部门|单位|机构|厅局|厅|局|委|处)?(?:来)?(?:牵头|负责|主管|承担|落实|管|抓)?(?:的)?(?:职责|事情?|工作|任务)?`),
		regexp.MustCompile(`(?:是|归|由|找|问|应该|该)*谁(?:来)?(?:牵头|负责|主管|来做|做|管|承担|抓)?(?:的)?(?:职责|事情?|工作|任务)?`),
		regexp.MustCompile(`的事情?$`),
		regexp.MustCompile(`(?:的)?(?:牵头|负责|责任)(?:单位|部门)(?:是|有)?(?:哪个|哪些|谁|什么)?`),
		regexp.MustCompile(`(?:归口|牵头|负责)`),
		regexp.MustCompile(`(?i)\bwho\s+(?:leads|lead|is\s+leading|is\s+responsible\s+for|are\s+responsible\s+for|is\s+in\s+charge\s+of|handles|does|takes\s+charge\s+of|takes\s+care\s+of|looks\s+after|manages|runs|supervises|oversees|owns)\b`),
		regexp.MustCompile(`(?i)\b(?:which|what)\s+(?:agency|agencies|department|departments|unit|units|body|bodies)\s+(?:leads?|is\s+responsible\s+for|are\s+responsible\s+for|(?:is|are)\s+in\s+charge\s+of|takes?\s+charge\s+of|handles?|oversees|owns|manages?|looks?\s+after|deals?\s+with)?\b`),
		regexp.MustCompile(`(?i)\b(?:who|whose|responsible|in\s+charge|leads?)\b`),
		regexp.MustCompile(`(?:吗|呢|呀|吧|么)$`),
	)
	targetFillers = append(slices.Clone(commonFillers),
		regexp.MustCompile(`百分之多少|比例是多少|比例为多少|是多少|为多少|有多少|达到多少|多少(?:公里|千米|米|批次|届|批|个|项|家|名|部|人|所|座|处|条|亩|吨|台|套|元|万|亿|%)?`),
		regexp.MustCompile(`第?几(?:公里|批次|届|批|个|项|家|名|部|人|所|座|处|条|级|大)?`),
		regexp.MustCompile(`(?:的)?(?:数量|数目)(?:是|为|有)?`),
		regexp.MustCompile(`(?:哪个|哪一|什么|哪)(?:系列|级别|级|届|批|档次)`),
		regexp.MustCompile(`今年|明年|(?:办|举办|开展)的是`),
		regexp.MustCompile(`(?i)\b(?:how\s+many|how\s+much|what\s+number\s+of|which\s+session\s+of|which\s+edition\s+of|what\s+percentage\s+of|what\s+is\s+the\s+target\s+for)\b`),
		regexp.MustCompile(`(?:吗|呢|呀|吧|么)$`),
	)
)

// stripQuestion removes the question words of the intent from a topic and
// returns what is left to search for. A filler with a group keeps the
// group ("有关茶的内容" -> "茶").
func stripQuestion(topic string, fillers []*regexp.Regexp) string {
	s := strings.TrimSpace(duban.Fold(topic))
	if g := hanGloss(s); g != "" {
		s = g
	}
	s = strings.TrimRight(s, "?？。.!！~ ")
	for _, re := range fillers {
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			sub := re.FindStringSubmatch(m)
			if len(sub) > 1 && sub[1] != "" {
				return " " + sub[1] + " "
			}
			return " "
		})
		s = strings.TrimSpace(s)
	}
	s = strings.Join(strings.Fields(s), " ")
	return strings.Trim(s, "?？。.!！~,，、:：\"“”'‘’「」 ")
}

// glossRe matches Chinese in parentheses: "sewage pipes (污水管网)".
var glossRe = regexp.MustCompile(`\(([^()]*\p{Han}[^()]*)\)`)

// hanGloss returns the Chinese an English question gives in parentheses
// ("Who is responsible for food safety sampling (食品安全抽检)?" ->
// 食品安全抽检): the English around it is a gloss of the same thing and
// only dilutes the search. It returns "" when Chinese stands outside the
// parentheses too.
func hanGloss(s string) string {
	ms := glossRe.FindAllStringSubmatch(s, -1)
	if len(ms) == 0 {
		return ""
	}
	outside := glossRe.ReplaceAllString(s, " ")
	for _, r := range outside {
		if unicode.Is(unicode.Han, r) {
			return ""
		}
	}
	var parts []string
	for _, m := range ms {
		parts = append(parts, m[1])
	}
	return strings.Join(parts, " ")
}
