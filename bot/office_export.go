package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"duban"
)

// Sheet is one table of an export: a name, its columns and its rows.
type Sheet struct {
	Name    string
	Columns []Column
	// Rows hold a string or an int per cell, a float64 in a KindPercent
	// column, a time.Time in a KindTime or KindDate column; nil is an
	// empty cell.
	Rows [][]any
	// Picture is a PNG shown at the top left of the sheet (XLSX only).
	Picture []byte
}

// Column is a column of a Sheet.
type Column struct {
	Title string
	Width float64 // suggested width in character units (a Chinese character takes about 2)
	Wrap  bool    // long text that should wrap within its cell
	// Fills colours a cell by its value: value -> RGB ("FFC7CE"); XLSX only.
	Fills map[string]string
	// Kind says how a spreadsheet holds the cells, so that it can sort
	// and sum them: text and whole numbers as they are (KindText), or
	// numbers shown as percentages, or dates.
	Kind     string
	Decimals int // digits after the point of a KindPercent cell
}

// lightFills are the cell colours of the lights in a spreadsheet (Excel's
// own red, yellow and green cell styles).
var lightFills = map[string]string{
	duban.LightRed.String(): "FFC7CE", duban.LightYellow.String(): "FFEB9C", duban.LightGreen.String(): "C6EFCE",
}

// Column kinds.
const (
	KindText    = ""        // strings and ints
	KindPercent = "percent" // a float64 fraction of one: 0.4 shows as 40%
	KindTime    = "time"    // a time.Time, shown to the minute in China time
	KindDate    = "date"    // a time.Time, shown as its day in China time
)

// Exporter writes sheets in a file format. Package bot/export implements
// it for CSV (the first sheet, UTF-8 with a byte order mark) and XLSX
// (every sheet); cmd/duban wires it into Config.Exporter so that package
// bot itself stays free of spreadsheet libraries.
type Exporter interface {
	// Write writes the sheets to w in the format ("csv" or "xlsx").
	Write(w io.Writer, format string, sheets []Sheet) error
}

// ExportFormats are the formats 导出 accepts, the default first: the
// table as XLSX or CSV, or the progress chart as PNG.
var ExportFormats = []string{"xlsx", "csv", "png"}

// ExportSheets returns the export's tables: one row per (item,
// responsible agency) pair with its latest report, and the per-agency
// table, furthest behind first.
func (e *Engine) ExportSheets(ctx context.Context) ([]Sheet, error) {
	e = e.atDefault(ctx)
	p, err := e.loadProgress(ctx)
	if err != nil {
		return nil, err
	}
	sheets := exportSheets(p)
	if e.cfg.Charter != nil {
		d, err := e.chartData(ctx, p)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := e.cfg.Charter.Chart(&buf, d); err != nil {
			return nil, fmt.Errorf("draw chart: %w", err)
		}
		sheets = append(sheets, Sheet{Name: "进度图", Picture: buf.Bytes()})
	}
	return sheets, nil
}

func exportSheets(p *progress) []Sheet {
	rows := Sheet{Name: "落实情况", Columns: []Column{
		{Title: "序号", Width: 6},
		{Title: "工作要点", Width: 44, Wrap: true},
		{Title: "单位", Width: 24},
		{Title: "角色", Width: 12},
		{Title: "红黄绿灯", Width: 10, Fills: lightFills},
		{Title: "截止日期", Width: 12, Kind: KindDate},
		{Title: "说明", Width: 18},
		{Title: "状态", Width: 16},
		{Title: "完成比例", Width: 10, Kind: KindPercent},
		{Title: "最新进展", Width: 60, Wrap: true},
		{Title: "报送人", Width: 14},
		{Title: "报送时间", Width: 18, Kind: KindTime},
	}}
	for _, r := range p.rows {
		title := ""
		if it := p.plan.Item(r.Item); it != nil {
			title = it.Title
		}
		var pct, at any
		text, author := "", ""
		if u := r.Latest; u != nil {
			if u.Percent != duban.NoPercent {
				pct = float64(u.Percent) / 100
			}
			text, author, at = u.Text, officeAuthor(u), u.Time.In(chinaTime)
		}
		var deadline any
		if r.Deadline.Source != duban.DeadlineNone {
			deadline = r.Deadline.Date.In(chinaTime)
		}
		rows.Rows = append(rows.Rows, []any{r.Item, title, r.Agency, r.Role.String(), r.Light.String(), deadline, r.Reason, r.StatusText(), pct, text, author, at})
	}
	agencies := Sheet{Name: "各单位汇总", Columns: []Column{
		{Title: "单位", Width: 24},
		{Title: "最差灯", Width: 10, Fills: lightFills},
		{Title: "红灯", Width: 8},
		{Title: "黄灯", Width: 8},
		{Title: "绿灯", Width: 8},
		{Title: "负责工作", Width: 10},
		{Title: "牵头", Width: 8},
		{Title: "按职责落实", Width: 12},
		{Title: "已报送", Width: 8},
		{Title: "已完成", Width: 8},
		{Title: "进行中", Width: 8},
		{Title: "滞后", Width: 8},
		{Title: "未开始", Width: 8},
		{Title: "未报送", Width: 8},
		{Title: "完成率", Width: 10, Kind: KindPercent, Decimals: 1},
		{Title: "最近报送时间", Width: 18, Kind: KindTime},
	}}
	for _, a := range p.agencies {
		var last any
		if !a.LastReport.IsZero() {
			last = a.LastReport.In(chinaTime)
		}
		rate := 0.0
		if n := a.Pairs(); n > 0 {
			rate = float64(a.Done) / float64(n)
		}
		agencies.Rows = append(agencies.Rows, []any{
			a.Agency, a.Worst().String(), a.Lights[duban.LightRed], a.Lights[duban.LightYellow], a.Lights[duban.LightGreen],
			a.Responsible(), a.Lead, a.Joint, a.Reported(),
			a.Counts[duban.StatusDone], a.Counts[duban.StatusInProgress], a.Counts[duban.StatusDelayed],
			a.Counts[duban.StatusNotStarted], a.Counts[duban.StatusNone],
			rate, last,
		})
	}
	return []Sheet{rows, agencies}
}

// Export writes the export in the format ("csv" or "xlsx") to path,
// through a temporary file renamed into place so that a reader never sees
// half a file. It returns the file and the number of rows of its first
// sheet.
func (e *Engine) Export(ctx context.Context, format, path string) (*File, int, error) {
	e = e.atDefault(ctx)
	format = strings.ToLower(strings.TrimSpace(format))
	if !isExportFormat(format) {
		return nil, 0, duban.Errorf(duban.CodeInvalid, "不支持的导出格式“%s”(format)，可选：%s。", format, strings.Join(ExportFormats, "、"))
	}
	var rows int
	var write func(io.Writer) error
	if format == "png" {
		write = func(w io.Writer) (err error) {
			rows, err = e.chartExport(ctx, w)
			return err
		}
	} else {
		if e.cfg.Exporter == nil {
			return nil, 0, duban.Errorf(duban.CodeUnavailable, "抱歉，导出功能未启用 (export unavailable)。")
		}
		sheets, err := e.ExportSheets(ctx)
		if err != nil {
			return nil, 0, err
		}
		rows = len(sheets[0].Rows)
		write = func(w io.Writer) error { return e.cfg.Exporter.Write(w, format, sheets) }
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".duban-export-*")
	if err != nil {
		return nil, 0, duban.Errorf(duban.CodeInvalid, "无法在“%s”写入导出文件：%w", dir, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if err := write(tmp); err != nil {
		tmp.Close()
		return nil, 0, fmt.Errorf("write %s export: %w", format, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, 0, fmt.Errorf("sync export: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, 0, fmt.Errorf("close export: %w", err)
	}
	// The table holds every agency's reports: owner only, like the
	// database and its backups.
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return nil, 0, fmt.Errorf("export permissions: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, 0, duban.Errorf(duban.CodeInvalid, "无法写入导出文件“%s”：%w", path, err)
	}
	name := fmt.Sprintf("工作要点落实情况-%s.%s", e.now().In(chinaTime).Format("20060102"), format)
	if format == "png" {
		name = fmt.Sprintf("工作要点进度图-%s.png", e.now().In(chinaTime).Format("20060102"))
	}
	return &File{Path: path, Name: name, Format: format}, rows, nil
}

// ExportToDataDir writes the export in the format ("csv" or "xlsx"; empty
// means xlsx) to a new file in the data directory, named by the time.
func (e *Engine) ExportToDataDir(ctx context.Context, format string) (*File, int, error) {
	e = e.atDefault(ctx)
	if e.cfg.DataDir == "" {
		return nil, 0, duban.Errorf(duban.CodeInvalid, "抱歉，未配置数据目录 (data directory)，无法导出。")
	}
	if format == "" {
		format = ExportFormats[0]
	}
	if !isExportFormat(format) {
		return nil, 0, duban.Errorf(duban.CodeInvalid, "不支持的导出格式“%s”(format)，可选：%s，例如“导出 csv”。", format, strings.Join(ExportFormats, "、"))
	}
	if err := os.MkdirAll(e.cfg.DataDir, 0o700); err != nil {
		return nil, 0, fmt.Errorf("create data directory: %w", err)
	}
	base := "duban-export-" + e.now().In(chinaTime).Format("20060102-150405")
	path := filepath.Join(e.cfg.DataDir, base+"."+format)
	// Reserve the name by creating the file (exclusively: two exports in
	// the same second must not pick the same name); Export then renames
	// the finished file over it.
	for i := 2; ; i++ {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			f.Close()
			break
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, 0, fmt.Errorf("create export file: %w", err)
		}
		path = filepath.Join(e.cfg.DataDir, fmt.Sprintf("%s-%d.%s", base, i, format))
	}
	f, n, err := e.Export(ctx, format, path)
	if err != nil {
		os.Remove(path) // the empty reservation
		return f, n, err
	}
	if e.cfg.ReplaceExports {
		e.removeOlderExports(path, format)
	}
	return f, n, err
}

// removeOlderExports removes the exports of the format in the data
// directory other than keep.
func (e *Engine) removeOlderExports(keep, format string) {
	old, err := filepath.Glob(filepath.Join(e.cfg.DataDir, "duban-export-*."+format))
	if err != nil {
		return
	}
	for _, p := range old {
		if p == keep {
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			e.log.Warn("removing an older export", "file", filepath.Base(p), "err", err)
		}
	}
}

// exportChat answers 导出 in chat: the file goes into the data directory
// and the reply carries it (the console shows its path, the Slack adapter
// uploads it).
func (e *Engine) exportChat(ctx context.Context, format string) Reply {
	f, rows, err := e.ExportToDataDir(ctx, format)
	if err != nil {
		return e.officeError(err)
	}
	r := Reply{Intent: IntentExport, File: f,
		Title: fmt.Sprintf("已导出 %d 行（每个“工作-责任单位”组合一行，%s 格式）。", rows, f.Format)}
	if f.Format == "png" {
		r.Title = fmt.Sprintf("已导出进度图（%d 个单位的红黄绿灯与按周完成进度，PNG）。", rows)
		return r
	}
	if f.Format == "xlsx" {
		r.Note = "表格含三个工作表：“落实情况”（含红黄绿灯与截止日期）、“各单位汇总”和“进度图”。"
	} else {
		r.Note = "CSV 为 UTF-8 编码（带 BOM），可直接用 Excel 打开；各单位汇总请导出 xlsx。"
	}
	return r
}

func isExportFormat(f string) bool {
	for _, x := range ExportFormats {
		if f == x {
			return true
		}
	}
	return false
}
