package duban

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"duban/seeds"
)

// The seed loads from its folder with its own names.
func TestLoadSeed(t *testing.T) {
	p, err := LoadPlan(seeds.FS, seeds.Default)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "fujian-2021-quality" || p.Year() != 2021 || p.Title != "2021年福建省质量强省工作要点" || len(p.Items) != 71 || len(p.Hash) != 64 {
		t.Errorf("seed: id %q year %d title %q items %d hash %q", p.ID, p.Year(), p.Title, len(p.Items), p.Hash)
	}
	for name, want := range map[string]string{"福建证监会": "福建证监局", "省委党校(行政学院)": "省委党校", "省委党校（行政学院）": "省委党校", "金融管理局": "省地方金融监督管理局"} {
		if got, ok := p.Directory.Resolve(name); !ok || !slices.Equal(got, []string{want}) {
			t.Errorf("seed Resolve(%q) = %v, %v; want %s", name, got, ok, want)
		}
	}
	// The cover letter's short forms are the headers, derived from the document.
	if a := p.Directory.Agency("省教育厅"); a == nil || a.Header != "教育厅" {
		t.Errorf("省教育厅 header = %+v, want 教育厅", a)
	}
	if !slices.Contains(p.Terms, "石墨烯") || slices.Contains(p.Terms, "三品一标") {
		t.Errorf("terms: 石墨烯 listed, 三品一标 derived from quotes; got %v", p.Terms)
	}
	for _, a := range p.Directory.Agencies() {
		if a.Derived {
			t.Errorf("the seed names %s, which no directory lists", a.Name)
		}
	}
}

// A plan is a folder of data: adding one touches no Go file. This loads
// one from a temporary folder with its own agency file, which adds an
// agency the province's directory lacks and a name for a known one.
func TestLoadPlanFromFolder(t *testing.T) {
	doc, err := os.ReadFile("testdata/plans/fujian-2022-quality/fujian-2022-quality-workpoints.txt")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"manifest.txt": "# a plan\nid: test-2022\ntitle: 测试计划\nyear: 2022\ndocument: doc.txt\nagencies: names.txt\n",
		"names.txt":    "[agencies]\n省医保局 | 福建省医疗保障局 | 医保局\n省林业局 | | 林草局\n",
		"doc.txt":      string(doc),
	}
	if err := os.MkdirAll(dir+"/p", 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		if err := os.WriteFile(dir+"/p/"+name, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := LoadPlan(os.DirFS(dir), "p")
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "test-2022" || p.Title != "测试计划" || p.Year() != 2022 || len(p.Items) != 28 {
		t.Errorf("plan: id %q title %q year %d items %d", p.ID, p.Title, p.Year(), len(p.Items))
	}
	for name, want := range map[string]string{"医保局": "省医保局", "福建省医疗保障局": "省医保局", "林草局": "省林业局", "省医保局": "省医保局"} {
		if got, ok := p.Directory.Resolve(name); !ok || !slices.Equal(got, []string{want}) {
			t.Errorf("Resolve(%q) = %v, %v; want %s", name, got, ok, want)
		}
	}
	if got := p.Item(4).Lead; !slices.Equal(got, []string{"省医保局"}) {
		t.Errorf("item 4 lead = %v, want 省医保局", got)
	}
	if a := p.Directory.Agency("省医保局"); a == nil || !a.Plan || a.Derived {
		t.Errorf("省医保局 = %+v: want added by the plan's file", a)
	}
	// The directory of another plan is not changed by it.
	if _, ok := NewDirectory().Resolve("林草局"); ok {
		t.Error("a plan's agency file changed the province's directory")
	}
}

// Without its agency file, an agency the document names is derived from it.
func TestDerivedAgency(t *testing.T) {
	doc, err := os.ReadFile("testdata/plans/fujian-2022-quality/fujian-2022-quality-workpoints.txt")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseWith(bytes.NewReader(doc), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a := p.Directory.Agency("省医保局")
	if a == nil || !a.Derived {
		t.Fatalf("省医保局 = %+v, want derived from the document", a)
	}
	if p.Year() != 2022 || p.Meta.DeadlineText != "2022年12月20日前" {
		t.Errorf("year %d deadline %q", p.Year(), p.Meta.DeadlineText)
	}
}

func TestAgencyFileErrors(t *testing.T) {
	cases := map[string]string{
		"[agencies]\n省林业局 | | 林业局\n省水利厅 | | 林业局\n": "第3行",   // 林业局 already names 省林业局
		"[agencies]\n省医保局 | | 药监局\n":               "第2行",   // taken by the drug regulator
		"[ambiguous]\n医保 | 省医保局 省卫健委\n":            "第2行",   // unknown agency
		"[english]\n省林业局 | fore(st\n":              "第2行",   // bad pattern
		"[agencies]\na | b | c | d\n":              "第2行",   // too many fields
		"[colours]\n":                              "第1行",   // unknown section
		"省林业局 | | 林草\n":                            "第1行",   // no section
		"\xff":                                     "UTF-8", // not text
	}
	for body, want := range cases {
		d := NewDirectory()
		n := len(d.Aliases())
		err := d.LoadAgencies([]byte(body), "x.txt")
		if err == nil || !strings.Contains(UserMessage(err), want) || ErrorCode(err) != CodeMalformed {
			t.Errorf("LoadAgencies(%q) = %v, want an error naming %s", body, err, want)
		}
		if len(d.Aliases()) != n {
			t.Errorf("LoadAgencies(%q) refused but changed the directory", body)
		}
	}
}

func TestManifestAndIDs(t *testing.T) {
	for _, body := range []string{"id: x\n", "document: d.txt\n", "id: Bad_ID\ndocument: d\n", "id: a\ndocument: d\nyear: 21\n", "id: a\ndocument: d\ncolour: red\n"} {
		if _, err := ReadManifest([]byte(body), "m"); err == nil {
			t.Errorf("ReadManifest(%q) accepted", body)
		}
	}
	taken := func(id string) bool { return id == "plan-2022" || id == "q2022" }
	p := &Plan{year: 2022}
	for file, want := range map[string]string{
		"Q2022.txt": "q2022-2", "2022年工作要点.txt": "plan-2022-2", "/tmp/fujian_2023 plan.txt": "fujian-2023-plan", "": "plan-2022-2",
	} {
		if got := SuggestPlanID(p, file, taken); got != want {
			t.Errorf("SuggestPlanID(%q) = %q, want %q", file, got, want)
		}
	}
	if err := CheckPlanID("fujian-2021-quality"); err != nil {
		t.Error(err)
	}
	for _, id := range []string{"", "-a", "A", "a b", "计划", string(make([]byte, 65))} {
		if CheckPlanID(id) == nil {
			t.Errorf("CheckPlanID(%q) accepted", id)
		}
	}
}
