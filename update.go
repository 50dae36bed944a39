package duban

import (
	"strings"
	"time"
)

// Status is the state of an (item, agency) pair as its latest report says.
type Status int

// The statuses. StatusNone is "未报送": no report yet.
const (
	StatusNone       Status = iota // 未报送
	StatusNotStarted               // 未开始
	StatusInProgress               // 进行中
	StatusDone                     // 已完成
	StatusDelayed                  // 滞后
)

// Statuses lists the statuses a report may carry, in display order.
var Statuses = []Status{StatusDone, StatusInProgress, StatusDelayed, StatusNotStarted}

// String returns the Chinese name of the status.
func (s Status) String() string {
	switch s {
	case StatusNotStarted:
		return "未开始"
	case StatusInProgress:
		return "进行中"
	case StatusDone:
		return "已完成"
	case StatusDelayed:
		return "滞后"
	}
	return "未报送"
}

// statusWords maps every word a reporter may use to a status; longer words
// are tried first by ParseStatusPrefix.
var statusWords = map[string]Status{
	"未开始": StatusNotStarted, "未启动": StatusNotStarted, "尚未开始": StatusNotStarted,
	"not started": StatusNotStarted, "todo": StatusNotStarted,
	"进行中": StatusInProgress, "推进中": StatusInProgress, "正在推进": StatusInProgress, "实施中": StatusInProgress,
	"in progress": StatusInProgress, "ongoing": StatusInProgress,
	"已完成": StatusDone, "完成": StatusDone, "办结": StatusDone, "已办结": StatusDone,
	"done": StatusDone, "completed": StatusDone, "complete": StatusDone,
	"滞后": StatusDelayed, "延期": StatusDelayed, "受阻": StatusDelayed, "已滞后": StatusDelayed,
	"delayed": StatusDelayed, "late": StatusDelayed, "blocked": StatusDelayed,
}

// ParseStatus returns the status a single word names (Chinese or English,
// case-insensitive).
func ParseStatus(word string) (Status, bool) {
	s, ok := statusWords[strings.ToLower(strings.TrimSpace(word))]
	return s, ok
}

// ParseStatusPrefix reads a status word at the start of s and returns the
// status and the number of bytes it took. The longest word wins, and an
// English word must end at a word boundary.
func ParseStatusPrefix(s string) (Status, int, bool) {
	lower := strings.ToLower(s)
	best, bestLen := StatusNone, 0
	for w, st := range statusWords {
		if len(w) <= bestLen || !strings.HasPrefix(lower, w) {
			continue
		}
		if isASCIIWord(w) && len(lower) > len(w) && isASCIILetter(lower[len(w)]) {
			continue
		}
		best, bestLen = st, len(w)
	}
	return best, bestLen, bestLen > 0
}

func isASCIIWord(w string) bool { return w != "" && isASCIILetter(w[0]) }

func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// NoPercent is the Percent of an update that gave none.
const NoPercent = -1

// Update is one progress report by an agency on an item. Updates are never
// overwritten: a correction is a new update, a retraction marks one.
type Update struct {
	Seq         uint64 // assigned by the store, increasing
	Item        int
	Agency      string // canonical name of the reporting agency
	AuthorID    string // immutable user id of the author
	AuthorName  string // display name at the time of the report
	Status      Status
	Percent     int // 0..100, or NoPercent
	Text        string
	Time        time.Time
	Channel     string // where it was posted (console, a Slack channel id)
	SourceID    string // the message or event id; unique per write
	Retracted   bool
	RetractedAt time.Time
}

// Binding ties a chat user to the agency they report for.
type Binding struct {
	UserID  string
	Agency  string // canonical name
	BoundBy string // user id of the admin who bound them
	Time    time.Time
}
