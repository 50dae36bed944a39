package bot

import (
	"context"
	"fmt"
	"io"
	"strings"

	"duban"
)

// Limits of the 通报: it must fit one Slack message (about 40 lines).
const (
	digestRanking   = 10 // agencies of the ranking shown
	digestCompleted = 8  // completions of the week shown
	digestLate      = 12 // agencies without a report named
	chartWeeks      = 26 // weeks of progress the chart shows at most
)

// Digest answers 通报: the weekly circulated report — the reporting rate,
// the on-time rate, the lights, a ranking of the agencies, the work
// completed in the last seven days and the agencies that have not
// reported — with the progress chart attached when charts are available.
func (e *Engine) Digest(ctx context.Context) (reply Reply) {
	e = e.atDefault(ctx)
	defer e.logInternal(&reply, "") // called by the schedule, not through Handle
	p, err := e.loadProgress(ctx)
	if err != nil {
		return e.officeError(err)
	}
	d := p.Digest()
	total := p.total()
	now := p.now
	r := Reply{Intent: IntentDigest,
		Title: fmt.Sprintf("督办通报（%s，近一周：%s 至 %s）", officeFullTime(now), officeShortDate(d.From, now), officeShortDate(d.To, now))}
	reportScope := fmt.Sprintf("最近 %s内", staleText(p.Rules.Stale))
	if p.Round.ID != "" {
		reportScope = "本轮（" + p.Round.Text() + "）"
	}
	fields := []Field{
		{"报送率", fmt.Sprintf("%s已报送 %d/%d（%s）", reportScope, d.Reported, total, officePercent(d.Reported, total))},
		{"按期完成率", fmt.Sprintf("%d/%d（%s；已完成或已到期的组合中，在截止日期前报完成的）", d.OnTime, d.Due, officePercent(d.OnTime, d.Due))},
		{"红黄绿灯", lightCounts(p.Lights, total)},
		{"完成率", fmt.Sprintf("%s（%d/%d）", officePercent(p.Done, total), p.Done, total)},
	}
	if p.Rules.Review.On {
		fields = append(fields, Field{"完成审核", fmt.Sprintf("待审核 %d，已退回 %d", p.Pending, p.Returned)})
	}
	r.Sections = append(r.Sections, Section{Fields: fields})

	var rank []string
	for i, a := range d.Ranking {
		if i == digestRanking {
			break
		}
		rank = append(rank, fmt.Sprintf("%d. %s %s：完成 %d/%d，%s", i+1, a.Worst().Emoji(), a.Agency, a.Done, a.Pairs(), shortLights(a)))
	}
	heading := "排名（按完成率，其次红灯少、报送多）"
	if n := len(d.Ranking) - len(rank); n > 0 {
		heading += fmt.Sprintf("，前 %d 名，另有 %d 个单位见附图", len(rank), n)
	}
	r.Sections = append(r.Sections, Section{Heading: heading, Text: strings.Join(rank, "\n")})

	var reds []string
	for _, a := range p.agencies {
		if n := a.Lights[duban.LightRed]; n > 0 {
			reds = append(reds, fmt.Sprintf("%s %d", a.Agency, n))
		}
	}
	if len(reds) > 0 {
		r.Sections = append(r.Sections, Section{Heading: fmt.Sprintf("%s 有红灯的单位（%d 个）", duban.LightRed.Emoji(), len(reds)),
			Text: officeTruncate(strings.Join(reds, "、"), 300)})
	}

	done := "本周没有新完成的工作。"
	if len(d.Completed) > 0 {
		var lines []string
		for i, c := range d.Completed {
			if i == digestCompleted {
				lines = append(lines, fmt.Sprintf("……等共 %d 项", len(d.Completed)))
				break
			}
			line := fmt.Sprintf("#%d %s（%s）", c.Item, c.Agency, officeShortDate(c.Time, now))
			if c.Review != duban.ReviewNone {
				line += "，" + c.Review.String()
			}
			lines = append(lines, line)
		}
		done = strings.Join(lines, "\n")
	}
	r.Sections = append(r.Sections, Section{Heading: fmt.Sprintf("本周完成（%d）", len(d.Completed)), Text: done})

	late := "所有单位都已报送。"
	if len(d.Late) > 0 {
		var names []string
		for i, la := range d.Late {
			if i == digestLate {
				names = append(names, fmt.Sprintf("……等 %d 个单位", len(d.Late)))
				break
			}
			names = append(names, fmt.Sprintf("%s（%d 项）", la.Agency, len(la.Rows)))
		}
		late = strings.Join(names, "、")
	}
	r.Sections = append(r.Sections, Section{Heading: fmt.Sprintf("%s的单位（%d 个）", missingPhrase(p), len(d.Late)), Text: late})
	for _, a := range d.Ranking {
		r.Agencies = append(r.Agencies, a.Agency)
	}
	r.Items = d.LateItems
	r.Note = "完整明细请发送“导出”；“汇总”看各单位进度，“红灯”“黄灯”列出相应工作。"
	if f, _, err := e.chartFile(ctx, p); err == nil && f != nil {
		r.File = f
		r.Note = "附图：各单位红黄绿灯与按周完成进度。" + r.Note
	} else if err != nil {
		e.log.Warn("digest chart", "err", err)
	}
	return r
}

// ChartData returns what the progress chart shows now.
func (e *Engine) ChartData(ctx context.Context) (ChartData, error) {
	e = e.atDefault(ctx)
	p, err := e.loadProgress(ctx)
	if err != nil {
		return ChartData{}, err
	}
	return e.chartData(ctx, p)
}

// chartData builds the chart's data: every agency's pairs by light (worst
// first) and the share of pairs done by week, replayed from the history.
func (e *Engine) chartData(ctx context.Context, p *progress) (ChartData, error) {
	d := ChartData{
		Title:    "各单位落实情况（红黄绿灯）",
		Subtitle: fmt.Sprintf("截至 %s · 共 %d 个“工作-责任单位”组合", officeFullTime(p.now), p.total()),
	}
	for _, a := range p.agencies {
		d.Agencies = append(d.Agencies, AgencyBar{Agency: a.Agency,
			Red: a.Lights[duban.LightRed], Yellow: a.Lights[duban.LightYellow], Green: a.Lights[duban.LightGreen]})
	}
	var history []duban.Update
	for _, it := range e.plan.Items {
		h, err := e.store.History(ctx, e.plan.ID, it.Number)
		if err != nil {
			return ChartData{}, fmt.Errorf("read history of item %d: %w", it.Number, err)
		}
		history = append(history, h...)
	}
	from := e.plan.Meta.Date
	for _, u := range history {
		if from.IsZero() || u.Time.Before(from) {
			from = u.Time
		}
	}
	if earliest := p.now.AddDate(0, 0, -7*chartWeeks); from.IsZero() || from.Before(earliest) {
		from = earliest
	}
	if from.After(p.now) {
		from = p.now
	}
	for _, w := range duban.DoneByWeek(e.plan, history, p.reviews, p.Rules.Review, from, p.now) {
		d.Weeks = append(d.Weeks, WeekShare{End: w.End, Done: w.Done, Total: w.Total})
	}
	return d, nil
}

// WriteChart writes the progress chart as PNG.
func (e *Engine) WriteChart(ctx context.Context, w io.Writer) error {
	e = e.atDefault(ctx)
	if e.cfg.Charter == nil {
		return errNoCharts
	}
	d, err := e.ChartData(ctx)
	if err != nil {
		return err
	}
	return e.cfg.Charter.Chart(w, d)
}

// errNoCharts is the error when the engine runs without a Charter.
var errNoCharts = duban.Errorf(duban.CodeUnavailable, "抱歉，图表功能未启用 (charts unavailable)。")

// chartFile writes the progress chart to a new PNG in the data
// directory; nil without charts or a data directory.
func (e *Engine) chartFile(ctx context.Context, _ *progress) (*File, int, error) {
	if e.cfg.Charter == nil || e.cfg.DataDir == "" {
		return nil, 0, nil
	}
	return e.ExportToDataDir(ctx, "png")
}

// chartReply answers 汇总 图: the chart as a file (Slack uploads it).
func (e *Engine) chartReply(ctx context.Context) Reply {
	if e.cfg.Charter == nil {
		return errorReply(errNoCharts)
	}
	f, _, err := e.ExportToDataDir(ctx, "png")
	if err != nil {
		return e.officeError(err)
	}
	return Reply{Intent: IntentChart, File: f,
		Title: "进度图：各单位红黄绿灯（红灯多者在上）与按周完成进度（截至 " + officeFullTime(e.now()) + "）。",
		Note:  "发送“汇总”看文字汇总，“通报”看本周通报。"}
}

// chartExport writes the chart for Export.
func (e *Engine) chartExport(ctx context.Context, w io.Writer) (int, error) {
	if e.cfg.Charter == nil {
		return 0, errNoCharts
	}
	d, err := e.ChartData(ctx)
	if err != nil {
		return 0, err
	}
	if err := e.cfg.Charter.Chart(w, d); err != nil {
		return 0, fmt.Errorf("draw chart: %w", err)
	}
	return len(d.Agencies), nil
}
