package slack

import (
	"bytes"
	"strings"
	"testing"
)

func TestExportCommandUploadsIntoThread(t *testing.T) {
	h := start(t, false)
	const ts = "1700010000.000100"
	h.event("EvExport", mention(adminUser, "导出 csv", ts))
	waitFor(t, "the upload", func() bool {
		h.slack.mu.Lock()
		defer h.slack.mu.Unlock()
		return len(h.slack.completed) == 1
	})
	h.slack.mu.Lock()
	u := *h.slack.completed[0]
	h.slack.mu.Unlock()
	if u.Channel != "C1" || u.Thread != ts {
		t.Errorf("uploaded to %s/%s, want C1 thread %s", u.Channel, u.Thread, ts)
	}
	if !strings.HasSuffix(u.Name, ".csv") || !bytes.HasPrefix(u.Data, []byte("\ufeff序号,工作要点,单位")) {
		t.Errorf("upload %q starts %q, want the CSV with its BOM and header", u.Name, u.Data[:min(len(u.Data), 40)])
	}
	// One row per (item, responsible agency) plus the header.
	rows := 0
	for _, it := range testPlan().Items {
		rows += len(it.Lead) + len(it.Joint)
	}
	if got := bytes.Count(u.Data, []byte("\n")); got < rows+1 {
		t.Errorf("CSV has %d lines, want at least %d", got, rows+1)
	}
}

func TestRemindCommandSendsDirectMessages(t *testing.T) {
	h := start(t, false)
	h.bind("UA", "省林业局")
	h.bind("UB", "省教育厅")
	const ts = "1700011000.000100"
	h.event("EvRemind", mention(adminUser, "提醒", ts))
	waitFor(t, "the reminders", func() bool {
		for _, p := range h.slack.postsSnapshot() {
			if strings.Contains(p.Text, "已私信提醒") {
				return true
			}
		}
		return false
	})
	dms := map[string]string{}
	for _, p := range h.slack.postsSnapshot() {
		if strings.HasPrefix(p.Channel, "D") {
			dms[p.Channel] = p.Text
		}
	}
	if len(dms) != 2 || !strings.Contains(dms["DUA"], "省林业局") || !strings.Contains(dms["DUB"], "省教育厅") {
		t.Errorf("DMs = %v, want one to each bound user naming their agency", dms)
	}
	// A user who is not an admin cannot send reminders.
	h.event("EvRemind2", mention("UA", "提醒", "1700011001.000100"))
	waitFor(t, "the refusal", func() bool {
		for _, p := range h.slack.postsSnapshot() {
			if p.Thread == "1700011001.000100" {
				return true
			}
		}
		return false
	})
	n := 0
	for _, p := range h.slack.postsSnapshot() {
		if strings.HasPrefix(p.Channel, "D") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d DMs after a non-admin's 提醒, want still 2", n)
	}
}
