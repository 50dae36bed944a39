// Package chart draws the office's progress chart as a PNG with
// gonum.org/v1/plot: completion by agency as horizontal bars stacked by
// traffic light (red, yellow, green; worst agencies on top), and the share
// of (item, agency) pairs done by week. Text is set in a CJK font the
// package embeds (font/duban-cjk.ttf, a subset of Droid Sans Fallback under
// the Apache License 2.0; see font/README.md), so that agency names render
// on any machine. It implements bot.Charter; cmd/duban wires it, so that
// package bot itself never imports a plotting library. It is the only
// importer of gonum.org/v1/plot.
package chart

import (
	_ "embed"
	"fmt"
	"image/color"
	"io"
	"sync"
	"time"

	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"duban"
	"duban/bot"
)

//go:embed font/duban-cjk.ttf
var cjkTTF []byte

// Typeface is the name the embedded CJK font is registered under.
const Typeface = "DubanCJK"

// The colours of the lights, and of the line of progress.
var (
	red    = color.RGBA{R: 0xd9, G: 0x3b, B: 0x3b, A: 0xff}
	yellow = color.RGBA{R: 0xf2, G: 0xb7, B: 0x05, A: 0xff}
	green  = color.RGBA{R: 0x3a, G: 0xa6, B: 0x5a, A: 0xff}
	blue   = color.RGBA{R: 0x2f, G: 0x6f, B: 0xb5, A: 0xff}
	grey   = color.Gray{Y: 0x60}
)

// Sizes of the picture, in points at 96 dots per inch.
const (
	dpi        = 96
	width      = 900 * vg.Inch / dpi * 1.0
	barRow     = 22 * vg.Inch / dpi // one agency's bar
	barsMargin = 150 * vg.Inch / dpi
	lineHeight = 300 * vg.Inch / dpi
	maxBars    = 80 // agencies drawn at most; the rest are counted as hidden
)

// fonts registers the embedded font once.
var fonts = sync.OnceValues(func() (*font.Cache, error) {
	f, err := opentype.Parse(cjkTTF)
	if err != nil {
		return nil, fmt.Errorf("chart: parse embedded font: %w", err)
	}
	return font.NewCache(font.Collection{{Font: font.Font{Typeface: Typeface}, Face: f}}), nil
})

// Drawer draws charts. The zero value is ready to use; it is safe for
// concurrent use.
type Drawer struct{}

var _ bot.Charter = Drawer{}

// Chart writes the chart of data to w as PNG.
func (Drawer) Chart(w io.Writer, data bot.ChartData) error {
	cache, err := fonts()
	if err != nil {
		return err
	}
	style := textStyler{handler: text.Plain{Fonts: cache}}
	bars := data.Agencies
	hidden := data.Hidden
	if len(bars) > maxBars {
		hidden += len(bars) - maxBars
		bars = bars[:maxBars]
	}
	barsHeight := barsMargin + barRow*vg.Length(max(len(bars), 1))
	height := barsHeight + lineHeight
	img := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(img)

	top := draw.Crop(dc, 0, 0, lineHeight, 0)
	bottom := draw.Crop(dc, 0, 0, 0, -barsHeight-vg.Points(8))

	pb, err := barPlot(style, data, bars, hidden)
	if err != nil {
		return err
	}
	pb.Draw(top)
	pl, err := linePlot(style, data.Weeks)
	if err != nil {
		return err
	}
	pl.Draw(bottom)

	png := vgimg.PngCanvas{Canvas: img}
	if _, err := png.WriteTo(w); err != nil {
		return fmt.Errorf("chart: write png: %w", err)
	}
	return nil
}

// textStyler sets every text of a plot in the embedded font.
type textStyler struct{ handler text.Handler }

func (s textStyler) style(st *text.Style, size vg.Length) {
	st.Font = font.Font{Typeface: Typeface, Size: size}
	st.Handler = s.handler
}

// newPlot returns a plot whose texts use the embedded font.
func (s textStyler) newPlot(title string) *plot.Plot {
	p := plot.New()
	p.TextHandler = s.handler
	p.Title.Text = title
	s.style(&p.Title.TextStyle, 15)
	p.Title.Padding = vg.Points(8)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		s.style(&ax.Label.TextStyle, 11)
		s.style(&ax.Tick.Label, 10)
	}
	s.style(&p.Legend.TextStyle, 10)
	return p
}

// barPlot draws completion by agency: one horizontal bar per agency,
// stacked red, yellow, green, the first agency on top.
func barPlot(s textStyler, data bot.ChartData, bars []bot.AgencyBar, hidden int) (*plot.Plot, error) {
	title := data.Title
	if title == "" {
		title = "各单位落实情况（按红黄绿灯）"
	}
	p := s.newPlot(title)
	p.X.Label.Text = "工作-责任单位组合数"
	if data.Subtitle != "" {
		p.X.Label.Text = data.Subtitle
	}
	if hidden > 0 {
		p.X.Label.Text += fmt.Sprintf("（另有 %d 个单位未画出）", hidden)
	}
	n := len(bars)
	if n == 0 {
		p.Y.Tick.Marker = plot.ConstantTicks(nil)
		p.X.Label.Text = "暂无数据"
		return p, nil
	}
	// Rows are drawn bottom up: reverse, so the first agency is on top.
	names := make([]string, n)
	vals := [3]plotter.Values{make(plotter.Values, n), make(plotter.Values, n), make(plotter.Values, n)}
	for i, b := range bars {
		j := n - 1 - i
		names[j] = b.Agency
		vals[0][j], vals[1][j], vals[2][j] = float64(b.Red), float64(b.Yellow), float64(b.Green)
	}
	var prev *plotter.BarChart
	for k, c := range []struct {
		col   color.Color
		label string
	}{{red, "红灯"}, {yellow, "黄灯"}, {green, "绿灯"}} {
		bc, err := plotter.NewBarChart(vals[k], barRow*0.7)
		if err != nil {
			return nil, fmt.Errorf("chart: bars: %w", err)
		}
		bc.Horizontal = true
		bc.Color = c.col
		bc.LineStyle.Width = 0
		if prev != nil {
			bc.StackOn(prev)
		}
		prev = bc
		p.Add(bc)
		p.Legend.Add(c.label, bc)
	}
	p.NominalY(names...)
	p.X.Min = 0
	most := 0.0
	for j := range n {
		most = max(most, vals[0][j]+vals[1][j]+vals[2][j])
	}
	p.X.Max = most*1.15 + 1 // room for the legend at the top right
	p.X.Tick.Marker = integerTicks{}
	p.Legend.Top = true
	p.Legend.Left = false
	p.Legend.XOffs = -vg.Points(4)
	p.Add(plotter.NewGrid())
	return p, nil
}

// linePlot draws the share of pairs done at the end of each week.
func linePlot(s textStyler, weeks []bot.WeekShare) (*plot.Plot, error) {
	p := s.newPlot("完成进度（按周，已完成组合占比）")
	p.Y.Label.Text = "已完成 %"
	p.Y.Min, p.Y.Max = 0, 100
	p.X.Tick.Marker = plot.TimeTicks{Format: "01-02", Time: func(t float64) time.Time {
		return time.Unix(int64(t), 0).In(chinaTime)
	}}
	if len(weeks) == 0 {
		p.X.Label.Text = "暂无数据"
		return p, nil
	}
	pts := make(plotter.XYs, len(weeks))
	top := 0.0
	for i, w := range weeks {
		pts[i].X = float64(w.End.Unix())
		if w.Total > 0 {
			pts[i].Y = float64(w.Done) * 100 / float64(w.Total)
		}
		top = max(top, pts[i].Y)
	}
	// Small shares stay visible: the axis ends a little above the highest
	// point (at least 10%, at most 100%).
	p.Y.Max = min(100, max(10, top*1.25))
	line, points, err := plotter.NewLinePoints(pts)
	if err != nil {
		return nil, fmt.Errorf("chart: line: %w", err)
	}
	line.Color, line.Width = blue, vg.Points(2)
	points.Color, points.Shape = blue, draw.CircleGlyph{}
	points.Radius = vg.Points(2.5)
	p.Add(plotter.NewGrid(), line, points)
	last := weeks[len(weeks)-1]
	p.X.Label.Text = fmt.Sprintf("截至 %s：已完成 %d/%d", last.End.In(chinaTime).Format("2006-01-02"), last.Done, last.Total)
	p.X.Label.TextStyle.Color = grey
	// Half a week of room on either side, so the end points are not on the frame.
	p.X.Min, p.X.Max = pts[0].X-3.5*86400, pts[len(pts)-1].X+3.5*86400
	return p, nil
}

// chinaTime is the zone the office reads dates in.
var chinaTime = duban.ChinaTime()

// integerTicks marks whole numbers only, about ten of them.
type integerTicks struct{}

// Ticks returns the ticks between lo and hi.
func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 1
	for (hi-lo)/float64(step) > 10 {
		step *= 2
	}
	var out []plot.Tick
	for v := 0; float64(v) <= hi; v += step {
		if float64(v) >= lo {
			out = append(out, plot.Tick{Value: float64(v), Label: fmt.Sprint(v)})
		}
	}
	return out
}
