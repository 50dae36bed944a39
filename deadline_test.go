package duban

import (
	"testing"
	"time"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, chinaTime) }

func TestReadDates(t *testing.T) {
	tests := []struct {
		text string
		want []string // "date text limit"
	}{
		{"年底前,将“一趟不用跑”事项比例提高到70%以上", []string{"2021-12-31 年底前 true"}},
		{"推进“跨省通办”,2021年底前增加工业产品生产许可证等72项事项", []string{"2021-12-31 2021年底前 true"}},
		{"到2021年底,医养结合服务相关制度初步建立", []string{"2021-12-31 到2021年底 true"}},
		{"6月底前完成摸底,三季度开展检查", []string{"2021-06-30 6月底前 true", "2021-09-30 三季度 true"}},
		{"上半年出台方案", []string{"2021-06-30 上半年 true"}},
		{"六月三十日前报送", []string{"2021-06-30 六月三十日前 true"}},
		{"3月17日召开会议", []string{"2021-03-17 3月17日 false"}},
		{"加大2年内新药的监管力度", nil},
		{"2019—2022年行动计划", nil},
		{"明年底前完成", []string{"2022-12-31 明年底前 true"}},
		{"6月前完成", []string{"2021-05-31 6月前 true"}},
		{"2月30日", nil},
		{"截至2021-06-30", []string{"2021-06-30 截至2021-06-30 true"}},
	}
	for _, tt := range tests {
		var got []string
		for _, d := range ReadDates(Fold(tt.text), 2021) {
			got = append(got, d.Date.Format("2006-01-02")+" "+d.Text+" "+map[bool]string{true: "true", false: "false"}[d.Limit])
		}
		if len(got) != len(tt.want) {
			t.Errorf("ReadDates(%q) = %q, want %q", tt.text, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("ReadDates(%q) = %q, want %q", tt.text, got, tt.want)
				break
			}
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when not a date
	}{
		{"2021-06-30", "2021-06-30"},
		{"2021/6/30", "2021-06-30"},
		{"2021.6.30", "2021-06-30"},
		{"20210630", "2021-06-30"},
		{"6-30", "2021-06-30"},
		{"6/30", "2021-06-30"},
		{"6月30日", "2021-06-30"},
		{"6月30号前", "2021-06-30"},
		{"６月底", "2021-06-30"},
		{"九月底前", "2021-09-30"},
		{"年底", "2021-12-31"},
		{"三季度", "2021-09-30"},
		{"2022年上半年", "2022-06-30"},
		{"2021-02-30", ""},
		{"13月1日", ""},
		{"明天", ""},
		{"6月30日 7月1日", ""},
		{"", ""},
		{"2021年", ""},
	}
	for _, tt := range tests {
		d, ok := ParseDate(tt.in, 2021)
		got := ""
		if ok {
			got = d.Format("2006-01-02")
		}
		if got != tt.want {
			t.Errorf("ParseDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStatedDeadlineSeed(t *testing.T) {
	p := seedPlan(t)
	if p.Year() != 2021 {
		t.Fatalf("Year() = %d, want 2021", p.Year())
	}
	got := map[int]string{}
	for _, it := range p.Items {
		if d, ok := p.StatedDeadline(it.Number); ok {
			got[it.Number] = d.Date.Format("2006-01-02") + " " + d.Text
		}
	}
	want := map[int]string{19: "2021-12-31 年底前", 23: "2021-12-31 到2021年底"}
	for n, w := range want {
		if got[n] != w {
			t.Errorf("item %d: stated deadline %q, want %q", n, got[n], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("items stating a deadline: %v, want only %v", got, want)
	}
}

func TestDeadlineOf(t *testing.T) {
	p := seedPlan(t)
	a := p.Item(19).Lead[0]
	if d := p.DeadlineOf(19, a, nil); d.Source != DeadlineStated || !d.Date.Equal(day(2021, 12, 31)) {
		t.Errorf("item 19 deadline = %+v, want the stated 2021-12-31", d)
	}
	if d := p.DeadlineOf(1, p.Item(1).Lead[0], nil); d.Source != DeadlinePlan || !d.Date.Equal(day(2021, 12, 31)) {
		t.Errorf("item 1 deadline = %+v, want the plan's 2021-12-31", d)
	}
	changes := []DeadlineChange{
		{Seq: 1, Item: 19, Date: day(2021, 6, 30), ByID: "U1"},
		{Seq: 2, Item: 19, Agency: "某单位", Date: day(2021, 7, 31), ByID: "U1"},
	}
	if d := p.DeadlineOf(19, a, changes); d.Source != DeadlineSet || !d.Date.Equal(day(2021, 6, 30)) || d.Change.Seq != 1 {
		t.Errorf("after setting item 19 for all: %+v, want 2021-06-30 set by change 1", d)
	}
	if d := p.DeadlineOf(19, "某单位", changes); !d.Date.Equal(day(2021, 7, 31)) {
		t.Errorf("agency-specific change: %+v, want 2021-07-31", d)
	}
	changes = append(changes, DeadlineChange{Seq: 3, Item: 19, ByID: "U1"}) // cleared
	if d := p.DeadlineOf(19, a, changes); d.Source != DeadlineStated {
		t.Errorf("after clearing: %+v, want the stated deadline back", d)
	}
}

func TestDaysUntil(t *testing.T) {
	now := time.Date(2021, 12, 30, 23, 0, 0, 0, time.UTC) // 12-31 07:00 in China
	if got := DaysUntil(day(2021, 12, 31), now); got != 0 {
		t.Errorf("DaysUntil on the day = %d, want 0", got)
	}
	if got := DaysUntil(day(2021, 12, 30), now); got != -1 {
		t.Errorf("DaysUntil the day after = %d, want -1", got)
	}
}
