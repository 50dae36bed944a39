package bot

import (
	"slices"
	"strings"
	"testing"
	"time"

	"duban"
)

// smallPlan is a three-item plan:
//
//	#1 lead A, joint B and C
//	#2 lead B
//	#3 lead C, joint A
func smallPlan() *duban.Plan {
	return &duban.Plan{
		Meta: duban.Meta{Title: "测试工作要点", Deadline: time.Date(2021, 12, 31, 0, 0, 0, 0, chinaTime)},
		Items: []*duban.Item{
			{Number: 1, Title: "第一项工作", Lead: []string{"A局"}, Joint: []string{"B厅", "C委"}},
			{Number: 2, Title: "第二项工作", Lead: []string{"B厅"}},
			{Number: 3, Title: "第三项工作", Lead: []string{"C委"}, Joint: []string{"A局"}},
		},
	}
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, chinaTime)
	if err != nil {
		panic(err)
	}
	return t
}

func upd(item int, agency string, st duban.Status, when string) duban.Update {
	return duban.Update{Plan: DefaultPlanID, Item: item, Agency: agency, Status: st, Percent: duban.NoPercent, Time: at(when), AuthorID: "U" + agency, Text: "进展"}
}

func TestComputeProgress(t *testing.T) {
	latest := []duban.Update{
		upd(1, "A局", duban.StatusDone, "2021-06-01 10:00"),
		upd(1, "B厅", duban.StatusDone, "2021-06-02 10:00"),
		upd(1, "C委", duban.StatusDone, "2021-05-02 10:00"),
		upd(3, "A局", duban.StatusDelayed, "2021-06-03 09:00"),
		upd(2, "X办", duban.StatusDone, "2021-06-03 09:00"), // not responsible: ignored
	}
	p := computeProgress(smallPlan(), latest, at("2021-06-10 12:00"))

	if got, want := p.total(), 6; got != want {
		t.Fatalf("total = %d, want %d", got, want)
	}
	wantCounts := map[duban.Status]int{duban.StatusDone: 3, duban.StatusDelayed: 1, duban.StatusNone: 2}
	for _, st := range []duban.Status{duban.StatusNone, duban.StatusNotStarted, duban.StatusInProgress, duban.StatusDone, duban.StatusDelayed} {
		if got, want := p.counts[st], wantCounts[st]; got != want {
			t.Errorf("count %s = %d, want %d", st, got, want)
		}
	}
	if got, want := p.itemsDone, 1; got != want {
		t.Errorf("items done = %d, want %d", got, want)
	}
	// A局 reported 滞后 on #3: a red light, first. B厅 and C委 each have
	// one item unreported (yellow) and one done: they tie, so by name
	// (B厅 < C委 in byte order).
	var order []string
	for _, a := range p.agencies {
		order = append(order, a.Agency)
	}
	if want := []string{"A局", "B厅", "C委"}; !slices.Equal(order, want) {
		t.Errorf("agency order = %v, want %v", order, want)
	}
	a := p.byAgency["A局"]
	if got, want := [3]int{a.Responsible(), a.Reported(), a.Counts[duban.StatusDelayed]}, [3]int{2, 2, 1}; got != want {
		t.Errorf("A局 responsible, reported, delayed = %v, want %v", got, want)
	}
	if got, want := a.LastReport, at("2021-06-03 09:00"); !got.Equal(want) {
		t.Errorf("A局 last report = %v, want %v", got, want)
	}
}

// TestRedFirstWhateverTheSize: an agency with one red among many greens
// comes before agencies with only yellow, however many (issue 11: 汇总 did
// not show the only delayed agency among its 20 rows).
func TestRedFirstWhateverTheSize(t *testing.T) {
	plan := &duban.Plan{Items: []*duban.Item{
		{Number: 1, Lead: []string{"大局"}}, {Number: 2, Lead: []string{"大局"}},
		{Number: 3, Lead: []string{"大局"}}, {Number: 4, Lead: []string{"大局"}, Joint: []string{"小局"}},
	}}
	// 大局 has one item 滞后 and three done; 小局 has not reported (yellow).
	latest := []duban.Update{
		upd(1, "大局", duban.StatusDone, "2021-06-01 10:00"),
		upd(2, "大局", duban.StatusDone, "2021-06-01 10:00"),
		upd(3, "大局", duban.StatusDone, "2021-06-01 10:00"),
		upd(4, "大局", duban.StatusDelayed, "2021-06-01 10:00"),
	}
	p := computeProgress(plan, latest, at("2021-06-10 12:00"))
	if got, want := p.agencies[0].Agency, "大局"; got != want {
		t.Errorf("first = %s, want %s (a red light beats a yellow one whatever the share)", got, want)
	}
}

func TestLate(t *testing.T) {
	latest := []duban.Update{
		upd(1, "A局", duban.StatusDone, "2021-06-01 10:00"),
		upd(1, "B厅", duban.StatusInProgress, "2021-04-01 10:00"), // stale at 30 days
		upd(2, "B厅", duban.StatusInProgress, "2021-06-01 10:00"),
		upd(3, "C委", duban.StatusNotStarted, "2021-06-05 10:00"),
	}
	p := computeProgress(smallPlan(), latest, at("2021-06-10 12:00"))
	late, items := p.late()
	got := map[string]string{}
	for _, la := range late {
		var parts []string
		for _, r := range la.Rows {
			s := "#" + string(rune('0'+r.Item))
			if r.Stale {
				s += "旧"
			}
			parts = append(parts, s)
		}
		got[la.Agency] = strings.Join(parts, " ")
	}
	want := map[string]string{"A局": "#3", "B厅": "#1旧", "C委": "#1"}
	if len(got) != len(want) {
		t.Errorf("late = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("late[%s] = %q, want %q", k, got[k], v)
		}
	}
	if want := []int{1, 3}; !slices.Equal(items, want) {
		t.Errorf("items = %v, want %v", items, want)
	}
	// With a 90-day limit B厅's April report still counts.
	p = newProgress(duban.Assess(smallPlan(), duban.Facts{Latest: latest}, duban.Rules{Stale: 90 * 24 * time.Hour}, at("2021-06-10 12:00")))
	late, _ = p.late("B厅")
	if len(late) != 0 {
		t.Errorf("B厅 late with 90 days = %v, want none", late)
	}
}

func TestDeadlineDays(t *testing.T) {
	meta := smallPlan().Meta
	tests := []struct {
		now  time.Time
		want int
	}{
		{at("2021-12-30 23:59"), 1},
		{at("2021-12-31 00:00"), 0},
		{at("2021-12-31 23:59"), 0},
		{at("2022-01-01 00:00"), -1},
		// 17:00 UTC on the 31st is already 1 January in China.
		{time.Date(2021, 12, 31, 17, 0, 0, 0, time.UTC), -1},
		{at("2021-03-17 09:00"), 289},
		{at("2022-03-01 09:00"), -60},
	}
	for _, tt := range tests {
		got, ok := deadlineDays(meta, tt.now)
		if !ok || got != tt.want {
			t.Errorf("deadlineDays(%v) = %d, %v; want %d", tt.now, got, ok, tt.want)
		}
	}
	if _, ok := deadlineDays(duban.Meta{}, at("2021-06-01 00:00")); ok {
		t.Error("a plan without a deadline has one")
	}
	for _, tt := range []struct {
		now  time.Time
		want string
	}{
		{at("2021-12-30 10:00"), "2021年12月31日（还有 1 天）"},
		{at("2021-12-31 10:00"), "2021年12月31日（今天截止）"},
		{at("2022-01-05 10:00"), "2021年12月31日（已逾期 5 天）"},
	} {
		if got, _ := deadlineText(meta, tt.now); got != tt.want {
			t.Errorf("deadlineText(%v) = %q, want %q", tt.now, got, tt.want)
		}
	}
}
