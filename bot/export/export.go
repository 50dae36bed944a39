// Package export writes the office's export (导出) to files: CSV in UTF-8
// with a byte order mark, so that Excel shows the Chinese, and XLSX via
// excelize with a bold, frozen header row, column widths and one
// worksheet per table. It implements bot.Exporter; cmd/duban wires it, so
// that package bot itself never imports a spreadsheet library.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"duban"
	"duban/bot"
)

// BOM is the UTF-8 byte order mark that starts every CSV file.
const BOM = "\uFEFF"

// Writer writes sheets as CSV or XLSX. The zero value is ready to use.
type Writer struct{}

var _ bot.Exporter = Writer{}

// Write writes the sheets to w in the format: "csv" writes the first
// sheet, "xlsx" every sheet.
func (Writer) Write(w io.Writer, format string, sheets []bot.Sheet) error {
	switch format {
	case "csv":
		return WriteCSV(w, sheets)
	case "xlsx":
		return WriteXLSX(w, sheets)
	}
	return fmt.Errorf("export: unknown format %q", format)
}

// WriteCSV writes the first sheet, its header row first, as CSV in UTF-8
// with a byte order mark and CRLF line ends (what Excel expects).
func WriteCSV(w io.Writer, sheets []bot.Sheet) error {
	if len(sheets) == 0 {
		return fmt.Errorf("export: no sheet to write")
	}
	s := sheets[0]
	if _, err := io.WriteString(w, BOM); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		header[i] = c.Title
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	rec := make([]string, len(s.Columns))
	for _, row := range s.Rows {
		for i := range rec {
			rec[i] = ""
			if i < len(row) {
				rec[i] = cellString(row[i], s.Columns[i])
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// WriteXLSX writes every sheet as a worksheet: a bold header row that
// stays in view (frozen), an auto-filter over the table, the columns'
// widths and wrapped text where a column asks for it.
func WriteXLSX(w io.Writer, sheets []bot.Sheet) error {
	if len(sheets) == 0 {
		return fmt.Errorf("export: no sheet to write")
	}
	f := excelize.NewFile()
	defer f.Close()
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center", Horizontal: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
	})
	if err != nil {
		return fmt.Errorf("xlsx header style: %w", err)
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return fmt.Errorf("xlsx wrap style: %w", err)
	}
	top, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("xlsx cell style: %w", err)
	}
	st := styles{header: header, wrap: wrap, top: top, kinds: map[string]int{}}
	for _, k := range []struct {
		name, format string
	}{{bot.KindPercent + "0", "0%"}, {bot.KindPercent + "1", "0.0%"}, {bot.KindPercent + "2", "0.00%"}, {bot.KindTime, "yyyy-mm-dd hh:mm"}, {bot.KindDate, "yyyy-mm-dd"}} {
		format := k.format
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format, Alignment: &excelize.Alignment{Vertical: "top"}})
		if err != nil {
			return fmt.Errorf("xlsx %s style: %w", k.name, err)
		}
		st.kinds[k.name] = id
	}
	for i, s := range sheets {
		if err := writeSheet(f, i, s, st); err != nil {
			return fmt.Errorf("xlsx sheet %q: %w", s.Name, err)
		}
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// styles are the cell styles of a workbook: the header's, text's, and
// one per number format (a percent with its decimals, a time).
type styles struct {
	header, wrap, top int
	kinds             map[string]int // bot.KindPercent+decimals, bot.KindTime -> style
}

// kind returns the style of a column's cells.
func (st styles) kind(c bot.Column) (int, bool) {
	switch c.Kind {
	case bot.KindPercent:
		id, ok := st.kinds[bot.KindPercent+strconv.Itoa(min(max(c.Decimals, 0), 2))]
		return id, ok
	case bot.KindTime, bot.KindDate:
		id, ok := st.kinds[c.Kind]
		return id, ok
	}
	if c.Wrap {
		return st.wrap, true
	}
	return st.top, true
}

func writeSheet(f *excelize.File, index int, s bot.Sheet, st styles) error {
	name := s.Name
	if name == "" {
		name = fmt.Sprintf("Sheet%d", index+1)
	}
	if index == 0 {
		if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
			return err
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return err
	}
	if len(s.Picture) > 0 {
		if err := f.AddPictureFromBytes(name, "A1", &excelize.Picture{Extension: ".png", File: s.Picture,
			Format: &excelize.GraphicOptions{AltText: name, Positioning: "oneCell"}}); err != nil {
			return fmt.Errorf("picture: %w", err)
		}
	}
	ncol := len(s.Columns)
	if ncol == 0 {
		return nil
	}
	last, err := excelize.ColumnNumberToName(ncol)
	if err != nil {
		return err
	}
	for i, c := range s.Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if c.Width > 0 {
			if err := f.SetColWidth(name, col, col, c.Width); err != nil {
				return err
			}
		}
		style, _ := st.kind(c)
		if err := f.SetColStyle(name, col, style); err != nil {
			return err
		}
	}
	titles := make([]any, ncol)
	for i, c := range s.Columns {
		titles[i] = c.Title
	}
	if err := f.SetSheetRow(name, "A1", &titles); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, "A1", last+"1", st.header); err != nil {
		return err
	}
	for r, row := range s.Rows {
		cells := make([]any, ncol)
		for i := range cells {
			if i < len(row) {
				cells[i] = row[i]
			}
			if t, ok := cells[i].(time.Time); ok {
				cells[i] = t.In(duban.ChinaTime()) // Excel keeps the wall clock
			}
		}
		if err := f.SetSheetRow(name, "A"+strconv.Itoa(r+2), &cells); err != nil {
			return err
		}
	}
	if err := fillCells(f, name, s); err != nil {
		return err
	}
	// Numbers and dates keep their column's format (excelize gives a
	// time cell a default one of its own).
	for i, c := range s.Columns {
		if c.Kind == bot.KindText || len(s.Rows) == 0 {
			continue
		}
		style, _ := st.kind(c)
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetCellStyle(name, col+"2", col+strconv.Itoa(len(s.Rows)+1), style); err != nil {
			return err
		}
	}
	if err := f.SetPanes(name, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	return f.AutoFilter(name, fmt.Sprintf("A1:%s%d", last, len(s.Rows)+1), nil)
}

// fillCells colours the cells of the columns that have Fills by their
// values (the traffic lights).
func fillCells(f *excelize.File, name string, s bot.Sheet) error {
	styles := map[string]int{}
	for c, col := range s.Columns {
		if len(col.Fills) == 0 {
			continue
		}
		colName, _ := excelize.ColumnNumberToName(c + 1)
		for r, row := range s.Rows {
			if c >= len(row) {
				continue
			}
			v, _ := row[c].(string)
			rgb, ok := col.Fills[v]
			if !ok {
				continue
			}
			st, ok := styles[rgb]
			if !ok {
				var err error
				st, err = f.NewStyle(&excelize.Style{
					Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{rgb}},
					Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"},
				})
				if err != nil {
					return fmt.Errorf("fill style: %w", err)
				}
				styles[rgb] = st
			}
			cell := colName + strconv.Itoa(r+2)
			if err := f.SetCellStyle(name, cell, cell, st); err != nil {
				return err
			}
		}
	}
	return nil
}

// cellString formats a cell for CSV: a percent as Excel writes it (40%,
// 12.5%), a time to the minute and a date to the day in China time, which
// Excel reads back as numbers and dates. Text that a spreadsheet would take for a
// formula (it starts with = + - @ or a tab or carriage return) gets a
// leading apostrophe, so that a report such as "=HYPERLINK(...)" stays
// text when the office opens the file (CSV injection). XLSX cells are
// typed and need no such care.
func cellString(v any, c bot.Column) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if x != "" && strings.ContainsRune("=+-@\t\r", rune(x[0])) {
			return "'" + x
		}
		return x
	case int:
		return strconv.Itoa(x)
	case float64:
		if c.Kind == bot.KindPercent {
			return strconv.FormatFloat(x*100, 'f', min(max(c.Decimals, 0), 2), 64) + "%"
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		if c.Kind == bot.KindDate {
			return x.In(duban.ChinaTime()).Format("2006-01-02")
		}
		return x.In(duban.ChinaTime()).Format("2006-01-02 15:04")
	}
	return fmt.Sprint(v)
}
