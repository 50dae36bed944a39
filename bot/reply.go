package bot

import (
	"context"
	"strings"
	"time"

	"duban"
)

// Intent names what a question was understood to ask. The values are part
// of the `duban ask --json` contract (docs/ARCHITECTURE.md).
type Intent string

// The intents.
const (
	IntentLead     Intent = "lead"
	IntentJoint    Intent = "joint"
	IntentInvolved Intent = "involved"
	IntentWho      Intent = "who"
	IntentSearch   Intent = "search"
	IntentItem     Intent = "item"
	IntentTarget   Intent = "target"
	IntentMeta     Intent = "meta"
	IntentUpdate   Intent = "update"
	IntentHistory  Intent = "history"
	IntentSummary  Intent = "summary"
	IntentMissing  Intent = "missing"
	IntentExport   Intent = "export"
	IntentBind     Intent = "bind"
	IntentHelp     Intent = "help"
	IntentError    Intent = "error"
)

// LocalOperator is the user id of the person at the console when no --as
// is given. The local operator is an admin.
const LocalOperator = "local"

// Attachment is a file that came with a message (a Slack file share).
type Attachment struct {
	Name string
	Size int64
	// Fetch downloads the file, at most limit bytes; a larger file is an
	// error with a message for the user.
	Fetch func(ctx context.Context, limit int64) ([]byte, error)
}

// Request is one message to the bot.
type Request struct {
	Text     string
	UserID   string       // immutable user id; never a display name
	UserName string       // display name, for records and greetings only
	Channel  string       // where the message came from (console, a Slack channel id)
	SourceID string       // unique id of the message or event; writes are stored once per SourceID
	Time     time.Time    // when the message was sent; zero means now
	Files    []Attachment // files sent with the message (导入计划 with a document)
}

// Reply is the bot's answer, independent of how it is shown. Adapters turn
// it into plain text (console), JSON (ask --json) or Block Kit (Slack).
// Every string in a Reply is plain text: adapters escape it for their
// medium, so user-written text can never become markup.
type Reply struct {
	Intent   Intent
	Title    string
	Sections []Section
	Items    []int     // item numbers: rank order for searches, ascending for lookups
	Agencies []string  // canonical agency names the answer is about
	Note     string    // a closing remark (a hint, a pointer to the export)
	File     *File     // a file the answer produced (export)
	Direct   []Message // reminders to send as direct messages (提醒); the adapter says how many went
	// Notices are messages to the office that the answer causes (a report
	// of 滞后, when Config.NotifyDelayed is set): sent quietly, without a
	// word to the asker.
	Notices []Message
	// Records are the record numbers a report stored, in order
	// (`duban ask --json` shows them as "records").
	Records []uint64
	// Errors say, field by field, why a report was not stored; Warnings
	// what is worth checking in one that was.
	Errors, Warnings []duban.FieldError
	// Confirm is set when the bot asks the user to confirm something: the
	// console takes 是 for yes, Slack shows buttons.
	Confirm *Confirm
	// Plan and PlanTitle name the plan the answer is from, when more than
	// one plan is loaded ("" otherwise).
	Plan, PlanTitle string

	internal *internalError // an internal error not yet logged (errorReply)
}

// Confirm is a question the user answers yes or no: Slack shows it as two
// buttons carrying its id (Engine.Confirm answers them); anywhere a reply
// of 是 or 否 answers it too.
type Confirm struct {
	ID  string
	Yes string // the yes button's label
	No  string // the no button's label
}

// Section is a block of an answer: an optional heading, label/value
// fields and a text whose marked spans are highlighted.
type Section struct {
	Heading string
	Fields  []Field
	Text    string
	Marks   []Span // byte ranges of Text to highlight, ascending, not overlapping
	Item    int    // the item the section shows, 0 if none (adapters may offer a report button)
}

// Field is a label and its value.
type Field struct {
	Label string
	Value string
}

// Span is a byte range [Start, End) of a text.
type Span = duban.Span

// File is a file the bot wrote for the user.
type File struct {
	Path   string // where it was written
	Name   string // the name to show or upload under
	Format string // csv or xlsx
}

// Message is a message the bot asks the adapter to send: a direct
// message to a user, or a post in a channel when Channel is set.
type Message struct {
	UserID  string
	Channel string
	Text    string
	// Review, when set, asks the office to review a completion: Slack
	// shows 通过 and 退回 buttons under the text (Engine.Decide answers them).
	Review *ReviewAsk
}

// ReviewAsk is a completion awaiting the office's review.
type ReviewAsk struct {
	Item   int
	Agency string
	Report uint64 // the record number of the report of 已完成
}

// PlainText renders the reply as the console shows it: the plan (when
// several are loaded), the title, each
// section with its heading, fields and text (highlights in 【】), and the
// note.
func (r Reply) PlainText() string {
	var b strings.Builder
	if r.PlanTitle != "" {
		b.WriteString("〔" + r.PlanTitle + "〕\n")
	}
	if r.Title != "" {
		b.WriteString(r.Title)
		b.WriteString("\n")
	}
	for i, s := range r.Sections {
		if i > 0 || r.Title != "" {
			if s.Heading != "" || len(s.Fields) > 0 || strings.Contains(s.Text, "\n") {
				b.WriteString("\n")
			}
		}
		if s.Heading != "" {
			b.WriteString(s.Heading)
			b.WriteString("\n")
		}
		for _, f := range s.Fields {
			b.WriteString(f.Label)
			b.WriteString(": ")
			b.WriteString(f.Value)
			b.WriteString("\n")
		}
		if s.Text != "" {
			b.WriteString(Highlight(s.Text, s.Marks, "【", "】"))
			b.WriteString("\n")
		}
	}
	if r.Note != "" {
		b.WriteString("\n")
		b.WriteString(r.Note)
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// Highlight wraps the marked spans of text in open and close. Spans that
// are out of range, overlapping or not on rune boundaries are skipped.
func Highlight(text string, marks []Span, open, close string) string {
	if len(marks) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, m := range marks {
		if m.Start < last || m.End <= m.Start || m.End > len(text) ||
			!runeStart(text, m.Start) || !runeStart(text, m.End) {
			continue
		}
		b.WriteString(text[last:m.Start])
		b.WriteString(open)
		b.WriteString(text[m.Start:m.End])
		b.WriteString(close)
		last = m.End
	}
	b.WriteString(text[last:])
	return b.String()
}

func runeStart(s string, i int) bool {
	return i == len(s) || i < len(s) && s[i]&0xC0 != 0x80
}
