package duban

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"duban/seeds"
)

func seedPlanForTest(t *testing.T) *Plan {
	t.Helper()
	p, err := Parse(bytes.NewReader(seeds.Fujian2021))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestStatusWords(t *testing.T) {
	cases := map[string]Status{
		"已完成": StatusDone, "办结": StatusDone, "DONE": StatusDone, "全部完成": StatusDone,
		"进行中": StatusInProgress, "推进中": StatusInProgress, "in progress": StatusInProgress, "underway": StatusInProgress,
		"滞后": StatusDelayed, "延期": StatusDelayed, "逾期": StatusDelayed, "overdue": StatusDelayed,
		"未开始": StatusNotStarted, "未启动": StatusNotStarted, "还没开始": StatusNotStarted, "not started": StatusNotStarted,
	}
	for w, want := range cases {
		if got, ok := ParseStatus(w); !ok || got != want {
			t.Errorf("ParseStatus(%q) = %s %v, want %s", w, got, ok, want)
		}
	}
	for _, w := range []string{"", "进展", "完成了", "later"} {
		if st, ok := ParseStatus(w); ok {
			t.Errorf("ParseStatus(%q) = %s", w, st)
		}
	}
	if st, n, ok := ParseStatusPrefix("已完成 造林"); !ok || st != StatusDone || n != len("已完成") {
		t.Errorf("ParseStatusPrefix = %s %d %v", st, n, ok)
	}
	if _, _, ok := ParseStatusPrefix("lateral"); ok {
		t.Error("an English status word was read inside another word")
	}
	// Every glued word is a status word, and 已完成 is not glued.
	for w := range gluedStatus {
		if _, ok := ParseStatus(w); !ok {
			t.Errorf("glued word %q is no status word", w)
		}
	}
	if StatusGlued("已完成") || !StatusGlued("进行中") {
		t.Error("StatusGlued: 已完成 must not be glued, 进行中 must")
	}
}

func TestCheckReport(t *testing.T) {
	p := seedPlanForTest(t)
	codes := func(errs []FieldError) string {
		var s []string
		for _, e := range errs {
			s = append(s, e.Field+":"+string(e.Code))
		}
		return strings.Join(s, " ")
	}
	cases := []struct {
		d    Draft
		want string
	}{
		{Draft{Item: 3, Agency: "省林业局", Status: StatusInProgress, Percent: NoPercent, Text: "造林"}, ""},
		{Draft{Item: 3, Agency: "省林业局", Status: StatusDone, Percent: NoPercent}, ""},
		{Draft{Item: 3, Agency: "省林业局", Percent: 100}, ""},
		{Draft{Item: 3, Agency: "省林业局", Status: StatusInProgress, Percent: NoPercent}, "text:missing"},
		{Draft{Item: 3, Agency: "省林业局", Status: StatusInProgress, Percent: NoPercent, Text: "字"}, "text:too_short"},
		{Draft{Item: 3, Agency: "省林业局", Status: StatusInProgress, Percent: NoPercent, Text: strings.Repeat("字", 2001)}, "text:too_long"},
		{Draft{Item: 3, Agency: "省林业局", Status: StatusInProgress, Percent: 101, Text: "造林"}, "percent:out_of_range"},
		{Draft{Item: 3, Agency: "省林业局", Status: StatusInProgress, Percent: NoPercent, Text: "\xff\xfe"}, "text:invalid"},
		{Draft{Item: 4, Agency: "省林业局", Status: StatusInProgress, Percent: NoPercent, Text: "越权"}, "item:forbidden"},
		{Draft{Item: 72, Status: StatusInProgress, Percent: NoPercent, Text: "内容"}, "item:not_found"},
		{Draft{Item: 0, Status: StatusInProgress, Percent: NoPercent, Text: "内容"}, "item:missing"},
		{Draft{Item: 3, Agency: "省林业局", Status: 9, Percent: -5}, "status:invalid percent:out_of_range text:missing"},
	}
	for _, c := range cases {
		if got := codes(p.CheckReport(c.d)); got != c.want {
			t.Errorf("CheckReport(%+v) = %q, want %q", c.d, got, c.want)
		}
	}
	// The refusal of another agency's item names the responsible ones.
	errs := p.CheckReport(Draft{Item: 4, Agency: "省林业局", Status: StatusInProgress, Percent: NoPercent, Text: "越权"})
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "省市场监管局（牵头）") {
		t.Errorf("refusal = %+v", errs)
	}
}

func TestWarnings(t *testing.T) {
	prev := &Update{Percent: 60, Time: time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC)}
	cases := []struct {
		d    Draft
		prev *Update
		want int
	}{
		{Draft{Status: StatusDone, Percent: 40}, nil, 1},
		{Draft{Status: StatusDone, Percent: 100}, nil, 0},
		{Draft{Status: StatusDone, Percent: NoPercent}, nil, 0},
		{Draft{Status: StatusInProgress, Percent: 40}, prev, 1},
		{Draft{Status: StatusDone, Percent: 40}, prev, 2},
		{Draft{Status: StatusInProgress, Percent: 70}, prev, 0},
		{Draft{Status: StatusInProgress, Percent: NoPercent}, prev, 0},
	}
	for _, c := range cases {
		w := c.d.Warnings(c.prev)
		if len(w) != c.want {
			t.Errorf("Warnings(%+v, %v) = %+v, want %d", c.d, c.prev, w, c.want)
		}
		for _, x := range w {
			if x.Code != CodeInconsistent || !strings.Contains(x.Message, "请核对") {
				t.Errorf("warning %+v", x)
			}
		}
	}
}
