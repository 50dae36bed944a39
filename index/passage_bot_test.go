package index_test

import (
	"strings"
	"testing"

	"duban/bot"
)

// TestQuestionsAnsweredFromTheLetter: questions about the cover letter and
// the paragraph before the items that no cue word foresaw are answered
// from their sentences; questions about the items are not.
func TestQuestionsAnsweredFromTheLetter(t *testing.T) {
	e := bot.New(bot.Config{Plan: seedPlan(t), Searcher: sharedIndex(t)})
	letter := map[string]string{
		"开篇说2021年是哪个规划的开局之年":                            "十四五",
		"总体要求里要深入开展什么行动":                                "质量提升行动",
		"工作要点以什么思想为指导":                                  "习近平新时代中国特色社会主义思想",
		"要立足什么样的发展阶段":                                   "新发展阶段",
		"What does the opening paragraph say to serve?": "新发展格局",
		"通知让各单位结合什么贯彻落实":                                "结合各自职能",
	}
	for q, want := range letter {
		r := e.Handle(t.Context(), bot.Request{Text: q, UserID: "u"})
		text := r.Title + "\n" + sectionsText(r)
		if r.Intent != bot.IntentMeta || !strings.Contains(text, want) {
			t.Errorf("%s: %s %q, want a letter answer with %q", q, r.Intent, r.Title, want)
		}
	}
	for _, q := range []string{"哪些工作涉及石墨烯", "养老服务质量", "有没有宣传方面的工作", "opening up research facilities to outside users"} {
		if r := e.Handle(t.Context(), bot.Request{Text: q, UserID: "u"}); r.Intent == bot.IntentMeta {
			t.Errorf("%s: answered from the letter: %q", q, r.Title)
		}
	}
}

func sectionsText(r bot.Reply) string {
	var b strings.Builder
	for _, s := range r.Sections {
		b.WriteString(s.Text)
		for _, f := range s.Fields {
			b.WriteString(f.Value)
		}
	}
	return b.String()
}

// TestFigureQuestionNamingAnAgency: a figure question that names an agency
// but asks nothing of its role is a figure question about the agency's
// work, not a list of the agency's items.
func TestFigureQuestionNamingAnAgency(t *testing.T) {
	e := bot.New(bot.Config{Plan: seedPlan(t), Searcher: sharedIndex(t)})
	for q, want := range map[string]string{
		"药监局的疫苗追溯要实现哪种码": "一物一码",
		"林业局推进的鲜笋追溯用什么码": "一品一码",
	} {
		r := e.Handle(t.Context(), bot.Request{Text: q, UserID: "u"})
		if r.Intent != bot.IntentTarget || !strings.Contains(r.Title, want) {
			t.Errorf("%s: %s %q, want the figure %s", q, r.Intent, r.Title, want)
		}
	}
}
