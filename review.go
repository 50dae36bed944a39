package duban

import "time"

// Decision is what the office decides on a report that says the work is
// done: accept it, or send it back.
type Decision int

// The decisions of a review.
const (
	DecisionNone   Decision = iota
	DecisionPass            // 通过
	DecisionReturn          // 退回
)

// String returns the decision as the office says it.
func (d Decision) String() string {
	switch d {
	case DecisionPass:
		return "通过"
	case DecisionReturn:
		return "退回"
	}
	return "未审核"
}

// ReviewStep is one decision of the office on a report of 已完成. Steps
// are kept, never overwritten: the latest step on a report decides it.
type ReviewStep struct {
	Seq      uint64 // assigned by the store, increasing
	Item     int
	Agency   string // canonical name
	Report   uint64 // the record number of the report decided on
	Decision Decision
	Reason   string // why it was sent back (required for 退回)
	ByID     string // the admin's user id
	ByName   string // their display name at the time
	Time     time.Time
	SourceID string // the message or button press that decided it
}

// ReviewState is where a report of 已完成 stands with the office.
type ReviewState int

// The states of a completion under review. ReviewNone: review does not
// apply (the latest report is not 已完成, or review is off, or the report
// came before review was turned on).
const (
	ReviewNone     ReviewState = iota
	ReviewPending              // 待审核
	ReviewReturned             // 已退回
	ReviewAccepted             // 已通过
)

// String returns the state in Chinese.
func (s ReviewState) String() string {
	switch s {
	case ReviewPending:
		return "待审核"
	case ReviewReturned:
		return "已退回"
	case ReviewAccepted:
		return "已通过"
	}
	return ""
}

// ReviewRule says whether the office reviews completions, and since when:
// a report of 已完成 made before review was turned on needs none.
type ReviewRule struct {
	On    bool
	Since time.Time
}

// reviewOf returns the state of report u under the rule, with the step
// that decided it.
func reviewOf(u *Update, rule ReviewRule, steps []ReviewStep) (ReviewState, *ReviewStep) {
	if u == nil || u.Status != StatusDone || !rule.On || u.Time.Before(rule.Since) {
		return ReviewNone, nil
	}
	var last *ReviewStep
	for i := range steps {
		s := &steps[i]
		if s.Report == u.Seq && (last == nil || s.Seq > last.Seq) {
			last = s
		}
	}
	switch {
	case last == nil:
		return ReviewPending, nil
	case last.Decision == DecisionPass:
		return ReviewAccepted, last
	}
	return ReviewReturned, last
}

// Setting names of a SettingChange.
const (
	SettingCadence = "cadence" // the reporting rounds: a Cadence's String ("monthly:25", "off")
	SettingReview  = "review"  // completion review: "on" or "off"
)

// SettingChange is the office changing a supervision setting of a plan in
// chat. Changes are kept, never overwritten: the latest of each setting
// is in force.
type SettingChange struct {
	Seq      uint64 // assigned by the store, increasing
	Name     string // SettingCadence or SettingReview
	Value    string
	ByID     string
	ByName   string
	Time     time.Time
	SourceID string
}

// ApplySettings returns the rules with the office's changes applied in
// order over them: the latest cadence set in chat replaces the one the
// rules start with (the --round flag), and review is on from the time it
// was last turned on. Values that cannot be read are skipped.
func ApplySettings(rules Rules, changes []SettingChange) Rules {
	for _, c := range changes {
		switch c.Name {
		case SettingCadence:
			if cad, err := ParseCadence(c.Value); err == nil {
				rules.Cadence = cad
			}
		case SettingReview:
			switch c.Value {
			case "on":
				if !rules.Review.On {
					rules.Review = ReviewRule{On: true, Since: c.Time}
				}
			case "off":
				rules.Review = ReviewRule{}
			}
		}
	}
	return rules
}
