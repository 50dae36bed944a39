package bot

import (
	"time"

	"duban"
)

// This file adapts the domain's supervision (duban.Assess: the progress,
// deadline and light of every (item, agency) pair, a pure function of the
// plan, what the store holds, the office's rules and a clock) to the
// office's commands (汇总, 未报送, 提醒, 导出), which only render it.

// chinaTime is the zone the office works in (UTC+8); times shown to users
// and calendar days (the feedback deadline) are counted in it.
var chinaTime = duban.ChinaTime()

// The domain's values under the names the office's renderers use.
type (
	progressRow    = duban.Pair
	agencyProgress = duban.AgencyProgress
	lateRow        = duban.LateRow
	lateAgency     = duban.LateAgency
)

// progress is the state of every (item, responsible agency) pair of a
// plan at one moment, as the office's commands read it.
type progress struct {
	*duban.Progress
	plan      *duban.Plan
	now       time.Time
	rows      []progressRow // plan order: by item, lead before joint
	counts    [duban.StatusDelayed + 1]int
	agencies  []*agencyProgress // worst first (duban.WorstFirst)
	byAgency  map[string]*agencyProgress
	itemsDone int // items every responsible agency has done

	deadlineChanges []duban.DeadlineChange // what the office set, oldest first
	reviews         []duban.ReviewStep     // the office's review steps, oldest first
}

// newProgress wraps the domain's progress.
func newProgress(dp *duban.Progress) *progress {
	return &progress{Progress: dp, plan: dp.Plan, now: dp.Now, rows: dp.Pairs, counts: dp.Counts,
		agencies: dp.Agencies, byAgency: dp.ByAgency, itemsDone: dp.ItemsDone}
}

// computeProgress is the progress of the latest reports under the default
// rules: no rounds, no review, the plan's deadlines.
func computeProgress(plan *duban.Plan, latest []duban.Update, now time.Time) *progress {
	return newProgress(duban.Assess(plan, duban.Facts{Latest: latest}, duban.Rules{}, now))
}

// total returns the number of (item, responsible agency) pairs.
func (p *progress) total() int { return len(p.rows) }

// rowsOf returns the agency's rows, by item.
func (p *progress) rowsOf(agency string) []progressRow { return p.Of(agency) }

// late returns the agencies lacking a current report on some items (see
// duban.Progress.Late) and those items.
func (p *progress) late(only ...string) ([]lateAgency, []int) { return p.Late(only...) }

// deadlineDays returns the number of calendar days (in China time) from
// now to the plan's feedback deadline: positive when days are left, 0 on
// the last day, negative when it has passed. ok is false when the plan
// has no deadline.
func deadlineDays(meta duban.Meta, now time.Time) (days int, ok bool) {
	if meta.Deadline.IsZero() {
		return 0, false
	}
	return duban.DaysUntil(meta.Deadline, now), true
}
