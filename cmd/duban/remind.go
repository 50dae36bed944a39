package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"duban/bot"
	"duban/bot/console"
)

// reminderSender delivers one scheduled round of reminders: the reply of
// Engine.Remind, whose Direct messages go to the late agencies' users. The
// console prints it; the Slack adapter sends the messages as DMs.
type reminderSender func(ctx context.Context, r bot.Reply) error

// startReminders runs a round of reminders on the cron schedule spec
// (five fields, minute first, in China time; or a descriptor such as
// @daily or "@every 24h") until ctx ends or stop is called, through
// schedule: gate decides which process sends each round. An empty spec
// starts nothing.
func startReminders(ctx context.Context, spec string, gate runGate, eng *bot.Engine, send reminderSender, log *slog.Logger) (stop func(), err error) {
	if spec == "" {
		return func() {}, nil
	}
	sched, err := parseSchedule("--remind", "提醒", spec)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	return schedule(ctx, "remind", sched, gate, log, func(ctx context.Context, slot time.Time) {
		r := eng.Remind(ctx)
		if r.Intent == bot.IntentError {
			log.Error("scheduled reminders", "slot", slotString(slot), "error", r.Title)
			return
		}
		if err := send(ctx, r); err != nil {
			log.Error("send scheduled reminders", "slot", slotString(slot), "error", err)
			return
		}
		log.Info("scheduled reminders sent", "slot", slotString(slot), "messages", len(r.Direct), "agencies", len(r.Agencies))
	}), nil
}

// digestSender delivers a scheduled 通报 (a reply of Engine.Digest, with
// its chart): the console prints it, the Slack adapter posts it to the
// office's channel.
type digestSender func(ctx context.Context, r bot.Reply) error

// startDigest posts the 通报 on the cron schedule spec, through schedule:
// each slot is claimed through gate (in the store, and on etcd only by the
// elected replica) before it runs, so that neither a restart within the
// minute nor another replica posts it twice. An empty spec starts nothing.
func startDigest(ctx context.Context, spec string, gate runGate, eng *bot.Engine, send digestSender, log *slog.Logger) (stop func(), err error) {
	if spec == "" {
		return func() {}, nil
	}
	sched, err := parseSchedule("--digest", "通报", spec)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	return schedule(ctx, "digest", sched, gate, log, func(ctx context.Context, slot time.Time) {
		r := eng.Digest(ctx)
		if r.Intent == bot.IntentError {
			log.Error("scheduled digest", "slot", slotString(slot), "error", r.Title)
			return
		}
		if err := send(ctx, r); err != nil {
			log.Error("send scheduled digest", "slot", slotString(slot), "error", err)
			return
		}
		log.Info("scheduled digest posted", "slot", slotString(slot))
	}), nil
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
