package duban

import (
	"slices"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	d := NewDirectory()
	cases := map[string][]string{
		"省林业局": {"省林业局"}, "林业局": {"省林业局"}, "福建省林业局": {"省林业局"},
		"省海洋渔业局": {"省海洋与渔业局"}, "海洋与渔业局": {"省海洋与渔业局"},
		"药监局": {"省药品监管局"}, "省烟草局": {"省烟草专卖局"},
		"金融管理局": {"省地方金融监督管理局"}, "福建省税务局": {"省税务局"}, "教育厅": {"省教育厅"},
		"市监局": {"省市场监管局"}, "发改委": {"省发改委"}, "人行福州中心支行": {"中国人民银行福州中心支行"},
		"省粮食和物资储备局": {"省粮储局"}, "省人力资源和社会保障厅": {"省人社厅"},
		"海关": {"福州海关", "厦门海关"}, "税务局": {"省税务局", "厦门市税务局"},
		"厦门市税务局": {"厦门市税务局"}, " 省林业局 ": {"省林业局"}, "「林业局」": {"省林业局"},
		"省卫生厅": {"省卫健委"}, "省文化厅": {"省文旅厅"}, "省经信委": {"省工信厅"}, "省质监局": {"省市场监管局"},
		"Fuzhou Customs": {"福州海关"}, "the Provincial Department of Education": {"省教育厅"},
		"customs": {"福州海关", "厦门海关"}, "Fujian Forestry Bureau": {"省林业局"},
	}
	for name, want := range cases {
		got, ok := d.Resolve(name)
		if !ok || !slices.Equal(got, want) {
			t.Errorf("Resolve(%q) = %v, %v; want %v", name, got, ok, want)
		}
	}
	// The forms only the 2021 plan uses are its own (seeds/fujian-2021-quality/agencies.txt).
	for _, name := range []string{"", "省生态环境厅", "林业", "局", "国家药品监管局", "福建证监会", "省委党校(行政学院)"} {
		if got, ok := d.Resolve(name); ok {
			t.Errorf("Resolve(%q) = %v; want not found", name, got)
		}
	}
	if !d.Ambiguous("海关") || d.Ambiguous("福州海关") {
		t.Error("Ambiguous wrong for 海关 / 福州海关")
	}
}

func TestFind(t *testing.T) {
	d := NewDirectory()
	got := d.Find("省发改委和省地方金融监督管理局分别按职责落实哪些工作,国家药品监管局不算,厦门市税务局算")
	var names []string
	for _, m := range got {
		names = append(names, m.Names...)
	}
	want := []string{"省发改委", "省地方金融监督管理局", "厦门市税务局"}
	if !slices.Equal(names, want) {
		t.Errorf("Find = %v, want %v", names, want)
	}
	// English names, in the order they stand, mixed with Chinese ones.
	text := "which items do the xiamen customs, 省林业局 and the department of education share? not customsx"
	names = nil
	for _, m := range d.Find(text) {
		names = append(names, m.Names...)
		if text[m.Start:m.End] != m.Text {
			t.Errorf("match %q at [%d,%d) is %q in the text", m.Text, m.Start, m.End, text[m.Start:m.End])
		}
	}
	want = []string{"厦门海关", "省林业局", "省教育厅"}
	if !slices.Equal(names, want) {
		t.Errorf("Find(English) = %v, want %v", names, want)
	}
}

func TestForms(t *testing.T) {
	d := NewDirectory()
	cases := []struct {
		name string
		want []string
	}{
		{"省林业局", []string{"省林业局", "福建省林业局", "林业局"}},
		{"省药品监管局", []string{"省药品监管局", "福建省药品监督管理局", "药监局", "省药监局", "药品监管局", "省药品监督管理局", "药品监督管理局"}},
		{"省市场监管局", []string{"省市场监管局", "福建省市场监督管理局", "市场监管局", "市监局", "省市监局", "省市场监督管理局", "市场监督管理局", "省市场监管", "市场监督局", "省市场局", "市场局", "省质监局", "质监局", "省工商局", "工商局", "省知识产权局"}},
		{"中国人民银行福州中心支行", []string{"中国人民银行福州中心支行", "人民银行福州中心支行", "人行福州中心支行", "福州中心支行", "人民银行", "央行福州中心支行", "中国人民银行", "人行", "人民银行福州中支", "福州中支"}},
		{"林业局", nil}, // an alias, not a canonical name
		{"海关", nil},  // ambiguous: not the form of one agency
		{"省生态环境厅", nil},
		{"", nil},
	}
	for _, c := range cases {
		if got := d.Forms(c.name); !slices.Equal(got, c.want) {
			t.Errorf("Forms(%q) = %q, want %q", c.name, got, c.want)
		}
	}
	// Every form resolves to its agency.
	for _, a := range d.Agencies() {
		for _, f := range d.Forms(a.Name) {
			if names, ok := d.Resolve(f); !ok || !slices.Contains(names, a.Name) {
				t.Errorf("Resolve(%q), a form of %s = %v, %v", f, a.Name, names, ok)
			}
		}
	}
	// An agency a document adds has its one name.
	d.ensure("省生态环境厅")
	if got, want := d.Forms("省生态环境厅"), []string{"省生态环境厅"}; !slices.Equal(got, want) {
		t.Errorf("Forms of an added agency = %q, want %q", got, want)
	}
}

func TestSuggest(t *testing.T) {
	d := NewDirectory()
	if s := d.Suggest("省林叶局", 3); len(s) == 0 || s[0] != "省林业局" {
		t.Errorf("Suggest(省林叶局) = %v", s)
	}
	if s := d.Suggest("火星探测局", 3); len(s) != 0 {
		t.Errorf("Suggest of a far name = %v, want none", s)
	}
}

func TestFold(t *testing.T) {
	if got := Fold("ＡＢＣ１２３，：　∶。"); got != "ABC123,: :。" {
		t.Errorf("Fold = %q", got)
	}
	if got := Fold("bad\xffbyte"); got != "bad\xffbyte" {
		t.Errorf("Fold changed invalid bytes: %q", got)
	}
}

// TestFindInvalidUTF8 is a regression test: an invalid byte before a name
// made Find slice out of range (found by FuzzStoreCommands).
func TestFindInvalidUTF8(t *testing.T) {
	d := NewDirectory()
	got := d.Find("\x95厦门海关")
	if len(got) != 1 || got[0].Text != "厦门海关" || got[0].Start != 1 {
		t.Errorf("Find(\"\\x95厦门海关\") = %+v, want 厦门海关 at 1", got)
	}
}

func TestCorrect(t *testing.T) {
	d := NewDirectory()
	for name, want := range map[string]string{"省卫建委": "省卫健委", "省林叶局": "省林业局", "卫建委": "省卫健委", "省教育庭": "省教育厅"} {
		got, _, ok := d.Correct(name)
		if !ok || len(got) != 1 || got[0] != want {
			t.Errorf("Correct(%q) = %v, %v; want %s", name, got, ok, want)
		}
	}
	// Not a homophone, not one character, too short, or already known.
	for _, name := range []string{"省民宗厅", "省林业厅", "省卫生委员", "卫委", "省卫健委", "省气象局"} {
		if got, _, ok := d.Correct(name); ok {
			t.Errorf("Correct(%q) = %v; want no correction", name, got)
		}
	}
}

// TestEnglishDescriptions: agencies described in English words rather than
// by their names.
func TestEnglishDescriptions(t *testing.T) {
	d := NewDirectory()
	cases := map[string]string{
		"which items does the drug regulator lead":                 "省药品监管局",
		"the marine and fisheries bureau":                          "省海洋与渔业局",
		"What is the industry and IT department involved in":       "省工信厅",
		"Which items does the police department help carry out?":   "省公安厅",
		"items of the housing and construction department":         "省住建厅",
		"Was the banking and insurance regulator on the list?":     "福建银保监局",
		"the health commission and the drug regulator":             "省卫健委 省药品监管局",
		"what does the department of culture and tourism lead":     "省文旅厅",
		"Which items does the customs handle?":                     "福州海关+厦门海关",
		"what does the sports administration do":                   "省体育局",
		"domestic housekeeping services":                           "",
		"financial support to businesses":                          "",
		"Which agencies are responsible for food safety sampling?": "",
	}
	for in, want := range cases {
		var got []string
		for _, m := range d.Find(in) {
			got = append(got, strings.Join(m.Names, "+"))
		}
		if g := strings.Join(got, " "); g != want {
			t.Errorf("Find(%q) = %q, want %q", in, g, want)
		}
	}
}

// TestEnglishDescriptionsNeedAnAgencyNoun: words after which no agency
// noun stands are a topic ("the fisheries standards work centre on").
func TestEnglishDescriptionsNeedAnAgencyNoun(t *testing.T) {
	d := NewDirectory()
	for _, in := range []string{"How many aquaculture species does the fisheries standards work centre on?", "health services for the elderly", "the forestry people"} {
		if m := d.Find(in); len(m) != 0 {
			t.Errorf("Find(%q) = %v, want none", in, m)
		}
	}
}
