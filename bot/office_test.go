package bot_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"duban"
	"duban/bot"
	"duban/bot/console"
	"duban/bot/export"
	"duban/store"
)

// The tests below store reports in a real bbolt file and check what the
// office's commands say against figures computed here, independently,
// from the stored history (Store.History, newest first), never from the
// summaries' own code.

var officeZone = duban.ChinaTime()

// officeNow is the clock of the office tests: 10 June 2021, noon in China,
// 204 days before the feedback deadline.
var officeNow = time.Date(2021, 6, 10, 12, 0, 0, 0, officeZone)

const officeAdminID = "UADMIN"

type office struct {
	eng     *bot.Engine
	st      *store.Store
	plan    *duban.Plan
	dataDir string
}

func newOffice(t testing.TB, stale time.Duration) *office {
	t.Helper()
	dir := t.TempDir()
	// NoSync keeps seeding fast; durability is the store's own tests' concern.
	st, err := store.Open(filepath.Join(dir, "db"), store.Options{Now: func() time.Time { return officeNow }, NoSocket: true, NoSync: true})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	o := &office{st: st, plan: seedPlan(t), dataDir: filepath.Join(dir, "data")}
	// These tests are about what the office's commands say; who may ask
	// for them is TestSummaryAccess's concern.
	o.eng = bot.New(bot.Config{
		Plan: o.plan, Store: st, Admins: []string{officeAdminID}, DataDir: o.dataDir,
		Exporter: export.Writer{}, Stale: stale, Now: func() time.Time { return officeNow },
		PublicSummaries: true,
	})
	return o
}

func (o *office) ask(t testing.TB, user, text string) bot.Reply {
	t.Helper()
	return o.eng.Handle(context.Background(), bot.Request{Text: text, UserID: user, Channel: "test", SourceID: fmt.Sprintf("%s-%d", text, time.Now().UnixNano())})
}

// seedReports stores a varied history: for the pair at index i of the
// plan's responsibilities, i%5 reports (so a fifth have none), statuses
// and percents varying, some reports more than 30 days old, and for some
// pairs the newest report retracted.
func seedReports(t testing.TB, o *office) {
	t.Helper()
	ctx := context.Background()
	statuses := []duban.Status{duban.StatusNotStarted, duban.StatusInProgress, duban.StatusDone, duban.StatusDelayed}
	i := 0
	for _, it := range o.plan.Items {
		for _, agency := range append(append([]string{}, it.Lead...), it.Joint...) {
			n := i % 5
			for k := 0; k < n; k++ {
				// Older reports first; the last one is 1 to 60 days old.
				age := time.Duration(60-(i*7)%60) * 24 * time.Hour
				when := officeNow.Add(-age - time.Duration(n-k)*time.Hour)
				pct := duban.NoPercent
				if (i+k)%3 != 0 {
					pct = (i*13 + k*7) % 101
				}
				author := fmt.Sprintf("U%d", i%4)
				u := duban.Update{
					Plan: "fujian-2021-quality", Item: it.Number, Agency: agency, AuthorID: author, AuthorName: "报送人" + author,
					Status: statuses[(i+k)%4], Percent: pct, Time: when,
					Text:    fmt.Sprintf("第%d条%s第%d次报送：已完成年度目标的部分工作，持续推进中", it.Number, agency, k+1),
					Channel: "test", SourceID: fmt.Sprintf("seed-%d-%d", i, k),
				}
				if _, _, err := o.st.AddUpdate(ctx, u); err != nil {
					t.Fatalf("add update: %v", err)
				}
				if k == n-1 && n >= 2 && i%3 == 0 {
					if _, err := o.st.Retract(ctx, author, fmt.Sprintf("retract-%d", i), when.Add(time.Minute)); err != nil {
						t.Fatalf("retract: %v", err)
					}
				}
			}
			i++
		}
	}
}

// wantPair is what the test expects of one (item, responsible agency) pair.
type wantPair struct {
	item   int
	agency string
	role   string
	latest *duban.Update
}

// expectedPairs reads every item's history from the store and keeps, per
// responsible agency, the newest report that is not retracted.
func expectedPairs(t testing.TB, o *office) []wantPair {
	t.Helper()
	var out []wantPair
	for _, it := range o.plan.Items {
		hist, err := o.st.History(context.Background(), "fujian-2021-quality", it.Number)
		if err != nil {
			t.Fatal(err)
		}
		add := func(agency, role string) {
			p := wantPair{item: it.Number, agency: agency, role: role}
			for _, u := range hist { // newest first
				if u.Agency == agency && !u.Retracted {
					u := u
					p.latest = &u
					break
				}
			}
			out = append(out, p)
		}
		for _, a := range it.Lead {
			add(a, "牵头")
		}
		for _, a := range it.Joint {
			add(a, "按职责落实")
		}
	}
	return out
}

// lightOf is the light a pair must show at officeNow under the default
// rules (no rounds, no review, the year-end deadline 204 days away, 30 days
// stale), worked out by hand: done is green, 滞后 red, no report or one
// older than 30 days yellow, anything else green; and why.
func lightOf(p wantPair) (string, string) {
	switch {
	case p.latest == nil:
		return "黄灯", "尚未报送"
	case p.latest.Status == duban.StatusDone:
		return "绿灯", "已完成"
	case p.latest.Status == duban.StatusDelayed:
		return "红灯", "报送滞后"
	case officeNow.Sub(p.latest.Time) > 30*24*time.Hour:
		return "黄灯", "超过 30 天未更新"
	}
	return "绿灯", "进展正常"
}

var lightEmoji = map[string]string{"红灯": "🔴", "黄灯": "🟡", "绿灯": "🟢"}

func statusOf(p wantPair) string {
	if p.latest == nil {
		return "未报送"
	}
	return map[duban.Status]string{duban.StatusNotStarted: "未开始", duban.StatusInProgress: "进行中",
		duban.StatusDone: "已完成", duban.StatusDelayed: "滞后"}[p.latest.Status]
}

func replyField(t testing.TB, r bot.Reply, label string) string {
	t.Helper()
	for _, s := range r.Sections {
		for _, f := range s.Fields {
			if f.Label == label {
				return f.Value
			}
		}
	}
	t.Fatalf("reply has no replyField %q:\n%s", label, r.PlainText())
	return ""
}

func replyLines(s string) []string { return strings.Split(strings.TrimRight(s, "\n"), "\n") }

func TestSummaryFigures(t *testing.T) {
	o := newOffice(t, 0)
	seedReports(t, o)
	want := expectedPairs(t, o)

	counts := map[string]int{}
	type agg struct {
		responsible, reported, done, delayed int
		lights                               map[string]int
	}
	agencies := map[string]*agg{}
	lights := map[string]int{}
	for _, p := range want {
		st := statusOf(p)
		counts[st]++
		a := agencies[p.agency]
		if a == nil {
			a = &agg{lights: map[string]int{}}
			agencies[p.agency] = a
		}
		l, _ := lightOf(p)
		a.lights[l]++
		lights[l]++
		a.responsible++
		if p.latest != nil {
			a.reported++
		}
		if st == "已完成" {
			a.done++
		}
		if st == "滞后" {
			a.delayed++
		}
	}
	if counts["未报送"] == 0 || counts["已完成"] == 0 || counts["滞后"] == 0 {
		t.Fatalf("seed too uniform: %v", counts)
	}

	for _, q := range []string{"汇总", "summary", "汇总一下", "进展汇总？"} {
		r := o.ask(t, "U9", q)
		if r.Intent != bot.IntentSummary {
			t.Fatalf("%q: intent %q, want summary: %s", q, r.Intent, r.PlainText())
		}
		for _, st := range []string{"已完成", "进行中", "滞后", "未开始", "未报送"} {
			got, _, _ := strings.Cut(replyField(t, r, st), "（")
			if got != strconv.Itoa(counts[st]) {
				t.Errorf("%q: %s = %s, want %d", q, st, got, counts[st])
			}
		}
		rate := fmt.Sprintf("%.1f%%", 100*float64(counts["已完成"])/float64(len(want)))
		if got := replyField(t, r, "完成率"); !strings.HasPrefix(got, rate) {
			t.Errorf("%q: 完成率 = %s, want %s", q, got, rate)
		}
		if got, want := replyField(t, r, "反馈截止"), "2021年12月31日（还有 204 天）"; got != want {
			t.Errorf("%q: 反馈截止 = %s, want %s", q, got, want)
		}
		wantLights := fmt.Sprintf("🔴 红灯 %d（", lights["红灯"])
		if got := replyField(t, r, "红黄绿灯"); !strings.HasPrefix(got, wantLights) || !strings.Contains(got, fmt.Sprintf("🟡 黄灯 %d（", lights["黄灯"])) {
			t.Errorf("%q: 红黄绿灯 = %s, want red %d, yellow %d first", q, got, lights["红灯"], lights["黄灯"])
		}
		text := r.PlainText()
		if n := len(replyLines(text)); n > 40 {
			t.Errorf("%q: %d replyLines, want at most 40:\n%s", q, n, text)
		}
		// The per-agency table: each line's figures and lights, red
		// before yellow before green whatever the agency's size.
		re := regexp.MustCompile(`^(🔴|🟡|🟢) (.+)：红(\d+) 黄(\d+) 绿(\d+)｜负责 (\d+) 项，已报送 (\d+)，已完成 (\d+)，滞后 (\d+)，`)
		rank := map[string]int{"🔴": 3, "🟡": 2, "🟢": 1}
		prevRank := 4
		seen := 0
		for _, l := range replyLines(r.Sections[1].Text) {
			m := re.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("%q: table line %q", q, l)
			}
			a := agencies[m[2]]
			if a == nil {
				t.Fatalf("%q: unknown agency in %q", q, l)
			}
			if got, want := m[6]+"/"+m[7]+"/"+m[8]+"/"+m[9], fmt.Sprintf("%d/%d/%d/%d", a.responsible, a.reported, a.done, a.delayed); got != want {
				t.Errorf("%q: %s responsible/reported/done/delayed = %s, want %s", q, m[2], got, want)
			}
			if got, want := m[3]+"/"+m[4]+"/"+m[5], fmt.Sprintf("%d/%d/%d", a.lights["红灯"], a.lights["黄灯"], a.lights["绿灯"]); got != want {
				t.Errorf("%q: %s red/yellow/green = %s, want %s", q, m[2], got, want)
			}
			if rank[m[1]] > prevRank {
				t.Errorf("%q: %s (%s) listed after a better agency", q, m[2], m[1])
			}
			prevRank = rank[m[1]]
			seen++
		}
		if seen < len(agencies) && !strings.Contains(r.Note, "导出") {
			t.Errorf("%q: %d of %d agencies listed and the note does not point to the export: %q", q, seen, len(agencies), r.Note)
		}
	}
}

func TestSummaryDeadlineOverdue(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{NoSocket: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	expectLate := time.Date(2022, 1, 3, 9, 0, 0, 0, officeZone)
	eng := bot.New(bot.Config{Plan: seedPlan(t), Store: st, Now: func() time.Time { return expectLate }})
	r := eng.Handle(context.Background(), bot.Request{Text: "汇总", UserID: bot.LocalOperator})
	if got, want := replyField(t, r, "反馈截止"), "2021年12月31日（已逾期 3 天）"; got != want {
		t.Errorf("反馈截止 = %q, want %q", got, want)
	}
	if got, _, _ := strings.Cut(replyField(t, r, "未报送"), "（"); got != strconv.Itoa(len(seedPlan(t).Assignments())) {
		t.Errorf("未报送 = %s with no reports, want every pair", got)
	}
}

func TestAgencySummary(t *testing.T) {
	o := newOffice(t, 0)
	seedReports(t, o)
	want := expectedPairs(t, o)
	re := regexp.MustCompile(`^(🔴|🟡|🟢) #(\d+)【(.+?)】(未报送|未开始|进行中|已完成|滞后)(?: (\d+)%)?(?:：(.*?))?(?:（(.+)，(.+)）)?｜截止 12-31，(.+)$`)
	for _, tt := range []struct{ q, agency string }{
		{"汇总 省林业局", "省林业局"},
		{"汇总 林业局", "省林业局"},
		{"汇总 福建省市场监督管理局", "省市场监管局"},
		{"省科技厅汇总", "省科技厅"},
		{"summary 省发改委", "省发改委"},
	} {
		r := o.ask(t, "U9", tt.q)
		if r.Intent != bot.IntentSummary || !slices.Equal(r.Agencies, []string{tt.agency}) {
			t.Fatalf("%q: intent %q agencies %v, want summary of %s:\n%s", tt.q, r.Intent, r.Agencies, tt.agency, r.PlainText())
		}
		var mine []wantPair
		var items []int
		for _, p := range want {
			if p.agency == tt.agency {
				mine = append(mine, p)
				items = append(items, p.item)
			}
		}
		if !slices.Equal(r.Items, items) {
			t.Errorf("%q: items %v, want %v", tt.q, r.Items, items)
		}
		var got []string
		for _, s := range r.Sections {
			for _, l := range replyLines(s.Text) {
				if re.MatchString(l) || strings.Contains(l, " #") {
					got = append(got, l)
				}
			}
		}
		if len(got) != len(mine) {
			t.Fatalf("%q: %d item replyLines, want %d:\n%s", tt.q, len(got), len(mine), r.PlainText())
		}
		for i, l := range got {
			p := mine[i]
			m := re.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("%q: line %q", tt.q, l)
			}
			if l, why := lightOf(p); m[1] != lightEmoji[l] || m[9] != why {
				t.Errorf("%q: line %q, want light %s (%s)", tt.q, l, lightEmoji[l], why)
			}
			if m[2] != strconv.Itoa(p.item) || m[3] != p.role || m[4] != statusOf(p) {
				t.Errorf("%q: line %q, want #%d %s %s", tt.q, l, p.item, p.role, statusOf(p))
			}
			if p.latest == nil {
				if m[5]+m[6]+m[7] != "" {
					t.Errorf("%q: unreported line %q shows a report", tt.q, l)
				}
				continue
			}
			wantPct := ""
			if p.latest.Percent != duban.NoPercent {
				wantPct = strconv.Itoa(p.latest.Percent)
			}
			if m[5] != wantPct {
				t.Errorf("%q: line %q percent %q, want %q", tt.q, l, m[5], wantPct)
			}
			if !strings.HasPrefix(p.latest.Text, strings.TrimSuffix(m[6], "…")) || m[6] == "" {
				t.Errorf("%q: line %q text, want the start of %q", tt.q, l, p.latest.Text)
			}
			if m[7] != p.latest.AuthorName || m[8] != p.latest.Time.In(officeZone).Format("01-02 15:04") {
				t.Errorf("%q: line %q author/time, want %s %s", tt.q, l, p.latest.AuthorName, p.latest.Time.In(officeZone).Format("01-02 15:04"))
			}
		}
		if n := len(replyLines(r.PlainText())); n > 40 {
			t.Errorf("%q: %d replyLines, want at most 40", tt.q, n)
		}
	}
}

func TestAgencySummaryAmbiguousAndUnknown(t *testing.T) {
	o := newOffice(t, 0)
	r := o.ask(t, "U9", "汇总 海关")
	if r.Intent != bot.IntentSummary || !slices.Equal(r.Agencies, []string{"福州海关", "厦门海关"}) {
		t.Errorf("汇总 海关: intent %q agencies %v, want both customs", r.Intent, r.Agencies)
	}
	if !strings.Contains(r.Note, "“海关”对应 2 个单位") {
		t.Errorf("汇总 海关 does not say the name fits two agencies: %q", r.Note)
	}
	// Six agencies at once still fit in chat, every item counted.
	seedReports(t, o)
	six := []string{"省市场监管局", "省科技厅", "省文旅厅", "省发改委", "福州海关", "厦门海关"}
	r = o.ask(t, "U9", "汇总 "+strings.Join(six, " "))
	var items []int
	for _, p := range expectedPairs(t, o) {
		if slices.Contains(six, p.agency) && !slices.Contains(items, p.item) {
			items = append(items, p.item)
		}
	}
	slices.Sort(items)
	if n := len(replyLines(r.PlainText())); n > 40 || !slices.Equal(r.Agencies, six) || !slices.Equal(r.Items, items) {
		t.Errorf("six agencies: %d lines, agencies %v, items %v (want %v):\n%s", n, r.Agencies, r.Items, items, r.PlainText())
	}
	// A question that merely ends in 汇总 is not the command.
	if r := o.ask(t, "U9", "哪些工作涉及数据汇总"); r.Intent == bot.IntentSummary || r.Intent == bot.IntentError && strings.Contains(r.Title, "没有找到单位") {
		t.Errorf("哪些工作涉及数据汇总 taken for 汇总: %q %q", r.Intent, r.Title)
	}
	for _, q := range []string{"汇总 火星局", "汇总 xyz"} {
		r := o.ask(t, "U9", q)
		if r.Intent != bot.IntentError || !strings.Contains(r.Title, "没有找到单位") {
			t.Errorf("%q: %q %q, want a polite not-found error", q, r.Intent, r.Title)
		}
	}
}

// expectLate is what 未报送 should list: per agency, the items with no report
// or only one older than the stale limit.
func expectLate(want []wantPair, stale time.Duration) (map[string][]int, []int) {
	byAgency := map[string][]int{}
	set := map[int]bool{}
	for _, p := range want {
		if p.latest == nil || officeNow.Sub(p.latest.Time) > stale {
			byAgency[p.agency] = append(byAgency[p.agency], p.item)
			set[p.item] = true
		}
	}
	var items []int
	for n := range set {
		items = append(items, n)
	}
	slices.Sort(items)
	return byAgency, items
}

func TestMissing(t *testing.T) {
	for _, stale := range []time.Duration{0, 10 * 24 * time.Hour, 365 * 24 * time.Hour} {
		o := newOffice(t, stale)
		seedReports(t, o)
		limit := stale
		if limit == 0 {
			limit = 30 * 24 * time.Hour
		}
		wantAgencies, wantItems := expectLate(expectedPairs(t, o), limit)
		for _, q := range []string{"未报送", "missing", "who hasn't reported?", "哪些单位还没报送？", "还有哪些工作没报送", "汇总未报送"} {
			r := o.ask(t, "U9", q)
			if r.Intent != bot.IntentMissing {
				t.Fatalf("%q: intent %q: %s", q, r.Intent, r.PlainText())
			}
			if !slices.Equal(r.Items, wantItems) {
				t.Errorf("stale %v %q: items %v, want %v", stale, q, r.Items, wantItems)
			}
			got := map[string][]int{}
			re := regexp.MustCompile(`^(.+)（(\d+) 项）：(.*)$`)
			for _, l := range replyLines(r.Sections[0].Text) {
				m := re.FindStringSubmatch(l)
				if m == nil {
					t.Fatalf("%q: line %q", q, l)
				}
				for _, part := range strings.Split(m[3], "、") {
					n, _ := strconv.Atoi(strings.TrimPrefix(regexp.MustCompile(`（.*`).ReplaceAllString(part, ""), "#"))
					got[m[1]] = append(got[m[1]], n)
				}
			}
			if len(got) != len(wantAgencies) {
				t.Errorf("stale %v %q: %d agencies, want %d", stale, q, len(got), len(wantAgencies))
			}
			for a, items := range wantAgencies {
				if !slices.Equal(got[a], items) {
					t.Errorf("stale %v %q: %s %v, want %v", stale, q, a, got[a], items)
				}
			}
			if n := len(replyLines(r.PlainText())); n > 40 {
				t.Errorf("%q: %d replyLines, want at most 40", q, n)
			}
		}
	}
}

func TestMissingOneAgency(t *testing.T) {
	o := newOffice(t, 0)
	seedReports(t, o)
	byAgency, _ := expectLate(expectedPairs(t, o), 30*24*time.Hour)
	r := o.ask(t, "U9", "未报送 省市场监管局")
	if !slices.Equal(r.Items, byAgency["省市场监管局"]) || !slices.Equal(r.Agencies, []string{"省市场监管局"}) {
		t.Errorf("未报送 省市场监管局: items %v agencies %v, want %v", r.Items, r.Agencies, byAgency["省市场监管局"])
	}
}

func TestRemind(t *testing.T) {
	o := newOffice(t, 0)
	seedReports(t, o)
	ctx := context.Background()
	bound := map[string]string{"UF1": "省林业局", "UF2": "省林业局", "UM": "省市场监管局", "UK": "省科技厅", "UT": "省体育局"}
	for u, a := range bound {
		if err := o.st.Bind(ctx, duban.Binding{UserID: u, Agency: a, BoundBy: officeAdminID, Time: officeNow}, "bind-"+u); err != nil {
			t.Fatal(err)
		}
	}
	byAgency, items := expectLate(expectedPairs(t, o), 30*24*time.Hour)

	// Not an admin: refused, and no message goes out.
	r := o.ask(t, "UF1", "提醒")
	if r.Intent != bot.IntentError || len(r.Direct) != 0 || !strings.Contains(r.Title, "管理员") {
		t.Errorf("提醒 by a bound user: %q %q with %d messages, want refused", r.Intent, r.Title, len(r.Direct))
	}

	r = o.ask(t, officeAdminID, "提醒")
	if r.Intent != bot.IntentMissing || !slices.Equal(r.Items, items) {
		t.Errorf("提醒: intent %q items %v, want missing %v", r.Intent, r.Items, items)
	}
	want := map[string][]int{}
	for u, a := range bound {
		if len(byAgency[a]) > 0 {
			want[u] = byAgency[a]
		}
	}
	got := map[string]string{}
	for _, m := range r.Direct {
		if _, dup := got[m.UserID]; dup {
			t.Errorf("two reminders for %s", m.UserID)
		}
		got[m.UserID] = m.Text
	}
	if len(got) != len(want) {
		t.Errorf("reminders to %d users, want %d (%v)", len(got), len(want), want)
	}
	for u, items := range want {
		text := got[u]
		if !strings.Contains(text, bound[u]) {
			t.Errorf("reminder to %s does not name %s:\n%s", u, bound[u], text)
		}
		listed := regexp.MustCompile(`(?m)^#(\d+) `).FindAllStringSubmatch(text, -1)
		var nums []int
		for _, m := range listed {
			n, _ := strconv.Atoi(m[1])
			nums = append(nums, n)
		}
		if len(items) > 15 {
			items = items[:15]
		}
		if !slices.Equal(nums, items) {
			t.Errorf("reminder to %s lists %v, want %v", u, nums, items)
		}
	}
	// Agencies without bound users are named so the office can bind them.
	unbound := 0
	for a := range byAgency {
		if !slices.Contains([]string{"省林业局", "省市场监管局", "省科技厅", "省体育局"}, a) {
			unbound++
		}
	}
	if unbound > 0 && !strings.Contains(r.PlainText(), "没有绑定联系人") {
		t.Errorf("%d expectLate agencies have no bound user and the reply does not say so:\n%s", unbound, r.PlainText())
	}
	if n := len(replyLines(r.PlainText())); n > 40 {
		t.Errorf("提醒: %d replyLines, want at most 40", n)
	}

	// Store admins may remind too.
	if err := o.st.AddAdmin(ctx, "UOFFICE", officeAdminID, "admin-1"); err != nil {
		t.Fatal(err)
	}
	if r := o.ask(t, "UOFFICE", "remind"); len(r.Direct) == 0 || r.Intent != bot.IntentMissing {
		t.Errorf("remind by a store officeAdminID: %q %q", r.Intent, r.Title)
	}
}

// exportRow is one row of the first sheet as the test expects it.
func exportRow(o *office, p wantPair) []string {
	light, why := lightOf(p)
	row := []string{strconv.Itoa(p.item), o.plan.Item(p.item).Title, p.agency, p.role, light, "2021-12-31", why, statusOf(p), "", "", "", ""}
	if u := p.latest; u != nil {
		if u.Percent != duban.NoPercent {
			row[8] = strconv.Itoa(u.Percent) + "%"
		}
		row[9], row[10], row[11] = u.Text, u.AuthorName, u.Time.In(officeZone).Format("2006-01-02 15:04")
	}
	return row
}

var exportHeader = []string{"序号", "工作要点", "单位", "角色", "红黄绿灯", "截止日期", "说明", "状态", "完成比例", "最新进展", "报送人", "报送时间"}

func TestExportCSV(t *testing.T) {
	o := newOffice(t, 0)
	seedReports(t, o)
	want := expectedPairs(t, o)
	r := o.ask(t, "U9", "导出 csv")
	if r.Intent != bot.IntentExport || r.File == nil || r.File.Format != "csv" {
		t.Fatalf("导出 csv: %q %+v: %s", r.Intent, r.File, r.PlainText())
	}
	if filepath.Dir(r.File.Path) != o.dataDir || !strings.Contains(console.Render(r), r.File.Path) {
		t.Errorf("file %s not in the data directory %s or not in the reply", r.File.Path, o.dataDir)
	}
	data, err := os.ReadFile(r.File.Path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Fatal("csv has no BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(want)+1 || !slices.Equal(recs[0], exportHeader) {
		t.Fatalf("csv: %d records, header %q; want %d and %q", len(recs), recs[0], len(want)+1, exportHeader)
	}
	for i, p := range want {
		if w := exportRow(o, p); !slices.Equal(recs[i+1], w) {
			t.Errorf("csv row %d = %q, want %q", i+1, recs[i+1], w)
		}
	}
}

func TestExportXLSX(t *testing.T) {
	o := newOffice(t, 0)
	seedReports(t, o)
	want := expectedPairs(t, o)
	r := o.ask(t, "U9", "导出")
	if r.Intent != bot.IntentExport || r.File == nil || r.File.Format != "xlsx" {
		t.Fatalf("导出: %q %+v: %s", r.Intent, r.File, r.PlainText())
	}
	f, err := excelize.OpenFile(r.File.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"落实情况", "各单位汇总"}) {
		t.Fatalf("sheets %q", got)
	}
	rows, err := f.GetRows("落实情况")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want)+1 || !slices.Equal(rows[0], exportHeader) {
		t.Fatalf("xlsx: %d rows, header %q", len(rows), rows[0])
	}
	for i, p := range want {
		w := exportRow(o, p)
		for len(w) > 0 && w[len(w)-1] == "" { // excelize drops trailing empty cells
			w = w[:len(w)-1]
		}
		if !slices.Equal(rows[i+1], w) {
			t.Errorf("xlsx row %d = %q, want %q", i+1, rows[i+1], w)
		}
	}
	// Second sheet: one row per agency with its counts.
	type agg struct{ responsible, reported, done int }
	agencies := map[string]*agg{}
	for _, p := range want {
		a := agencies[p.agency]
		if a == nil {
			a = &agg{}
			agencies[p.agency] = a
		}
		a.responsible++
		if p.latest != nil {
			a.reported++
			if p.latest.Status == duban.StatusDone {
				a.done++
			}
		}
	}
	rows, err = f.GetRows("各单位汇总")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(agencies)+1 || rows[0][0] != "单位" {
		t.Fatalf("各单位汇总: %d rows (header %q), want %d", len(rows), rows[0], len(agencies)+1)
	}
	for _, row := range rows[1:] {
		a := agencies[row[0]]
		if a == nil {
			t.Fatalf("unknown agency row %q", row)
		}
		if got, want := row[5]+"/"+row[8]+"/"+row[9], fmt.Sprintf("%d/%d/%d", a.responsible, a.reported, a.done); got != want {
			t.Errorf("%s responsible/reported/done = %s, want %s", row[0], got, want)
		}
	}
	// The light column is filled in the light's colour.
	fills := map[string]string{"红灯": "FFC7CE", "黄灯": "FFEB9C", "绿灯": "C6EFCE"}
	for i := range want {
		cell := fmt.Sprintf("E%d", i+2)
		v, _ := f.GetCellValue("落实情况", cell)
		id, _ := f.GetCellStyle("落实情况", cell)
		st, err := f.GetStyle(id)
		if err != nil || len(st.Fill.Color) == 0 || !strings.EqualFold(strings.TrimPrefix(st.Fill.Color[0], "#"), fills[v]) {
			t.Errorf("%s (%s) fill %+v, want %s", cell, v, st, fills[v])
			break
		}
	}
	if p, _ := f.GetPanes("落实情况"); !p.Freeze || p.YSplit != 1 {
		t.Errorf("header row not frozen: %+v", p)
	}
}

func TestExportBadInput(t *testing.T) {
	o := newOffice(t, 0)
	for _, q := range []string{"导出 pdf", "export docx"} {
		r := o.ask(t, "U9", q)
		if r.Intent != bot.IntentError || r.File != nil || !strings.Contains(r.Title, "csv") {
			t.Errorf("%q: %q %q, want an error naming the formats", q, r.Intent, r.Title)
		}
	}
	if entries, _ := os.ReadDir(o.dataDir); len(entries) != 0 {
		t.Errorf("bad export requests wrote %d files", len(entries))
	}
	// Two exports in the same second get two files.
	a, b := o.ask(t, "U9", "导出"), o.ask(t, "U9", "export xlsx")
	if a.File == nil || b.File == nil || a.File.Path == b.File.Path {
		t.Errorf("two exports: %+v and %+v, want two files", a.File, b.File)
	}
}

func TestOfficeWithoutStore(t *testing.T) {
	eng := bot.New(bot.Config{Plan: seedPlan(t)})
	for _, q := range []string{"汇总", "汇总 省林业局", "未报送", "提醒", "导出"} {
		r := eng.Handle(context.Background(), bot.Request{Text: q, UserID: bot.LocalOperator})
		if r.Intent != bot.IntentError || r.Title == "" {
			t.Errorf("%q without a store: %q %q, want a polite error", q, r.Intent, r.Title)
		}
	}
}

// FuzzOfficeCommand feeds an office keyword followed by arbitrary text to
// an engine with a real store: the reply always has an intent, valid UTF-8,
// no internal error, real item numbers, and 汇总 stays within 40 lines.
func FuzzOfficeCommand(f *testing.F) {
	keywords := []string{"汇总", "汇总 ", "summary ", "未报送", "missing ", "提醒", "remind ", "导出", "export "}
	for i, s := range []string{"省林业局", "海关", "林业局", "省林业局", "csv", "pdf", "of 林业局", "未报送", "汇总 汇总",
		"省", "late", "为 excel 文件", "\u0130\u212a", "｛｝", "\x9e林业局", "省林业局和省农业农村厅"} {
		f.Add(uint8(i), s)
	}
	o := newOffice(f, 0)
	seedReports(f, o)
	f.Fuzz(func(t *testing.T, k uint8, rest string) {
		q := keywords[int(k)%len(keywords)] + rest
		r := o.ask(t, officeAdminID, q)
		text := r.PlainText()
		if r.Intent == "" || strings.Contains(text, "内部错误") {
			t.Fatalf("%q: intent %q: %s", q, r.Intent, text)
		}
		if utf8.ValidString(q) && !utf8.ValidString(text) {
			t.Fatalf("%q: reply is not valid UTF-8", q)
		}
		for _, n := range r.Items {
			if o.plan.Item(n) == nil {
				t.Fatalf("%q: item %d does not exist", q, n)
			}
		}
		if r.Intent == bot.IntentSummary && len(replyLines(text)) > 40 {
			t.Fatalf("%q: %d lines", q, len(replyLines(text)))
		}
	})
}

// TestOfficeAfterChatReports goes the whole way in chat: the office binds a
// user, the user reports and corrects, and the office's commands show the
// correction.
func TestOfficeAfterChatReports(t *testing.T) {
	o := newOffice(t, 0)
	for _, step := range []struct{ user, text string }{
		{officeAdminID, "绑定 UF 省林业局"},
		{"UF", "进展 #3 进行中 完成40% 已完成造林10万亩"},
		{"UF", "进展 #53 滞后 品牌评价推迟到下半年"},
		{"UF", "进展 #3 已完成 100% 造林任务全部完成"},
	} {
		if r := o.ask(t, step.user, step.text); r.Intent == bot.IntentError {
			t.Fatalf("%s %q: %s", step.user, step.text, r.Title)
		}
	}
	r := o.ask(t, "UX", "汇总 林业局")
	text := r.PlainText()
	for _, want := range []string{"#3【牵头】已完成 100%：造林任务全部完成", "#53【牵头】滞后：品牌评价推迟到下半年"} {
		if !strings.Contains(text, want) {
			t.Errorf("汇总 林业局 lacks %q:\n%s", want, text)
		}
	}
	r = o.ask(t, "UX", "汇总")
	if got, _, _ := strings.Cut(replyField(t, r, "已完成"), "（"); got != "1" {
		t.Errorf("已完成 = %s after one item done, want 1", got)
	}
	if r := o.ask(t, "UX", "未报送 省林业局"); len(r.Items) != 0 {
		t.Errorf("未报送 省林业局 = %v after reporting on both items, want none", r.Items)
	}
	// Retracting the correction brings back the earlier report.
	if r := o.ask(t, "UF", "撤回"); r.Intent == bot.IntentError {
		t.Fatalf("撤回: %s", r.Title)
	}
	if text := o.ask(t, "UX", "汇总 林业局").PlainText(); !strings.Contains(text, "#3【牵头】进行中 40%：已完成造林10万亩") {
		t.Errorf("after 撤回, 汇总 林业局:\n%s", text)
	}
}

// TestSummaryAccess: 汇总 and 导出 (and an agency's progress and the
// status filters, which are summaries too) show every agency's reports, so
// by default only admins and users bound to an agency have them; 未报送 is
// open to all; Config.PublicSummaries opens the rest (hardening 29).
func TestSummaryAccess(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{NoSocket: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.Bind(ctx, duban.Binding{UserID: "UB", Agency: "省林业局", BoundBy: officeAdminID}, "bind-UB"); err != nil {
		t.Fatal(err)
	}
	for _, public := range []bool{false, true} {
		eng := bot.New(bot.Config{Plan: seedPlan(t), Store: st, Admins: []string{officeAdminID}, DataDir: t.TempDir(),
			Exporter: export.Writer{}, PublicSummaries: public})
		for _, q := range []string{"汇总", "summary", "汇总 省林业局", "省林业局汇总", "省林业局进展如何", "哪些工作滞后", "导出", "export csv"} {
			for _, user := range []string{"UB", officeAdminID, "UNOBODY"} {
				r := eng.Handle(ctx, bot.Request{Text: q, UserID: user, SourceID: q + user})
				refused := r.Intent == bot.IntentError
				if want := user == "UNOBODY" && !public; refused != want {
					t.Errorf("public %v, %s asks %q: refused %v, want %v: %s", public, user, q, refused, want, r.Title)
				}
			}
		}
		if r := eng.Handle(ctx, bot.Request{Text: "未报送", UserID: "UNOBODY"}); r.Intent != bot.IntentMissing {
			t.Errorf("public %v: 未报送 by an unbound user = %s %s", public, r.Intent, r.Title)
		}
	}
}
