package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"duban"
	"duban/bot"
	slackbot "duban/bot/slack"
	"duban/store"
)

// Both stores are what the engine and the Slack adapter use.
var (
	_ backend = (*store.Store)(nil)
	_ backend = (*store.EtcdStore)(nil)
)

// backend is an open store of either kind.
type backend interface {
	bot.Store
	bot.PlanStore
	slackbot.EventLog
	Close() error
}

// storeOptions choose and configure the store. The bbolt file in the data
// directory is the default and needs nothing; etcd lets several replicas
// of the bot share one store.
type storeOptions struct {
	kind      string // bbolt or etcd
	endpoints string
	ca, cert  string
	key       string
	user      string
	passFile  string
	prefix    string
	leaseTTL  time.Duration
}

func (o *storeOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.kind, "store", envOr("DUBAN_STORE", "bbolt"), "where reports are kept: bbolt (a file in the data directory, the default) or etcd (shared by several replicas)")
	fs.StringVar(&o.endpoints, "etcd-endpoints", os.Getenv("DUBAN_ETCD_ENDPOINTS"), "etcd members, comma-separated host:port or URLs (default $DUBAN_ETCD_ENDPOINTS)")
	fs.StringVar(&o.ca, "etcd-ca", os.Getenv("DUBAN_ETCD_CA"), "CA certificate (PEM) that signed the etcd members' certificates; turns on TLS")
	fs.StringVar(&o.cert, "etcd-cert", os.Getenv("DUBAN_ETCD_CERT"), "client certificate (PEM) for etcd")
	fs.StringVar(&o.key, "etcd-key", os.Getenv("DUBAN_ETCD_KEY"), "client private key (PEM) for etcd")
	fs.StringVar(&o.user, "etcd-user", os.Getenv("DUBAN_ETCD_USER"), "etcd user name (the password comes from $DUBAN_ETCD_PASSWORD or --etcd-password-file)")
	fs.StringVar(&o.passFile, "etcd-password-file", os.Getenv("DUBAN_ETCD_PASSWORD_FILE"), "file holding the etcd password")
	fs.StringVar(&o.prefix, "etcd-prefix", envOr("DUBAN_ETCD_PREFIX", store.DefaultPrefix), "key prefix of duban's keys in etcd")
	fs.DurationVar(&o.leaseTTL, "etcd-lease-ttl", store.DefaultLeaseTTL, "lease of the replica that runs scheduled work; another takes over within it when that one dies")
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// etcdOptions turns the flags into the etcd store's options; the
// password is read from the environment or a file, never from a flag.
func (o storeOptions) etcdOptions() (store.EtcdOptions, error) {
	eo := store.EtcdOptions{
		Endpoints: strings.Split(o.endpoints, ","), CAFile: o.ca, CertFile: o.cert, KeyFile: o.key,
		Username: o.user, Password: os.Getenv("DUBAN_ETCD_PASSWORD"), Prefix: o.prefix,
	}
	if o.passFile != "" {
		b, err := os.ReadFile(o.passFile)
		if err != nil {
			return eo, duban.Errorf(duban.CodeInvalid, "无法读取 etcd 密码文件 %s (--etcd-password-file): %w", o.passFile, err)
		}
		eo.Password = strings.TrimRight(string(b), "\r\n")
	}
	if eo.Password != "" && eo.Username == "" {
		return eo, duban.Errorf(duban.CodeInvalid, "给了 etcd 密码但没有用户名，请用 --etcd-user 或 DUBAN_ETCD_USER 指定 (password without user)")
	}
	return eo, nil
}

// openStore opens the store the options choose. The data directory
// (--data, else DUBAN_DATA, else $XDG_DATA_HOME/duban or
// ~/.local/share/duban) holds the bbolt file, and the exports of either
// kind. It returns the store and the data directory.
func openStore(o options) (backend, string, error) {
	dir, err := store.ResolveDir(o.data)
	if err != nil {
		return nil, "", err
	}
	switch o.store.kind {
	case "", "bbolt":
		st, err := store.Open(dir, store.Options{})
		if err != nil {
			return nil, "", err
		}
		return st, st.Dir(), nil
	case "etcd":
		eo, err := o.store.etcdOptions()
		if err != nil {
			return nil, "", err
		}
		st, err := store.OpenEtcd(context.Background(), eo)
		if err != nil {
			return nil, "", err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			st.Close()
			return nil, "", duban.Errorf(duban.CodeInternal, "无法创建数据目录 %s (cannot create data directory): %w", dir, err)
		}
		return st, dir, nil
	}
	return nil, "", usageError{fmt.Errorf("未知的存储 (unknown --store)：%s；可选 bbolt 或 etcd", o.store.kind)}
}

// scheduleGate returns what decides which process runs each slot of a
// scheduled job (--remind, --digest), and a function that releases it. On
// bbolt the process holding the file is the only one: it claims each slot
// in the store, so that a restart within the minute does not run it
// twice. On etcd the replicas elect one (store.Leader), which claims each
// slot in a transaction that checks it still leads.
func scheduleGate(ctx context.Context, a *app, o options, log *slog.Logger) (runGate, func()) {
	es, ok := a.store.(*store.EtcdStore)
	if !ok || (o.office.remind == "" && o.office.digest == "") {
		return storeGate{a}, func() {} // no replicas, or no scheduled work: no campaign
	}
	l := es.Campaign(ctx, "scheduled", a.engine.PlanID(), o.store.leaseTTL, log)
	return l, l.Close
}

// storeGate claims each slot in the store for the engine's plan.
type storeGate struct{ a *app }

// ClaimRun claims the slot (see store.Store.ClaimRun).
func (g storeGate) ClaimRun(ctx context.Context, job string, slot time.Time) (bool, error) {
	return g.a.claim(ctx, job, slot)
}

// runBackup is `duban backup [--data DIR] FILE`: a consistent copy of the
// database, taken from the running bot when one holds it; with --store
// etcd, a consistent export of duban's keys at one revision.
func runBackup(ctx context.Context, args []string, stdout io.Writer) error {
	var o options
	fs := newFlagSet("backup")
	o.register(fs)
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usageError{fmt.Errorf("请指定一个备份文件 (usage: duban backup FILE)：%s", strings.Join(files, " "))}
	}
	dir, err := store.ResolveDir(o.data)
	if err != nil {
		return err
	}
	if o.store.kind == "etcd" {
		st, _, err := openStore(o)
		if err != nil {
			return err
		}
		defer st.Close()
		n, err := store.ExportFile(ctx, st.(*store.EtcdStore), files[0], dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已导出到 %s（%d 条记录）\n", files[0], n)
		return nil
	}
	n, err := store.BackupDir(dir, files[0], store.DefaultTimeout)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已备份到 %s（%d 字节）\n", files[0], n)
	return nil
}

// runRestore is `duban restore FILE`: reads a backup (a bbolt copy or an
// etcd export) into the store the options choose, which must be empty.
func runRestore(ctx context.Context, args []string, stdout io.Writer) error {
	var o options
	fs := newFlagSet("restore")
	o.register(fs)
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usageError{fmt.Errorf("请指定一个备份文件 (usage: duban restore FILE)：%s", strings.Join(files, " "))}
	}
	dump, err := store.ReadBackup(files[0])
	if err != nil {
		return err
	}
	st, _, err := openStore(o)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := store.Restore(ctx, st, dump)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已从 %s 恢复 %d 条记录\n", files[0], n)
	return nil
}
