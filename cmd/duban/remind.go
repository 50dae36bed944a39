package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

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
	if log == nil {
		log = slog.Default()
	}
	return schedule(ctx, spec, "--remind", "提醒", func(ctx context.Context, _ time.Time) {
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
	})
}

// digestSender delivers a scheduled 通报 (a reply of Engine.Digest, with
// its chart): the console prints it, the Slack adapter posts it to the
// office's channel.
type digestSender func(ctx context.Context, r bot.Reply) error

// claimer records that a scheduled job runs for a slot and reports
// whether it should (store.Store.ClaimRun for the engine's plan).
type claimer func(ctx context.Context, job string, slot time.Time) (bool, error)

// startDigest posts the 通报 on the cron schedule spec. Each run first
// claims its slot in the store, so that a restart within the minute (or
// another process on the same store) does not post it twice. An empty
// spec starts nothing.
func startDigest(ctx context.Context, spec string, eng *bot.Engine, claim claimer, send digestSender, log *slog.Logger) (stop func(), err error) {
	if log == nil {
		log = slog.Default()
	}
	return schedule(ctx, spec, "--digest", "通报", func(ctx context.Context, slot time.Time) {
		ok, err := claim(ctx, "digest", slot)
		if err != nil {
			log.Error("scheduled digest: claim", "error", err)
			return
		}
		if !ok {
			log.Info("scheduled digest already posted for this slot", "slot", slot)
			return
		}
		r := eng.Digest(ctx)
		if r.Intent == bot.IntentError {
			log.Error("scheduled digest", "error", r.Title)
			return
		}
		if err := send(ctx, r); err != nil {
			log.Error("send scheduled digest", "error", err)
			return
		}
		log.Info("scheduled digest posted", "slot", slot)
	})
}

// schedule runs job on the cron schedule spec (five fields, minute first,
// in China time; or a descriptor such as @daily or "@every 24h") until ctx
// ends or stop is called, passing the minute the schedule fired. A run
// still going when the next is due is skipped. An empty spec starts
// nothing. This is the one place scheduled work starts: whatever must
// decide which process runs it (one replica of several) wraps this.
func schedule(ctx context.Context, spec, flagName, what string, job func(ctx context.Context, slot time.Time)) (stop func(), err error) {
	if spec == "" {
		return func() {}, nil
	}
	if _, err := cron.ParseStandard(spec); err != nil {
		return nil, duban.Errorf(duban.CodeInvalid,
			"%s计划格式有误 (bad %s schedule) “%s”：%w。请用五段 cron 格式（分 时 日 月 周，北京时间），例如 \"0 9 * * 1\" 表示每周一 9 点", what, flagName, spec, err)
	}
	c := cron.New(cron.WithLocation(duban.ChinaTime()), cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
	if _, err := c.AddFunc(spec, func() { job(ctx, time.Now().Truncate(time.Minute)) }); err != nil {
		return nil, fmt.Errorf("schedule %s: %w", what, err)
	}
	c.Start()
	stopped := make(chan struct{})
	var once sync.Once
	stop = func() {
		once.Do(func() {
			close(stopped)
			<-c.Stop().Done() // waits for a running job
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

// printDigest is the console's digestSender.
func printDigest(w io.Writer) digestSender {
	return func(_ context.Context, r bot.Reply) error {
		_, err := fmt.Fprintf(w, "\n【定时通报】\n%s\n", console.Render(r))
		return err
	}
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
