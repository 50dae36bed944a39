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

// Run is the interactive console: a short help, then a prompt per line
// until 退出, exit or end of input (Ctrl-D).
func Run(ctx context.Context, h Handler, u User, in io.Reader, out io.Writer) error {
	fmt.Fprintln(out, h.Handle(ctx, request(u, "帮助")).PlainText())
	fmt.Fprintln(out, "输入“退出”或按 Ctrl-D 离开。")
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for {
		fmt.Fprint(out, "\n"+Prompt)
		if !sc.Scan() {
			fmt.Fprintln(out)
			break
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if quitWords[strings.ToLower(line)] {
			fmt.Fprintln(out, "再见。")
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		fmt.Fprintln(out, Render(h.Handle(ctx, request(u, line))))
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read console input: %w", err)
	}
	return nil
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
// question. The field names are part of the contract in DESIGN.md.
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
}

// NewAnswer converts a reply to its JSON form; empty lists are [] not null.
func NewAnswer(r bot.Reply) Answer {
	a := Answer{Intent: string(r.Intent), Items: r.Items, Agencies: r.Agencies, Text: Render(r),
		Records: r.Records, Errors: r.Errors, Warnings: r.Warnings}
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

// AskLines answers each non-empty line of in, as Ask does.
func AskLines(ctx context.Context, h Handler, u User, in io.Reader, asJSON bool, out io.Writer) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if err := askOne(ctx, h, u, line, asJSON, out); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read questions: %w", err)
	}
	return nil
}

func askOne(ctx context.Context, h Handler, u User, q string, asJSON bool, out io.Writer) error {
	r := h.Handle(ctx, request(u, q))
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
