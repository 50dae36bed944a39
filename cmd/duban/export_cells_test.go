package main

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"duban"
)

// TestExportCellsAreNumbersAndDates: the percent, the completion rate and
// the times are numbers and dates Excel can sort and sum, shown as before
// (hardening 26).
func TestExportCellsAreNumbersAndDates(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2021, 6, 10, 9, 30, 0, 0, duban.ChinaTime())
	u := report(3, "省林业局", duban.StatusDone, 40, "已建设森林步道120公里", 0)
	u.Time = at
	seedStore(t, dir, u)
	out := filepath.Join(t.TempDir(), "表.xlsx")
	if code, _, stderr := runCmd(t, "", "export", "--data", dir, "--out", out); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("落实情况")
	row := 0
	for i, r := range rows {
		if len(r) > 2 && r[0] == "3" && r[2] == "省林业局" {
			row = i + 1
		}
	}
	if row == 0 {
		t.Fatal("no row for item 3 / 省林业局")
	}
	raw := func(sheet, cell string) (string, string) {
		shown, _ := f.GetCellValue(sheet, cell)
		v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		return v, shown
	}
	// col names the cell of a sheet's column, found by its header.
	col := func(sheet, title string, row int) string {
		t.Helper()
		header, _ := f.GetRows(sheet)
		for i, h := range header[0] {
			if h == title {
				name, _ := excelize.ColumnNumberToName(i + 1)
				return name + strconv.Itoa(row)
			}
		}
		t.Fatalf("%s has no column %s", sheet, title)
		return ""
	}
	if v, shown := raw("落实情况", col("落实情况", "完成比例", row)); v != "0.4" || shown != "40%" {
		t.Errorf("完成比例 = %q shown %q, want the number 0.4 shown as 40%%", v, shown)
	}
	v, shown := raw("落实情况", col("落实情况", "报送时间", row))
	serial, err := strconv.ParseFloat(v, 64)
	if err != nil || shown != "2021-06-10 09:30" {
		t.Errorf("报送时间 = %q shown %q, want a date serial shown as 2021-06-10 09:30", v, shown)
	} else if got, _ := excelize.ExcelDateToTime(serial, false); !got.Equal(time.Date(2021, 6, 10, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("报送时间 serial %v is %v, want 2021-06-10 09:30", serial, got)
	}
	rows, _ = f.GetRows("各单位汇总")
	for i, r := range rows {
		if len(r) > 0 && r[0] == "省林业局" {
			v, shown := raw("各单位汇总", col("各单位汇总", "完成率", i+1))
			if x, err := strconv.ParseFloat(v, 64); err != nil || x != 0.5 || shown != "50.0%" {
				t.Errorf("完成率 = %q shown %q, want the number 0.5 shown as 50.0%%", v, shown)
			}
		}
	}
}
