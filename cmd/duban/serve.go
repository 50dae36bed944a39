package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"

	"duban"
	"duban/bot"
	slackbot "duban/bot/slack"
)

// serveUsage describes `duban serve`.
const serveUsage = `duban serve [--http ADDR] [--data DIR] [--plan FILE] [--store etcd --etcd-endpoints H:P,...]

连接 Slack (connect to Slack):
  Socket Mode: 设置 SLACK_APP_TOKEN (xapp-…)，无需公网地址
  HTTP:        --http :8080 并设置 SLACK_SIGNING_SECRET；Slack 请求地址为
               https://你的域名/slack/events、/slack/commands、/slack/interactivity
  两种方式都需要 SLACK_BOT_TOKEN (xoxb-…)。SLACK_API_URL 可替换 Slack Web API 地址。
`

// serveConfig is what `duban serve` reads from its flags and environment.
type serveConfig struct {
	o        options
	httpAddr string
	slack    slackbot.Config
}

// parseServe reads the flags and the environment; it never echoes a
// token back.
func parseServe(args []string, getenv func(string) string) (serveConfig, error) {
	var c serveConfig
	fs := newFlagSet("serve")
	c.o.register(fs)
	fs.StringVar(&c.httpAddr, "http", "", "serve Slack's HTTP requests on this address (needs SLACK_SIGNING_SECRET)")
	if err := parseNoArgs(fs, args); err != nil {
		return c, err
	}
	c.slack = slackbot.Config{
		BotToken:      strings.TrimSpace(getenv("SLACK_BOT_TOKEN")),
		AppToken:      strings.TrimSpace(getenv("SLACK_APP_TOKEN")),
		SigningSecret: strings.TrimSpace(getenv("SLACK_SIGNING_SECRET")),
		APIURL:        strings.TrimSpace(getenv("SLACK_API_URL")),
	}
	if err := slackbot.CheckTokens(c.slack, c.httpAddr != ""); err != nil {
		return c, duban.Errorf(duban.CodeInvalid, "无法连接 Slack (cannot start): %w\n\n%s", err, serveUsage)
	}
	return c, nil
}

// runServe connects duban to Slack until SIGTERM or Ctrl-C, then finishes
// the handlers in flight and closes the store.
func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	c, err := parseServe(args, os.Getenv)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	slog.SetDefault(logger) // the engine logs through the default logger
	// Exports stay until the adapter has uploaded them, then it removes
	// each: one user's export must not remove another's before upload.
	c.o.office.keepExports = true
	w, err := open(c.o)
	if err != nil {
		return err
	}
	defer func() {
		if err := w.Close(); err != nil {
			logger.Error("closing the store", "err", err)
			return
		}
		logger.Info("store closed")
	}()
	engine, st := w.engine, w.store
	c.slack.Engine, c.slack.Events, c.slack.Logger = engine, st, logger
	a, err := slackbot.New(c.slack)
	if err != nil {
		return err
	}
	// Scheduled reminders (--remind) go out as DMs; stop waits for a
	// round in progress and runs before the store is closed. With several
	// replicas on etcd, one of them (elected) sends each round and each
	// 通报.
	gate, release := scheduleGate(ctx, w, c.o, logger)
	defer release()
	stop, err := startReminders(ctx, c.o.office.remind, gate, engine, a.SendReminders, logger)
	if err != nil {
		return err
	}
	defer stop()
	// The scheduled 通报 (--digest) goes to the office's channel.
	office := strings.TrimSpace(c.o.office.officeChannel)
	if c.o.office.digest != "" && office == "" {
		return duban.Errorf(duban.CodeInvalid, "--digest 需要办公室频道：请用 --office-channel 或 DUBAN_OFFICE_CHANNEL 指定 Slack 频道 ID (the digest needs a channel)")
	}
	stopDigest, err := startDigest(ctx, c.o.office.digest, gate, engine, func(ctx context.Context, r bot.Reply) error {
		return a.Publish(ctx, office, r)
	}, logger)
	if err != nil {
		return err
	}
	defer stopDigest()
	opt := slackbot.RunOptions{Socket: c.slack.AppToken != ""}
	if c.httpAddr != "" {
		ln, err := net.Listen("tcp", c.httpAddr)
		if err != nil {
			return duban.Errorf(duban.CodeInvalid, "无法监听 %s (cannot listen): %w", c.httpAddr, err)
		}
		opt.HTTP = ln
	}
	logger.Info("duban serve", "data", w.dataDir, "store", c.o.store.kind, "socket_mode", opt.Socket, "http", c.httpAddr)
	err = a.Run(ctx, opt)
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	if err != nil {
		return duban.Errorf(duban.CodeInternal, "Slack 连接中断 (slack): %w", err)
	}
	logger.Info("stopped")
	return nil
}
