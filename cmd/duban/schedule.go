package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"duban"
)

// runGate decides whether this process runs a slot of a scheduled job. On
// etcd it is the replicas' election (store.Leader): only the leader runs a
// slot, and each slot once, recorded before it runs, so that a replica
// taking over from a dead leader never sends a round twice.
type runGate interface {
	ClaimRun(ctx context.Context, job string, slot time.Time) (bool, error)
}

// localGate runs every slot (tests without a store).
type localGate struct{}

// ClaimRun always says yes.
func (localGate) ClaimRun(context.Context, string, time.Time) (bool, error) { return true, nil }

// parseSchedule reads a five-field cron schedule (minute first, China
// time) or a descriptor such as @daily or "@every 24h".
func parseSchedule(flagName, what, spec string) (cron.Schedule, error) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, duban.Errorf(duban.CodeInvalid,
			"%s计划格式有误 (bad %s schedule) “%s”：%w。请用五段 cron 格式（分 时 日 月 周，北京时间），例如 \"0 9 * * 1\" 表示每周一 9 点", what, flagName, spec, err)
	}
	return sched, nil
}

// nextSlot is the first instant of the schedule after now. "@every D"
// counts from the Unix epoch rather than from the process's start, so that
// every replica computes the same slots.
func nextSlot(sched cron.Schedule, now time.Time) time.Time {
	if every, ok := sched.(cron.ConstantDelaySchedule); ok {
		return now.Truncate(every.Delay).Add(every.Delay)
	}
	return sched.Next(now.In(duban.ChinaTime()))
}

// schedule runs job at every slot of sched that gate lets this process
// claim, until ctx ends or stop is called; stop waits for a run in
// progress. A run that overlaps the next slots makes this process skip
// them. This is the one way scheduled work (--remind, and the digest) is
// started, so that several replicas send it once.
func schedule(ctx context.Context, job string, sched cron.Schedule, gate runGate, log *slog.Logger, run func(ctx context.Context, slot time.Time)) (stop func()) {
	if log == nil {
		log = slog.Default()
	}
	stopped := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			slot := nextSlot(sched, time.Now())
			t := time.NewTimer(time.Until(slot))
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-stopped:
				t.Stop()
				return
			case <-t.C:
			}
			ok, err := gate.ClaimRun(ctx, job, slot)
			if err != nil {
				log.Error("scheduled work: cannot claim the slot", "job", job, "slot", slot, "err", err)
				continue
			}
			if !ok {
				log.Debug("scheduled work: another replica runs this slot", "job", job, "slot", slot)
				continue
			}
			run(ctx, slot)
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(stopped)
			<-done
		})
	}
}

// slotString names a slot in logs.
func slotString(t time.Time) string {
	return fmt.Sprint(t.In(duban.ChinaTime()).Format(time.RFC3339Nano))
}
