package main

import (
	"strings"
	"testing"
	"time"

	"duban"
)

// TestStaleThresholdInDaysAndWeeks: --stale takes days and weeks, refuses
// minutes, and the reply states the threshold it used (hardening 24).
func TestStaleThresholdInDaysAndWeeks(t *testing.T) {
	dir := t.TempDir()
	seedStore(t, dir, report(3, "省林业局", duban.StatusInProgress, duban.NoPercent, "五天前的进展", 5*24*time.Hour))
	for _, c := range []struct{ flag, want string }{
		{"14d", "14 天"}, {"2w", "14 天"}, {"2周", "14 天"}, {"36h", "36 小时"}, {"30", "30 天"},
	} {
		code, out, stderr := runCmd(t, "", "ask", "--data", dir, "--stale", c.flag, "未报送")
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("--stale %s: exit %d %s%s; want %q in the reply", c.flag, code, out, stderr, c.want)
		}
	}
	for _, bad := range []string{"1m", "30m", "0w"} {
		if code, _, stderr := runCmd(t, "", "ask", "--data", dir, "--stale", bad, "未报送"); code != 2 {
			t.Errorf("--stale %s: exit %d %q; want refused", bad, code, stderr)
		}
	}
}
