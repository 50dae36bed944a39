// Package duban is the domain of the duban supervision bot: the work plan
// (Plan, Item, Target), the agencies responsible for it (Agency, Directory,
// Role), the progress reports agencies post (Update, Status, Binding), the
// parser that reads the plan document and the error type that carries a
// polite Chinese message to the user.
//
// The package uses the standard library only. Search (package index),
// storage (package store) and conversation (package bot) build on it.
package duban

import (
	"slices"
	"time"
)

// Role is how an agency stands towards an item.
type Role int

// The roles, strongest first. RoleNone means the agency is not named.
const (
	RoleNone      Role = iota
	RoleLead           // 牵头单位:X
	RoleJoint          // X、Y按职责落实
	RoleMentioned      // named in the item's body only
)

// String returns the Chinese name of the role as the office writes it.
func (r Role) String() string {
	switch r {
	case RoleLead:
		return "牵头"
	case RoleJoint:
		return "按职责落实"
	case RoleMentioned:
		return "文中提及"
	}
	return "无"
}

// Responsible reports whether the role carries responsibility for the item
// (lead or joint); mentioned agencies are not responsible.
func (r Role) Responsible() bool { return r == RoleLead || r == RoleJoint }

// Plan is a parsed work plan: its cover-letter metadata, its numbered items
// and the directory of agencies it names.
type Plan struct {
	ID        string // the key of its reports in the store: fujian-2021-quality
	Title     string // how the office names it; Meta.Title unless given
	Hash      string // SHA-256 of the document, hex
	Meta      Meta
	Items     []*Item // Items[i].Number == i+1
	Directory *Directory
	Terms     []string // words of the plan the segmenter keeps whole (its terms file)
	year      int      // the year given by its manifest or the office (Year)
}

// Meta is what the cover letter of the plan says.
type Meta struct {
	Title         string    // 2021年福建省质量强省工作要点
	Issuer        string    // 福建省质量强省工作联席会议办公室
	Date          time.Time // the date of issue
	DateText      string    // 2021年3月17日
	Recipients    []string  // canonical names of the agencies the letter is sent to, in order
	RecipientsRaw []string  // the recipients as written
	ContactPerson string    // 林忠辉
	ContactDept   string    // 省市场监管局质量发展处
	Phone         string
	Fax           string
	Email         string
	Deadline      time.Time // feedback deadline (the last day)
	DeadlineText  string    // 2021年12月31日前
	Basis         string    // the document the plan implements, without 《》
	Opening       string    // the cover letter's opening paragraph
	Preamble      string    // the paragraph before item 1
}

// Item is one numbered work item of the plan.
type Item struct {
	Number    int
	Title     string   // the first sentence, without its full stop
	Text      string   // the whole item as written, without the leading number
	Body      string   // Text without the responsibility parenthesis
	Lead      []string // canonical names of the lead agencies
	Joint     []string // canonical names of the agencies sharing the item
	Mentioned []string // canonical names of agencies named in the body only
	Targets   []Target // the quantitative figures (FigureKind.Quantitative)
	Figures   []Target // every figure: Targets and dates, ranges, ordinals, names
	Line      int      // 1-based line of the item in the document
}

// Target is a figure in an item with the clause it belongs to: a
// quantitative target (800公里, 减少2%, 第28届) or, among an item's Figures,
// a date, a year range, an ordinal or a name (2021年底, 第二类, “四个最严”).
type Target struct {
	Value  string     // the figure as written: 800公里, 减少2%, 第28届, “四个最严” (with its quotation marks)
	Clause string     // the clause (between commas or full stops) holding it
	Offset int        // byte offset of Value in the item's Text
	Kind   FigureKind // what kind of figure it is
	Unit   string     // its measure word as written (公里, %, 届, 类, 年), or ""
}

// Responsible returns the lead and then the joint agencies of the item.
func (it *Item) Responsible() []string {
	out := make([]string, 0, len(it.Lead)+len(it.Joint))
	out = append(out, it.Lead...)
	return append(out, it.Joint...)
}

// RoleOf returns how the agency (a canonical name) stands towards the item.
func (it *Item) RoleOf(agency string) Role {
	switch {
	case slices.Contains(it.Lead, agency):
		return RoleLead
	case slices.Contains(it.Joint, agency):
		return RoleJoint
	case slices.Contains(it.Mentioned, agency):
		return RoleMentioned
	}
	return RoleNone
}

// Item returns item n, or nil when the plan has no such item.
func (p *Plan) Item(n int) *Item {
	if n < 1 || n > len(p.Items) {
		return nil
	}
	return p.Items[n-1]
}

// ItemsFor returns, in ascending order, the numbers of the items on which
// the agency (a canonical name) has one of the given roles.
func (p *Plan) ItemsFor(agency string, roles ...Role) []int {
	var out []int
	for _, it := range p.Items {
		if slices.Contains(roles, it.RoleOf(agency)) {
			out = append(out, it.Number)
		}
	}
	return out
}

// Assignment is one (item, responsible agency) pair: the unit the office
// tracks progress by.
type Assignment struct {
	Item   int
	Agency string
	Role   Role
}

// Assignments returns every (item, responsible agency) pair of the plan,
// by item and then lead before joint.
func (p *Plan) Assignments() []Assignment {
	var out []Assignment
	for _, it := range p.Items {
		for _, a := range it.Lead {
			out = append(out, Assignment{it.Number, a, RoleLead})
		}
		for _, a := range it.Joint {
			out = append(out, Assignment{it.Number, a, RoleJoint})
		}
	}
	return out
}
