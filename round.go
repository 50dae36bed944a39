package duban

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Period is how often agencies report in rounds.
type Period int

// The periods of reporting rounds. PeriodNone means no rounds: a report is
// missing when there is none, or only one older than the stale limit.
const (
	PeriodNone      Period = iota
	PeriodMonthly          // a round closes on a day of every month
	PeriodQuarterly        // a round closes on a day of the last month of every quarter
)

// Cadence is the office's reporting rhythm: a period and the day of the
// month a round closes on (reports are due by the end of that day).
type Cadence struct {
	Period Period
	Day    int // 1..31; a later day than a month has means its last day
}

// On reports whether the office reports in rounds.
func (c Cadence) On() bool { return c.Period != PeriodNone }

// String returns the cadence as the --round flag takes it: "monthly:25",
// "quarterly:25", or "off".
func (c Cadence) String() string {
	switch c.Period {
	case PeriodMonthly:
		return "monthly:" + strconv.Itoa(c.Day)
	case PeriodQuarterly:
		return "quarterly:" + strconv.Itoa(c.Day)
	}
	return "off"
}

// Text returns the cadence in Chinese: "每月 25 日", "每季度末月 25 日", "未设置".
func (c Cadence) Text() string {
	switch c.Period {
	case PeriodMonthly:
		return fmt.Sprintf("每月 %d 日", c.Day)
	case PeriodQuarterly:
		return fmt.Sprintf("每季度末月（3、6、9、12月）%d 日", c.Day)
	}
	return "未设置（按最近一次报送的时间判断）"
}

// ParseCadence reads the --round flag: "monthly:25", "quarterly:25" (the
// day defaults to the last of the month when left out: "monthly"), or
// "off" / "none" / "" for no rounds.
func ParseCadence(s string) (Cadence, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	name, day, hasDay := strings.Cut(s, ":")
	var c Cadence
	switch name {
	case "", "off", "none":
		if hasDay {
			break
		}
		return Cadence{}, nil
	case "monthly", "month":
		c.Period = PeriodMonthly
	case "quarterly", "quarter":
		c.Period = PeriodQuarterly
	}
	if c.Period == PeriodNone {
		return Cadence{}, Errorf(CodeInvalid, "报送周期“%s”无法识别 (round)，请写 monthly:25 或 quarterly:25。", s)
	}
	c.Day = 31
	if hasDay {
		d, err := strconv.Atoi(strings.TrimSpace(day))
		if err != nil || d < 1 || d > 31 {
			return Cadence{}, Errorf(CodeInvalid, "报送日“%s”应为 1 到 31 之间的日期 (round day)。", day)
		}
		c.Day = d
	}
	return c, nil
}

// Round is one reporting round: the days from the day after the last
// round closed up to its closing day, in China time.
type Round struct {
	Start time.Time // the first instant of the round (midnight China time)
	End   time.Time // the instant after its last day (midnight China time)
	ID    string    // "2021-06" for a month, "2021-Q2" for a quarter
	Name  string    // "2021年6月", "2021年第二季度"
}

// Due returns the last day of the round (the day reports are due by).
func (r Round) Due() time.Time { return r.End.AddDate(0, 0, -1) }

// Contains reports whether t falls in the round.
func (r Round) Contains(t time.Time) bool { return !t.Before(r.Start) && t.Before(r.End) }

// Text returns the round as summaries name it: "2021年6月轮次（5月26日至6月25日）".
func (r Round) Text() string {
	if r.ID == "" {
		return ""
	}
	return fmt.Sprintf("%s轮次（%s至%s）", r.Name, r.Start.In(chinaTime).Format("1月2日"), r.Due().In(chinaTime).Format("1月2日"))
}

var quarterNames = [...]string{"", "第一季度", "第二季度", "第三季度", "第四季度"}

// closeDay returns the day a round closes on in month m of year y.
func (c Cadence) closeDay(y int, m time.Month) time.Time {
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, chinaTime).Day()
	return time.Date(y, m, min(c.Day, last), 0, 0, 0, 0, chinaTime)
}

// closes reports whether a round closes in month m.
func (c Cadence) closes(m time.Month) bool {
	return c.Period == PeriodMonthly || c.Period == PeriodQuarterly && m%3 == 0
}

// RoundAt returns the round t falls in: the first one that closes on or
// after t's day. Without rounds it returns the zero Round.
func (c Cadence) RoundAt(t time.Time) Round {
	if !c.On() {
		return Round{}
	}
	t = t.In(chinaTime)
	today := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, chinaTime)
	y, m := t.Year(), t.Month()
	for !c.closes(m) || c.closeDay(y, m).Before(today) {
		m++
		if m > 12 {
			y, m = y+1, 1
		}
	}
	due := c.closeDay(y, m)
	py, pm := y, m
	for {
		pm--
		if pm < 1 {
			py, pm = py-1, 12
		}
		if c.closes(pm) {
			break
		}
	}
	r := Round{Start: c.closeDay(py, pm).AddDate(0, 0, 1), End: due.AddDate(0, 0, 1)}
	if c.Period == PeriodMonthly {
		r.ID, r.Name = fmt.Sprintf("%d-%02d", y, int(m)), fmt.Sprintf("%d年%d月", y, int(m))
	} else {
		q := (int(m) + 2) / 3
		r.ID, r.Name = fmt.Sprintf("%d-Q%d", y, q), fmt.Sprintf("%d年%s", y, quarterNames[q])
	}
	return r
}

// Previous returns the round before r.
func (c Cadence) Previous(r Round) Round { return c.RoundAt(r.Start.AddDate(0, 0, -1)) }

// CountingRound returns the round reminders are counted in at t: the
// reporting round, or without rounds the calendar month.
func (c Cadence) CountingRound(t time.Time) Round {
	if c.On() {
		return c.RoundAt(t)
	}
	t = t.In(chinaTime)
	start := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, chinaTime)
	return Round{Start: start, End: start.AddDate(0, 1, 0), ID: start.Format("2006-01"),
		Name: fmt.Sprintf("%d年%d月", t.Year(), int(t.Month()))}
}
