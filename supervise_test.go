package duban

import (
	"slices"
	"testing"
	"time"
)

// at returns a China-time instant.
func at(y, m, d, h, min int) time.Time {
	return time.Date(y, time.Month(m), d, h, min, 0, 0, chinaTime)
}

func TestParseCadence(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"monthly:25", "monthly:25", true},
		{"quarterly:20", "quarterly:20", true},
		{"Monthly", "monthly:31", true},
		{"off", "off", true},
		{"", "off", true},
		{"monthly:0", "", false},
		{"monthly:32", "", false},
		{"weekly:1", "", false},
		{"off:3", "", false},
	} {
		c, err := ParseCadence(tt.in)
		if (err == nil) != tt.ok || tt.ok && c.String() != tt.want {
			t.Errorf("ParseCadence(%q) = %v, %v; want %q ok=%v", tt.in, c, err, tt.want, tt.ok)
		}
		if err != nil && ErrorCode(err) != CodeInvalid {
			t.Errorf("ParseCadence(%q) error code %q, want invalid", tt.in, ErrorCode(err))
		}
	}
}

func TestRoundAt(t *testing.T) {
	monthly := Cadence{PeriodMonthly, 25}
	quarterly := Cadence{PeriodQuarterly, 25}
	endOfMonth := Cadence{PeriodMonthly, 31}
	for _, tt := range []struct {
		c          Cadence
		t          time.Time
		id         string
		start, due string
	}{
		{monthly, at(2021, 5, 25, 23, 59), "2021-05", "2021-04-26", "2021-05-25"},
		{monthly, at(2021, 5, 26, 0, 0), "2021-06", "2021-05-26", "2021-06-25"},
		{monthly, at(2021, 12, 30, 9, 0), "2022-01", "2021-12-26", "2022-01-25"},
		{monthly, at(2021, 1, 3, 9, 0), "2021-01", "2020-12-26", "2021-01-25"},
		{quarterly, at(2021, 5, 10, 9, 0), "2021-Q2", "2021-03-26", "2021-06-25"},
		{quarterly, at(2021, 6, 26, 9, 0), "2021-Q3", "2021-06-26", "2021-09-25"},
		{quarterly, at(2021, 12, 26, 9, 0), "2022-Q1", "2021-12-26", "2022-03-25"},
		{endOfMonth, at(2021, 2, 28, 9, 0), "2021-02", "2021-02-01", "2021-02-28"},
		{endOfMonth, at(2021, 3, 1, 9, 0), "2021-03", "2021-03-01", "2021-03-31"},
		// A UTC instant late on the 25th is already the 26th in China.
		{monthly, time.Date(2021, 5, 25, 17, 0, 0, 0, time.UTC), "2021-06", "2021-05-26", "2021-06-25"},
	} {
		r := tt.c.RoundAt(tt.t)
		if r.ID != tt.id || r.Start.Format("2006-01-02") != tt.start || r.Due().Format("2006-01-02") != tt.due {
			t.Errorf("%v.RoundAt(%v) = %s %s..%s, want %s %s..%s", tt.c, tt.t, r.ID,
				r.Start.Format("2006-01-02"), r.Due().Format("2006-01-02"), tt.id, tt.start, tt.due)
		}
		if !r.Contains(tt.t) {
			t.Errorf("%v.RoundAt(%v) = %s does not contain the instant", tt.c, tt.t, r.ID)
		}
	}
	r := monthly.RoundAt(at(2021, 6, 1, 0, 0))
	if got := r.Text(); got != "2021年6月轮次（5月26日至6月25日）" {
		t.Errorf("Text() = %q", got)
	}
	if p := monthly.Previous(r); p.ID != "2021-05" {
		t.Errorf("Previous(%s) = %s, want 2021-05", r.ID, p.ID)
	}
	if c := (Cadence{}).CountingRound(at(2021, 6, 9, 0, 0)); c.ID != "2021-06" || !c.Contains(at(2021, 6, 30, 23, 0)) {
		t.Errorf("without rounds reminders count by month: %+v", c)
	}
	if (Cadence{}).RoundAt(at(2021, 6, 9, 0, 0)).ID != "" {
		t.Error("without rounds RoundAt must be the zero round")
	}
}

// walk is a supervision scenario on the seed plan: the reports, deadline
// changes and review steps so far.
type walk struct {
	t       *testing.T
	plan    *Plan
	rules   Rules
	reports []Update
	facts   Facts
	seq     uint64
}

func (w *walk) report(item int, agency string, st Status, when time.Time) Update {
	w.seq++
	u := Update{Seq: w.seq, Item: item, Agency: agency, AuthorID: "U1", Status: st, Percent: NoPercent, Text: "进展", Time: when}
	w.reports = append(w.reports, u)
	return u
}

// latest is what the store's Latest would return.
func (w *walk) latest() []Update {
	m := map[pairKey]Update{}
	for _, u := range w.reports {
		if u.Retracted {
			continue
		}
		k := pairKey{u.Item, u.Agency}
		if old, ok := m[k]; !ok || newerUpdate(&u, &old) {
			m[k] = u
		}
	}
	var out []Update
	for _, u := range m {
		out = append(out, u)
	}
	return out
}

func (w *walk) pair(item int, agency string, now time.Time) (Pair, *Progress) {
	w.t.Helper()
	w.facts.Latest = w.latest()
	p := Assess(w.plan, w.facts, w.rules, now)
	for _, r := range p.Pairs {
		if r.Item == item && r.Agency == agency {
			return r, p
		}
	}
	w.t.Fatalf("no pair (%d, %s)", item, agency)
	return Pair{}, nil
}

// expect checks the pair's light, review state and round at now.
func (w *walk) expect(step string, item int, agency string, now time.Time, light Light, review ReviewState, round string) Pair {
	w.t.Helper()
	pr, p := w.pair(item, agency, now)
	if pr.Light != light || pr.Review != review || p.Round.ID != round {
		w.t.Errorf("%s: light %s (%s), review %q, round %q; want %s, %q, %q",
			step, pr.Light, pr.Reason, pr.Review, p.Round.ID, light, review, round)
	}
	return pr
}

func TestLightsWalkOneItem(t *testing.T) {
	plan := seedPlan(t)
	const item = 3
	agency := plan.Item(item).Lead[0]
	w := &walk{t: t, plan: plan, rules: Rules{
		Cadence: Cadence{PeriodMonthly, 25},
		Review:  ReviewRule{On: true, Since: at(2021, 4, 1, 0, 0)},
	}}

	// Round 2021-05 (4/26..5/25): nothing reported yet.
	pr := w.expect("no report", item, agency, at(2021, 5, 3, 9, 0), LightYellow, ReviewNone, "2021-05")
	if pr.Reason != "本轮未报送" || pr.Deadline.Source != DeadlinePlan || !pr.Deadline.Date.Equal(at(2021, 12, 31, 0, 0)) {
		t.Errorf("no report: reason %q, deadline %+v; want 本轮未报送 and the plan's 2021-12-31", pr.Reason, pr.Deadline)
	}
	// Reported late on the round's last day: counted in that round.
	w.report(item, agency, StatusInProgress, at(2021, 5, 25, 23, 30))
	pr = w.expect("reported in round 1", item, agency, at(2021, 5, 25, 23, 45), LightGreen, ReviewNone, "2021-05")
	if !pr.Current || pr.Reason != "进展正常" {
		t.Errorf("reported in round 1: current %v, reason %q", pr.Current, pr.Reason)
	}
	// Round 2021-06 opens on 5/26: the May report no longer counts.
	pr = w.expect("round 2 opens", item, agency, at(2021, 5, 26, 0, 5), LightYellow, ReviewNone, "2021-06")
	if pr.Current {
		t.Error("round 2: a report of round 1 counted as current")
	}
	if late, items := (Assess(plan, Facts{Latest: w.latest()}, w.rules, at(2021, 5, 26, 0, 5))).Late(agency); len(late) != 1 || !late[0].Rows[0].Stale || !slices.Contains(items, item) {
		t.Errorf("round 2: Late(%s) = %+v, %v; want item %d, stale", agency, late, items, item)
	}
	w.report(item, agency, StatusInProgress, at(2021, 5, 28, 10, 0))
	w.expect("reported in round 2", item, agency, at(2021, 5, 28, 11, 0), LightGreen, ReviewNone, "2021-06")

	// The office sets a deadline; two weeks before it the light turns yellow.
	w.facts.Deadlines = append(w.facts.Deadlines, DeadlineChange{Seq: 1, Item: item, Date: at(2021, 6, 30, 0, 0), ByID: "admin", Time: at(2021, 5, 29, 9, 0)})
	w.expect("deadline far", item, agency, at(2021, 6, 10, 9, 0), LightGreen, ReviewNone, "2021-06")
	pr = w.expect("deadline near", item, agency, at(2021, 6, 20, 9, 0), LightYellow, ReviewNone, "2021-06")
	if pr.Reason != "距截止 10 天" || pr.Deadline.Source != DeadlineSet {
		t.Errorf("deadline near: reason %q, source %v", pr.Reason, pr.Deadline.Source)
	}
	// Past it and not done: red, whatever the round.
	w.report(item, agency, StatusInProgress, at(2021, 6, 28, 9, 0))
	pr = w.expect("overdue", item, agency, at(2021, 7, 2, 9, 0), LightRed, ReviewNone, "2021-07")
	if pr.Reason != "已逾期 2 天" || !pr.Overdue() {
		t.Errorf("overdue: reason %q, Overdue %v", pr.Reason, pr.Overdue())
	}
	// Reported done: awaiting review (yellow), not done yet.
	done1 := w.report(item, agency, StatusDone, at(2021, 7, 3, 9, 0))
	pr = w.expect("pending", item, agency, at(2021, 7, 3, 10, 0), LightYellow, ReviewPending, "2021-07")
	if pr.Done() || pr.Overdue() || pr.StatusText() != "已完成（待审核）" {
		t.Errorf("pending: Done %v, Overdue %v, StatusText %q", pr.Done(), pr.Overdue(), pr.StatusText())
	}
	// Sent back: not done, and past the deadline: red again.
	w.facts.Reviews = append(w.facts.Reviews, ReviewStep{Seq: 1, Item: item, Agency: agency, Report: done1.Seq, Decision: DecisionReturn, Reason: "缺少佐证材料", ByID: "admin", Time: at(2021, 7, 4, 9, 0)})
	pr = w.expect("returned", item, agency, at(2021, 7, 4, 10, 0), LightRed, ReviewReturned, "2021-07")
	if pr.Step == nil || pr.Step.Reason != "缺少佐证材料" {
		t.Errorf("returned: step %+v", pr.Step)
	}
	// Reported done again, then accepted: green.
	done2 := w.report(item, agency, StatusDone, at(2021, 7, 6, 9, 0))
	w.expect("pending again", item, agency, at(2021, 7, 6, 10, 0), LightYellow, ReviewPending, "2021-07")
	w.facts.Reviews = append(w.facts.Reviews, ReviewStep{Seq: 2, Item: item, Agency: agency, Report: done2.Seq, Decision: DecisionPass, ByID: "admin", Time: at(2021, 7, 7, 9, 0)})
	pr = w.expect("accepted", item, agency, at(2021, 7, 7, 10, 0), LightGreen, ReviewAccepted, "2021-07")
	if !pr.Done() || pr.Reason != "已完成，审核通过" {
		t.Errorf("accepted: Done %v, reason %q", pr.Done(), pr.Reason)
	}
	// Done needs no report in later rounds.
	_, p := w.pair(item, agency, at(2021, 9, 1, 9, 0))
	if late, _ := p.Late(agency); len(late) == 1 && slices.ContainsFunc(late[0].Rows, func(r LateRow) bool { return r.Item == item }) {
		t.Errorf("a done pair is listed as late in a later round")
	}
	// The first step, on the first report, does not speak for the second.
	w.facts.Reviews = append(w.facts.Reviews, ReviewStep{Seq: 3, Item: item, Agency: agency, Report: done1.Seq, Decision: DecisionPass, ByID: "admin", Time: at(2021, 7, 8, 9, 0)})
	w.expect("old step", item, agency, at(2021, 7, 8, 10, 0), LightGreen, ReviewAccepted, "2021-07")

	// 滞后 is red even far from the deadline.
	other := plan.Item(53).Lead[0]
	w.report(53, other, StatusDelayed, at(2021, 5, 5, 9, 0))
	pr = w.expect("delayed", 53, other, at(2021, 5, 6, 9, 0), LightRed, ReviewNone, "2021-05")
	if pr.Reason != "报送滞后" {
		t.Errorf("delayed: reason %q", pr.Reason)
	}
}

func TestLightsWithoutRoundsOrReview(t *testing.T) {
	plan := seedPlan(t)
	agency := plan.Item(3).Lead[0]
	w := &walk{t: t, plan: plan, rules: Rules{Stale: 14 * 24 * time.Hour}}
	w.report(3, agency, StatusInProgress, at(2021, 5, 1, 9, 0))
	w.expect("fresh", 3, agency, at(2021, 5, 10, 9, 0), LightGreen, ReviewNone, "")
	pr := w.expect("stale", 3, agency, at(2021, 5, 20, 9, 0), LightYellow, ReviewNone, "")
	if pr.Reason != "超过 14 天未更新" {
		t.Errorf("stale: reason %q", pr.Reason)
	}
	w.report(3, agency, StatusDone, at(2021, 5, 21, 9, 0))
	w.expect("done, no review", 3, agency, at(2021, 5, 22, 9, 0), LightGreen, ReviewNone, "")
	// Turning review on later does not put earlier completions under review.
	w.rules.Review = ReviewRule{On: true, Since: at(2021, 6, 1, 0, 0)}
	w.expect("review on later", 3, agency, at(2021, 6, 2, 9, 0), LightGreen, ReviewNone, "")
	// The plan's deadline passes: unreported pairs are red.
	pr = w.expect("year end", 1, plan.Item(1).Lead[0], at(2022, 1, 2, 9, 0), LightRed, ReviewNone, "")
	if pr.Reason != "已逾期 2 天" {
		t.Errorf("year end: reason %q", pr.Reason)
	}
}

func TestWorstFirstWhateverTheSize(t *testing.T) {
	plan := seedPlan(t)
	rules := Rules{Cadence: Cadence{PeriodMonthly, 25}}
	now := at(2021, 5, 10, 9, 0)
	// Every pair reported in the round, on track; one agency of one item
	// reports 滞后, one big agency leaves one item unreported.
	var latest []Update
	var seq uint64
	big, small := "", ""
	counts := map[string]int{}
	for _, a := range plan.Assignments() {
		counts[a.Agency]++
	}
	for name, n := range counts {
		if big == "" || n > counts[big] || n == counts[big] && name < big {
			big = name
		}
	}
	for _, a := range plan.Assignments() {
		if small == "" && counts[a.Agency] == 1 {
			small = a.Agency
		}
	}
	skipped := false
	for _, a := range plan.Assignments() {
		seq++
		st := StatusInProgress
		if a.Agency == small {
			st = StatusDelayed
		}
		if a.Agency == big && !skipped {
			skipped = true
			continue
		}
		latest = append(latest, Update{Seq: seq, Item: a.Item, Agency: a.Agency, AuthorID: "U", Status: st, Percent: NoPercent, Text: "x", Time: at(2021, 5, 5, 9, 0)})
	}
	p := Assess(plan, Facts{Latest: latest}, rules, now)
	if p.Agencies[0].Agency != small || p.Agencies[1].Agency != big {
		t.Fatalf("order starts %s, %s; want the one-item agency with a red light (%s), then the big one with a yellow (%s)",
			p.Agencies[0].Agency, p.Agencies[1].Agency, small, big)
	}
	for i := 1; i < len(p.Agencies); i++ {
		if p.Agencies[i-1].Worst() < p.Agencies[i].Worst() {
			t.Fatalf("%s (%s) before %s (%s)", p.Agencies[i-1].Agency, p.Agencies[i-1].Worst(), p.Agencies[i].Agency, p.Agencies[i].Worst())
		}
	}
	if got := p.Lights[LightRed] + p.Lights[LightYellow] + p.Lights[LightGreen]; got != p.Total() {
		t.Errorf("lights add up to %d, want %d pairs", got, p.Total())
	}
}

func TestDigestAndDoneByWeek(t *testing.T) {
	plan := seedPlan(t)
	rules := Rules{Cadence: Cadence{PeriodMonthly, 25}, Review: ReviewRule{On: true}}
	a3, a53 := plan.Item(3).Lead[0], plan.Item(53).Lead[0]
	history := []Update{
		{Seq: 1, Item: 3, Agency: a3, AuthorID: "U", Status: StatusInProgress, Text: "x", Time: at(2021, 5, 3, 9, 0)},
		{Seq: 2, Item: 3, Agency: a3, AuthorID: "U", Status: StatusDone, Text: "x", Time: at(2021, 5, 12, 9, 0)},
		{Seq: 3, Item: 53, Agency: a53, AuthorID: "U", Status: StatusDone, Text: "x", Time: at(2021, 5, 13, 9, 0)},
		{Seq: 4, Item: 53, Agency: a53, AuthorID: "U", Status: StatusDone, Text: "x", Time: at(2021, 5, 4, 9, 0), Retracted: true, RetractedAt: at(2021, 5, 5, 9, 0)},
	}
	reviews := []ReviewStep{{Seq: 1, Item: 3, Agency: a3, Report: 2, Decision: DecisionPass, Time: at(2021, 5, 14, 9, 0)}}
	latest := []Update{history[1], history[2]}
	now := at(2021, 5, 17, 9, 0) // a Monday
	d := Assess(plan, Facts{Latest: latest, Reviews: reviews}, rules, now).Digest()
	if d.Reported != 2 || d.Due != 2 || d.OnTime != 2 {
		t.Errorf("digest: reported %d, due %d, on time %d; want 2, 2, 2", d.Reported, d.Due, d.OnTime)
	}
	if len(d.Completed) != 2 || d.Completed[0].Item != 3 || d.Completed[1].Review != ReviewPending {
		t.Errorf("completed this week: %+v", d.Completed)
	}
	if d.Ranking[0].Agency != a3 {
		t.Errorf("ranking starts with %s, want %s (its one item done and accepted)", d.Ranking[0].Agency, a3)
	}
	if len(d.Late) == 0 || len(d.LateItems) == 0 {
		t.Error("the digest lists no late agency though most have not reported")
	}

	pts := DoneByWeek(plan, history, reviews, rules.Review, at(2021, 5, 1, 0, 0), now)
	var got []int
	for _, pt := range pts {
		got = append(got, pt.Done)
		if pt.Total != len(plan.Assignments()) {
			t.Errorf("week total %d, want %d", pt.Total, len(plan.Assignments()))
		}
	}
	// 5/3 00:00: nothing; 5/10: the retracted completion no longer counts;
	// 5/17 (the Monday itself, the last point): item 3 accepted, 53 pending.
	if want := []int{0, 0, 1, 1}; !slices.Equal(got, want) {
		t.Errorf("DoneByWeek = %v at %v, want %v", got, pts, want)
	}
}
