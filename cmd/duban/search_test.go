package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestAskSearch: a topic question through the wired program finds its
// item with the real index.
func TestAskSearch(t *testing.T) {
	code, out, errs := runCmd(t, "", "ask", "--json", "哪些工作涉及石墨烯")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var a struct {
		Intent string `json:"intent"`
		Items  []int  `json:"items"`
		Text   string `json:"text"`
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if a.Intent != "search" || len(a.Items) != 1 || a.Items[0] != 12 || !strings.Contains(a.Text, "【石墨烯】") {
		t.Errorf("answer %+v", a)
	}
}

// TestTrimpathBinaryRunsWithoutModuleCache builds duban with -trimpath and
// runs it with no module cache in sight: HOME, the cache directory and
// GOMODCACHE point to empty places, the working directory is elsewhere
// and, where the system allows a private mount namespace (unshare -m as
// root), an empty tmpfs is mounted over the real module cache for that
// process only. gojieba would look for its dictionaries in the module
// cache; duban must use the copies it carries.
func TestTrimpathBinaryRunsWithoutModuleCache(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	modcache, err := exec.Command(gobin, "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "duban")
	build := exec.Command(gobin, "build", "-trimpath", "-buildvcs=false", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -trimpath: %v\n%s", err, out)
	}
	home := filepath.Join(dir, "home")
	work := filepath.Join(dir, "work")
	for _, d := range []string{home, work} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{
		"PATH=/usr/bin:/bin",
		"HOME=" + home,
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"GOMODCACHE=" + filepath.Join(dir, "no-modcache"),
		"GOPATH=" + filepath.Join(dir, "no-gopath"),
	}
	args := []string{bin, "ask", "茶"}
	hidden := false
	if mc := strings.TrimSpace(string(modcache)); mc != "" {
		if _, err := exec.LookPath("unshare"); err == nil {
			probe := exec.Command("unshare", "-m", "sh", "-c", `mount -t tmpfs none "$1" && ! ls "$1"/github.com >/dev/null 2>&1`, "sh", mc)
			if probe.Run() == nil {
				args = []string{"unshare", "-m", "sh", "-c", `mount -t tmpfs none "$1" && shift && exec "$@"`, "sh", mc, bin, "ask", "茶"}
				hidden = true
			}
		}
	}
	if !hidden {
		t.Log("cannot mount over the module cache here (needs unshare -m); running with HOME, the cache and GOMODCACHE moved only")
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = env
	cmd.Dir = work
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	if !strings.Contains(string(out), "第30条") || !strings.Contains(string(out), "【茶】") {
		t.Errorf("duban ask 茶 without the module cache:\n%s", out)
	}
	// The dictionaries came from the binary into the new cache directory.
	m, _ := filepath.Glob(filepath.Join(home, ".cache", "duban", "jieba-*", "jieba.dict.utf8"))
	if len(m) != 1 {
		t.Errorf("dictionaries not written to the cache directory: %v", m)
	}
}
