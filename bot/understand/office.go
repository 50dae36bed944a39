package understand

import (
	"duban"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// officeWords is the parsed lexicon/office.txt.
type officeWords struct {
	export, remind, missing, summary, summarySuffix []string
	missingContext, missingQuestion, missingEn      []string
	summaryFiller, missingFiller, remindFiller      []string
	exportLink, exportSuffix, xlsx, csv             []string
}

var officeLexicon = sync.OnceValue(func() *officeWords {
	lx := lexicon("office.txt")
	return &officeWords{
		export: lx["export"], remind: lx["remind"], missing: lx["missing"], summary: lx["summary"],
		summarySuffix:  lx["summary-suffix"],
		missingContext: lx["missing-context"], missingQuestion: lx["missing-question"], missingEn: lx["missing-question-en"],
		summaryFiller: lx["summary-filler"], missingFiller: lx["missing-filler"], remindFiller: lx["remind-filler"],
		exportLink: lx["export-link"], exportSuffix: lx["export-suffix"], xlsx: lx["format-xlsx"], csv: lx["format-csv"],
	}
})

// OfficeKind is which office command a message is.
type OfficeKind int

// The office's commands.
const (
	Summary   OfficeKind = iota + 1 // 汇总 [agency]
	SummaryOf                       // AGENCY汇总: a command only when Name names an agency
	Missing                         // 未报送 [agency], 哪些单位还没报送
	Remind                          // 提醒 [agency]
	Export                          // 导出 [format]
)

// OfficeCommand is an office command as read from a message.
type OfficeCommand struct {
	Kind OfficeKind
	// Typed is what follows the command word as written (for Export, the
	// format), and Name the agency it names: Typed without the words
	// around a name that mean nothing (汇总一下全部 names none).
	Typed, Name string
	// Format is the export format (xlsx, csv, "" for the default, or what
	// was written when FormatOK is false).
	Format   string
	FormatOK bool
}

// ReadOfficeCommand reads the office's commands: 汇总 / summary [agency],
// 省林业局汇总, 未报送 / missing [agency] and the questions who has not
// reported (哪些单位还没报送), 提醒 / 催办 / remind [agency], 导出 / export
// [csv|xlsx]. ok is false for any other message.
func ReadOfficeCommand(message string) (OfficeCommand, bool) {
	w := officeLexicon()
	t := officeTrim(LeadIn(message))
	lower := strings.ToLower(t)
	switch {
	case officeHasPrefix(lower, w.export...):
		rest := officeCutPrefix(t, w.export...)
		format, ok := exportFormat(rest)
		if !ok && !formatLike(rest) {
			break // export of face masks and ventilators: a topic
		}
		return OfficeCommand{Kind: Export, Typed: rest, Format: format, FormatOK: ok}, true
	case officeHasPrefix(lower, w.remind...):
		rest := officeCutPrefix(t, w.remind...)
		name := withoutFillers(rest, w.remindFiller)
		if isMissingQuestion(strings.ToLower(name)) {
			name = "" // 提醒还没报的单位: every agency that has not reported
		}
		return OfficeCommand{Kind: Remind, Typed: rest, Name: name}, true
	case isMissingQuestion(lower):
		rest := ""
		if officeHasPrefix(lower, w.missing...) {
			rest = officeCutPrefix(t, w.missing...)
		}
		return OfficeCommand{Kind: Missing, Typed: rest, Name: withoutFillers(rest, w.missingFiller)}, true
	}
	for _, suffix := range w.summarySuffix {
		if strings.HasSuffix(t, suffix) && !officeHasPrefix(lower, w.summary...) {
			rest := strings.TrimSuffix(t, suffix)
			return OfficeCommand{Kind: SummaryOf, Typed: rest, Name: withoutFillers(rest, w.summaryFiller)}, true
		}
	}
	if officeHasPrefix(lower, w.summary...) {
		rest := officeCutPrefix(t, w.summary...)
		if r := strings.ToLower(strings.TrimSpace(rest)); officeHasPrefix(r, w.missing...) {
			return ReadOfficeCommand(rest) // 汇总 未报送
		}
		if refs := duban.FindItemRefs(duban.Fold(rest)); len(refs) > 0 {
			return OfficeCommand{}, false // summary of item 53 progress: the item's, not an agency's
		}
		return OfficeCommand{Kind: Summary, Typed: rest, Name: withoutFillers(rest, w.summaryFiller)}, true
	}
	return OfficeCommand{}, false
}

// formatLike reports whether what follows 导出 / export may be meant as
// a format, one the bot does not have (导出 pdf, export docx): one word of
// ASCII letters or at most two other characters. Anything longer is a
// question about exports ("export of face masks and ventilators").
func formatLike(rest string) bool {
	f := strings.Fields(rest)
	if len(f) > 1 {
		return false
	}
	if len(f) == 0 {
		return true
	}
	ascii := true
	for _, r := range f[0] {
		if r > unicode.MaxASCII {
			ascii = false
		}
	}
	return ascii || len([]rune(f[0])) <= 2
}

// isMissingQuestion reports whether lower (a lower-cased message) asks who
// has not reported.
func isMissingQuestion(lower string) bool {
	w := officeLexicon()
	if officeHasPrefix(lower, w.missing...) {
		return true
	}
	for _, q := range w.missingEn {
		if strings.Contains(lower, q) {
			return true
		}
	}
	if !slices.ContainsFunc(w.missingContext, func(c string) bool { return strings.Contains(lower, c) }) {
		return false
	}
	return slices.ContainsFunc(w.missingQuestion, func(q string) bool { return strings.Contains(lower, q) })
}

// withoutFillers is the agency name a command gives: rest without the
// fillers at either end, and without invalid UTF-8 (names are matched rune
// by rune). An empty rest, or fillers only, names none.
func withoutFillers(rest string, fillers []string) string {
	name := strings.TrimSpace(strings.ToValidUTF8(rest, ""))
	for changed := true; changed && name != ""; {
		changed = false
		for _, f := range fillers {
			if len(name) < len(f) {
				continue
			}
			if strings.EqualFold(name[:len(f)], f) {
				name, changed = strings.TrimSpace(name[len(f):]), true
				break
			}
			if strings.EqualFold(name[len(name)-len(f):], f) {
				name, changed = strings.TrimSpace(name[:len(name)-len(f)]), true
				break
			}
		}
		name = strings.TrimFunc(name, officePunct)
	}
	return name
}

// exportFormat reads the format after 导出: nothing (the default), csv,
// xlsx, or a word for Excel.
func exportFormat(rest string) (string, bool) {
	w := officeLexicon()
	f := strings.ToLower(strings.TrimSpace(rest))
	for _, l := range w.exportLink {
		f = strings.TrimSpace(strings.TrimPrefix(f, l))
	}
	for _, s := range w.exportSuffix {
		f = strings.TrimSpace(strings.TrimSuffix(f, s))
	}
	f = strings.TrimPrefix(f, ".")
	switch {
	case f == "":
		return "", true
	case slices.Contains(w.xlsx, f):
		return "xlsx", true
	case slices.Contains(w.csv, f):
		return "csv", true
	}
	return f, false
}

// officeTrim removes surrounding space, a leading slash and trailing
// punctuation from a message.
func officeTrim(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "/")
	return strings.TrimRightFunc(s, officePunct)
}

func officePunct(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune("?？!！。.，,：:；;", r)
}

// officeHasPrefix reports whether s starts with one of the words; an
// English word must be followed by a non-letter.
func officeHasPrefix(s string, words ...string) bool {
	for _, w := range words {
		if !strings.HasPrefix(s, w) {
			continue
		}
		if isLetterByte(w[0]) && len(s) > len(w) && isLetterByte(s[len(w)]) {
			continue
		}
		return true
	}
	return false
}

// officeCutPrefix removes the first of the words that starts s (compared
// case-insensitively) and the punctuation after it.
func officeCutPrefix(s string, words ...string) string {
	for _, w := range words {
		if len(s) >= len(w) && strings.EqualFold(s[:len(w)], w) && officeHasPrefix(strings.ToLower(s[:len(w)])+s[len(w):], w) {
			return strings.TrimLeftFunc(s[len(w):], officePunct)
		}
	}
	return s
}
