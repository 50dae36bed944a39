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

// statusSections names the sections of lexicon/status.txt.
var statusSections = map[string]Status{
	"not-started": StatusNotStarted, "in-progress": StatusInProgress,
	"done": StatusDone, "delayed": StatusDelayed,
}

// statusWords maps every word a reporter may use to a status (lower case),
// from lexicon/status.txt; gluedStatus holds the words that name a status
// even when the text runs on without a separator.
var statusWords, gluedStatus = func() (map[string]Status, map[string]bool) {
	lx := mustLexicon("status.txt")
	words := map[string]Status{}
	for name, st := range statusSections {
		for _, w := range lx[name] {
			words[strings.ToLower(w)] = st
		}
	}
	glued := map[string]bool{}
	for _, w := range lx["glued"] {
		glued[w] = true
	}
	return words, glued
}()

// StatusGlued reports whether word, a status word, names the status even
// when the text runs on after it without a separator ("进行中已改造12个"),
// as opposed to "已完成调研", a finished step.
func StatusGlued(word string) bool { return gluedStatus[word] }

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
	// No status word is longer than 40 bytes: read no further.
	lower := asciiLower(s[:min(len(s), 40)])
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
	// Corrects is the record this report corrects (更正 记录12): it
	// supersedes that one, which stays in the history. 0 for a report.
	Corrects uint64
	// CorrectedBy is the record that corrected this one, 0 if none; a
	// corrected report is no longer the latest of its pair.
	CorrectedBy uint64
}

// Binding ties a chat user to the agency they report for.
type Binding struct {
	UserID  string
	Agency  string // canonical name
	BoundBy string // user id of the admin who bound them
	Time    time.Time
}
