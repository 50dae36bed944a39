package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"duban/bot"
	"duban/store"
)

// The bbolt store is the one the engine uses.
var _ bot.Store = (*store.Store)(nil)

// openStore opens the store in the data directory: --data, else
// DUBAN_DATA, else $XDG_DATA_HOME/duban or ~/.local/share/duban.
func openStore(data string) (*store.Store, error) {
	dir, err := store.ResolveDir(data)
	if err != nil {
		return nil, err
	}
	return store.Open(dir, store.Options{})
}

// runBackup is `duban backup [--data DIR] FILE`: a consistent copy of the
// database, taken from the running bot when one holds it.
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
	n, err := store.BackupDir(dir, files[0], store.DefaultTimeout)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已备份到 %s（%d 字节）\n", files[0], n)
	return nil
}
