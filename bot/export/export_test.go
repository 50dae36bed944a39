package export

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"duban/bot"
)

func sampleSheets() []bot.Sheet {
	return []bot.Sheet{
		{Name: "落实情况", Columns: []bot.Column{{Title: "序号", Width: 6}, {Title: "单位", Width: 24}, {Title: "最新进展", Width: 60, Wrap: true}},
			Rows: [][]any{
				{53, "省林业局", "已改造森林公园12个,建设森林步道120公里"},
				{7, "省市场监管局", "含逗号,引号\"和\n换行"},
				{8, "省体育局", nil},
				{9, "省体育局", "=HYPERLINK(\"http://x\")"},
			}},
		{Name: "各单位汇总", Columns: []bot.Column{{Title: "单位", Width: 24}, {Title: "负责工作", Width: 10}},
			Rows: [][]any{{"省林业局", 2}, {"省体育局", 1}}},
	}
}

func TestCSVReadsBackWithChinese(t *testing.T) {
	var buf bytes.Buffer
	if err := (Writer{}).Write(&buf, "csv", sampleSheets()); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if !bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatalf("csv starts with % x, want the UTF-8 BOM", data[:min(3, len(data))])
	}
	recs, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"序号", "单位", "最新进展"},
		{"53", "省林业局", "已改造森林公园12个,建设森林步道120公里"},
		{"7", "省市场监管局", "含逗号,引号\"和\n换行"},
		{"8", "省体育局", ""},
		{"9", "省体育局", "'=HYPERLINK(\"http://x\")"}, // stays text in Excel
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d records, want %d: %q", len(recs), len(want), recs)
	}
	for i := range want {
		if !slices.Equal(recs[i], want[i]) {
			t.Errorf("record %d = %q, want %q", i, recs[i], want[i])
		}
	}
}

func TestXLSXReadsBackBothSheets(t *testing.T) {
	var buf bytes.Buffer
	if err := (Writer{}).Write(&buf, "xlsx", sampleSheets()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"落实情况", "各单位汇总"}; !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	rows, err := f.GetRows("落实情况")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"序号", "单位", "最新进展"},
		{"53", "省林业局", "已改造森林公园12个,建设森林步道120公里"},
		{"7", "省市场监管局", "含逗号,引号\"和\n换行"},
		{"8", "省体育局"},
		{"9", "省体育局", "=HYPERLINK(\"http://x\")"},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d: %q", len(rows), len(want), rows)
	}
	for i := range want {
		if !slices.Equal(rows[i], want[i]) {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
	if f, _ := f.GetCellFormula("落实情况", "C5"); f != "" {
		t.Errorf("report text became a formula: %q", f)
	}
	// Numbers are numbers, not text, so that Excel sorts them.
	if typ, _ := f.GetCellType("落实情况", "A2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("序号 is stored as text (%v)", typ)
	}
	rows, err = f.GetRows("各单位汇总")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(rows[2], "|"), "省体育局|1"; len(rows) != 3 || got != want {
		t.Errorf("second sheet = %q, want 3 rows ending %q", rows, want)
	}
	for _, sheet := range []string{"落实情况", "各单位汇总"} {
		p, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
			t.Errorf("%s panes = %+v, want the first row frozen", sheet, p)
		}
	}
	if w, _ := f.GetColWidth("落实情况", "C"); w != 60 {
		t.Errorf("最新进展 width = %v, want 60", w)
	}
	if w, _ := f.GetColWidth("各单位汇总", "A"); w != 24 {
		t.Errorf("单位 width = %v, want 24", w)
	}
}

func TestUnknownFormat(t *testing.T) {
	var buf bytes.Buffer
	if err := (Writer{}).Write(&buf, "pdf", sampleSheets()); err == nil {
		t.Error("pdf export succeeded")
	}
	if buf.Len() != 0 {
		t.Errorf("pdf export wrote %d bytes", buf.Len())
	}
}
