package index

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"duban"
	"duban/seeds"
)

// seedPlan returns the embedded seed plan.
// TODO(merge): duban.Parse once it is on main.
func seedPlan(t testing.TB) *duban.Plan {
	t.Helper()
	lineRe := regexp.MustCompile(`^(\d+)\.\s*(.*)$`)
	respRe := regexp.MustCompile(`[(（]([^()（）]*?)[)）]$`)
	var p duban.Plan
	for _, line := range strings.Split(string(seeds.Fujian2021), "\n") {
		m := lineRe.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		it := &duban.Item{Number: n, Text: m[2]}
		it.Body = it.Text
		if r := respRe.FindStringSubmatchIndex(it.Text); r != nil {
			it.Body = it.Text[:r[0]]
			resp := it.Text[r[2]:r[3]]
			if s, ok := strings.CutPrefix(strings.NewReplacer("∶", ":").Replace(resp), "牵头单位:"); ok {
				it.Lead = []string{s}
			} else {
				resp = regexp.MustCompile(`(等单位)?按(照)?职责落实$`).ReplaceAllString(resp, "")
				it.Joint = strings.Split(resp, "、")
			}
		}
		if i := strings.Index(it.Body, "。"); i > 0 {
			it.Title = it.Body[:i]
		}
		p.Items = append(p.Items, it)
	}
	if len(p.Items) != 71 {
		t.Fatalf("seed has %d items", len(p.Items))
	}
	return &p
}
