package bot

import (
	"strings"
	"unicode"

	"duban"
	"duban/bot/understand"
)

// smallTalk answers a greeting with the help and thanks or an
// acknowledgement with a short word; kind is understand.Whole's.
func (e *Engine) smallTalk(kind string) (Reply, bool) {
	switch kind {
	case "greeting":
		r := e.help()
		r.Title = "您好！" + r.Title
		return r, true
	case "thanks":
		return Reply{Intent: IntentHelp, Title: "不客气，有问题随时问我。输入“帮助”可以查看提问方式。"}, true
	case "ack":
		return Reply{Intent: IntentHelp, Title: "好的，有问题随时问我。"}, true
	}
	return Reply{}, false
}

// cleanText folds the width of a message, leaves out mentions (adapters
// give plain text, with a mention as @ID; understand.WithoutMentions), and
// trims spaces and closing punctuation.
func cleanText(s string) string {
	s = understand.WithoutMentions(duban.Fold(s))
	// Control and zero-width characters (pasted from documents or typed by
	// accident) separate words like spaces do.
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimRight(strings.TrimSpace(s), "?？。.!！~")
}

func appendInt(s []int, n int) []int {
	for _, x := range s {
		if x == n {
			return s
		}
	}
	return append(s, n)
}
