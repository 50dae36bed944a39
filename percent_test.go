package duban

import (
	"fmt"
	"strings"
	"testing"
)

// pcts renders what ScanPercents finds: "40", "40c" (cued), with the text
// of the figure and of its cue: "完成40%=40c".
func pcts(text string) string {
	text = Fold(text)
	var out []string
	for _, p := range ScanPercents(text) {
		s := text[p.CueStart:p.CueEnd] + "=" + fmt.Sprint(p.Value)
		if p.Cued {
			s += "c"
		}
		if p.Decimal {
			s += "."
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func TestScanPercents(t *testing.T) {
	cases := []struct{ in, want string }{
		{"40%", "40%=40"},
		{"完成40%", "完成40%=40c"},
		{"完成 40 %", "完成 40 %=40c"},
		{"４０％", "40%=40"},
		{"已完成40%的造林任务", "已完成40%=40c"},
		{"进行中完成40%已改造", "完成40%=40c"},
		{"完成度60% 正在推进", "完成度60%=60c"},
		{"进度为60%", "进度为60%=60c"},
		{"百分之四十", "百分之四十=40"},
		{"已完成百分之七十", "已完成百分之七十=70c"},
		{"百分之40", "百分之40=40"},
		{"百分之百", "百分之百=100"},
		{"完成百分之百", "完成百分之百=100c"},
		{"四成", "四成=40"},
		{"总体已完成七成", "总体已完成七成=70c"},
		{"七成五", "七成五=75"},
		{"七成半", "七成半=75"},
		{"两成", "两成=20"},
		{"7成", "7成=70"},
		{"十成", "十成=100"},
		{"40.5%", "40.5%=40."},
		{"99.9%", "99.9%=99."},
		{"150%", "150%=150"},
		{"40 percent complete", "40 percent complete=40c"},
		{"progress 40%", "progress 40%=40c"},
		{"抽检合格率达到92% 已改造", "92%=92"},
		{"已改造森林公园12个，完成70%", "完成70%=70c"},
		{"提升到92%，完成40%", "92%=92 完成40%=40c"},
		// Not percentages.
		{"第3条", ""},
		{"三成员单位", ""},
		{"建成五个", ""},
		{"完成了", ""},
		{"百分之", ""},
		{"40", ""},
		{"第十四届", ""},
	}
	for _, c := range cases {
		if got := pcts(c.in); got != c.want {
			t.Errorf("ScanPercents(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestScanPercentsOverflow(t *testing.T) {
	for _, s := range []string{"99999999999999999999999%", "百分之九九九九九九九九九九九九九九九九九九九九九"} {
		for _, p := range ScanPercents(s) {
			if p.Value >= 0 && p.Value <= 100 {
				t.Errorf("ScanPercents(%q) = %d, want out of range", s, p.Value)
			}
		}
	}
}

func FuzzScanPercents(f *testing.F) {
	for _, s := range []string{"完成40%", "百分之百", "七成五", "40 percent complete", "\xff%", "成成成", "百分之百分之"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		for _, p := range ScanPercents(s) {
			if p.CueStart > p.Start || p.Start >= p.End || p.End > p.CueEnd || p.CueEnd > len(s) || p.CueStart < last {
				t.Fatalf("ScanPercents(%q): bad ranges %+v", s, p)
			}
			last = p.CueEnd
		}
	})
}
