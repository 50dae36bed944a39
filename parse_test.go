package duban

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"duban/seeds"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func seedPlan(t testing.TB) *Plan {
	t.Helper()
	p, err := LoadPlan(seeds.FS, seeds.Default)
	if err != nil {
		t.Fatalf("Parse(seed): %v", err)
	}
	return p
}

// goldenItem is the hand-checked reading of one item.
type goldenItem struct {
	Number    int      `json:"number"`
	Title     string   `json:"title"`
	Lead      []string `json:"lead"`
	Joint     []string `json:"joint"`
	Mentioned []string `json:"mentioned"`
	Targets   []string `json:"targets"`
}

func toGolden(p *Plan) []goldenItem {
	var out []goldenItem
	for _, it := range p.Items {
		g := goldenItem{Number: it.Number, Title: it.Title, Lead: it.Lead, Joint: it.Joint, Mentioned: it.Mentioned, Targets: []string{}}
		for _, tg := range it.Targets {
			g.Targets = append(g.Targets, tg.Value)
		}
		for _, s := range []*[]string{&g.Lead, &g.Joint, &g.Mentioned} {
			if *s == nil {
				*s = []string{}
			}
		}
		out = append(out, g)
	}
	return out
}

// TestParseGolden compares the parse of the seed with testdata/plan.golden.json,
// which was checked by hand against the document. go test -update rewrites it.
func TestParseGolden(t *testing.T) {
	p := seedPlan(t)
	got, err := json.MarshalIndent(toGolden(p), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "plan.golden.json")
	if *update {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(bytes.TrimSpace(want)) != string(got) {
		t.Errorf("parse of the seed differs from %s; inspect with go test -update && git diff", path)
	}
}

// TestParseAgainstRawText cross-checks the responsibility parentheses with a
// reading of the raw text that shares no code with the parser.
func TestParseAgainstRawText(t *testing.T) {
	p := seedPlan(t)
	if len(p.Items) != 71 {
		t.Fatalf("got %d items, want 71", len(p.Items))
	}
	re := regexp.MustCompile(`^(\d+)\.\s?.*\((牵头单位[:∶](.+)|(.+?)(等单位)?按照?职责落实)\)$`)
	n := 0
	for _, line := range strings.Split(string(seeds.Fujian2021), "\n") {
		m := re.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		n++
		num, _ := strconv.Atoi(m[1])
		it := p.Item(num)
		if it == nil {
			t.Fatalf("item %d missing", num)
		}
		if m[3] != "" {
			if len(it.Lead) != 1 || len(it.Joint) != 0 {
				t.Errorf("item %d: lead %v joint %v, want one lead (%s)", num, it.Lead, it.Joint, m[3])
			}
			continue
		}
		if want := len(strings.Split(m[4], "、")); len(it.Joint) != want || len(it.Lead) != 0 {
			t.Errorf("item %d: joint %v, want %d agencies (%s)", num, it.Joint, want, m[4])
		}
	}
	if n != 71 {
		t.Errorf("raw reading found %d items, want 71", n)
	}
}

func TestParseQuirks(t *testing.T) {
	p := seedPlan(t)
	checks := []struct {
		item  int
		lead  string
		joint []string
		title string
	}{
		{7, "省药品监管局", nil, "推动药品行业质量提升与发展"}, // "7. " with a space
		{63, "省人社厅", nil, ""},   // 牵头单位∶ (U+2236)
		{39, "省市场监管局", nil, ""}, // stray ")" before the parenthesis
		{34, "", []string{"省市场监管局", "福州海关", "厦门海关"}, "强化知识产权保护"}, // 按照职责落实
		{35, "", []string{"省市场监管局", "省药品监管局", "省农业农村厅", "省海洋与渔业局", "省烟草专卖局", "省公安厅"}, ""},
		{69, "", []string{"福建证监局", "省地方金融监督管理局"}, ""},
		{70, "", []string{"省税务局", "厦门市税务局"}, ""},
	}
	for _, c := range checks {
		it := p.Item(c.item)
		if c.lead != "" && (len(it.Lead) != 1 || it.Lead[0] != c.lead) {
			t.Errorf("item %d lead = %v, want %s", c.item, it.Lead, c.lead)
		}
		if c.joint != nil && strings.Join(it.Joint, ",") != strings.Join(c.joint, ",") {
			t.Errorf("item %d joint = %v, want %v", c.item, it.Joint, c.joint)
		}
		if c.title != "" && it.Title != c.title {
			t.Errorf("item %d title = %q, want %q", c.item, it.Title, c.title)
		}
	}
	if got := p.Item(10).Mentioned; strings.Join(got, ",") != "省住建厅,省工信厅" {
		t.Errorf("item 10 mentioned = %v, want 省住建厅, 省工信厅", got)
	}
	if got := p.Item(7).Mentioned; len(got) != 0 {
		t.Errorf("item 7 mentions %v; 国家药品监管局 is not the province's bureau", got)
	}
}

func TestParseMeta(t *testing.T) {
	m := seedPlan(t).Meta
	checks := map[string]string{
		"title": m.Title, "issuer": m.Issuer, "date": m.DateText, "person": m.ContactPerson,
		"dept": m.ContactDept, "phone": m.Phone, "fax": m.Fax, "email": m.Email,
		"deadline": m.DeadlineText, "basis": m.Basis,
	}
	want := map[string]string{
		"title": "2021年福建省质量强省工作要点", "issuer": "福建省质量强省工作联席会议办公室",
		"date": "2021年3月17日", "person": "林忠辉", "dept": "省市场监管局质量发展处",
		"phone": "18959167520", "fax": "0591—87580701", "email": "7263441@qq.com",
		"deadline": "2021年12月31日前", "basis": "关于开展质量提升行动加快建设质量强省的实施意见",
	}
	for k, w := range want {
		if checks[k] != w {
			t.Errorf("meta %s = %q, want %q", k, checks[k], w)
		}
	}
	if got := m.Deadline.Format("2006-01-02"); got != "2021-12-31" {
		t.Errorf("deadline = %s", got)
	}
	if len(m.Recipients) != 45 || m.Recipients[4] != "省委党校" || m.Recipients[9] != "省教育厅" {
		t.Errorf("recipients = %d %v", len(m.Recipients), m.Recipients)
	}
	if !strings.HasPrefix(m.Opening, "为进一步贯彻落实") || !strings.HasPrefix(m.Preamble, "2021年是") {
		t.Errorf("opening/preamble not found: %q / %q", m.Opening, m.Preamble)
	}
}

func TestParseTargets(t *testing.T) {
	p := seedPlan(t)
	want := map[int][]string{
		1:  {"5000个", "减少2%", "提升到92%", "250个", "200个以上"},
		4:  {"15.86万批次", "达100%"},
		13: {"800公里", "900公里", "750公里"},
		18: {"第28届"},
		19: {"提高到70%以上", "72项"},
		22: {"二级以上"},
		33: {"300名以上"},
		53: {"30个", "300公里"},
		54: {"第44届"},
		8:  {"30大"},
		9:  {"400系列"},
	}
	for n, vals := range want {
		var got []string
		for _, tg := range p.Item(n).Targets {
			got = append(got, tg.Value)
			if !strings.Contains(tg.Clause, tg.Value) || !strings.HasPrefix(p.Item(n).Text[tg.Offset:], tg.Value) {
				t.Errorf("item %d target %q: clause %q / offset %d do not hold it", n, tg.Value, tg.Clause, tg.Offset)
			}
		}
		for _, v := range vals {
			if !strings.Contains(strings.Join(got, "|"), v) {
				t.Errorf("item %d targets %v lack %q", n, got, v)
			}
		}
	}
	for _, it := range p.Items {
		for _, tg := range it.Targets {
			if regexp.MustCompile(`^\d{4}年`).MatchString(tg.Value) || strings.Contains(tg.Value, "12315") {
				t.Errorf("item %d: %q is a year or a code, not a target", it.Number, tg.Value)
			}
		}
	}
	if c := p.Item(13).Targets[0].Clause; c != "全省新改建供水管网800公里、污水管网900公里、雨水管网750公里" {
		t.Errorf("clause of 800公里 = %q", c)
	}
}

func TestParseErrors(t *testing.T) {
	ok := "1.第一条。(牵头单位:省林业局)\n2.第二条。(福州海关、厦门海关按职责落实)\n"
	cases := []struct {
		name, doc  string
		line, item int
		msg        string
	}{
		{"empty", "", 0, 0, "空"},
		{"blank", "\n  \n", 0, 0, "空"},
		{"no items", "这是一封信。\n没有条目。", 0, 0, "没有找到编号"},
		{"invalid utf8", "1.第一条\xff。(牵头单位:省林业局)", 1, 0, "UTF-8"},
		{"missing", ok + "4.第四条。(牵头单位:省林业局)", 3, 4, "缺少第3条"},
		{"duplicate", ok + "2.又一条。(牵头单位:省林业局)", 3, 2, "重复"},
		{"not from one", "2.第二条。(牵头单位:省林业局)", 1, 2, "缺少第1条"},
		{"no parenthesis", ok + "3.第三条没有责任单位。", 3, 3, "缺少责任单位"},
		{"bad parenthesis", ok + "3.第三条。(见附件)", 3, 3, "无法识别"},
		{"empty lead", ok + "3.第三条。(牵头单位: )", 3, 3, ""},
		{"empty body", ok + "3.(牵头单位:省林业局)", 3, 3, "正文为空"},
		{"huge", strings.Repeat("a", MaxDocumentBytes+1), 0, 0, "MiB"},
		{"long line", "1." + strings.Repeat("长", maxLineBytes) + "(牵头单位:省林业局)", 1, 0, "KiB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Parse(strings.NewReader(c.doc))
			if err == nil {
				t.Fatalf("Parse succeeded with %d items; want an error", len(p.Items))
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if ErrorCode(err) != CodeMalformed {
				t.Errorf("code = %s", ErrorCode(err))
			}
			if pe.Line != c.line || pe.Item != c.item {
				t.Errorf("at line %d item %d, want line %d item %d (%v)", pe.Line, pe.Item, c.line, c.item, err)
			}
			if !strings.Contains(UserMessage(err), c.msg) {
				t.Errorf("message %q lacks %q", UserMessage(err), c.msg)
			}
		})
	}
}

func TestParseContinuationAndNewAgency(t *testing.T) {
	doc := "1.第一条的开头。\n接着写的内容,新增10个示范点。(牵头单位:省生态环境厅)\n2. 第二条。(省林业局、省生态环境厅等单位按职责落实)"
	p, err := Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if it := p.Item(1); !strings.Contains(it.Body, "接着写的内容") || it.Lead[0] != "省生态环境厅" || len(it.Targets) != 1 {
		t.Errorf("item 1 = %+v", it)
	}
	if names, ok := p.Directory.Resolve("生态环境厅"); !ok || names[0] != "省生态环境厅" {
		t.Errorf("new agency not resolvable: %v %v", names, ok)
	}
	if got := p.ItemsFor("省生态环境厅", RoleLead, RoleJoint); len(got) != 2 {
		t.Errorf("items of the new agency = %v", got)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(string(seeds.Fujian2021))
	f.Add("1.第一条。(牵头单位:省林业局)\n2.第二条。(福州海关、厦门海关按职责落实)")
	f.Add("联系人: 张三(某处),联系电话:123\n1. x(牵头单位∶ 省林业局)")
	f.Add("1.((()))(牵头单位:)")
	f.Fuzz(func(t *testing.T, doc string) {
		p, err := Parse(strings.NewReader(doc))
		if err != nil {
			if ErrorCode(err) != CodeMalformed {
				t.Fatalf("error without CodeMalformed: %v", err)
			}
			return
		}
		for i, it := range p.Items {
			if it.Number != i+1 || len(it.Lead)+len(it.Joint) == 0 {
				t.Fatalf("item %d inconsistent: %+v", i+1, it)
			}
			for _, tg := range it.Targets {
				if !strings.HasPrefix(it.Text[tg.Offset:], tg.Value) {
					t.Fatalf("target offset wrong: %+v", tg)
				}
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(seeds.Fujian2021)))
	for b.Loop() {
		if _, err := LoadPlan(seeds.FS, seeds.Default); err != nil {
			b.Fatal(err)
		}
	}
}

// syntheticPlan is the seed with n items, cycling through its 71 and
// renumbered (what tools/synthplan writes).
func syntheticPlan(t testing.TB, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	var items []string
	for _, l := range strings.Split(string(seeds.Fujian2021), "\n") {
		if m := itemStartRe.FindString(l); m != "" && itemStart(l) != nil {
			items = append(items, l[len(m):])
		} else if len(items) == 0 {
			b.WriteString(l + "\n")
		}
	}
	if len(items) != 71 {
		t.Fatalf("seed items %d", len(items))
	}
	for i := range n {
		fmt.Fprintf(&b, "%d.%s\n", i+1, items[i%71])
	}
	return b.Bytes()
}

// A plan of 10,000 items parses: no limit on the number of items or on
// the digits of an item number.
func TestParseLarge(t *testing.T) {
	doc := syntheticPlan(t, 10000)
	p, err := Parse(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 10000 || p.Item(10000) == nil || p.Item(10000).Title != p.Item(10000-71*140).Title {
		t.Fatalf("items %d", len(p.Items))
	}
	// A five-digit number out of order is still named.
	bad := append(bytes.Clone(doc), []byte("10002.多出的一条。(牵头单位:省林业局)\n")...)
	if _, err := Parse(bytes.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "缺少第10001条") {
		t.Errorf("a skipped number: %v", err)
	}
	huge := append(bytes.Clone(doc), []byte("99999999999999999999999.太大的编号。(牵头单位:省林业局)\n")...)
	if _, err := Parse(bytes.NewReader(huge)); err == nil || !strings.Contains(err.Error(), "条目编号") {
		t.Errorf("a number too large to read: %v", err)
	}
}

func BenchmarkParse10000(b *testing.B) {
	doc := syntheticPlan(b, 10000)
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(doc)); err != nil {
			b.Fatal(err)
		}
	}
}
