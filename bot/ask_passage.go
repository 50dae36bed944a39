package bot

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"duban"
	"duban/bot/understand"
)

// Questions about the cover letter and the paragraph before the items
// that no cue word of the cover letter foresaw ("总体要求里说要立足什么阶段",
// "今年要大力实施什么战略", "Which office drew up these work points?") are
// answered from their sentences (Searcher.SearchPassages).

// passageLimit is how many sentences a passage answer shows.
const passageLimit = 2

// passageAnswer answers a topic question from the cover letter or the
// preamble when the question names them (通知, 总体要求, opening
// paragraph), or when a sentence of theirs holds every part of the topic
// as written and no item found does, or no item holds every word of the
// topic while a sentence does. ok is false when the items answer better.
func (e *Engine) passageAnswer(ctx context.Context, q *understand.Query) (Reply, bool) {
	topic := strings.TrimSpace(q.Topic)
	if e.search == nil || topic == "" || len(q.Items) > 0 || len(q.Agencies) > 0 {
		return Reply{}, false
	}
	ps, err := e.search.SearchPassages(ctx, topic, passageLimit)
	if err != nil {
		e.log.Error("search passages", "query", topic, "err", err)
		return Reply{}, false
	}
	if len(ps) == 0 {
		return Reply{}, false
	}
	if !q.Letter {
		res, err := e.search.Search(ctx, topic, searchLimit)
		if err != nil {
			return Reply{}, false
		}
		if !e.passageFitsBetter(topic, ps[0], res) {
			return Reply{}, false
		}
	}
	return e.passageReply(ps), true
}

// passageFitsBetter reports whether a sentence of the letter answers a
// topic better than the items found: it holds more of the topic's words
// (by characters, four at least) than any item found. A topic in English
// words, or the list of recipients, is answered from the letter only when
// the question names it (Query.Letter).
func (e *Engine) passageFitsBetter(topic string, p duban.Passage, res duban.SearchResult) bool {
	if !hasHan(topic) || p.Place == duban.PlaceRecipients {
		return false // English words and agency names say too little of a sentence
	}
	// The topic's words count, and its parts as written count again: a
	// sentence that holds "大力实施" as written says more than an item
	// holding 大力 and 实施 apart.
	words := e.contentWords(topic)
	parts := strings.Fields(topic)
	held := func(text string) int { return charsHeld(text, words) + charsHeld(text, parts) }
	best := 0
	for _, h := range res.Hits {
		if it := e.plan.Item(h.Item); it != nil {
			best = max(best, held(it.Text))
		}
	}
	got := held(p.Text)
	return got > best && charsHeld(p.Text, words) >= 4
}

// contentWords cuts a topic into its words of two characters or more,
// with the searcher's segmenter when it has one.
func (e *Engine) contentWords(topic string) []string {
	var words []string
	if seg, ok := e.search.(understand.Segmenter); ok {
		words = seg.Segment(topic)
	} else {
		words = strings.Fields(topic)
	}
	var out []string
	for _, w := range words {
		if w = strings.TrimSpace(w); utf8.RuneCountInString(w) >= 2 {
			out = append(out, w)
		}
	}
	return out
}

// charsHeld counts the characters of the words that text holds.
func charsHeld(text string, words []string) int {
	n := 0
	for _, w := range words {
		if strings.Contains(text, w) {
			n += utf8.RuneCountInString(w)
		}
	}
	return n
}

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// holdsParts reports whether text holds every part as written (ASCII case
// folded): a part of English words never stands in a Chinese sentence.
func holdsParts(text string, parts []string) bool {
	if len(parts) == 0 {
		return false
	}
	lower := strings.ToLower(text)
	for _, p := range parts {
		if !strings.Contains(lower, strings.ToLower(p)) {
			return false
		}
	}
	return true
}

// passageReply shows the sentences found, with the notice's issuer and
// date: a sentence such as "我办组织制定了…" names its office only there.
func (e *Engine) passageReply(ps []duban.Passage) Reply {
	m := e.plan.Meta
	r := Reply{Intent: IntentMeta, Items: []int{}, Title: ps[0].Text}
	for _, p := range ps[1:] {
		r.Sections = append(r.Sections, Section{Text: p.Text, Marks: p.Marks})
	}
	where := map[duban.Place]string{duban.PlacePreamble: "工作要点开篇", duban.PlaceTitle: "标题"}[ps[0].Place]
	if where == "" {
		where = "通知"
	}
	r.Sections = append(r.Sections, Section{Fields: []Field{
		{"出处", where},
		{"发文单位", m.Issuer},
		{"发文日期", m.DateText},
		{"文件", "《" + m.Title + "》"},
	}})
	r.Note = fmt.Sprintf("以上摘自%s；问具体条目可以说“第几条”或直接问主题。", where)
	return r
}
