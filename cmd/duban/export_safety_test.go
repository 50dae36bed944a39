package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"duban"
	"duban/store"
)

// TestExportRefusesDubanFiles: `duban export --out` never writes over the
// database or the control socket, of its own data directory or of a
// running bot's (hardening 1).
func TestExportRefusesDubanFiles(t *testing.T) {
	dir := t.TempDir()
	seedStore(t, dir, report(3, "省林业局", duban.StatusInProgress, 40, "已建设森林步道120公里", time.Hour))
	running := t.TempDir()
	bot, err := store.Open(running, store.Options{}) // holds the database and listens on the socket
	if err != nil {
		t.Fatal(err)
	}
	defer bot.Close()
	for _, out := range []string{
		filepath.Join(dir, store.FileName),
		filepath.Join(dir, store.SocketName),
		filepath.Join(running, store.FileName),
		filepath.Join(running, store.SocketName),
	} {
		code, stdout, stderr := runCmd(t, "", "export", "--data", dir, "--out", out)
		if code == 0 || !strings.Contains(stderr, "不能写入") {
			t.Errorf("export --out %s: exit %d\n%s%s; want refused", out, code, stdout, stderr)
		}
	}
	st, err := store.Open(dir, store.Options{NoSocket: true})
	if err != nil {
		t.Fatalf("the database no longer opens after the refused exports: %v", err)
	}
	defer st.Close()
	if h, err := st.History(ctx, "fujian-2021-quality", 3); err != nil || len(h) != 1 {
		t.Errorf("history after the refused exports: %v, %v", h, err)
	}
	if n, err := bot.Count(ctx); err != nil || n != 0 {
		t.Errorf("the running bot's database: %d reports, %v", n, err)
	}
}

// TestExportFilesAreOwnerOnly: exports hold every agency's reports: they
// are written 0600 like the database and backups, wherever they go
// (hardening 12).
func TestExportFilesAreOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	seedStore(t, dir, report(3, "省林业局", duban.StatusInProgress, 40, "已建设森林步道120公里", time.Hour))
	outside := filepath.Join(t.TempDir(), "表.xlsx")
	if code, _, stderr := runCmd(t, "", "export", "--data", dir, "--out", outside); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	if code, _, stderr := runCmd(t, "", "export", "--data", dir, "--format", "csv"); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	inside, _ := filepath.Glob(filepath.Join(dir, "duban-export-*.csv"))
	for _, p := range append(inside, outside) {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", p, fi.Mode().Perm())
		}
	}
}
