package duban

import (
	"cmp"
	"slices"
	"time"
)

// DigestWeek is the span a 通报 looks back over for completions.
const DigestWeek = 7 * 24 * time.Hour

// Completion is a report of 已完成 that is its pair's latest.
type Completion struct {
	Item   int
	Agency string
	Time   time.Time
	Review ReviewState
}

// Digest is the weekly circulated report (通报): the reporting rate, the
// on-time rate, the lights of every agency with a ranking, the work
// completed in the week and the agencies that have not reported.
type Digest struct {
	*Progress
	From, To  time.Time         // the week: the seven days up to now
	Reported  int               // pairs with a report in the current round (without rounds: within the stale limit)
	Due       int               // pairs done, awaiting review, or past their deadline
	OnTime    int               // of those, completions reported by their deadline
	Completed []Completion      // completions reported in the week, oldest first
	Ranking   []*AgencyProgress // best first: see BestFirst
	Late      []LateAgency      // agencies that have not reported, most pairs first
	LateItems []int             // items lacking a report from some agency
}

// Digest returns the 通报 of the progress: the week is the seven days up
// to p.Now.
func (p *Progress) Digest() Digest {
	d := Digest{Progress: p, From: p.Now.Add(-DigestWeek), To: p.Now}
	for _, r := range p.Pairs {
		if r.Current {
			d.Reported++
		}
		completed := r.Status() == StatusDone && r.Review != ReviewReturned
		if completed || r.Overdue() {
			d.Due++
		}
		if completed && (r.Deadline.Source == DeadlineNone || r.Latest.Time.Before(r.Deadline.Date.AddDate(0, 0, 1))) {
			d.OnTime++
		}
		if completed && !r.Latest.Time.Before(d.From) && !r.Latest.Time.After(d.To) {
			d.Completed = append(d.Completed, Completion{Item: r.Item, Agency: r.Agency, Time: r.Latest.Time, Review: r.Review})
		}
	}
	slices.SortStableFunc(d.Completed, func(a, b Completion) int { return a.Time.Compare(b.Time) })
	d.Ranking = slices.Clone(p.Agencies)
	slices.SortStableFunc(d.Ranking, BestFirst)
	d.Late, d.LateItems = p.Late()
	return d
}

// BestFirst ranks agencies for the 通报: the larger share of pairs done,
// then fewer red, then the larger share reported in the round, then fewer
// yellow, then by name. Shares are compared exactly (cross-multiplied).
func BestFirst(a, b *AgencyProgress) int {
	na, nb := a.Pairs(), b.Pairs()
	if c := cmp.Compare(b.Done*na, a.Done*nb); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Lights[LightRed], b.Lights[LightRed]); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Current*na, a.Current*nb); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Lights[LightYellow], b.Lights[LightYellow]); c != 0 {
		return c
	}
	return cmp.Compare(a.Agency, b.Agency)
}

// WeekPoint is the share of pairs done at the end of a week.
type WeekPoint struct {
	End   time.Time // the instant the count is taken
	Done  int       // pairs done then (accepted under review)
	Total int       // pairs of the plan
}

// DoneByWeek replays the history of reports (every report, retracted ones
// included, any order) and review steps and returns, for each week from
// the one holding from up to to, the pairs done at the week's end
// (Monday 00:00 China time), the last point taken at to itself.
func DoneByWeek(plan *Plan, history []Update, reviews []ReviewStep, rule ReviewRule, from, to time.Time) []WeekPoint {
	assigned := map[pairKey]bool{}
	for _, a := range plan.Assignments() {
		assigned[pairKey{a.Item, a.Agency}] = true
	}
	byPair := map[pairKey][]Update{}
	for _, u := range history {
		k := pairKey{u.Item, u.Agency}
		if assigned[k] {
			byPair[k] = append(byPair[k], u)
		}
	}
	steps := map[uint64][]ReviewStep{}
	for _, s := range reviews {
		steps[s.Report] = append(steps[s.Report], s)
	}
	f := from.In(chinaTime)
	monday := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, chinaTime)
	monday = monday.AddDate(0, 0, -((int(monday.Weekday())+6)%7)+7) // the Monday after from
	var ends []time.Time
	for t := monday; t.Before(to); t = t.AddDate(0, 0, 7) {
		ends = append(ends, t)
	}
	ends = append(ends, to)
	out := make([]WeekPoint, 0, len(ends))
	for _, end := range ends {
		pt := WeekPoint{End: end, Total: len(assigned)}
		for _, us := range byPair {
			var last *Update
			for i := range us {
				u := &us[i]
				if u.Time.After(end) || u.Retracted && !u.RetractedAt.After(end) {
					continue
				}
				if last == nil || newerUpdate(u, last) {
					last = u
				}
			}
			if last != nil && doneAt(last, rule, steps[last.Seq], end) {
				pt.Done++
			}
		}
		out = append(out, pt)
	}
	return out
}

// doneAt reports whether report u stood as done at the instant end: it
// says 已完成 and, when it falls under review, its latest step by then
// accepted it.
func doneAt(u *Update, rule ReviewRule, steps []ReviewStep, end time.Time) bool {
	if u.Status != StatusDone {
		return false
	}
	if !rule.On || u.Time.Before(rule.Since) {
		return true
	}
	var last *ReviewStep
	for i := range steps {
		s := &steps[i]
		if !s.Time.After(end) && (last == nil || s.Seq > last.Seq) {
			last = s
		}
	}
	return last != nil && last.Decision == DecisionPass
}
