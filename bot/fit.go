package bot

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// chatTextRunes is how much of a report's text a list in chat (an item's
// history) shows: about one line of a terminal or a chat window.
const chatTextRunes = 60

// longTextNote closes a reply whose long reports were shortened: the
// export holds the latest report of every pair in full.
const longTextNote = "较长的进展已截短；各单位最新一条进展的全文见“导出”生成的表格。"

// chatText is a report's text as a list in chat shows it: as written when
// short, else its start on one line with its length. It reports whether
// it shortened the text.
func chatText(s string) (string, bool) {
	n := utf8.RuneCountInString(s)
	if n <= chatTextRunes && strings.Count(s, "\n") < 2 {
		return s, false
	}
	return officeTruncate(officeOneLine(s), chatTextRunes) + fmt.Sprintf("（共 %d 字）", n), true
}

// fitsChat reports whether r, with extra more lines, stays within the
// lines a reply may take (replyLines, about 40 with the note).
func fitsChat(r Reply, extra int) bool {
	return strings.Count(r.PlainText(), "\n")+1+extra <= replyLines
}
