package understand

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"duban"
	"duban/seeds"
)

func seedReader(t testing.TB) *Reader {
	t.Helper()
	plan, err := duban.LoadPlan(seeds.FS, seeds.Default)
	if err != nil {
		t.Fatal(err)
	}
	return NewReader(plan, nil)
}

// roleString renders the roles a question asks: "lead", "joint", "all".
func roleString(q Query) string {
	set := q.Roles.Set()
	switch {
	case len(set) == 2:
		return "all"
	case set[0] == duban.RoleLead:
		return "lead"
	}
	return "joint"
}

func agencyNames(refs []AgencyRef) string {
	var out []string
	for _, a := range refs {
		out = append(out, strings.Join(a.Names, "+"))
	}
	return strings.Join(out, ",")
}

// TestRolesWithNegation: negation and inclusion decide the roles asked,
// whatever words say them, and an agency or item in a clause that excludes
// it is not what is asked about.
func TestRolesWithNegation(t *testing.T) {
	rd := seedReader(t)
	cases := []struct {
		q, roles, agencies, excluded string
		items                        []int
	}{
		{"省林业局牵头哪些工作", "lead", "省林业局", "", nil},
		{"林业局负责什么", "all", "省林业局", "", nil},
		{"药监局除了牵头的，还有哪些是按职责落实的", "joint", "省药品监管局", "", nil},
		{"发改委有没有不是牵头、只是按职责落实的条目", "joint", "省发改委", "", nil},
		{"商务厅跟海关，哪些条目只是配合、不牵头", "joint", "省商务厅,福州海关+厦门海关", "", nil},
		{"科技厅和发改委一共涉及哪些条目（含按职责落实）", "all", "省科技厅,省发改委", "", nil},
		{"卫健委都管哪些，包括配合的", "all", "省卫健委", "", nil},
		{"住建厅除了牵头第13条，还有按职责落实的吗", "joint", "省住建厅", "", nil},
		{"农业农村厅牵头的有哪些，配合打假那条不算", "lead", "省农业农村厅", "", nil},
		{"教育厅牵头的有哪些？跟科技厅一起落实的不算", "lead", "省教育厅", "省科技厅", nil},
		{"Which items is the drug administration the lead unit for? Leave out the ones it only supports.", "lead", "省药品监管局", "", nil},
		{"Which items does the forestry bureau share with others rather than lead?", "joint", "省林业局", "", nil},
		{"What is the commerce department involved in, whether leading or supporting?", "all", "省商务厅", "", nil},
		{"省林业局不仅牵头还配合哪些", "all", "省林业局", "", nil},
		{"第3条是什么", "all", "", "", []int{3}},
	}
	for _, c := range cases {
		q := rd.Read(c.q)
		got := fmt.Sprintf("%s | %s | %s | %v", roleString(q), agencyNames(q.Agencies), agencyNames(q.Excluded), q.Items)
		want := fmt.Sprintf("%s | %s | %s | %v", c.roles, c.agencies, c.excluded, c.items)
		if c.items == nil {
			want = strings.Replace(want, "| <nil>", "| []", 1)
			got = strings.Replace(got, "| <nil>", "| []", 1)
		}
		if got != want {
			t.Errorf("%s:\n got  %s\n want %s", c.q, got, want)
		}
	}
}

// TestAgencyInOtherWords: an agency named clipped, with a sector word,
// listed with a shared head, or with one typing error.
func TestAgencyInOtherWords(t *testing.T) {
	rd := seedReader(t)
	cases := map[string]string{
		"文旅口牵头的要点":       "省文旅厅",
		"林业部门负责什么":       "省林业局",
		"市场监管牵头哪些":       "省市场监管局",
		"科技、教育两个厅牵头的条目":  "省科技厅,省教育厅",
		"公安、民政厅负责哪些":     "省公安厅,省民政厅",
		"省农业农材厅负责哪些":     "省农业农村厅",
		"省住房城乡建设厅牵头哪些":   "省住建厅",
		"人社和商务各牵头哪条":     "省人社厅,省商务厅",
		"林业、海渔两家牵头的":     "省林业局,省海洋与渔业局",
		"金融局自己牵头的有哪些":    "省地方金融监督管理局",
		"金融局加上证监局，一共哪些条": "省地方金融监督管理局,福建证监局",
	}
	for in, want := range cases {
		q := rd.Read(in)
		if got := agencyNames(q.Agencies); got != want {
			t.Errorf("%s: agencies %q, want %q (unknown %q)", in, got, want, q.Unknown)
		}
	}
	// A word that stands in topic questions too (的工作) makes no unknown
	// agency of what comes before it.
	if q := rd.Read("文旅部部署的工作"); q.Unknown != "" || len(q.Agencies) != 0 {
		t.Errorf("文旅部部署的工作: unknown %q agencies %v, want a topic", q.Unknown, agencyNames(q.Agencies))
	}
	// Another kind of unit, or a name far from any: unknown, not guessed.
	for _, in := range []string{"省公安局负责什么", "火星探测局牵头哪些"} {
		q := rd.Read(in)
		if len(q.Agencies) != 0 || q.Unknown == "" {
			t.Errorf("%s: agencies %v unknown %q, want an unknown agency", in, agencyNames(q.Agencies), q.Unknown)
		}
	}
}

// TestMetaOrMatter: a cover-letter cue with nothing else asks about the
// letter; with a matter of the items beside it, it asks about that matter.
func TestMetaOrMatter(t *testing.T) {
	rd := seedReader(t)
	letter := map[string]string{
		"反馈截止时间是什么时候":                     "deadline",
		"材料用什么格式发送":                       "feedback",
		"请问林忠辉的电话":                        "phone",
		"What date was the notice issued": "date",
		"When is the feedback due":        "deadline",
		"这份工作要点是为了贯彻落实哪份文件":               "basis",
		// The plan named by part of its title, and English fillers.
		"质量强省工作要点一共多少条":                                        "count",
		"2021年质量强省工作要点一共几条":                                    "count",
		"福建省质量强省工作要点总共几条":                                      "count",
		"how many items in total":                              "count",
		"how many work items does the plan have":               "count",
		"how many points does the document contain altogether": "count",
	}
	for in, kind := range letter {
		q := rd.Read(in)
		if q.Meta != kind || q.Residue != "" {
			t.Errorf("%s: meta %q residue %q, want %q and none", in, q.Meta, q.Residue, kind)
		}
	}
	for _, in := range []string{"跨省通办新增的事项截止到什么时候", "电梯的事找谁", "What date is World Standards Day"} {
		if q := rd.Read(in); q.Residue == "" {
			t.Errorf("%s: meta %q with no residue; it asks about a matter of the items", in, q.Meta)
		}
	}
}

// TestTopicWithoutQuestionWords: what is searched is the topic, whatever
// question words stand around it.
func TestTopicWithoutQuestionWords(t *testing.T) {
	rd := seedReader(t)
	cases := map[string]string{
		"哪些工作涉及石墨烯":                                             "石墨烯",
		"有关茶的内容":                                                "茶",
		"有没有提到电梯的条目":                                            "电梯",
		"请问关于学前教育有哪些要点？":                                        "学前教育",
		"what does the plan say about the belt and road":        "belt and road",
		"Who is responsible for food safety sampling (食品安全抽检)?": "食品安全抽检",
	}
	for in, want := range cases {
		if got := rd.Read(in).Topic; got != want {
			t.Errorf("%s: topic %q, want %q", in, got, want)
		}
	}
}

func TestWhole(t *testing.T) {
	cases := map[string]string{"你好": "greeting", "在吗？": "greeting", "谢谢！": "thanks", "好的": "ack", "帮助": "help", "": "help",
		"你好，省林业局牵头哪些工作": "", "help me find 茶": ""}
	for in, want := range cases {
		if got := Whole(in); got != want {
			t.Errorf("Whole(%q) = %q, want %q", in, got, want)
		}
	}
	if rest, ok := SearchCommand("搜索 省住建厅"); !ok || rest != "省住建厅" {
		t.Errorf("SearchCommand = %q %v", rest, ok)
	}
}

func FuzzRead(f *testing.F) {
	rd := seedReader(f)
	for _, s := range []string{"第39条", "药监局除了牵头的，还有哪些是按职责落实的", "科技、教育两个厅牵头的条目", "(食品)", "、、、和", "not lead"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := rd.Read(s)
		for _, n := range q.Items {
			if n < 1 || n > len(rd.plan.Items) {
				t.Fatalf("Read(%q): item %d outside the plan", s, n)
			}
		}
		if slices.ContainsFunc(q.Agencies, func(a AgencyRef) bool { return len(a.Names) == 0 }) {
			t.Fatalf("Read(%q): an agency without names", s)
		}
	})
}

// TestExclusionEndsWhereTheQuestionGoesOn: 除了/besides/except open what
// they exclude, and the question goes on after a word like 还有, 另外,
// else or a who word: "除了海关还有谁负责第34条" asks who (besides the
// customs) is responsible for item 34, and item 34 is not excluded.
// 以外/之外/不算 close what they exclude.
func TestExclusionEndsWhereTheQuestionGoesOn(t *testing.T) {
	rd := seedReader(t)
	cases := []struct {
		q        string
		who      bool
		agencies string
		excluded string
		items    []int
		topic    string
	}{
		{"除了海关还有谁负责第34条", true, "", "福州海关+厦门海关", []int{34}, ""},
		{"第34条除了海关还有哪些单位", true, "", "福州海关+厦门海关", []int{34}, ""},
		{"除海关以外第34条还有谁参与", true, "", "福州海关+厦门海关", []int{34}, ""},
		{"第34条，除了海关，另外还有哪个部门", true, "", "福州海关+厦门海关", []int{34}, ""},
		{"第34条里面海关以外的单位有哪些", false, "", "福州海关+厦门海关", []int{34}, ""},
		{"besides customs who else works on item 34", true, "", "福州海关+厦门海关", []int{34}, ""},
		{"apart from the customs, which agencies are responsible for item 34", true, "", "福州海关+厦门海关", []int{34}, ""},
		{"除了海关还有哪些单位负责食品安全", true, "", "福州海关+厦门海关", nil, "食品安全"},
		{"食品安全除了市场监管局还归谁管", true, "", "省市场监管局", nil, "食品安全"},
		// What stood before keeps its meaning.
		{"药监局除了牵头的还配合哪些", false, "省药品监管局", "", nil, ""},
		{"教育厅牵头的有哪些？跟科技厅一起落实的不算", false, "省教育厅", "省科技厅", nil, ""},
		{"农业农村厅牵头的，不算配合打假那条", false, "省农业农村厅", "", nil, ""},
	}
	for _, c := range cases {
		q := rd.Read(c.q)
		got := fmt.Sprintf("who=%v | %s | %s | %v", q.Who, agencyNames(q.Agencies), agencyNames(q.Excluded), q.Items)
		want := fmt.Sprintf("who=%v | %s | %s | %v", c.who, c.agencies, c.excluded, c.items)
		got = strings.Replace(got, "| <nil>", "| []", 1)
		want = strings.Replace(want, "| <nil>", "| []", 1)
		if got != want {
			t.Errorf("%s:\n got  %s\n want %s", c.q, got, want)
		}
		if c.topic != "" && !strings.Contains(q.Topic, c.topic) {
			t.Errorf("%s: topic %q, want it to hold %q", c.q, q.Topic, c.topic)
		}
	}
}

// TestRoleWordInTheTopic: an English role word after the question's own
// role words is part of what is asked about ("responsible for financial
// support"), not a second role; joined by or/and it is a role.
func TestRoleWordInTheTopic(t *testing.T) {
	rd := seedReader(t)
	for q, topic := range map[string]string{
		"Which agencies are responsible for financial support to businesses?": "support",
		"who is in charge of support for small businesses":                    "support",
		"who handles technical support for exporters":                         "support",
	} {
		if got := rd.Read(q); !strings.Contains(got.Topic, topic) {
			t.Errorf("%s: topic %q, want it to hold %q", q, got.Topic, topic)
		}
	}
	for q, roles := range map[string]string{
		"Which items does the forestry bureau lead or support?": "all",
		"which items does customs support":                      "joint",
	} {
		if got := roleString(rd.Read(q)); got != roles {
			t.Errorf("%s: roles %s, want %s", q, got, roles)
		}
	}
}
