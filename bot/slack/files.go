package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"duban"
	"duban/bot"
)

// This file receives the files people send the bot. It reads two kinds:
// a roster, a CSV of user ids and agencies that an admin uploads in a DM
// with the bot (or with an @mention), which binds all its users at once
// (bot.Engine.BindRoster; the same as `duban bind --file`); and a plan
// document, a text file an admin sends to import a plan (bot.Engine.
// ImportPlan: a preview, stored once the admin confirms). It needs the
// files:read scope and the file_shared event (manifest.yml). The file is
// downloaded with the bot token from its private URL, which slack-go only
// sends to Slack's own hosts or the configured API URL.

// errTooLarge stops a download that exceeds the roster limit.
var errTooLarge = errors.New("file too large")

// capWriter keeps what is written up to max bytes and refuses more.
type capWriter struct {
	buf bytes.Buffer
	max int
}

func (w *capWriter) Write(p []byte) (int, error) {
	if w.buf.Len()+len(p) > w.max {
		return 0, errTooLarge
	}
	return w.buf.Write(p)
}

// isPlanDocument reports whether a file is a text file the bot can read
// as a plan document.
func isPlanDocument(f slack.File) bool {
	n := strings.ToLower(f.Name)
	return strings.HasSuffix(n, ".txt") || f.Filetype == "text" || f.Mimetype == "text/plain"
}

// isRoster reports whether a file is a CSV the bot can read as a roster.
func isRoster(f slack.File) bool {
	return strings.HasSuffix(strings.ToLower(f.Name), ".csv") || f.Filetype == "csv" || f.Mimetype == "text/csv"
}

// receiveFiles answers the files of a message event once per event and
// once per file.
func (a *Adapter) receiveFiles(ctx context.Context, eventID, user string, files []slack.File, to where) {
	ok, err := a.begin(ctx, eventID)
	if err != nil || !ok {
		return
	}
	failed := false
	for _, f := range files {
		if !a.receiveFile(ctx, user, f, to) {
			failed = true
		}
	}
	if failed {
		a.end(eventID) // Slack's retry tries again
		return
	}
	a.finish(ctx, eventID)
}

// receiveSharedFile answers a file_shared event: the file's details come
// from files.info, asked only when the file is neither answered nor being
// answered (its message event usually comes first).
func (a *Adapter) receiveSharedFile(ctx context.Context, eventID, user, fileID string, to where) {
	ok, err := a.begin(ctx, eventID)
	if err != nil || !ok {
		return
	}
	key := "file:" + fileID
	mine, err := a.begin(ctx, key)
	if err != nil {
		a.end(eventID)
		return
	}
	if !mine { // handled already, or being handled
		a.finish(ctx, eventID)
		return
	}
	var f *slack.File
	err = a.retry(ctx, func() error {
		var err error
		f, _, _, err = a.api.GetFileInfoContext(ctx, fileID, 0, 0)
		return err
	})
	if err != nil {
		a.log.Error("slack: files.info", "file", fileID, "err", err)
		a.end(key)
		a.end(eventID)
		return
	}
	if !a.answerFile(ctx, user, *f, to, key) {
		a.end(eventID)
		return
	}
	a.finish(ctx, eventID)
}

// receiveFile answers one file, once by its id. It reports false when the
// answer could not be posted (the event is then processed again).
func (a *Adapter) receiveFile(ctx context.Context, user string, f slack.File, to where) bool {
	key := "file:" + f.ID
	ok, err := a.begin(ctx, key)
	if err != nil {
		return false
	}
	if !ok {
		return true // handled already, or being handled
	}
	return a.answerFile(ctx, user, f, to, key)
}

// answerFile answers a file whose claim (key) the caller holds, and
// finishes the claim, or gives it up when the answer could not be posted.
func (a *Adapter) answerFile(ctx context.Context, user string, f slack.File, to where, key string) bool {
	r := a.fileReply(ctx, user, f, to)
	if err := a.deliver(ctx, to, r); err != nil {
		a.log.Error("slack: answering a file", "file", f.ID, "err", err)
		a.end(key)
		return false
	}
	a.finish(ctx, key)
	return true
}

// fileReply reads a roster file and binds its users, or a plan document
// and shows what it holds, or says why not.
func (a *Adapter) fileReply(ctx context.Context, user string, f slack.File, to where) bot.Reply {
	if isPlanDocument(f) && !isRoster(f) {
		return a.planFileReply(ctx, user, f, to)
	}
	if !isRoster(f) {
		return bot.Reply{Intent: bot.IntentHelp,
			Title: fmt.Sprintf("收到文件“%s”。我读取两种文件：用户名单（CSV 文件，第一行表头“用户ID,单位”，之后每行一位用户，管理员用来批量绑定）和计划文档（UTF-8 文本 .txt，管理员用来导入计划）。", f.Name)}
	}
	if f.Size > bot.MaxRosterBytes {
		return bot.Reply{Intent: bot.IntentError, Title: fmt.Sprintf("名单文件太大（%d 字节），最多 %d 字节。", f.Size, bot.MaxRosterBytes)}
	}
	url := f.URLPrivateDownload
	if url == "" {
		url = f.URLPrivate
	}
	if url == "" {
		return bot.Reply{Intent: bot.IntentError, Title: "无法读取这个文件（没有下载地址），请重新上传。"}
	}
	w := &capWriter{max: bot.MaxRosterBytes}
	err := a.retry(ctx, func() error {
		w.buf.Reset()
		return a.api.GetFileContext(ctx, url, w)
	})
	switch {
	case errors.Is(err, errTooLarge):
		return bot.Reply{Intent: bot.IntentError, Title: fmt.Sprintf("名单文件太大，最多 %d 字节。", bot.MaxRosterBytes)}
	case err != nil:
		a.log.Error("slack: downloading a file", "file", f.ID, "err", err)
		return bot.Reply{Intent: bot.IntentError, Title: "抱歉，无法下载这个文件，请稍后重新上传 (download failed)。"}
	}
	req := bot.Request{UserID: user, UserName: a.names.Name(ctx, a, user), Channel: to.channel, SourceID: "file:" + f.ID, Time: time.Now()}
	return a.engine.BindRoster(ctx, req, f.Name, w.buf.Bytes())
}

// planFileReply downloads a plan document and asks the engine to import
// it: the preview, and a question the admin confirms.
func (a *Adapter) planFileReply(ctx context.Context, user string, f slack.File, to where) bot.Reply {
	if f.Size > duban.MaxDocumentBytes {
		return bot.Reply{Intent: bot.IntentError, Title: fmt.Sprintf("计划文档太大（%d 字节），最多 %d MiB。", f.Size, duban.MaxDocumentBytes>>20)}
	}
	url := f.URLPrivateDownload
	if url == "" {
		url = f.URLPrivate
	}
	if url == "" {
		return bot.Reply{Intent: bot.IntentError, Title: "无法读取这个文件（没有下载地址），请重新上传。"}
	}
	w := &capWriter{max: duban.MaxDocumentBytes}
	err := a.retry(ctx, func() error {
		w.buf.Reset()
		return a.api.GetFileContext(ctx, url, w)
	})
	switch {
	case errors.Is(err, errTooLarge):
		return bot.Reply{Intent: bot.IntentError, Title: fmt.Sprintf("计划文档太大，最多 %d MiB。", duban.MaxDocumentBytes>>20)}
	case err != nil:
		a.log.Error("slack: downloading a file", "file", f.ID, "err", err)
		return bot.Reply{Intent: bot.IntentError, Title: "抱歉，无法下载这个文件，请稍后重新上传 (download failed)。"}
	}
	req := bot.Request{UserID: user, UserName: a.names.Name(ctx, a, user), Channel: to.channel, SourceID: "file:" + f.ID, Time: time.Now()}
	return a.engine.ImportPlan(ctx, req, w.buf.Bytes(), bot.PlanImport{Name: f.Name})
}
