package bot

import (
	"cmp"
	"slices"
	"time"

	"duban"
)

// This file holds the pure computations behind the office's commands
// (汇总, 未报送, 提醒, 导出): functions of the plan, the latest report of
// every (item, agency) pair, the bindings and the time. They read no
// history: the store keeps the latest report per pair in the same
// transaction as the report itself.

// chinaTime is the zone the office works in (UTC+8); times shown to users
// and calendar days (the feedback deadline) are counted in it.
var chinaTime = duban.ChinaTime()

// pairKey identifies an (item, agency) pair.
type pairKey struct {
	item   int
	agency string
}

// progressRow is one (item, responsible agency) pair with its latest
// report, if any.
type progressRow struct {
	duban.Assignment
	Latest *duban.Update // nil: 未报送
}

// Status returns the pair's status by its latest report (StatusNone when
// there is none).
func (r progressRow) Status() duban.Status {
	if r.Latest == nil {
		return duban.StatusNone
	}
	return r.Latest.Status
}

// agencyProgress is one agency's line of the per-agency table.
type agencyProgress struct {
	Agency      string
	Items       []int // the items it is responsible for, ascending
	Lead, Joint int   // how many of them it leads / shares
	Counts      [duban.StatusDelayed + 1]int
	LastReport  time.Time // the newest of its latest reports; zero if none
}

// Responsible returns the number of items the agency is responsible for.
func (a *agencyProgress) Responsible() int { return len(a.Items) }

// Reported returns the number of its items with a report.
func (a *agencyProgress) Reported() int { return len(a.Items) - a.Counts[duban.StatusNone] }

// progress is the state of every (item, responsible agency) pair of a
// plan at one moment.
type progress struct {
	plan      *duban.Plan
	now       time.Time
	rows      []progressRow // plan order: by item, lead before joint
	counts    [duban.StatusDelayed + 1]int
	agencies  []*agencyProgress // furthest behind first
	byAgency  map[string]*agencyProgress
	itemsDone int // items every responsible agency has reported done
}

// computeProgress joins the plan's assignments with the latest reports.
// Reports on pairs the plan does not assign (an agency no longer
// responsible) are ignored.
func computeProgress(plan *duban.Plan, latest []duban.Update, now time.Time) *progress {
	byPair := make(map[pairKey]*duban.Update, len(latest))
	for i := range latest {
		u := &latest[i]
		if u.Retracted {
			continue
		}
		k := pairKey{u.Item, u.Agency}
		// The store gives one update per pair; should it give more, the
		// newest wins.
		if old, ok := byPair[k]; !ok || newer(u, old) {
			byPair[k] = u
		}
	}
	p := &progress{plan: plan, now: now, byAgency: map[string]*agencyProgress{}}
	itemOpen := map[int]bool{}
	for _, a := range plan.Assignments() {
		row := progressRow{Assignment: a, Latest: byPair[pairKey{a.Item, a.Agency}]}
		p.rows = append(p.rows, row)
		st := row.Status()
		p.counts[st]++
		if st != duban.StatusDone {
			itemOpen[a.Item] = true
		}
		ap := p.byAgency[a.Agency]
		if ap == nil {
			ap = &agencyProgress{Agency: a.Agency}
			p.byAgency[a.Agency] = ap
			p.agencies = append(p.agencies, ap)
		}
		if n := len(ap.Items); n == 0 || ap.Items[n-1] != a.Item {
			ap.Items = append(ap.Items, a.Item)
		}
		if a.Role == duban.RoleLead {
			ap.Lead++
		} else {
			ap.Joint++
		}
		ap.Counts[st]++
		if row.Latest != nil && row.Latest.Time.After(ap.LastReport) {
			ap.LastReport = row.Latest.Time
		}
	}
	for _, it := range plan.Items {
		if len(it.Responsible()) > 0 && !itemOpen[it.Number] {
			p.itemsDone++
		}
	}
	slices.SortStableFunc(p.agencies, behindFirst)
	return p
}

// newer reports whether a is a later report than b.
func newer(a, b *duban.Update) bool {
	if !a.Time.Equal(b.Time) {
		return a.Time.After(b.Time)
	}
	return a.Seq > b.Seq
}

// behindFirst orders agencies furthest behind first: the larger share of
// items without a report, then more items delayed, then the smaller share
// done, then more items, then by name.
func behindFirst(a, b *agencyProgress) int {
	// Shares are compared by cross-multiplying to stay in integers.
	ma, mb := a.Counts[duban.StatusNone], b.Counts[duban.StatusNone]
	if c := cmp.Compare(mb*a.Responsible(), ma*b.Responsible()); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Counts[duban.StatusDelayed], a.Counts[duban.StatusDelayed]); c != 0 {
		return c
	}
	da, db := a.Counts[duban.StatusDone], b.Counts[duban.StatusDone]
	if c := cmp.Compare(da*b.Responsible(), db*a.Responsible()); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Responsible(), a.Responsible()); c != 0 {
		return c
	}
	return cmp.Compare(a.Agency, b.Agency)
}

// total returns the number of (item, responsible agency) pairs.
func (p *progress) total() int { return len(p.rows) }

// rowsOf returns the agency's rows, by item.
func (p *progress) rowsOf(agency string) []progressRow {
	var out []progressRow
	for _, r := range p.rows {
		if r.Agency == agency {
			out = append(out, r)
		}
	}
	return out
}

// lateRow is an assignment the office is still waiting on: no report, or
// only a report older than the stale limit.
type lateRow struct {
	progressRow
	Stale bool // there is a report, but it is too old
}

// lateAgency is an agency with items it is late on.
type lateAgency struct {
	Agency string
	Rows   []lateRow // by item
}

// late returns the agencies that have items with no report, or with only
// a report older than stale, most late items first (then by the order of
// the per-agency table), and the items lacking a current report from some
// responsible agency, ascending. When only is not empty, only those
// agencies are considered.
func (p *progress) late(stale time.Duration, only ...string) ([]lateAgency, []int) {
	cutoff := p.now.Add(-stale)
	byAgency := map[string]*lateAgency{}
	itemSet := map[int]bool{}
	for _, r := range p.rows {
		if len(only) > 0 && !slices.Contains(only, r.Agency) {
			continue
		}
		lr := lateRow{progressRow: r}
		switch {
		case r.Latest == nil:
		case r.Latest.Time.Before(cutoff):
			lr.Stale = true
		default:
			continue
		}
		la := byAgency[r.Agency]
		if la == nil {
			la = &lateAgency{Agency: r.Agency}
			byAgency[r.Agency] = la
		}
		// An agency both leading and sharing an item (not in the seed)
		// is late on it once.
		if n := len(la.Rows); n > 0 && la.Rows[n-1].Item == r.Item {
			continue
		}
		la.Rows = append(la.Rows, lr)
		itemSet[r.Item] = true
	}
	var out []lateAgency
	for _, ap := range p.agencies { // table order breaks ties
		if la := byAgency[ap.Agency]; la != nil {
			out = append(out, *la)
		}
	}
	slices.SortStableFunc(out, func(a, b lateAgency) int { return cmp.Compare(len(b.Rows), len(a.Rows)) })
	items := make([]int, 0, len(itemSet))
	for n := range itemSet {
		items = append(items, n)
	}
	slices.Sort(items)
	return out, items
}

// deadlineDays returns the number of calendar days (in China time) from
// now to the plan's feedback deadline: positive when days are left, 0 on
// the last day, negative when it has passed. ok is false when the plan
// has no deadline.
func deadlineDays(meta duban.Meta, now time.Time) (days int, ok bool) {
	if meta.Deadline.IsZero() {
		return 0, false
	}
	dy, dm, dd := meta.Deadline.Date()
	ny, nm, nd := now.In(chinaTime).Date()
	d := time.Date(dy, dm, dd, 0, 0, 0, 0, time.UTC)
	n := time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC)
	return int(d.Sub(n).Hours() / 24), true
}
