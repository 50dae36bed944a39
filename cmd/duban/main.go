// Command duban is the duban supervision bot. With no subcommand it opens
// the console on the embedded plan; `duban ask` answers questions once;
// further subcommands serve Slack and maintain the data.
//
// Usage:
//
//	duban [--data DIR] [--as USER] [--plan FILE]          console
//	duban ask [--json] [--as USER] [--data DIR] [QUESTION] answer once (no QUESTION: one per line of stdin)
//	duban serve [--http ADDR] [--data DIR]                 connect to Slack (Socket Mode or HTTP)
//	duban backup [--data DIR] FILE                         consistent copy of the database, also while the bot runs
//	duban restore [--store etcd ...] FILE                  read a backup (bbolt copy or etcd export) into an empty store
//	duban export [--format csv|xlsx] [--out FILE]          write the progress table
//	duban bind --file roster.csv                           bind the users of a roster (user id, agency), all or none
//	duban plan add FILE [--id ID] [--title T] [--check]    add a plan document (kept in the data directory)
//	duban plan list                                        the plans loaded
//	duban help                                             this text
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"duban"
	"duban/bot/console"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usage is printed for `duban help` and on a flag error.
const usage = `duban — 督办助手 (supervision bot for the work plan)

用法 (usage):
  duban [--data DIR] [--as USER] [--plan FILE]            打开控制台 (console)
  duban ask [--json] [--as USER] [--data DIR] [问题]        回答一次；不给问题时逐行读取标准输入
  duban serve [--http ADDR] [--data DIR]                  连接 Slack (SLACK_BOT_TOKEN；SLACK_APP_TOKEN 或 SLACK_SIGNING_SECRET)
  duban backup [--data DIR] 文件                            备份数据库（机器人运行时也可以；--store etcd 时导出 etcd 中的数据）
  duban restore [--data DIR] 文件                           把备份（bbolt 副本或 etcd 导出）恢复到空的存储
  duban export [--format csv|xlsx|png] [--out FILE]      导出落实情况表或进度图 (export the table or the chart)
  duban bind --file 名单.csv                               按名单批量绑定用户和单位（表头：用户ID,单位；全部成功或全不绑定）
  duban plan add 文件 [--id 编号] [--title 标题] [--check]   导入计划文档（显示读到的条目和单位；--check 只检查不保存）
  duban plan list                                          列出已载入的计划
  duban help                                              显示本说明

通用参数 (flags, 可放在问题前后; -- 之后不再是参数):
  --stale 30d           超过多久未更新算未报送：天 (30, 30d, 30天)、周 (2w, 2周) 或小时 (36h)
  --remind "0 9 * * 1"  按计划发送提醒 (cron, 北京时间; 默认关闭)
  --notify-delayed admins|频道ID  有单位报告“滞后”时通知办公室（私信各管理员或发到频道；默认关闭）
  --public-summaries    汇总和导出对所有用户开放 (默认只对已绑定单位的用户和管理员)
  --keep-exports        保留每次导出的文件 (默认控制台每次导出替换同格式的旧文件)
  --round monthly:25    报送周期（每月25日，或 quarterly:25）; --warn-days 14 截止前几天亮黄灯; --escalate 3 本轮第几次提醒起同时催办
  --office-channel C123 办公室频道（审核、催办、通报发往此处）; --digest "0 9 * * 1" 按计划发布通报（含进度图）

存储 (store): 默认是数据目录中的 bbolt 文件；多个副本共用 etcd：
  --store etcd --etcd-endpoints host1:2379,host2:2379,host3:2379 [--etcd-ca ca.pem --etcd-cert c.pem --etcd-key k.pem] [--etcd-user U]

环境变量 (environment): DUBAN_DATA 数据目录, DUBAN_ADMINS 管理员用户ID(逗号分隔), DUBAN_NOTIFY_DELAYED 同 --notify-delayed,
  DUBAN_STORE, DUBAN_ETCD_ENDPOINTS, DUBAN_ETCD_CA, DUBAN_ETCD_CERT, DUBAN_ETCD_KEY, DUBAN_ETCD_USER, DUBAN_ETCD_PASSWORD
`

// run is main without the process: it returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	} else if i := wordAfterFlags(args, subcommands); i > 0 {
		// duban --data D ask Q: the flags before the subcommand are its own.
		cmd, args = args[i], append(slices.Clone(args[:i]), args[i+1:]...)
	}
	var err error
	switch cmd {
	case "", "console":
		err = runConsole(ctx, args, stdin, stdout)
	case "ask":
		err = runAsk(ctx, args, stdin, stdout)
	case "serve":
		err = runServe(ctx, args, stderr)
	case "backup":
		err = runBackup(ctx, args, stdout)
	case "restore":
		err = runRestore(ctx, args, stdout)
	case "export":
		err = runExport(ctx, args, stdout)
	case "plan", "plans":
		err = runPlan(ctx, args, stdout)
	case "bind":
		err = runBind(ctx, args, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "未知的子命令 (unknown command)：%s\n\n%s", cmd, usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "%v\n\n%s", err, usage)
			return 2
		}
		fmt.Fprintln(stderr, "duban:", duban.UserMessage(err))
		if duban.ErrorCode(err) == duban.CodeInternal {
			fmt.Fprintln(stderr, "detail:", err)
		}
		return 1
	}
	return 0
}

// subcommands are the words that name a subcommand.
var subcommands = []string{"console", "ask", "serve", "backup", "restore", "export", "bind", "plan", "help"}

// wordAfterFlags returns where one of words (a subcommand) stands after
// leading flags ("--data D ask Q", "--data D plan add F" for plan's add),
// or 0: the first argument that is neither a flag nor the value of the
// flag before it.
func wordAfterFlags(args, words []string) int {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return 0
		}
		if strings.HasPrefix(a, "-") {
			if !strings.Contains(a, "=") && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") && !isBoolFlag(a) {
				i++ // the flag's value
			}
			continue
		}
		if slices.Contains(words, a) {
			return i
		}
		return 0
	}
	return 0
}

// isBoolFlag reports whether a command-line flag takes no value.
func isBoolFlag(a string) bool {
	switch strings.TrimLeft(a, "-") {
	case "json", "public-summaries", "keep-exports":
		return true
	}
	return false
}

// usageError is a mistake in the command line.
type usageError struct{ error }

// options are the flags every subcommand shares.
type options struct {
	data   string
	as     string
	plan   string
	use    string        // --use: the loaded plan to answer from
	office officeOptions // --stale, --remind, --keep-exports, --public-summaries
	store  storeOptions  // --store, --etcd-*
}

func (o *options) register(fs *flag.FlagSet) {
	fs.StringVar(&o.data, "data", os.Getenv("DUBAN_DATA"), "data directory (default $DUBAN_DATA, else $XDG_DATA_HOME/duban or ~/.local/share/duban)")
	fs.StringVar(&o.as, "as", "", "act as this chat user id (default: the local operator, an admin)")
	fs.StringVar(&o.plan, "plan", "", "plan document to use instead of the embedded one")
	fs.StringVar(&o.use, "use", "", "answer from this loaded plan (its id or year) unless a message names another")
	o.office.register(fs)
	o.store.register(fs)
}

func (o *options) user() console.User {
	if o.as == "" {
		return console.User{ID: "local", Name: "本机操作员"}
	}
	return console.User{ID: o.as, Name: o.as}
}

func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags reads the flags wherever they stand, before or after the
// other arguments (`ask 第3条 --data D` reads --data as a flag; an
// unknown flag anywhere is a usage error), and returns the other
// arguments in order. "--" ends the flags: what follows is taken as it is.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{fmt.Errorf("参数有误 (bad flag)：%w", err)}
		}
		left := fs.Args()
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			return append(rest, left...), nil
		}
		i := 0
		for i < len(left) && !isFlagArg(left[i]) {
			i++
		}
		rest = append(rest, left[:i]...)
		if i == len(left) {
			return rest, nil
		}
		args = left[i:]
	}
}

// parseNoArgs is parseFlags for a command that takes flags alone: any
// other argument is refused.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError{fmt.Errorf("多余的参数 (unexpected arguments)：%s", strings.Join(rest, " "))}
	}
	return nil
}

// isFlagArg reports whether a command-line argument is a flag (or "--").
func isFlagArg(a string) bool { return len(a) > 1 && a[0] == '-' }

func runConsole(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	var o options
	fs := newFlagSet("duban")
	o.register(fs)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	app, err := open(o)
	if err != nil {
		return err
	}
	defer app.Close()
	out := &syncWriter{w: stdout} // the reminder schedule prints too
	gate, release := scheduleGate(ctx, app, o, nil)
	defer release()
	stop, err := startReminders(ctx, o.office.remind, gate, app.engine, printReminders(out), nil)
	if err != nil {
		return err
	}
	defer stop()
	stopDigest, err := startDigest(ctx, o.office.digest, gate, app.engine, printDigest(out), nil)
	if err != nil {
		return err
	}
	defer stopDigest()
	return console.Run(ctx, app.engine, o.user(), stdin, out)
}

func runAsk(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	var o options
	asJSON := false
	fs := newFlagSet("ask")
	o.register(fs)
	fs.BoolVar(&asJSON, "json", false, "one JSON object per answer: intent, items, agencies, text")
	question, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	app, err := open(o)
	if err != nil {
		return err
	}
	defer app.Close()
	if len(question) == 0 {
		return console.AskLines(ctx, app.engine, o.user(), stdin, asJSON, stdout)
	}
	return console.Ask(ctx, app.engine, o.user(), []string{strings.Join(question, " ")}, asJSON, stdout)
}
