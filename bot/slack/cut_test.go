package slack

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"duban/bot"
)

// entityRe matches what may follow an & in escaped text.
var entityRe = regexp.MustCompile(`&(amp|lt|gt);`)

// TestCutTextNeverSplitsAnEntity: text cut to Slack's limits is cut on a
// character before it is escaped, so the fallback, a note and a field
// never end in half an entity (…&l…) (hardening 21).
func TestCutTextNeverSplitsAnEntity(t *testing.T) {
	var pads []int
	for d := 0; d <= 40; d++ {
		pads = append(pads, maxFallback-d, maxContextRunes-d, maxFieldRunes-d)
	}
	for _, pad := range pads {
		long := strings.Repeat("进", pad) + "<<<&&&>>>" + strings.Repeat("展", 10)
		r := Render(bot.Reply{Title: "标题", Sections: []bot.Section{{Text: long, Fields: []bot.Field{{Label: "内容", Value: long}}}}, Note: long}, false)
		texts := []string{r.Fallback}
		for _, b := range r.Blocks {
			j, _ := json.Marshal(b)
			var v struct {
				Elements []struct{ Text string } `json:"elements"`
				Fields   []struct{ Text string } `json:"fields"`
			}
			json.Unmarshal(j, &v)
			for _, e := range v.Elements {
				texts = append(texts, e.Text)
			}
			for _, f := range v.Fields {
				texts = append(texts, f.Text)
			}
		}
		for _, s := range texts {
			for i := strings.IndexByte(s, '&'); i >= 0; i = nextAmp(s, i) {
				if !entityRe.MatchString(s[i:min(len(s), i+5)]) {
					t.Fatalf("pad %d: text cut inside an entity: …%s", pad, s[max(0, i-10):min(len(s), i+8)])
				}
			}
		}
		if n := len([]rune(r.Fallback)); n > maxFallback+64 {
			t.Errorf("fallback of %d characters", n)
		}
	}
}

func nextAmp(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '&')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}
