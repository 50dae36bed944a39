package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"duban"
	"duban/bot"
	"duban/bot/chart"
	"duban/bot/export"
	"duban/store"
)

// officeOptions are the flags of the office's summaries, exports,
// reminders and supervision.
type officeOptions struct {
	stale           staleFlag
	remind          string
	notifyDelayed   string
	digest          string      // cron schedule of the 通报
	round           cadenceFlag // reporting rounds
	warnDays        int         // yellow this many days before a deadline
	escalate        int         // the reminder in a round that also goes to the office
	officeChannel   string      // where review requests, 催办 and the 通报 go
	keepExports     bool        // every export is kept (else each replaces the older)
	publicSummaries bool        // 汇总 and 导出 for every user
}

func (o *officeOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.notifyDelayed, "notify-delayed", os.Getenv("DUBAN_NOTIFY_DELAYED"),
		`announce a report of 滞后 to the office: "admins" (a direct message to every admin) or a Slack channel id; off when empty (default $DUBAN_NOTIFY_DELAYED)`)
	o.stale = staleFlag(30 * 24 * time.Hour)
	fs.Var(&o.stale, "stale", "a report older than this counts as missing for 未报送 and 提醒: days (30, 30d, 30天), weeks (2w, 2周) or hours (36h)")
	fs.StringVar(&o.remind, "remind", "", `send reminders on this cron schedule, in China time (e.g. "0 9 * * 1" = Mondays 09:00); off when empty`)
	fs.StringVar(&o.digest, "digest", "", `post the 通报 (weekly digest with its chart) on this cron schedule, in China time, to --office-channel; off when empty`)
	fs.Var(&o.round, "round", `reporting rounds: monthly:25 (due on the 25th of every month) or quarterly:25 (of March, June, September, December); the office may change them in chat (报送周期)`)
	fs.IntVar(&o.warnDays, "warn-days", duban.DefaultWarnDays, "a pair not done turns yellow this many days before its deadline")
	fs.IntVar(&o.escalate, "escalate", bot.DefaultEscalate, "the reminder in a round from which the office is told too (催办); 0 never")
	fs.StringVar(&o.officeChannel, "office-channel", os.Getenv("DUBAN_OFFICE_CHANNEL"), "the office's Slack channel id: review requests, 催办 and the scheduled 通报 go there (default $DUBAN_OFFICE_CHANNEL)")
	fs.BoolVar(&o.keepExports, "keep-exports", false, "keep every export in the data directory (default: each 导出 replaces the older file of its format; serve always keeps them until uploaded)")
	fs.BoolVar(&o.publicSummaries, "public-summaries", false, "let every user have 汇总 and 导出 (default: users bound to an agency and admins only)")
}

// cadenceFlag is the --round flag.
type cadenceFlag struct{ c duban.Cadence }

func (f *cadenceFlag) String() string { return f.c.String() }

func (f *cadenceFlag) Set(v string) error {
	c, err := duban.ParseCadence(v)
	if err != nil {
		return fmt.Errorf("%s", duban.UserMessage(err))
	}
	f.c = c
	return nil
}

// staleFlag is the stale limit: days (30, 30d, 30天), weeks (2w, 2周) or a
// Go duration of at least an hour (36h). Minutes are refused: "1m" is a
// minute to Go but reads as a month, and reports are not counted in
// minutes.
type staleFlag time.Duration

func (s *staleFlag) String() string {
	d := time.Duration(*s)
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	return d.String()
}

func (s *staleFlag) Set(v string) error {
	v = strings.TrimSpace(v)
	unit, num := 24*time.Hour, v
	for _, suf := range []struct {
		s string
		d time.Duration
	}{{"天", 24 * time.Hour}, {"d", 24 * time.Hour}, {"周", 7 * 24 * time.Hour}, {"w", 7 * 24 * time.Hour}} {
		if n, ok := strings.CutSuffix(v, suf.s); ok {
			unit, num = suf.d, n
			break
		}
	}
	if n, err := strconv.Atoi(strings.TrimSpace(num)); err == nil {
		if d := time.Duration(n) * unit; n < 1 || d > 3660*24*time.Hour {
			return fmt.Errorf("应在 1 天到 3660 天之间 (out of range): %s", v)
		}
		*s = staleFlag(time.Duration(n) * unit)
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Hour {
		return fmt.Errorf("应为天数、周数或至少 1 小时的时长，例如 30、30d、2w 或 36h；“1m”是 1 分钟，一个月请写 30d (days, weeks or hours): %s", v)
	}
	*s = staleFlag(d)
	return nil
}

// wireOffice completes the engine's configuration for the office's
// commands: the export writer and the stale limit. (open sets the store
// and the data directory that exports go to.)
func wireOffice(cfg *bot.Config, o options) {
	cfg.Exporter = export.Writer{}
	cfg.Charter = chart.Drawer{}
	cfg.Stale = time.Duration(o.office.stale)
	cfg.NotifyDelayed = strings.TrimSpace(o.office.notifyDelayed)
	escalate := o.office.escalate
	if escalate == 0 {
		escalate = -1 // the flag's 0 is never; the engine's 0 is the default
	}
	cfg.Supervision = bot.Supervision{
		WarnDays: o.office.warnDays, Cadence: o.office.round.c, Escalate: escalate,
		OfficeChannel: strings.TrimSpace(o.office.officeChannel),
	}
	cfg.ReplaceExports = !o.office.keepExports
	cfg.PublicSummaries = o.office.publicSummaries
}

// runExport is `duban export [--format csv|xlsx] [--out FILE]`: the table
// 导出 gives in chat, written to FILE (default: a new file in the data
// directory). The format defaults to the extension of FILE, else xlsx.
func runExport(ctx context.Context, args []string, stdout io.Writer) error {
	var o options
	var format, out string
	fs := newFlagSet("export")
	o.register(fs)
	fs.StringVar(&format, "format", "", "csv, xlsx or png (the chart) (default: from --out's extension, else xlsx)")
	fs.StringVar(&out, "out", "", "file to write (default: a new file in the data directory)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), ".")
		if format != "csv" && format != "png" {
			format = "xlsx"
		}
	}
	format = strings.ToLower(format)
	if format != "csv" && format != "xlsx" && format != "png" {
		return usageError{fmt.Errorf("不支持的导出格式 (unsupported format)：%s，可选 csv、xlsx 或 png", format)}
	}
	if out != "" {
		// Never over the database or the socket, of this data directory
		// or of a running bot's: the rename would replace a live file.
		dir, err := store.ResolveDir(o.data)
		if err != nil {
			return err
		}
		if err := store.CheckOutput(out, dir); err != nil {
			return err
		}
	}
	a, err := openApp(o, false) // the table needs no search
	if err != nil {
		return err
	}
	defer a.Close()
	var f *bot.File
	var rows int
	if out == "" {
		f, rows, err = a.engine.ExportToDataDir(ctx, format)
	} else {
		f, rows, err = a.engine.Export(ctx, format, out)
	}
	if err != nil {
		return err
	}
	if format == "png" {
		fmt.Fprintf(stdout, "已导出进度图（%d 个单位）(chart)：%s\n", rows, f.Path)
		return nil
	}
	fmt.Fprintf(stdout, "已导出 %d 行 (rows)：%s\n", rows, f.Path)
	return nil
}
