package duban

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// This file holds supervision (督办) as pure functions of the plan, what
// the store holds (the latest report of every pair, deadline changes,
// review steps), the office's rules and a clock: the progress of every
// (item, responsible agency) pair with its deadline and traffic light, per
// agency, and the weekly figures of the 通报. Nothing here is stored: the
// lights are computed whenever they are shown.

// Light is the traffic light of an (item, agency) pair.
type Light int

// The lights, from best to worst; LightNone is no light at all.
const (
	LightNone   Light = iota
	LightGreen        // done (and accepted under review), or on track
	LightYellow       // due soon, not reported this round, awaiting review or sent back
	LightRed          // past its deadline and not done, or reported 滞后
)

// Lights lists the lights worst first, the order summaries count them in.
var Lights = []Light{LightRed, LightYellow, LightGreen}

// String returns the light in Chinese: 红灯, 黄灯, 绿灯.
func (l Light) String() string {
	switch l {
	case LightRed:
		return "红灯"
	case LightYellow:
		return "黄灯"
	case LightGreen:
		return "绿灯"
	}
	return "无"
}

// Short returns the light in one character: 红, 黄, 绿.
func (l Light) Short() string {
	switch l {
	case LightRed:
		return "红"
	case LightYellow:
		return "黄"
	case LightGreen:
		return "绿"
	}
	return ""
}

// Emoji returns the light as a coloured circle.
func (l Light) Emoji() string {
	switch l {
	case LightRed:
		return "🔴"
	case LightYellow:
		return "🟡"
	case LightGreen:
		return "🟢"
	}
	return "⚪"
}

// English returns the light's English name: red, yellow, green.
func (l Light) English() string {
	switch l {
	case LightRed:
		return "red"
	case LightYellow:
		return "yellow"
	case LightGreen:
		return "green"
	}
	return "none"
}

// Defaults of the rules.
const (
	DefaultWarnDays = 14                  // yellow this many days before a deadline
	DefaultStale    = 30 * 24 * time.Hour // without rounds, an older report is missing
)

// Rules are the office's supervision settings.
type Rules struct {
	WarnDays int           // a pair not done turns yellow this many days before its deadline (0: DefaultWarnDays)
	Stale    time.Duration // without rounds, a report older than this is missing (0: DefaultStale)
	Cadence  Cadence       // the reporting rounds; none: the stale limit decides
	Review   ReviewRule    // whether completions are reviewed
}

// withDefaults fills the zero fields of the rules.
func (r Rules) withDefaults() Rules {
	if r.WarnDays <= 0 {
		r.WarnDays = DefaultWarnDays
	}
	if r.Stale <= 0 {
		r.Stale = DefaultStale
	}
	return r
}

// Facts are what the store holds that supervision reads.
type Facts struct {
	Latest    []Update         // the latest live report of each pair
	Deadlines []DeadlineChange // every deadline change, any order
	Reviews   []ReviewStep     // every review step, any order
}

// Pair is one (item, responsible agency) pair at a moment: its latest
// report, deadline, review and light.
type Pair struct {
	Assignment
	Latest   *Update // nil: 未报送
	Deadline Deadline
	DaysLeft int         // calendar days to the deadline (negative: overdue); 0 without one
	Review   ReviewState // where a report of 已完成 stands with the office
	Step     *ReviewStep // the step that decided it (accepted or returned)
	Current  bool        // reported in the current round (without rounds: within the stale limit)
	Light    Light
	Reason   string // why the light is what it is, in a few Chinese words
}

// Status returns the status of the pair's latest report (StatusNone when
// there is none).
func (p Pair) Status() Status {
	if p.Latest == nil {
		return StatusNone
	}
	return p.Latest.Status
}

// Done reports whether the work is done: reported 已完成 and, when the
// office reviews completions, accepted.
func (p Pair) Done() bool {
	return p.Status() == StatusDone && (p.Review == ReviewNone || p.Review == ReviewAccepted)
}

// Overdue reports whether the pair is past its deadline and not done.
func (p Pair) Overdue() bool {
	return p.Deadline.Source != DeadlineNone && p.DaysLeft < 0 && !p.Done() && p.Review != ReviewPending
}

// StatusText returns the status with its review: "已完成（待审核）".
func (p Pair) StatusText() string {
	if p.Review != ReviewNone {
		return p.Status().String() + "（" + p.Review.String() + "）"
	}
	return p.Status().String()
}

// AgencyProgress is one agency's figures.
type AgencyProgress struct {
	Agency      string
	Items       []int // the items it is responsible for, ascending
	Lead, Joint int   // how many of them it leads / shares
	Counts      [StatusDelayed + 1]int
	Lights      [LightRed + 1]int
	Done        int       // pairs done (accepted under review)
	Current     int       // pairs reported in the current round
	Pending     int       // completions awaiting review
	LastReport  time.Time // the newest of its latest reports; zero if none
}

// Responsible returns the number of items the agency is responsible for.
func (a *AgencyProgress) Responsible() int { return len(a.Items) }

// Reported returns the number of its items with a report.
func (a *AgencyProgress) Reported() int { return a.Pairs() - a.Counts[StatusNone] }

// Pairs returns the number of its pairs (an item it both leads and
// shares, not in the seed, counts twice).
func (a *AgencyProgress) Pairs() int {
	n := 0
	for _, c := range a.Counts {
		n += c
	}
	return n
}

// Worst returns the worst light among its pairs.
func (a *AgencyProgress) Worst() Light {
	for _, l := range Lights {
		if a.Lights[l] > 0 {
			return l
		}
	}
	return LightNone
}

// Progress is the state of every (item, responsible agency) pair of a
// plan at one moment.
type Progress struct {
	Plan      *Plan
	Now       time.Time
	Rules     Rules
	Round     Round  // the current reporting round; zero without rounds
	Pairs     []Pair // plan order: by item, lead before joint
	Counts    [StatusDelayed + 1]int
	Lights    [LightRed + 1]int
	Pending   int               // completions awaiting review
	Returned  int               // completions sent back
	Done      int               // pairs done (accepted under review)
	Agencies  []*AgencyProgress // worst first: see WorstFirst
	ByAgency  map[string]*AgencyProgress
	ItemsDone int // items every responsible agency has done
}

// pairKey identifies an (item, agency) pair.
type pairKey struct {
	item   int
	agency string
}

// Assess computes the progress of every (item, responsible agency) pair of
// the plan at now. Reports on pairs the plan does not assign are ignored.
func Assess(plan *Plan, facts Facts, rules Rules, now time.Time) *Progress {
	rules = rules.withDefaults()
	byPair := make(map[pairKey]*Update, len(facts.Latest))
	for i := range facts.Latest {
		u := &facts.Latest[i]
		if u.Retracted {
			continue
		}
		k := pairKey{u.Item, u.Agency}
		if old, ok := byPair[k]; !ok || newerUpdate(u, old) {
			byPair[k] = u
		}
	}
	changes := map[int][]DeadlineChange{}
	for _, c := range facts.Deadlines {
		changes[c.Item] = append(changes[c.Item], c)
	}
	steps := map[pairKey][]ReviewStep{}
	for _, s := range facts.Reviews {
		k := pairKey{s.Item, s.Agency}
		steps[k] = append(steps[k], s)
	}
	p := &Progress{Plan: plan, Now: now, Rules: rules, Round: rules.Cadence.RoundAt(now), ByAgency: map[string]*AgencyProgress{}}
	since := now.Add(-rules.Stale)
	if p.Round.ID != "" {
		since = p.Round.Start
	}
	itemOpen := map[int]bool{}
	for _, a := range plan.Assignments() {
		k := pairKey{a.Item, a.Agency}
		pr := Pair{Assignment: a, Latest: byPair[k], Deadline: plan.DeadlineOf(a.Item, a.Agency, changes[a.Item])}
		if pr.Deadline.Source != DeadlineNone {
			pr.DaysLeft = DaysUntil(pr.Deadline.Date, now)
		}
		pr.Review, pr.Step = reviewOf(pr.Latest, rules.Review, steps[k])
		pr.Current = pr.Latest != nil && !pr.Latest.Time.Before(since)
		pr.Light, pr.Reason = lightOf(pr, rules, p.Round)
		p.Pairs = append(p.Pairs, pr)

		st := pr.Status()
		p.Counts[st]++
		p.Lights[pr.Light]++
		switch pr.Review {
		case ReviewPending:
			p.Pending++
		case ReviewReturned:
			p.Returned++
		}
		if pr.Done() {
			p.Done++
		} else {
			itemOpen[a.Item] = true
		}
		ap := p.ByAgency[a.Agency]
		if ap == nil {
			ap = &AgencyProgress{Agency: a.Agency}
			p.ByAgency[a.Agency] = ap
			p.Agencies = append(p.Agencies, ap)
		}
		if n := len(ap.Items); n == 0 || ap.Items[n-1] != a.Item {
			ap.Items = append(ap.Items, a.Item)
		}
		if a.Role == RoleLead {
			ap.Lead++
		} else {
			ap.Joint++
		}
		ap.Counts[st]++
		ap.Lights[pr.Light]++
		if pr.Done() {
			ap.Done++
		}
		if pr.Current {
			ap.Current++
		}
		if pr.Review == ReviewPending {
			ap.Pending++
		}
		if pr.Latest != nil && pr.Latest.Time.After(ap.LastReport) {
			ap.LastReport = pr.Latest.Time
		}
	}
	for _, it := range plan.Items {
		if len(it.Responsible()) > 0 && !itemOpen[it.Number] {
			p.ItemsDone++
		}
	}
	slices.SortStableFunc(p.Agencies, WorstFirst)
	return p
}

// lightOf decides a pair's light and says why:
//   - green: done (accepted under review);
//   - yellow: a completion awaiting review;
//   - red: reported 滞后, or past the deadline and not done;
//   - yellow: a completion sent back, the deadline within WarnDays, or no
//     report in the current round (without rounds: none within the stale
//     limit);
//   - green otherwise: on track.
func lightOf(p Pair, rules Rules, round Round) (Light, string) {
	hasDeadline := p.Deadline.Source != DeadlineNone
	switch {
	case p.Done():
		if p.Review == ReviewAccepted {
			return LightGreen, "已完成，审核通过"
		}
		return LightGreen, "已完成"
	case p.Review == ReviewPending:
		return LightYellow, "已报完成，待审核"
	case p.Status() == StatusDelayed:
		return LightRed, "报送滞后"
	case hasDeadline && p.DaysLeft < 0:
		return LightRed, fmt.Sprintf("已逾期 %d 天", -p.DaysLeft)
	case p.Review == ReviewReturned:
		return LightYellow, "完成情况被退回"
	case hasDeadline && p.DaysLeft == 0:
		return LightYellow, "今天截止"
	case hasDeadline && p.DaysLeft <= rules.WarnDays:
		return LightYellow, fmt.Sprintf("距截止 %d 天", p.DaysLeft)
	case !p.Current:
		switch {
		case round.ID != "":
			return LightYellow, "本轮未报送"
		case p.Latest == nil:
			return LightYellow, "尚未报送"
		}
		return LightYellow, fmt.Sprintf("超过 %d 天未更新", max(int(rules.Stale/(24*time.Hour)), 1))
	}
	return LightGreen, "进展正常"
}

// newerUpdate reports whether a is a later report than b.
func newerUpdate(a, b *Update) bool {
	if !a.Time.Equal(b.Time) {
		return a.Time.After(b.Time)
	}
	return a.Seq > b.Seq
}

// WorstFirst orders agencies red before yellow before green whatever
// their size: by their worst light, then more red pairs, then more
// yellow, then more pairs without a report, then more items, then by name.
func WorstFirst(a, b *AgencyProgress) int {
	if c := cmp.Compare(b.Worst(), a.Worst()); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Lights[LightRed], a.Lights[LightRed]); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Lights[LightYellow], a.Lights[LightYellow]); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Counts[StatusNone], a.Counts[StatusNone]); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Responsible(), a.Responsible()); c != 0 {
		return c
	}
	return cmp.Compare(a.Agency, b.Agency)
}

// Total returns the number of (item, responsible agency) pairs.
func (p *Progress) Total() int { return len(p.Pairs) }

// Of returns the agency's pairs, by item.
func (p *Progress) Of(agency string) []Pair {
	return p.where(func(r Pair) bool { return r.Agency == agency })
}

// where returns the pairs keep keeps, in plan order.
func (p *Progress) where(keep func(Pair) bool) []Pair {
	var out []Pair
	for _, r := range p.Pairs {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// Item returns the pairs of item n, lead before joint.
func (p *Progress) Item(n int) []Pair {
	return p.where(func(r Pair) bool { return r.Item == n })
}

// WithLight returns the pairs whose light is l (all pairs for LightNone),
// in plan order; with agencies, only theirs.
func (p *Progress) WithLight(l Light, agencies ...string) []Pair {
	var out []Pair
	for _, r := range p.Pairs {
		if (l == LightNone || r.Light == l) && (len(agencies) == 0 || slices.Contains(agencies, r.Agency)) {
			out = append(out, r)
		}
	}
	return out
}

// OverduePairs returns the pairs past their deadline and not done, most
// overdue first; with agencies, only theirs.
func (p *Progress) OverduePairs(agencies ...string) []Pair {
	var out []Pair
	for _, r := range p.Pairs {
		if r.Overdue() && (len(agencies) == 0 || slices.Contains(agencies, r.Agency)) {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b Pair) int { return cmp.Compare(a.DaysLeft, b.DaysLeft) })
	return out
}

// LateRow is a pair the office is still waiting on a report for.
type LateRow struct {
	Pair
	Stale bool // there is a report, but from before the round (or the stale limit)
}

// LateAgency is an agency with pairs it is late on.
type LateAgency struct {
	Agency string
	Rows   []LateRow // by item
}

// Late returns the agencies with pairs lacking a current report — none at
// all, or only one from before the current round (without rounds: older
// than the stale limit) — most late pairs first (then in the order of
// Agencies), and the items lacking a current report from some responsible
// agency, ascending. With rounds, pairs already done need no report. When
// only is not empty, only those agencies are considered.
func (p *Progress) Late(only ...string) ([]LateAgency, []int) {
	byAgency := map[string]*LateAgency{}
	itemSet := map[int]bool{}
	for _, r := range p.Pairs {
		if len(only) > 0 && !slices.Contains(only, r.Agency) {
			continue
		}
		if r.Current || p.Round.ID != "" && r.Done() {
			continue
		}
		la := byAgency[r.Agency]
		if la == nil {
			la = &LateAgency{Agency: r.Agency}
			byAgency[r.Agency] = la
		}
		// An agency both leading and sharing an item (not in the seed)
		// is late on it once.
		if n := len(la.Rows); n > 0 && la.Rows[n-1].Item == r.Item {
			continue
		}
		la.Rows = append(la.Rows, LateRow{Pair: r, Stale: r.Latest != nil})
		itemSet[r.Item] = true
	}
	var out []LateAgency
	for _, ap := range p.Agencies {
		if la := byAgency[ap.Agency]; la != nil {
			out = append(out, *la)
		}
	}
	slices.SortStableFunc(out, func(a, b LateAgency) int { return cmp.Compare(len(b.Rows), len(a.Rows)) })
	items := make([]int, 0, len(itemSet))
	for n := range itemSet {
		items = append(items, n)
	}
	slices.Sort(items)
	return out, items
}
