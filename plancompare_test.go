package duban

import (
	"bytes"
	"os"
	"slices"
	"testing"

	"duban/seeds"
)

func loadBoth(t *testing.T) (*Plan, *Plan) {
	t.Helper()
	p21, err := LoadPlan(seeds.FS, seeds.Default)
	if err != nil {
		t.Fatal(err)
	}
	p22, err := LoadPlan(os.DirFS("testdata/plans"), "fujian-2022-quality")
	if err != nil {
		t.Fatal(err)
	}
	return p21, p22
}

// The forestry bureau's work from 2021 to 2022: two items carried on under
// other numbers (3 -> 6, 53 -> 8), one gained (7); the sports bureau drops
// its item 52.
func TestCompareItems(t *testing.T) {
	p21, p22 := loadBoth(t)
	roles := []Role{RoleLead}
	c := CompareItems(p21, p21.ItemsFor("省林业局", roles...), p22, p22.ItemsFor("省林业局", roles...))
	var carried [][2]int
	for _, x := range c.Carried {
		carried = append(carried, [2]int{x.Old, x.New})
	}
	if !slices.Equal(carried, [][2]int{{3, 6}, {53, 8}}) || !slices.Equal(c.Gained, []int{7}) || len(c.Dropped) != 0 {
		t.Errorf("省林业局: carried %v gained %v dropped %v; want [3 6] [53 8], gained [7], none dropped", carried, c.Gained, c.Dropped)
	}
	c = CompareItems(p21, p21.ItemsFor("省体育局", roles...), p22, p22.ItemsFor("省体育局", roles...))
	if len(c.Carried) != 1 || c.Carried[0].Old != 11 || c.Carried[0].New != 14 || !slices.Equal(c.Dropped, []int{52}) || len(c.Gained) != 0 {
		t.Errorf("省体育局: %+v; want 11 -> 14 carried and 52 dropped", c)
	}
	// An agency of one plan only: everything gained, or everything dropped.
	c = CompareItems(p21, p21.ItemsFor("省医保局", roles...), p22, p22.ItemsFor("省医保局", roles...))
	if !slices.Equal(c.Gained, []int{4}) || len(c.Carried)+len(c.Dropped) != 0 {
		t.Errorf("省医保局: %+v; want item 4 gained", c)
	}
}

func TestTitleSimilarity(t *testing.T) {
	if s := TitleSimilarity("加强林业标准化及林产品质量建设", "加强林业标准化和林产品质量建设"); s < 0.8 {
		t.Errorf("near-identical titles: %.2f", s)
	}
	if s := TitleSimilarity("推进森林康养基地建设", "推进林业品牌建设"); s >= MinCarrySimilarity {
		t.Errorf("different work: %.2f, want below %.2f", s, MinCarrySimilarity)
	}
	if TitleSimilarity("", "") != 0 || TitleSimilarity("提升", "提升") != 1 {
		t.Error("edge cases")
	}
}

// The office sees what a document adds before storing it: counts, and
// the agencies no directory knows with the known ones they may be.
func TestSummarize(t *testing.T) {
	p21, p22 := loadBoth(t)
	s := p21.Summarize()
	if s.Items != 71 || s.Lead+s.Joint != len(p21.Assignments()) || len(s.Unknown) != 0 {
		t.Errorf("seed summary %+v", s)
	}
	if s := p22.Summarize(); s.Items != 28 || len(s.Unknown) != 0 {
		t.Errorf("2022 summary with its agency file: %+v", s)
	}
	doc, _ := os.ReadFile("testdata/plans/fujian-2022-quality/fujian-2022-quality-workpoints.txt")
	doc = append(doc, []byte("29、加强海洋渔业执法。开展渔船安全检查。(牵头单位:省海洋渔业厅)\n")...)
	bare, err := ParseWith(bytes.NewReader(doc), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s = bare.Summarize()
	var names []string
	for _, u := range s.Unknown {
		names = append(names, u.Name)
	}
	if !slices.Equal(names, []string{"省医保局", "省海洋渔业厅"}) {
		t.Fatalf("unknown agencies %v, want 省医保局 and 省海洋渔业厅", names)
	}
	if u := s.Unknown[0]; !slices.Equal(u.Items, []int{4, 5}) {
		t.Errorf("省医保局 items %v, want 4 5 (28 only mentions it)", u.Items)
	}
	if u := s.Unknown[1]; len(u.Suggestions) == 0 || u.Suggestions[0] != "省海洋与渔业局" {
		t.Errorf("省海洋渔业厅 suggestions %v, want 省海洋与渔业局 first", u.Suggestions)
	}
}

// TestClosestItem: a report without an item is matched to the agency's
// item its words come from; none when nothing or two fit as well.
func TestClosestItem(t *testing.T) {
	p := seedPlan(t)
	cases := []struct {
		text string
		want int
	}{
		{"林业标准化那条已经搞完了", 3},
		{"森林公园建设完成过半", 53},
		{"林产品质量监测已抽检300批次", 3},
		{"品牌建设推进中", 53},
		{"好的", 0},
	}
	for _, c := range cases {
		if got := p.ClosestItem(c.text, []int{3, 53}); got != c.want {
			t.Errorf("ClosestItem(%q) = %d, want %d", c.text, got, c.want)
		}
	}
}
