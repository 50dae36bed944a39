package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"duban"
	"duban/bot"
	"duban/bot/console"
)

// runBind is `duban bind --file roster.csv`: binds every user of a roster
// (a header row, then user id and agency per row; UTF-8 with or without a
// BOM), all or none, and names every bad row by its line number. It acts
// as the local operator (an admin) unless --as says otherwise.
func runBind(ctx context.Context, args []string, stdout io.Writer) error {
	var o options
	file := ""
	fs := newFlagSet("bind")
	o.register(fs)
	fs.StringVar(&file, "file", "", "roster CSV: a header row, then user id and agency on each row")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if file == "" || len(rest) > 0 {
		return usageError{errors.New("用法 (usage)：duban bind --file 名单.csv（第一行表头：用户ID,单位）")}
	}
	data, err := readRoster(file)
	if err != nil {
		return err
	}
	app, err := openApp(o, false)
	if err != nil {
		return err
	}
	defer app.Close()
	u := o.user()
	r := app.engine.BindRoster(ctx, bot.Request{UserID: u.ID, UserName: u.Name, Channel: console.Channel, SourceID: console.NewSourceID()},
		filepath.Base(file), data)
	fmt.Fprintln(stdout, console.Render(r))
	if r.Intent == bot.IntentError {
		return duban.Errorf(duban.CodeInvalid, "名单未导入 (roster not bound)")
	}
	return nil
}

// readRoster reads a roster file of at most bot.MaxRosterBytes.
func readRoster(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, duban.Errorf(duban.CodeNotFound, "无法读取名单文件 %s (cannot read roster): %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, bot.MaxRosterBytes+1))
	if err != nil {
		return nil, duban.Errorf(duban.CodeInvalid, "无法读取名单文件 %s (cannot read roster): %w", path, err)
	}
	return data, nil
}
