package chart

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"testing"
	"time"

	"golang.org/x/image/font/sfnt"

	"duban"
	"duban/bot"
	"duban/seeds"
)

var out = flag.String("chart", "", "also write the test chart to this PNG file, to look at")

func seedPlan(t testing.TB) *duban.Plan {
	t.Helper()
	p, err := duban.LoadPlan(seeds.FS, seeds.Default)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// sample is chart data over the seed's agencies: lights varied by agency,
// progress rising over eight weeks.
func sample(t testing.TB) bot.ChartData {
	plan := seedPlan(t)
	d := bot.ChartData{Title: "各单位落实情况", Subtitle: "截至 2021-06-07 09:00 · 86 个组合"}
	counts := map[string]int{}
	var order []string
	for _, a := range plan.Assignments() {
		if counts[a.Agency] == 0 {
			order = append(order, a.Agency)
		}
		counts[a.Agency]++
	}
	for i, name := range order {
		n := counts[name]
		b := bot.AgencyBar{Agency: name}
		switch i % 3 {
		case 0:
			b.Red, b.Green = 1, n-1
		case 1:
			b.Yellow, b.Green = n/2, n-n/2
		default:
			b.Green = n
		}
		d.Agencies = append(d.Agencies, b)
	}
	start := time.Date(2021, 4, 12, 0, 0, 0, 0, duban.ChinaTime())
	for w := range 8 {
		d.Weeks = append(d.Weeks, bot.WeekShare{End: start.AddDate(0, 0, 7*w), Done: w * w, Total: 86})
	}
	return d
}

// TestChartIsAPicture: the chart is a PNG of the expected width, taller
// with more agencies, with the three light colours in it.
func TestChartIsAPicture(t *testing.T) {
	data := sample(t)
	var buf bytes.Buffer
	if err := (Drawer{}).Chart(&buf, data); err != nil {
		t.Fatal(err)
	}
	if *out != "" {
		if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	img, err := png.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != 900 || b.Dy() < 22*len(data.Agencies) {
		t.Errorf("size %dx%d for %d agencies", b.Dx(), b.Dy(), len(data.Agencies))
	}
	for _, c := range []color.RGBA{red, yellow, green, blue} {
		if !hasColour(img, c) {
			t.Errorf("no pixel of colour %v", c)
		}
	}

	var small bytes.Buffer
	data.Agencies = data.Agencies[:3]
	if err := (Drawer{}).Chart(&small, data); err != nil {
		t.Fatal(err)
	}
	si, _ := png.Decode(&small)
	if si.Bounds().Dy() >= b.Dy() {
		t.Errorf("3 agencies take %d px, as many as %d agencies (%d px)", si.Bounds().Dy(), len(sample(t).Agencies), b.Dy())
	}
}

// TestChartWithoutData: no agencies and no weeks still make a picture.
func TestChartWithoutData(t *testing.T) {
	var buf bytes.Buffer
	if err := (Drawer{}).Chart(&buf, bot.ChartData{}); err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(&buf); err != nil {
		t.Fatal(err)
	}
}

// TestFontCoversThePlan: the embedded font has a glyph for every character
// of every agency name, title and label of the seed plan, so the chart
// shows them and not empty boxes.
func TestFontCoversThePlan(t *testing.T) {
	f, err := sfnt.Parse(cjkTTF)
	if err != nil {
		t.Fatal(err)
	}
	var sb sfnt.Buffer
	plan := seedPlan(t)
	texts := []string{"各单位落实情况（按红黄绿灯）", "工作-责任单位组合数", "完成进度（按周，已完成组合占比）", "已完成 %", "红灯黄灯绿灯", "截至 2021-06-07：已完成 0/86", "暂无数据", "另有 3 个单位未画出"}
	for _, a := range plan.Directory.Agencies() {
		texts = append(texts, a.Name)
	}
	for _, it := range plan.Items {
		texts = append(texts, it.Title)
	}
	for _, s := range texts {
		for _, r := range s {
			if r == ' ' {
				continue
			}
			if g, err := f.GlyphIndex(&sb, r); err != nil || g == 0 {
				t.Errorf("no glyph for %q (in %q)", r, s)
			}
		}
	}
}

func hasColour(img image.Image, c color.RGBA) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == c.R && uint8(g>>8) == c.G && uint8(bl>>8) == c.B {
				return true
			}
		}
	}
	return false
}
