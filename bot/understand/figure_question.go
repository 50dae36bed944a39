package understand

import (
	"regexp"
	"strings"
	"sync"

	"duban"
)

// figureQuestion is the compiled lexicon/figure-question.txt.
type figureQuestion struct {
	patterns []*regexp.Regexp
	words    *regexp.Regexp
}

var figureQuestionWords = sync.OnceValue(func() *figureQuestion {
	lx := lexicon("figure-question.txt")
	fq := &figureQuestion{}
	for _, p := range lx["pattern"] {
		fq.patterns = append(fq.patterns, regexp.MustCompile(expandClasses(p, lx)))
	}
	fq.words = regexp.MustCompile("(?i)" + alternation(lx["figure-word"]))
	return fq
})

// classRe is a word class in a pattern of a lexicon: {name}.
var classRe = regexp.MustCompile(`\{([a-z][a-z-]*)\}`)

// expandClasses replaces each {name} of a pattern with any one word of
// the lexicon's section [name], in the order it lists them. An unknown
// section is a defect of the lexicon.
func expandClasses(pattern string, lx map[string][]string) string {
	return classRe.ReplaceAllStringFunc(pattern, func(m string) string {
		words, ok := lx[m[1:len(m)-1]]
		if !ok {
			panic("lexicon: no section for " + m + " in " + pattern)
		}
		return alternation(words)
	})
}

// alternation is a non-capturing group matching any one of the words.
func alternation(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = regexp.QuoteMeta(w)
	}
	return "(?:" + strings.Join(q, "|") + ")"
}

// FigureSubject returns what a figure question is about once its question
// words are gone: "供水管网要新改建多少公里" -> "供水管网要新改建",
// "How many 长期定位监测点?" -> "长期定位监测点". An English question that
// gives its Chinese in parentheses is about that Chinese.
func FigureSubject(question string) string {
	s := strings.TrimSpace(duban.Fold(question))
	if g := hanGloss(s); g != "" {
		s = g
	}
	s = strings.TrimRight(s, "?？。.!！~ ")
	for _, re := range figureQuestionWords().patterns {
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

// ItemFigureSubject returns what a question for an item's figures asks
// about besides the item (第13条污水管网多少公里 -> 污水管网), given the
// question without its item reference: FigureSubject without the words
// that name no figure in particular (量化, 指标, 有哪些 …). It is "" when
// the question asks for all of them (第41条的量化目标有哪些).
func ItemFigureSubject(rest string) string {
	return strings.TrimSpace(figureQuestionWords().words.ReplaceAllString(FigureSubject(rest), " "))
}
