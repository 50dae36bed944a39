package duban

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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

// StatusWords returns every status word (lower case), longest first.
func StatusWords() []string {
	out := make([]string, 0, len(statusWords))
	for w := range statusWords {
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return out
}

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
	Seq         uint64 // assigned by the store, increasing across plans
	Plan        string // id of the plan the report is on (Plan.ID)
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

// CleanText returns text a user wrote (a report) fit to store and to show
// anywhere: control characters other than newline and tab are removed
// (NUL, BEL, ESC and the rest of C0, DEL, C1), so that stored text can
// never drive a terminal; a carriage return, alone or before a newline,
// and the Unicode line and paragraph separators become a newline; the
// bidirectional embedding, override and isolate controls (U+202A–U+202E,
// U+2066–U+2069), which make text read in another order than it is
// stored, are removed; invalid UTF-8 becomes U+FFFD. Everything else is
// kept as written, zero-width joiners and spaces included.
func CleanText(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue // the newline follows
			}
			b.WriteByte('\n')
		case r == '\u2028' || r == '\u2029':
			b.WriteByte('\n')
		case isHiddenControl(r):
		default:
			b.WriteRune(r) // an invalid byte is written as U+FFFD
		}
	}
	return b.String()
}

// isClean reports whether CleanText would return s unchanged.
func isClean(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\r' || r == '\u2028' || r == '\u2029' || isHiddenControl(r) {
			return false
		}
	}
	return true
}

// isHiddenControl reports whether r is a control character that changes
// how text is shown instead of showing: C0 and C1 controls and DEL other
// than newline and tab, and the bidirectional formatting controls.
func isHiddenControl(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case unicode.IsControl(r):
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// VisibleLen returns the number of characters of s that show: spaces,
// control and format characters (zero-width spaces and joiners, byte order
// marks), combining marks (variation selectors among them) and the
// replacement character U+FFFD do not count. The minimum length of a
// report is counted this way, so that a report of zero-width characters
// or of bytes that were not text is refused.
func VisibleLen(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r == utf8.RuneError, unicode.IsSpace(r), unicode.IsControl(r),
			unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me, unicode.Zs, unicode.Zl, unicode.Zp):
		default:
			n++
		}
	}
	return n
}
