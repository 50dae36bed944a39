package export

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"duban/bot"
)

// TestTypedCells: percents and times are numbers and dates in XLSX,
// shown as 40% / 12.5% / 2021-06-10 09:30, and written the same way in
// CSV, which Excel reads back as numbers and dates (hardening 26).
func TestTypedCells(t *testing.T) {
	at := time.Date(2021, 6, 10, 1, 30, 0, 0, time.UTC) // 09:30 in China
	sheets := []bot.Sheet{{Name: "表", Columns: []bot.Column{
		{Title: "完成比例", Kind: bot.KindPercent},
		{Title: "完成率", Kind: bot.KindPercent, Decimals: 1},
		{Title: "时间", Kind: bot.KindTime},
		{Title: "截止日期", Kind: bot.KindDate},
	}, Rows: [][]any{{0.4, 0.125, at, at}, {nil, 0.0, nil, nil}}}}

	var buf bytes.Buffer
	if err := (Writer{}).Write(&buf, "xlsx", sheets); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, c := range []struct{ cell, raw, shown string }{
		{"A2", "0.4", "40%"}, {"B2", "0.125", "12.5%"}, {"B3", "0", "0.0%"}, {"D2", "44357.395833333336", "2021-06-10"},
	} {
		raw, _ := f.GetCellValue("表", c.cell, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue("表", c.cell)
		if raw != c.raw || shown != c.shown {
			t.Errorf("%s = %q shown %q, want %q shown %q", c.cell, raw, shown, c.raw, c.shown)
		}
	}
	raw, _ := f.GetCellValue("表", "C2", excelize.Options{RawCellValue: true})
	shown, _ := f.GetCellValue("表", "C2")
	serial, err := strconv.ParseFloat(raw, 64)
	if err != nil || shown != "2021-06-10 09:30" {
		t.Errorf("C2 = %q shown %q, want a date shown 2021-06-10 09:30", raw, shown)
	} else if got, _ := excelize.ExcelDateToTime(serial, false); !got.Equal(time.Date(2021, 6, 10, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("C2 is %v, want 2021-06-10 09:30 (China time)", got)
	}

	buf.Reset()
	if err := (Writer{}).Write(&buf, "csv", sheets); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte(BOM)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"完成比例", "完成率", "时间", "截止日期"}, {"40%", "12.5%", "2021-06-10 09:30", "2021-06-10"}, {"", "0.0%", "", ""}}
	for i := range want {
		for j := range want[i] {
			if recs[i][j] != want[i][j] {
				t.Errorf("csv [%d][%d] = %q, want %q", i, j, recs[i][j], want[i][j])
			}
		}
	}
}
