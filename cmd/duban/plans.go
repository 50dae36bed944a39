package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"duban"
	"duban/bot"
	"duban/bot/console"
	"duban/seeds"
)

// loadPlans returns the plans the program serves, the default first: the
// shipped plans (seeds/, the default seed first) or, with --plan FILE,
// that document instead of them; then the plans the office added, kept in
// the store. A stored plan that no longer parses is skipped with a
// warning, so that one bad plan does not stop the bot.
func loadPlans(ctx context.Context, planFile string, st bot.PlanStore, log *slog.Logger) ([]*duban.Plan, error) {
	var plans []*duban.Plan
	taken := func(id string) bool {
		for _, p := range plans {
			if p.ID == id {
				return true
			}
		}
		return false
	}
	if planFile != "" {
		data, err := os.ReadFile(planFile)
		if err != nil {
			return nil, duban.Errorf(duban.CodeNotFound, "无法读取工作要点文件 (cannot read plan) %s: %w", filepath.Base(planFile), err)
		}
		p, err := duban.ParseWith(strings.NewReader(string(data)), duban.ParseOptions{})
		if err != nil {
			return nil, fmt.Errorf("parse plan: %w", err)
		}
		// Its reports are its own: the id comes from the file, never the
		// shipped plan's (a 2022 file must not count the 2021 reports).
		p.ID = duban.SuggestPlanID(p, planFile, func(id string) bool { return id == seeds.Default })
		plans = append(plans, p)
	} else {
		folders := []string{seeds.Default}
		for _, f := range seeds.Folders() {
			if f != seeds.Default {
				folders = append(folders, f)
			}
		}
		for _, f := range folders {
			p, err := duban.LoadPlan(seeds.FS, f)
			if err != nil {
				return nil, fmt.Errorf("shipped plan %s: %w", f, err)
			}
			plans = append(plans, p)
		}
	}
	if st == nil {
		return plans, nil
	}
	stored, err := st.StoredPlans(ctx)
	if err != nil {
		return nil, err
	}
	for _, src := range stored {
		if taken(src.ID) {
			log.Warn("a stored plan has the id of a loaded one; skipped", "plan", src.ID)
			continue
		}
		p, err := src.Parse()
		if err != nil {
			log.Warn("a stored plan no longer parses; skipped", "plan", src.ID, "err", err)
			continue
		}
		plans = append(plans, p)
	}
	return plans, nil
}

// planVerbs are the verbs of duban plan.
var planVerbs = []string{"add", "list", "ls"}

// runPlan is `duban plan add FILE` and `duban plan list`.
func runPlan(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError{errors.New("用法 (usage)：duban plan add 文件 [--id 编号] [--title 标题] [--aliases 单位别名文件] [--check]；duban plan list")}
	}
	if i := wordAfterFlags(args, planVerbs); i > 0 {
		// duban --data D plan add F: the flags before the verb are its own.
		args = append(append([]string{args[i]}, args[:i]...), args[i+1:]...)
	}
	switch args[0] {
	case "add":
		return runPlanAdd(ctx, args[1:], stdout)
	case "list", "ls":
		return runPlanList(ctx, args[1:], stdout)
	}
	return usageError{fmt.Errorf("未知的计划命令 (unknown plan command)：%s；可用 add、list", args[0])}
}

func runPlanAdd(ctx context.Context, args []string, stdout io.Writer) error {
	var o options
	var id, title, aliases string
	check := false
	fs := newFlagSet("plan add")
	o.register(fs)
	fs.StringVar(&id, "id", "", "the plan's id (lower-case letters, digits, hyphens; default: from the file name)")
	fs.StringVar(&title, "title", "", "the plan's title (default: the document's)")
	fs.StringVar(&aliases, "aliases", "", "the plan's own agency file (the format of lexicon/agencies.txt)")
	fs.BoolVar(&check, "check", false, "show what would be added; store nothing")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usageError{errors.New("请指定一个计划文档 (usage: duban plan add FILE [--id ID] [--title T])")}
	}
	data, err := readLimited(files[0], duban.MaxDocumentBytes)
	if err != nil {
		return err
	}
	in := bot.PlanImport{Name: filepath.Base(files[0]), ID: id, Title: title}
	if aliases != "" {
		if in.Agencies, err = readLimited(aliases, 1<<20); err != nil {
			return err
		}
	}
	a, err := openApp(o, false)
	if err != nil {
		return err
	}
	defer a.Close()
	u := o.user()
	r := a.engine.AddPlanNow(ctx, bot.Request{UserID: u.ID, UserName: u.Name, Channel: console.Channel, SourceID: console.NewSourceID()}, data, in, check)
	fmt.Fprintln(stdout, console.Render(r))
	if r.Intent == bot.IntentError {
		return duban.Errorf(duban.CodeInvalid, "计划未导入，没有做任何更改 (plan not added)")
	}
	return nil
}

func runPlanList(ctx context.Context, args []string, stdout io.Writer) error {
	var o options
	fs := newFlagSet("plan list")
	o.register(fs)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	a, err := openApp(o, false)
	if err != nil {
		return err
	}
	defer a.Close()
	u := o.user()
	r := a.engine.Handle(ctx, bot.Request{Text: "计划列表", UserID: u.ID, UserName: u.Name, Channel: console.Channel, SourceID: console.NewSourceID()})
	fmt.Fprintln(stdout, console.Render(r))
	return nil
}

// readLimited reads a file of at most limit bytes.
func readLimited(path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, duban.Errorf(duban.CodeNotFound, "无法读取文件 %s (cannot read file): %w", filepath.Base(path), err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, duban.Errorf(duban.CodeInvalid, "无法读取文件 %s (cannot read file): %w", filepath.Base(path), err)
	}
	if len(data) > limit {
		return nil, duban.Errorf(duban.CodeInvalid, "文件 %s 太大，最多 %d MiB (file too large)", filepath.Base(path), limit>>20)
	}
	return data, nil
}
