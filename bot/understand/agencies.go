package understand

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"duban"
)

// agencyWords is the parsed lexicon/agencies.txt.
var agencyWords = sync.OnceValue(func() map[string][]string {
	m := lexicon("agencies.txt")
	for _, k := range []string{"sector", "head", "count"} {
		slices.SortStableFunc(m[k], func(a, b string) int { return len(b) - len(a) })
	}
	return m
})

// resolveSubject resolves the subject of a role question that the
// directory does not find as written: names listed with one shared head
// (科技、教育两个厅), clipped names with or without a sector word (文旅口,
// 林业部门, 市场监管), and names with one typing error (省农业农材厅). It
// returns the agencies, or the subject as an unknown agency name when it
// ends like one.
func (rd *Reader) resolveSubject(subj string, start int) ([]AgencyRef, string) {
	w := agencyWords()
	parts := splitNames(subj)
	if len(parts) == 0 {
		return nil, ""
	}
	// A head after the last name is shared when a count stands before it
	// (科技、教育两个厅) or when the other names have none (科技、教育厅).
	head := ""
	last := parts[len(parts)-1]
	if h := suffixOf(last, w["head"]); h != "" {
		rest := strings.TrimSuffix(last, h)
		counted := false
		for _, c := range w["count"] {
			if r, ok := strings.CutSuffix(rest, c); ok {
				rest, counted = r, true
				break
			}
		}
		switch {
		case counted || rest == "":
			parts[len(parts)-1], head = rest, h
		case len(parts) > 1:
			head = h
		}
	}
	var out []AgencyRef
	for _, p := range parts {
		if p == "" {
			continue
		}
		if head != "" && !endsWithAny(p, w["head"]) {
			p += head
		}
		if names, ok := rd.resolveName(p); ok {
			out = append(out, AgencyRef{Text: p, Names: names, Corrected: true, Start: -1})
		}
	}
	if len(out) > 0 {
		return out, ""
	}
	if endsWithAny(subj, w["head"]) {
		return nil, subj
	}
	return nil, ""
}

// withSharedHeads adds the names listed before an agency that share its
// head ("公安、民政厅" names 省公安厅 too): a run of two characters or
// more, joined to the agency by a list word, that resolves with the head.
func (rd *Reader) withSharedHeads(text string, found []duban.Match) []duban.Match {
	heads := agencyWords()["head"]
	var out []duban.Match
	for i, m := range found {
		h := suffixOf(m.Text, heads)
		end := m.Start
		var added []duban.Match
		for h != "" {
			j := joinBefore(text[:end])
			if j < 0 {
				break
			}
			start := j
			for start > 0 {
				r, size := utf8.DecodeLastRuneInString(text[:start])
				if !unicode.Is(unicode.Han, r) || books().cues.has(string(r), "agency-join") {
					break
				}
				start -= size
			}
			if i > 0 && start < found[i-1].End || utf8.RuneCountInString(text[start:j]) < 2 {
				break
			}
			run := text[start:j]
			if endsWithAny(run, heads) {
				h = "" // 金融局加上证监局: the name before has a head of its own
			}
			names, ok := rd.resolveName(run + h)
			if !ok {
				break
			}
			added = append([]duban.Match{{Start: start, End: j, Text: text[start:j], Names: names}}, added...)
			end = start
		}
		out = append(out, added...)
		out = append(out, m)
	}
	return out
}

// joinBefore returns where a Chinese list word ([agency-join] of
// cues.txt: 、, 和, 加上) that ends head starts ("公安、", "金融局加上"), or
// -1.
func joinBefore(head string) int {
	best := -1
	for _, m := range books().cues.scan(head) {
		if m.End == len(head) && m.Is("agency-join") && head[m.Start] >= utf8.RuneSelf {
			best = m.Start
		}
	}
	return best
}

// resolveName resolves one name written in a form the directory lacks.
func (rd *Reader) resolveName(p string) ([]string, bool) {
	d := rd.plan.Directory
	if names, ok := d.Resolve(p); ok {
		return names, true
	}
	base := p
	for _, s := range agencyWords()["sector"] {
		if b, ok := strings.CutSuffix(base, s); ok && utf8.RuneCountInString(b) >= 2 {
			base = b
			break
		}
	}
	if names, ok := d.Resolve(base); ok {
		return names, true
	}
	if names, ok := d.Resolve("省" + base); ok {
		return names, true // 金融局: 省金融局
	}
	if names, ok := clipped(rd, base); ok {
		return names, true
	}
	if names, _, ok := d.Correct(p); ok {
		return names, true
	}
	if names, ok := d.CorrectTypo(p); ok {
		return names, true
	}
	return nil, false
}

// clipped resolves a name written without its last character (市场监管,
// 林业): the name with a head added, when exactly one agency fits.
func clipped(rd *Reader, base string) ([]string, bool) {
	if utf8.RuneCountInString(base) < 2 {
		return nil, false
	}
	var found []string
	for _, h := range []string{"局", "厅", "委"} {
		names, ok := rd.plan.Directory.Resolve(base + h)
		if !ok {
			continue
		}
		for _, n := range names {
			if !slices.Contains(found, n) {
				found = append(found, n)
			}
		}
	}
	return found, len(found) == 1
}

// splitNames cuts a subject at the words that join agency names
// (科技、教育; 金融局加上证监局).
func splitNames(s string) []string {
	joins := books().cues
	var out []string
	start := 0
	for _, m := range joins.scan(s) {
		if !m.Is("agency-join") {
			continue
		}
		out = append(out, strings.TrimSpace(s[start:m.Start]))
		start = m.End
	}
	out = append(out, strings.TrimSpace(s[start:]))
	return slices.DeleteFunc(out, func(p string) bool { return p == "" })
}

func endsWithAny(s string, words []string) bool { return suffixOf(s, words) != "" }

// suffixOf returns the first of words that s ends with, or "".
func suffixOf(s string, words []string) string {
	for _, w := range words {
		if strings.HasSuffix(s, w) {
			return w
		}
	}
	return ""
}
