package duban

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestChineseNumbers(t *testing.T) {
	cases := map[string]int{"三": 3, "十": 10, "十二": 12, "三十九": 39, "七十一": 71, "一百零五": 105,
		"二〇二一": 2021, "两": 2, "两千": 2000, "三万五千": 35000, "十万": 100000, "一亿三千万": 130000000, "一千零一": 1001,
		"廿": 20, "廿一": 21, "卅五": 35, "一百廿": 120}
	for s, want := range cases {
		if got, ok := ParseChineseNumber(s); !ok || got != want {
			t.Errorf("ParseChineseNumber(%q) = %d, %v; want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "三三", "abc", "第三", "一二", "九九九九九九九九九九九九九九九九九九九九九", "三廿"} {
		if _, ok := ParseChineseNumber(s); ok {
			t.Errorf("ParseChineseNumber(%q) accepted", s)
		}
	}
}

func TestScanNumbers(t *testing.T) {
	cases := []struct {
		in   string
		want string // value/script/ordinal of each number
	}{
		{"第五十三条", "53c"},
		{"item fifty-three", "53e"},
		{"the forty-eighth item", "48eo"},
		{"one hundred and five", "105e"},
		{"points 15 through 16", "15d 16d"},
		{"48th", "48do"},
		{"15.86万批次", "150000d."},
		{"新改建800公里", "800d"},
		{"10万亩", "100000d"},
		{"二〇二一年", "2021c"},
		{"twenty one and twenty two", "21e 22e"},
		{"five six", "5e 6e"},
		{"#1000000", "1000000d"},
		{"#99999999999999999999999", "overflow"},
		{"someone", ""},
		{"often", ""},
	}
	for _, c := range cases {
		var got []string
		for _, n := range ScanNumbers(c.in) {
			if n.Overflow {
				got = append(got, "overflow")
				continue
			}
			s := fmt.Sprint(n.Value) + map[Script]string{ScriptDigits: "d", ScriptChinese: "c", ScriptEnglish: "e"}[n.Script]
			if n.Ordinal {
				s += "o"
			}
			if n.Decimal {
				s += "."
			}
			got = append(got, s)
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("ScanNumbers(%q) = %q, want %q", c.in, g, c.want)
		}
	}
}

// refs renders what FindItemRefs finds: "53", "51-52", "last", "end2",
// "bare68", "bad".
func refs(text string) string {
	var out []string
	for _, r := range FindItemRefs(Fold(text)) {
		s := fmt.Sprint(r.N)
		switch {
		case r.Invalid:
			s = "bad"
		case r.LastN:
			s = fmt.Sprint("lastN", r.N)
		case r.ToEnd:
			s = fmt.Sprintf("%d-end", r.N)
		case r.FromEnd && r.N == 1:
			s = "last"
		case r.FromEnd:
			s = fmt.Sprint("end", r.N)
		case r.To > 0:
			s = fmt.Sprintf("%d-%d", r.N, r.To)
		case r.Bare:
			s = "bare" + s
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func TestFindItemRefs(t *testing.T) {
	cases := map[string]string{
		// Chinese, with and without 第, digits and numerals.
		"第39条是什么":            "39",
		"第三十九条":              "39",
		"帮我看下第廿条":            "20",
		"卅一条讲的啥":             "31",
		"四十三条讲什么":            "43",
		"七十条说什么":             "70",
		"二十二条原文发我一下":         "22",
		"五十九条":               "59",
		"53条进展：森林公园已改造15个":   "53",
		"第三条 已完成 林木种苗抽查全部完成": "3",
		"要点35":               "35",
		"#35":                "35",
		"３号":                 "3",
		"第五十三條":              "",
		"第13条污水管网多少公里":       "13",
		"第39":                "39",
		"第 12 项":             "12",
		// Bare numbers: the whole message.
		"六十八是什么": "bare68",
		"53":     "bare53",
		"看看53":   "bare53",
		"53呢":    "bare53",
		"53项是什么": "bare53",
		"三":      "",
		// Ranges and lists.
		"五十一至五十二条":                            "51-52",
		"第3至5条":                               "3-5",
		"第3、5条":                               "3 5",
		"第3条和第5条":                             "3 5",
		"进展 #3、#53 进行中":                       "3 53",
		"items 3 and 5":                       "3 5",
		"What do points 15 through 16 cover?": "15-16",
		"items 3-5":                           "3-5",
		// The first or last N, and the items after or before one.
		"前十条里哪些是海关的":          "1-10",
		"头三条":                 "1-3",
		"后五条是哪些单位的":           "lastN5",
		"最后三条":                "lastN3",
		"第20条以后有哪些是文旅厅的":      "21-end",
		"二十条之后":               "21-end",
		"第十条以前":               "1-9",
		"the first ten items": "1-10",
		"the last 5 items":    "lastN5",
		"after item 60":       "61-end",
		"items before item 4": "1-3",
		"这两条":                 "",
		"有三条涉及":               "",
		// English.
		"show item 67":                          "67",
		"item seventy":                          "70",
		"Read me point thirty-three":            "33",
		"I need the forty-eighth item":          "48",
		"the 5th work point":                    "5",
		"Can you pull up the final work point?": "last",
		"最后一条是什么":                               "last",
		"倒数第二条":                                 "end2",
		"the second-to-last item":               "end2",
		"the third from last point":             "end3",
		"show me the penultimate item":          "end2",
		"item #35":                              "35",
		"No.12":                                 "12",
		// Not item references.
		"第十四届":       "",
		"第二类医疗器械":    "",
		"有三条涉及茶":     "",
		"2021-2022年": "",
		"12315平台":    "",
		"新改建800公里":   "",
		"一流大学":       "",
		"第1、2类":      "",
		"进展 进行中 已完成造林10万亩": "",
		"the fifth":    "",
		"3A级景区":        "",
		"供水管网要新改建多少公里": "",
		// Refused.
		"第-1条":                     "bad",
		"#99999999999999999999999": "bad",
	}
	for in, want := range cases {
		if got := refs(in); got != want {
			t.Errorf("refs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestItemRefsReadWholeNumbers(t *testing.T) {
	// Hardening 9: #1000000 was read as item 100000.
	r := FindItemRefs("#1000000")
	if len(r) != 1 || r[0].N != 1000000 {
		t.Fatalf("FindItemRefs(#1000000) = %+v", r)
	}
	p := &Plan{Items: make([]*Item, 71)}
	items, bad := p.ResolveItemRefs(r)
	if len(items) != 0 || !slices.Equal(bad, []int64{1000000}) {
		t.Errorf("ResolveItemRefs = %v %v", items, bad)
	}
}

func TestResolveItemRefs(t *testing.T) {
	p := &Plan{Items: make([]*Item, 71)}
	cases := map[string]struct {
		items []int
		bad   []int64
	}{
		"最后一条":                  {[]int{71}, nil},
		"倒数第二条":                 {[]int{70}, nil},
		"第3至5条和第4条":             {[]int{3, 4, 5}, nil},
		"第72条":                  {nil, []int64{72}},
		"第-1条":                  {nil, []int64{-1}},
		"第1至1000条":              {nil, nil},
		"后三条":                   {[]int{69, 70, 71}, nil},
		"第68条以后":                {[]int{69, 70, 71}, nil},
		"前两条":                   {[]int{1, 2}, nil},
		"第3条之前":                 {[]int{1, 2}, nil},
		"#99999999999999999999": {nil, []int64{math.MaxInt64}},
	}
	for in, want := range cases {
		items, bad := p.ResolveItemRefs(FindItemRefs(in))
		if in == "第1至1000条" {
			if len(items) != 71 || len(bad) == 0 {
				t.Errorf("%s: %d items, bad %v", in, len(items), bad)
			}
			continue
		}
		if !slices.Equal(items, want.items) || !slices.Equal(bad, want.bad) {
			t.Errorf("%s: items %v bad %v, want %v %v", in, items, bad, want.items, want.bad)
		}
	}
}

func FuzzFindItemRefs(f *testing.F) {
	for _, s := range []string{"第39条", "五十一至五十二条", "items 3 and 5", "#1000000", "最后一条", "第-1条", "one hundred and five", "15.86万"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range FindItemRefs(s) {
			if r.Start < 0 || r.End > len(s) || r.Start >= r.End {
				t.Fatalf("FindItemRefs(%q): bad span %+v", s, r)
			}
		}
		for _, n := range ScanNumbers(s) {
			if n.Start < 0 || n.End > len(s) || n.Start >= n.End || n.Value < 0 {
				t.Fatalf("ScanNumbers(%q): bad number %+v", s, n)
			}
		}
	})
}

func TestSimplify(t *testing.T) {
	for in, want := range map[string]string{"第五十三條": "第五十三条", "質量強省": "质量强省", "省林业局": "省林业局", "bad\xffbyte條": "bad\xffbyte条"} {
		if got := Simplify(in); got != want {
			t.Errorf("Simplify(%q) = %q, want %q", in, got, want)
		}
	}
	if got := refs(Simplify("第五十三條")); got != "53" {
		t.Errorf("refs(第五十三條) = %q", got)
	}
}

// BenchmarkFindItemRefsLong reads a long message full of numbers and item
// references (50 KB, as a pasted report may be): the reading must grow
// with the length of the message, not with its square.
func BenchmarkFindItemRefsLong(b *testing.B) {
	text := Fold(strings.Repeat("已改造森林公园12个，完成40%，第3条、#5号，the last item；", 700))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		FindItemRefs(text)
	}
}
