package index

import (
	"slices"
	"strings"
	"testing"

	"duban"
	"duban/seeds"
)

// cedictWords returns the words of hits, in order.
func cedictWords(hits []cedictHit) []string {
	var ws []string
	for _, h := range hits {
		ws = append(ws, h.Word)
	}
	return ws
}

// The embedded tables parse without a malformed line.
func TestCedictDataParses(t *testing.T) {
	tab, err := parseCedict(cedictEnData, cedictBridgeData, cedictPinyinData)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.en) < 5000 || len(tab.bridge) < 1000 || len(tab.pinyin) < 3000 {
		t.Errorf("tables too small: %d English keys, %d bridged words, %d characters", len(tab.en), len(tab.bridge), len(tab.pinyin))
	}
	if _, err := parseCedict("milk powder\t乳粉\n", "", ""); err == nil {
		t.Error("a line with two fields of three was accepted")
	}
}

// English questions of the dev sets find the plan's words. Every expected
// word is in the plan text (checked below); refrigerator finds nothing
// because the plan has no 冰箱 (only 绿色节能家电).
func TestCedictEnglish(t *testing.T) {
	plan := string(seeds.Fujian2021)
	cases := []struct {
		q     string
		want  []string // all of these among the hits
		first string   // the first hit, when given
	}{
		{q: "milk powder", want: []string{"乳粉"}, first: "乳粉"},
		{q: "powdered milk", want: []string{"乳粉"}},
		{q: "e-commerce", want: []string{"电子商务", "电商"}},
		{q: "online", want: []string{"网上", "线上"}},
		{q: "library", first: "图书馆"},
		{q: "Libraries", first: "图书馆"},
		{q: "counterfeit", want: []string{"假冒", "制假"}},
		{q: "Long March", first: "长征"},
		{q: "housekeeping", first: "家政"},
		{q: "facility", want: []string{"设施"}},
		{q: "food safety", first: "食品安全"},
		{q: "the food safety?", first: "食品安全"},
		{q: "tobacco", first: "烟草"},
		{q: "anniversary", first: "周年"},
		{q: "lawsuit", first: "诉讼"},
		{q: "instruments", want: []string{"仪器"}},
		{q: "monitoring", first: "监测"},
		{q: "filing", want: []string{"备案"}},
		{q: "services", first: "服务"},
		{q: "spot-check", want: []string{"抽检"}},
		{q: "personalised", want: []string{"个性化"}},
		{q: "standardisation", first: "标准化"},
		{q: "key", want: []string{"关键", "重点"}},
		{q: "core", want: []string{"核心"}},
		{q: "technology", first: "技术"},
	}
	for _, c := range cases {
		got := cedictWords(cedictEnglish(c.q))
		for _, w := range append(slices.Clone(c.want), c.first) {
			if w == "" {
				continue
			}
			if !strings.Contains(plan, w) {
				t.Fatalf("test expects %s, which the plan does not hold", w)
			}
			if !slices.Contains(got, w) {
				t.Errorf("cedictEnglish(%q) = %v, want %s among them", c.q, got, w)
			}
		}
		if c.first != "" && (len(got) == 0 || got[0] != c.first) {
			t.Errorf("cedictEnglish(%q) = %v, want %s first", c.q, got, c.first)
		}
	}
	for _, q := range []string{"refrigerator", "", "   ", "?!"} {
		if got := cedictEnglish(q); got != nil {
			t.Errorf("cedictEnglish(%q) = %v, want nothing", q, cedictWords(got))
		}
	}
}

// Within a key, words whose gloss is the key come before words whose longer
// gloss holds it.
func TestCedictEnglishExactFirst(t *testing.T) {
	for k, hits := range cedictData().en {
		for i := 1; i < len(hits); i++ {
			if hits[i].Exact && !hits[i-1].Exact {
				t.Fatalf("%q: exact %s after partial %s", k, hits[i].Word, hits[i-1].Word)
			}
		}
	}
	hits := cedictEnglish("public")
	if len(hits) == 0 || !hits[0].Exact || hits[0].Word != "公共" {
		t.Errorf(`cedictEnglish("public") = %v, want exact 公共 first`, hits)
	}
	var partial bool
	for _, h := range hits {
		partial = partial || (!h.Exact && h.Word == "公安")
	}
	if !partial {
		t.Errorf(`cedictEnglish("public") = %v, want 公安 ("public security") as a partial hit`, hits)
	}
}

// The generator wrote every key in the form the loader looks up, so no key
// is out of reach.
func TestCedictEnglishKeysNormalised(t *testing.T) {
	for k := range cedictData().en {
		if n := normalizeEnglishKey(k); n != k {
			t.Errorf("key %q is looked up as %q", k, n)
		}
	}
}

func TestEnglishKeyForms(t *testing.T) {
	cases := map[string][]string{
		"public libraries":    {"public libraries", "public library"},
		"facility":            {"facility", "facilities"},
		"research facilities": {"research facilities", "research facility"},
		"boxes":               {"boxes", "box"},
		"glass":               {"glass", "glasses"},
		"bus":                 {"bus", "buses"},
		"key core technology": {"key core technology", "key core technologies"},
		"monitoring":          {"monitoring", "monitor", "monitore"},
		"running":             {"running", "runn", "runne", "run"},
		"used":                {"used", "use", "us"},
		"spot-check":          {"spot-check", "spot-checks", "spot check", "spot checks", "spotcheck", "spotchecks"},
		"organisations":       {"organisations", "organisation", "organizations", "organization"},
	}
	for in, want := range cases {
		if got := englishKeyForms(in); !slices.Equal(got, want) {
			t.Errorf("englishKeyForms(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every Chinese word the tables give is in the plan text, and no bridged
// word is: the tables were cut for this plan.
func TestCedictWordsInPlan(t *testing.T) {
	plan := string(seeds.Fujian2021)
	tab := cedictData()
	for k, hits := range tab.en {
		for _, h := range hits {
			if !strings.Contains(plan, h.Word) {
				t.Fatalf("%q gives %s, which is not in the plan (rerun tools/cedict/build.mjs after changing the plan: tools/cedict/README.md)", k, h.Word)
			}
		}
	}
	for w, ps := range tab.bridge {
		if strings.Contains(plan, w) {
			t.Errorf("%s is in the plan but bridged", w)
		}
		for _, p := range ps {
			if !strings.Contains(plan, p) {
				t.Fatalf("%s is bridged to %s, which is not in the plan", w, p)
			}
		}
	}
}

// Colloquial words of the dev set reach the plan's wording.
func TestCedictBridge(t *testing.T) {
	cases := map[string]string{
		"奶粉": "乳粉", // 婴幼儿配方乳粉 (item 4)
		"衣服": "服装", // 服装 (item 9)
		"孩子": "儿童", // 儿童用药 (item 42)
	}
	for w, want := range cases {
		if got := cedictBridge(w); !slices.Contains(got, want) {
			t.Errorf("cedictBridge(%s) = %v, want %s among them", w, got, want)
		}
	}
	for _, w := range []string{"乳粉", "冰箱", "", "milk"} {
		if got := cedictBridge(w); got != nil {
			t.Errorf("cedictBridge(%q) = %v, want nothing", w, got)
		}
	}
}

// Every character of the plan and of the agency names has its pinyin, and a
// character typed for another of the same sound shares a syllable with it.
func TestCedictPinyin(t *testing.T) {
	var missing []string
	check := func(s string) {
		for _, r := range s {
			if isHan(r) && cedictPinyin(r) == nil && !slices.Contains(missing, string(r)) {
				missing = append(missing, string(r))
			}
		}
	}
	check(string(seeds.Fujian2021))
	seed, err := duban.LoadPlan(seeds.FS, seeds.Default)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range seed.Directory.Agencies() {
		check(a.Name + a.Full + a.Header + strings.Join(a.Aliases, ""))
	}
	if len(missing) > 0 {
		t.Errorf("no pinyin for %d characters: %s (rerun tools/cedict/build.mjs after changing the plan or lexicon/agencies.txt: tools/cedict/README.md)", len(missing), strings.Join(missing, ""))
	}
	pairs := [][2]rune{{'梯', '悌'}, {'量', '亮'}, {'监', '坚'}, {'质', '制'}, {'检', '减'}}
	for _, p := range pairs {
		a, b := cedictPinyin(p[0]), cedictPinyin(p[1])
		if !slices.ContainsFunc(a, func(s string) bool { return slices.Contains(b, s) }) {
			t.Errorf("%c %v and %c %v share no syllable", p[0], a, p[1], b)
		}
	}
	if got := cedictPinyin('梯'); !slices.Equal(got, []string{"ti"}) {
		t.Errorf("pinyin of 梯 = %v, want [ti]", got)
	}
	if got := cedictPinyin('绿'); !slices.Contains(got, "lv") {
		t.Errorf("pinyin of 绿 = %v, want lv (ü as v) among them", got)
	}
	if got := cedictPinyin('a'); got != nil {
		t.Errorf("pinyin of a = %v, want nothing", got)
	}
}

// BenchmarkCedictLoad parses the three embedded tables, the cost of the first
// lookup.
//
//	go test -run x -bench Cedict -benchmem ./index
func BenchmarkCedictLoad(b *testing.B) {
	for b.Loop() {
		if _, err := parseCedict(cedictEnData, cedictBridgeData, cedictPinyinData); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCedictLookup looks up English words and phrases (some found only
// after their plural is undone), bridged words and characters, once loaded.
func BenchmarkCedictLookup(b *testing.B) {
	cedictData()
	en := []string{"milk powder", "public libraries", "research facilities", "Long March", "key core technologies", "refrigerator"}
	for b.Loop() {
		for _, q := range en {
			cedictEnglish(q)
		}
		cedictBridge("奶粉")
		cedictPinyin('悌')
	}
}
