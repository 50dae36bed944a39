package bot

import (
	"context"
	"time"

	"duban"
)

// SupervisionStore keeps what supervision (督办) writes, keyed by plan id:
// the deadlines the office sets, its review steps, its settings, how many
// times each agency was reminded in a round and when a scheduled job last
// ran. Package store implements it over bbolt. Every write carries a
// source id and happens once per source id.
type SupervisionStore interface {
	// AddDeadline records a deadline set (or, with a zero Date, cleared)
	// for an item, for one agency or (Agency "") all; the same source id
	// again returns the first change with duplicate set.
	AddDeadline(ctx context.Context, planID string, c duban.DeadlineChange) (stored duban.DeadlineChange, duplicate bool, err error)
	// Deadlines returns every deadline change of the plan, oldest first.
	Deadlines(ctx context.Context, planID string) ([]duban.DeadlineChange, error)
	// AddReview records a review step (通过 or 退回) on a report.
	AddReview(ctx context.Context, planID string, s duban.ReviewStep) (stored duban.ReviewStep, duplicate bool, err error)
	// Reviews returns every review step of the plan, oldest first.
	Reviews(ctx context.Context, planID string) ([]duban.ReviewStep, error)
	// AddSetting records a change of a supervision setting.
	AddSetting(ctx context.Context, planID string, c duban.SettingChange) (stored duban.SettingChange, duplicate bool, err error)
	// Settings returns every setting change of the plan, oldest first.
	Settings(ctx context.Context, planID string) ([]duban.SettingChange, error)
	// CountReminders adds one to each agency's reminder count in the
	// round and returns the counts; the same source id adds nothing.
	CountReminders(ctx context.Context, planID, roundID string, agencies []string, userID, sourceID string) (map[string]int, error)
	// ReminderCounts returns each agency's reminder count in the round.
	ReminderCounts(ctx context.Context, planID, roundID string) (map[string]int, error)
	// ClaimRun records that a scheduled job runs for the slot and reports
	// whether it should (no run for this slot or a later one yet).
	ClaimRun(ctx context.Context, planID, job string, slot time.Time) (bool, error)
}
