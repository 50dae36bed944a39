// Package console is duban's terminal adapter: an interactive prompt (the
// REPL that `go run ./cmd/duban` opens) and the one-shot `duban ask`, both
// answering through the same bot.Engine as Slack.
package console

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"duban"
	"duban/bot"
)

// Handler answers one request; *bot.Engine is one.
type Handler interface {
	Handle(ctx context.Context, req bot.Request) bot.Reply
}

// User is who is typing at the console.
type User struct {
	ID   string
	Name string
}

// Channel is the channel name console requests carry.
const Channel = "console"

var seq atomic.Uint64

// NewSourceID returns an id unique to one console message, so that a report
// typed twice is stored twice (two messages) but a message handled twice is
// stored once.
func NewSourceID() string {
	return fmt.Sprintf("console-%d-%d-%d", os.Getpid(), time.Now().UnixNano(), seq.Add(1))
}

func request(u User, text string) bot.Request {
	return bot.Request{Text: text, UserID: u.ID, UserName: u.Name, Channel: Channel, SourceID: NewSourceID()}
}

// quitWords leave the console.
var quitWords = map[string]bool{"退出": true, "exit": true, "quit": true, "q": true, "再见": true, "bye": true}

// Prompt is shown before each question.
const Prompt = "督办> "

// Run is the interactive console: a short help, then an answer per line
// until 退出, exit or end of input (Ctrl-D). The prompt is shown only when
// in is a terminal: piped input gets its answers one after another,
// separated by blank lines, with no prompt running into them. A line
// longer than MaxLine is refused with a message and the next is read.
func Run(ctx context.Context, h Handler, u User, in io.Reader, out io.Writer) error {
	fmt.Fprintln(out, h.Handle(ctx, request(u, "帮助")).PlainText())
	fmt.Fprintln(out, "输入“退出”或按 Ctrl-D 离开。")
	prompt := IsTerminal(in)
	lr := newLineReader(in)
	for {
		if prompt {
			fmt.Fprint(out, "\n"+Prompt)
		}
		line, tooLong, err := lr.next()
		if err == io.EOF {
			if prompt {
				fmt.Fprintln(out)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("read console input: %w", err)
		}
		line = strings.TrimSpace(line)
		if line == "" && !tooLong {
			continue
		}
		if quitWords[strings.ToLower(line)] {
			if !prompt {
				fmt.Fprintln(out)
			}
			fmt.Fprintln(out, "再见。")
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !prompt {
			fmt.Fprintln(out)
		}
		if tooLong {
			fmt.Fprintln(out, Render(tooLongReply()))
			continue
		}
		fmt.Fprintln(out, Render(h.Handle(ctx, request(u, line))))
	}
}

// MaxLine is the longest line, in bytes, the console and `duban ask` read
// as one message. A longer line is answered with tooLongReply, and reading
// goes on with the next line.
const MaxLine = 1 << 20

// tooLongReply is the answer to a line longer than MaxLine.
func tooLongReply() bot.Reply {
	return bot.Reply{Intent: bot.IntentError,
		Title: fmt.Sprintf("这一行太长（超过 %d MiB），已跳过 (line too long)。请缩短后重新输入，进展内容最多 %d 字。", MaxLine>>20, bot.MaxReportText)}
}

// lineReader reads lines of any length, keeping at most MaxLine bytes of
// each.
type lineReader struct{ r *bufio.Reader }

func newLineReader(in io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(in, 64<<10)}
}

// next returns the next line without its line end, and whether it was
// longer than MaxLine (then line is empty: the whole line is skipped). At
// the end of input it returns io.EOF; a last line without a newline is
// returned first.
func (lr *lineReader) next() (line string, tooLong bool, err error) {
	var buf []byte
	read := false
	for {
		chunk, more, err := lr.r.ReadLine()
		if err != nil {
			if err == io.EOF && read {
				break
			}
			return "", false, err
		}
		read = true
		if !tooLong {
			if len(buf)+len(chunk) > MaxLine {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if !more {
			break
		}
	}
	return string(buf), tooLong, nil
}

// Render is the console's plain-text form of a reply, with the messages it
// asks to send shown below it. Control characters other than newline and
// tab are written out as escapes (duban.EscapeControls): what people
// wrote can never drive the operator's terminal.
func Render(r bot.Reply) string {
	s := r.PlainText()
	if r.File != nil {
		s += "\n文件已保存：" + r.File.Path
	}
	for _, m := range r.Direct {
		s += fmt.Sprintf("\n\n→ 发给 %s：\n%s", m.UserID, m.Text)
	}
	for _, m := range r.Notices {
		to := m.UserID
		if m.Channel != "" {
			to = "频道 " + m.Channel
		}
		s += fmt.Sprintf("\n\n→ 通知 %s：\n%s", to, m.Text)
	}
	return duban.EscapeControls(s)
}

// Answer is the JSON form of a reply (`duban ask --json`), one object per
// question. The field names are part of the contract in
// docs/ARCHITECTURE.md.
type Answer struct {
	Intent   string   `json:"intent"`
	Items    []int    `json:"items"`
	Agencies []string `json:"agencies"`
	Text     string   `json:"text"`
	// Records are the record numbers a report stored (one per item).
	Records []uint64 `json:"records,omitempty"`
	// Errors say field by field why a report was not stored; Warnings
	// what is worth checking in one that was.
	Errors   []duban.FieldError `json:"errors,omitempty"`
	Warnings []duban.FieldError `json:"warnings,omitempty"`
	// Confirm is the id of a question the bot asked to confirm (answer 是
	// or 否 as the same user).
	Confirm string `json:"confirm,omitempty"`
	// Plan is the id of the plan the answer is from, when more than one
	// plan is loaded ("all" for a search over every plan).
	Plan string `json:"plan,omitempty"`
}

// NewAnswer converts a reply to its JSON form; empty lists are [] not null.
func NewAnswer(r bot.Reply) Answer {
	a := Answer{Intent: string(r.Intent), Items: r.Items, Agencies: r.Agencies, Text: Render(r),
		Records: r.Records, Errors: r.Errors, Warnings: r.Warnings, Plan: r.Plan}
	if r.Confirm != nil {
		a.Confirm = r.Confirm.ID
	}
	if a.Items == nil {
		a.Items = []int{}
	}
	if a.Agencies == nil {
		a.Agencies = []string{}
	}
	return a
}

// Ask answers each question once. With asJSON each answer is one JSON
// object on one line; otherwise answers are separated by a blank line.
func Ask(ctx context.Context, h Handler, u User, questions []string, asJSON bool, out io.Writer) error {
	for _, q := range questions {
		if err := askOne(ctx, h, u, q, asJSON, out); err != nil {
			return err
		}
	}
	return nil
}

// AskLines answers each non-empty line of in, as Ask does. A line longer
// than MaxLine is answered with an error (one JSON object with intent
// "error" with asJSON) and the lines after it are answered as usual.
func AskLines(ctx context.Context, h Handler, u User, in io.Reader, asJSON bool, out io.Writer) error {
	lr := newLineReader(in)
	for {
		line, tooLong, err := lr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read questions: %w", err)
		}
		if tooLong {
			if err := writeAnswer(tooLongReply(), asJSON, out); err != nil {
				return err
			}
			continue
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if err := askOne(ctx, h, u, line, asJSON, out); err != nil {
			return err
		}
	}
}

func askOne(ctx context.Context, h Handler, u User, q string, asJSON bool, out io.Writer) error {
	return writeAnswer(h.Handle(ctx, request(u, q)), asJSON, out)
}

// writeAnswer writes one answer: a JSON object on one line, or the text
// and a blank line.
func writeAnswer(r bot.Reply, asJSON bool, out io.Writer) error {
	if asJSON {
		b, err := json.Marshal(NewAnswer(r))
		if err != nil {
			return fmt.Errorf("encode answer: %w", err)
		}
		_, err = fmt.Fprintf(out, "%s\n", b)
		return err
	}
	_, err := fmt.Fprintf(out, "%s\n\n", Render(r))
	return err
}
