package slack

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"duban/bot"
)

// Slack's Block Kit limits, as documented for messages.
const (
	maxBlocks       = 50   // blocks per message
	maxSectionRunes = 3000 // characters of a section's text
	maxHeaderRunes  = 150  // characters of a header
	maxFields       = 10   // fields per section
	maxFieldRunes   = 2000 // characters of one field
	maxContextRunes = 2000 // characters of one context element (kept below the 3000 limit)
	maxFallback     = 3000 // characters of the notification fallback text we send
)

// ActionReport is the action id of the 报告进展 button; its value is the
// item number, after the plan's id and a colon when the answer names its
// plan (several plans loaded): "fujian-2022-quality:6".
const ActionReport = "duban_report"

// ActionConfirm and ActionCancel are the action ids of the buttons that
// answer a question the bot asked to confirm (a perhaps-report, a second
// 撤回); their value is the question's id (bot.Confirm.ID).
const (
	ActionConfirm = "duban_confirm"
	ActionCancel  = "duban_cancel"
)

// cutNote is appended when an answer does not fit in one message.
const cutNote = "回答较长，这里只显示了前一部分。完整内容请发送「导出」获取表格 (export)。"

// Escape makes plain text safe inside Slack mrkdwn: &, < and > become
// entities, so user text can neither mention anyone (<!channel>, <@U1>)
// nor open a link.
func Escape(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapeCut is Escape within n runes: when the escaped text would be
// longer, the plain text is cut on a character before it is escaped, so
// that an entity (&lt;) is never cut in half, and … marks the cut.
func escapeCut(s string, n int) string {
	e := Escape(s)
	if utf8.RuneCountInString(e) <= n {
		return e
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		piece := Escape(string(r))
		w := utf8.RuneCountInString(piece)
		if used+w > n-1 {
			break
		}
		b.WriteString(piece)
		used += w
	}
	b.WriteString("…")
	return b.String()
}

// unescape turns the entities Slack puts in message text back into the
// characters the user typed.
func unescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return entityDecoder.Replace(s)
}

// bold marks plain text bold in mrkdwn. Slack recognises *…* only at word
// boundaries, which Chinese text lacks, so zero-width spaces stand guard.
func bold(escaped string) string {
	if strings.TrimSpace(escaped) == "" {
		return escaped
	}
	return "\u200b*" + escaped + "*\u200b"
}

// highlightMrkdwn escapes text and makes the marked spans bold.
func highlightMrkdwn(text string, marks []bot.Span) string {
	if len(marks) == 0 {
		return Escape(text)
	}
	const open, close = "\x00", "\x01" // never in user text after sanitising
	if strings.ContainsAny(text, open+close) {
		// Removing bytes would shift the spans: blank them instead.
		text = markerBlanker.Replace(text)
	}
	h := Escape(bot.Highlight(text, marks, open, close))
	return markerBold.Replace(h)
}

var (
	markerBlanker = strings.NewReplacer("\x00", " ", "\x01", " ")
	markerBold    = strings.NewReplacer("\x00", "\u200b*", "\x01", "*\u200b")
	entityDecoder = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")
)

// truncate cuts s to at most n runes, ending with … when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// splitRunes cuts mrkdwn into pieces of at most n runes, preferring line
// breaks and never splitting an entity (&amp;) or a bold marker.
func splitRunes(s string, n int) []string {
	var out []string
	for utf8.RuneCountInString(s) > n {
		r := []rune(s)
		cut := n
		// Prefer the last line break in the second half of the window.
		for i := n - 1; i > n/2; i-- {
			if r[i] == '\n' {
				cut = i + 1
				break
			}
		}
		// Do not split an entity.
		if cut == n {
			for i := cut - 1; i > cut-6 && i > 0; i-- {
				if r[i] == ';' {
					break
				}
				if r[i] == '&' {
					cut = i
					break
				}
			}
		}
		out = append(out, string(r[:cut]))
		s = string(r[cut:])
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

func mrkdwn(s string) *slack.TextBlockObject {
	return &slack.TextBlockObject{Type: slack.MarkdownType, Text: s, Verbatim: true}
}

func plain(s string) *slack.TextBlockObject {
	return &slack.TextBlockObject{Type: slack.PlainTextType, Text: s, Emoji: new(false)}
}

// reportButton is the 报告进展 button for an item of a plan ("" for the
// plan the user is on).
func reportButton(plan string, item int) *slack.Accessory {
	v := strconv.Itoa(item)
	if plan != "" {
		v = plan + ":" + v
	}
	b := slack.NewButtonBlockElement(ActionReport, v, plain("报告进展"))
	return slack.NewAccessory(b)
}

// reportTarget reads a 报告进展 button's value: the plan ("" for the
// user's) and the item.
func reportTarget(v string) (plan string, item int) {
	if i := strings.LastIndexByte(v, ':'); i >= 0 {
		plan, v = v[:i], v[i+1:]
	}
	item, _ = strconv.Atoi(v)
	return plan, item
}

// confirmButtons are the two buttons that answer a question to confirm.
func confirmButtons(c bot.Confirm) slack.Block {
	yes := slack.NewButtonBlockElement(ActionConfirm, c.ID, plain(truncate(orText(c.Yes, "确认"), 75)))
	yes.Style = slack.StylePrimary
	no := slack.NewButtonBlockElement(ActionCancel, c.ID, plain(truncate(orText(c.No, "取消"), 75)))
	return slack.NewActionBlock("", yes, no)
}

func orText(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// Rendered is a Reply as a Slack message: the blocks and the plain-text
// fallback used for notifications and clients without Block Kit.
type Rendered struct {
	Blocks   []slack.Block
	Fallback string
	Cut      bool // the answer did not fit and was shortened
}

// Render turns a reply into Block Kit within Slack's limits. Every string
// of the reply is treated as plain text and escaped. Sections about one
// item carry a 报告进展 button when buttons is true.
func Render(r bot.Reply, buttons bool) Rendered {
	var blocks []slack.Block
	if p := strings.TrimSpace(r.PlanTitle); p != "" {
		// Several plans are loaded: say which one the answer is from.
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(truncate(Escape("〔"+p+"〕"), maxContextRunes))))
	}
	if t := strings.TrimSpace(r.Title); t != "" {
		if utf8.RuneCountInString(t) <= maxHeaderRunes && !strings.Contains(t, "\n") {
			blocks = append(blocks, slack.NewHeaderBlock(plain(t)))
		} else {
			for _, part := range splitRunes(Escape(t), maxSectionRunes) {
				blocks = append(blocks, slack.NewSectionBlock(mrkdwn(part), nil, nil))
			}
		}
	}
	plan := r.Plan
	if plan == "all" {
		plan = "" // hits of several plans: their buttons would not say whose
		buttons = false
	}
	for _, s := range r.Sections {
		blocks = append(blocks, sectionBlocks(s, plan, buttons)...)
	}
	if r.Confirm != nil && buttons {
		blocks = append(blocks, confirmButtons(*r.Confirm))
	}
	if n := strings.TrimSpace(r.Note); n != "" {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(escapeCut(n, maxContextRunes))))
	}
	out := Rendered{Blocks: blocks, Fallback: escapeCut(r.PlainText(), maxFallback)}
	if len(blocks) > maxBlocks {
		out.Blocks = append(blocks[:maxBlocks-1:maxBlocks-1], slack.NewContextBlock("", mrkdwn(cutNote)))
		out.Cut = true
	}
	if out.Fallback == "" {
		out.Fallback = "（空）"
	}
	return out
}

// sectionBlocks renders one section of a reply: the heading and text in
// one or more section blocks, the fields in groups of ten.
func sectionBlocks(s bot.Section, plan string, buttons bool) []slack.Block {
	var blocks []slack.Block
	var body strings.Builder
	if h := strings.TrimSpace(s.Heading); h != "" {
		body.WriteString(bold(Escape(h)))
	}
	if s.Text != "" {
		if body.Len() > 0 {
			body.WriteString("\n")
		}
		body.WriteString(highlightMrkdwn(s.Text, s.Marks))
	}
	var fields []*slack.TextBlockObject
	for _, f := range s.Fields {
		v := f.Value
		if strings.TrimSpace(v) == "" {
			v = "—"
		}
		label := bold(escapeCut(f.Label, maxFieldRunes/4)) + "\n"
		fields = append(fields, mrkdwn(label+escapeCut(v, maxFieldRunes-utf8.RuneCountInString(label))))
	}
	parts := splitRunes(body.String(), maxSectionRunes)
	for i, p := range parts {
		sec := slack.NewSectionBlock(mrkdwn(p), nil, nil)
		if i == 0 && buttons && s.Item > 0 {
			sec.Accessory = reportButton(plan, s.Item)
		}
		if i == len(parts)-1 && len(fields) > 0 {
			n := min(len(fields), maxFields)
			sec.Fields, fields = fields[:n], fields[n:]
		}
		blocks = append(blocks, sec)
	}
	for len(fields) > 0 {
		n := min(len(fields), maxFields)
		sec := slack.NewSectionBlock(nil, fields[:n], nil)
		if len(blocks) == 0 && buttons && s.Item > 0 {
			sec.Accessory = reportButton(plan, s.Item)
		}
		blocks = append(blocks, sec)
		fields = fields[n:]
	}
	return blocks
}
