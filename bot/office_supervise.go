package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"duban"
)

// This file is supervision (督办) in the engine: the office's rules, what
// the store holds about deadlines, review and settings, and the shared
// pieces of the commands that show them. The computation itself (lights,
// deadlines, rounds, review states) is the domain's (duban.Assess); the
// engine reads the store and renders.

// DefaultPlanID is the id of the plan duban ships with (seeds/): the plan
// of the reports and supervision records of files written before plans
// were keyed (store.LegacyPlanID).
const DefaultPlanID = "fujian-2021-quality"

// DefaultEscalate is the reminder in a round that also goes to the office
// as 催办.
const DefaultEscalate = 3

// Supervision is how the office supervises: the plan's id in the store,
// its starting rules (the office may change the cadence and review in
// chat) and where its notices go.
type Supervision struct {
	PlanID   string        // "": the id of the plan (with one plan only; each plan's own otherwise)
	WarnDays int           // yellow this many days before a deadline (0: duban.DefaultWarnDays)
	Cadence  duban.Cadence // the reporting rounds of --round; the office may change them (报送周期)
	Escalate int           // the reminder in a round that also goes to the office (0: DefaultEscalate; negative: never)
	// OfficeChannel is where review requests (with 通过/退回 buttons), 催办
	// and the scheduled 通报 go: a Slack channel id. Empty: review
	// requests and 催办 go to the admins of Config.Admins by direct
	// message.
	OfficeChannel string
}

// planID returns the id of the plan in the store: the plan the engine is
// bound to (Supervision.PlanID, when set, for an engine of one plan).
func (e *Engine) planID() string {
	if e.cfg.Supervision.PlanID != "" && e.plans.count() == 1 {
		return e.cfg.Supervision.PlanID
	}
	return e.plan.ID
}

// escalateAt returns the reminder count from which a reminder also goes to
// the office, or 0 for never.
func (e *Engine) escalateAt() int {
	switch n := e.cfg.Supervision.Escalate; {
	case n < 0:
		return 0
	case n == 0:
		return DefaultEscalate
	default:
		return n
	}
}

// baseRules are the rules the engine was started with.
func (e *Engine) baseRules() duban.Rules {
	return duban.Rules{WarnDays: e.cfg.Supervision.WarnDays, Stale: e.cfg.Stale, Cadence: e.cfg.Supervision.Cadence}
}

// supervision reads what the store holds about deadlines, review and
// settings, and returns the facts (without the latest reports), the rules
// in force and the setting changes.
func (e *Engine) supervision(ctx context.Context) (duban.Facts, duban.Rules, []duban.SettingChange, error) {
	var f duban.Facts
	if e.store == nil {
		return f, e.baseRules(), nil, errNoStore
	}
	id := e.planID()
	var err error
	if f.Deadlines, err = e.store.Deadlines(ctx, id); err != nil {
		return f, duban.Rules{}, nil, fmt.Errorf("read deadlines: %w", err)
	}
	if f.Reviews, err = e.store.Reviews(ctx, id); err != nil {
		return f, duban.Rules{}, nil, fmt.Errorf("read reviews: %w", err)
	}
	settings, err := e.store.Settings(ctx, id)
	if err != nil {
		return f, duban.Rules{}, nil, fmt.Errorf("read settings: %w", err)
	}
	return f, duban.ApplySettings(e.baseRules(), settings), settings, nil
}

// Progress returns the supervision of every (item, responsible agency)
// pair now: latest reports, deadlines, review and lights.
func (e *Engine) Progress(ctx context.Context) (*duban.Progress, error) {
	e = e.atDefault(ctx)
	p, err := e.loadProgress(ctx)
	if err != nil {
		return nil, err
	}
	return p.Progress, nil
}

// lightCounts says how many pairs have each light, red first:
// "🔴 红灯 3（3.5%）、🟡 黄灯 20（23.3%）、🟢 绿灯 63（73.3%）".
func lightCounts(lights [duban.LightRed + 1]int, total int) string {
	parts := make([]string, 0, 3)
	for _, l := range duban.Lights {
		parts = append(parts, fmt.Sprintf("%s %s %d（%s）", l.Emoji(), l, lights[l], officePercent(lights[l], total)))
	}
	return strings.Join(parts, "、")
}

// shortLights says an agency's lights in a few characters: "红1 黄2 绿3".
func shortLights(a *agencyProgress) string {
	return fmt.Sprintf("红%d 黄%d 绿%d", a.Lights[duban.LightRed], a.Lights[duban.LightYellow], a.Lights[duban.LightGreen])
}

// deadlineShort is a pair's deadline as a list shows it: "12-31".
func deadlineShort(d duban.Deadline, now time.Time) string {
	if d.Source == duban.DeadlineNone {
		return "未定"
	}
	return officeShortDate(d.Date, now)
}

// deadlineLong is a deadline with where it comes from and the days left:
// "2021年12月31日（条文：年底前；还有 30 天）".
func deadlineLong(d duban.Deadline, now time.Time) string {
	if d.Source == duban.DeadlineNone {
		return "未定（通知未写反馈截止日期）"
	}
	src := d.Source.String()
	switch {
	case d.Source == duban.DeadlineStated && d.Text != "":
		src = "条文：" + d.Text
	case d.Source == duban.DeadlineSet && d.Change != nil:
		src = "办公室设定，" + officeAuthorName(d.Change.ByName, d.Change.ByID) + " " + officeShortTime(d.Change.Time, now)
	}
	days := duban.DaysUntil(d.Date, now)
	left := fmt.Sprintf("还有 %d 天", days)
	switch {
	case days == 0:
		left = "今天截止"
	case days < 0:
		left = fmt.Sprintf("已过 %d 天", -days)
	}
	return fmt.Sprintf("%s（%s；%s）", d.Date.In(chinaTime).Format("2006年1月2日"), src, left)
}

// officeAuthorName is a display name, or the user id.
func officeAuthorName(name, id string) string {
	if n := strings.TrimSpace(name); n != "" {
		return n
	}
	return id
}

// pairLine is one pair in a list of lights: "🔴 #3 省林业局【牵头】进行中，截止 06-30，已逾期 2 天".
func pairLine(r progressRow, now time.Time) string {
	return fmt.Sprintf("%s #%d %s【%s】%s，截止 %s，%s", r.Light.Emoji(), r.Item, r.Agency, r.Role, r.StatusText(),
		deadlineShort(r.Deadline, now), r.Reason)
}

// roundField is the summary's line about the reporting round.
func roundField(p *progress) (Field, bool) {
	if p.Round.ID == "" {
		return Field{}, false
	}
	reported := 0
	for _, r := range p.rows {
		if r.Current {
			reported++
		}
	}
	return Field{"报送轮次", fmt.Sprintf("%s，本轮已报送 %d/%d（%s）", p.Round.Text(), reported, p.total(), officePercent(reported, p.total()))}, true
}

// missingPhrase says what "late" means under the rules: "本轮（2021年6月
// 轮次（5月26日至6月25日））未报送" or "未报送或超过 30 天未更新".
func missingPhrase(p *progress) string {
	if p.Round.ID != "" {
		return "本轮（" + p.Round.Text() + "）未报送"
	}
	return fmt.Sprintf("未报送或超过 %s未更新", staleText(p.Rules.Stale))
}

// withItemLights adds to an item's answer its deadline and, when reports
// are stored, each responsible agency's light and status.
func (e *Engine) withItemLights(ctx context.Context, r Reply, n int) Reply {
	if r.Intent == IntentError || e.plan.Item(n) == nil {
		return r
	}
	now := e.now()
	sec := Section{Heading: "督办", Fields: []Field{{"截止", deadlineLong(e.plan.DeadlineOf(n, "", nil), now)}}}
	if e.store != nil {
		p, err := e.loadProgress(ctx)
		if err != nil {
			e.log.Warn("item lights", "item", n, "err", err)
		} else {
			sec.Fields[0].Value = deadlineLong(e.plan.DeadlineOf(n, "", p.deadlineChanges), now)
			var lines []string
			for _, pr := range p.Item(n) {
				lines = append(lines, fmt.Sprintf("%s %s【%s】%s，截止 %s，%s", pr.Light.Emoji(), pr.Agency, pr.Role, pr.StatusText(),
					deadlineShort(pr.Deadline, now), pr.Reason))
			}
			sec.Text = strings.Join(lines, "\n")
		}
	}
	r.Sections = append(r.Sections, sec)
	return r
}

// PlanID returns the id under which the engine keeps the plan's records.
func (e *Engine) PlanID() string { return e.atDefault(context.Background()).planID() }
