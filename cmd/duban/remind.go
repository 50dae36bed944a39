package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"

	"github.com/robfig/cron/v3"

	"duban"
	"duban/bot"
	"duban/bot/console"
)

// reminderSender delivers one scheduled round of reminders: the reply of
// Engine.Remind, whose Direct messages go to the late agencies' users. The
// console prints it; the Slack adapter sends the messages as DMs.
type reminderSender func(ctx context.Context, r bot.Reply) error

// startReminders runs a round of reminders on the cron schedule spec
// (five fields, minute first, in China time; or a descriptor such as
// @daily or "@every 24h") until ctx ends or stop is called. A round that
// is still running when the next is due is skipped. An empty spec starts
// nothing.
func startReminders(ctx context.Context, spec string, eng *bot.Engine, send reminderSender, log *slog.Logger) (stop func(), err error) {
	if spec == "" {
		return func() {}, nil
	}
	if _, err := cron.ParseStandard(spec); err != nil {
		return nil, duban.Errorf(duban.CodeInvalid,
			"提醒计划格式有误 (bad --remind schedule) “%s”：%w。请用五段 cron 格式（分 时 日 月 周，北京时间），例如 \"0 9 * * 1\" 表示每周一 9 点", spec, err)
	}
	if log == nil {
		log = slog.Default()
	}
	c := cron.New(cron.WithLocation(duban.ChinaTime()), cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
	if _, err := c.AddFunc(spec, func() {
		r := eng.Remind(ctx)
		if r.Intent == bot.IntentError {
			log.Error("scheduled reminders", "error", r.Title)
			return
		}
		if err := send(ctx, r); err != nil {
			log.Error("send scheduled reminders", "error", err)
			return
		}
		log.Info("scheduled reminders sent", "messages", len(r.Direct), "agencies", len(r.Agencies))
	}); err != nil {
		return nil, fmt.Errorf("schedule reminders: %w", err)
	}
	c.Start()
	stopped := make(chan struct{})
	var once sync.Once
	stop = func() {
		once.Do(func() {
			close(stopped)
			<-c.Stop().Done() // waits for a running round
		})
	}
	go func() {
		select {
		case <-ctx.Done():
			stop()
		case <-stopped:
		}
	}()
	return stop, nil
}

// printReminders is the console's reminderSender: it prints the round
// with the messages it would send.
func printReminders(w io.Writer) reminderSender {
	return func(_ context.Context, r bot.Reply) error {
		_, err := fmt.Fprintf(w, "\n【定时提醒】\n%s\n", console.Render(r))
		return err
	}
}

// syncWriter serialises writes from the console and the reminder
// schedule to one output.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
