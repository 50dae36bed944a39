package bot

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Long answers are shown a page at a time: a reply of more than
// maxReplyLines lines is cut into pages at line boundaries, the first is
// sent with a note, and 更多 (more) sends the next. The pages wait in
// memory for the asker in that channel; a restart or an hour forgets them.

// maxReplyLines is the most lines a reply takes in chat.
const maxReplyLines = 40

// pageBody is how many lines of sections a page holds: room is left for
// the plan line, the title, blank lines and the note.
const pageBody = maxReplyLines - 6

// Limits of the pages kept: how long, how many per answer and how many
// askers at once.
const (
	pageTTL      = time.Hour
	maxPages     = 200
	maxPageUsers = 10000
)

// pager keeps the pages still to be sent, by asker and channel.
type pager struct {
	mu sync.Mutex
	m  map[string]*pageState
}

type pageState struct {
	pages []Reply
	next  int
	at    time.Time
}

func pageKey(req Request) string { return req.UserID + "\x00" + req.Channel }

// paginate returns the first page of r and keeps the others for 更多; a
// reply that fits is returned as it is, and forgets pages kept before.
func (e *Engine) paginate(req Request, r Reply) Reply {
	pages := splitPages(r)
	e.pages.mu.Lock()
	defer e.pages.mu.Unlock()
	key := pageKey(req)
	if len(pages) <= 1 {
		delete(e.pages.m, key)
		return r
	}
	if e.pages.m == nil {
		e.pages.m = map[string]*pageState{}
	}
	now := e.now()
	if len(e.pages.m) >= maxPageUsers {
		for k, st := range e.pages.m {
			if now.Sub(st.at) > pageTTL || len(e.pages.m) >= maxPageUsers {
				delete(e.pages.m, k)
			}
		}
	}
	e.pages.m[key] = &pageState{pages: pages, next: 1, at: now}
	return pages[0]
}

// nextPage answers 更多 with the next page of the asker's last long
// answer.
func (e *Engine) nextPage(req Request) Reply {
	e.pages.mu.Lock()
	defer e.pages.mu.Unlock()
	key := pageKey(req)
	st := e.pages.m[key]
	if st == nil || st.next >= len(st.pages) || e.now().Sub(st.at) > pageTTL {
		delete(e.pages.m, key)
		return Reply{Intent: IntentHelp, Title: "没有更多内容了。", Items: []int{}}
	}
	p := st.pages[st.next]
	st.next++
	st.at = e.now()
	if st.next >= len(st.pages) {
		delete(e.pages.m, key)
	}
	return p
}

// splitPages cuts a reply into pages of at most maxReplyLines lines. It
// returns one page, r itself, when r fits.
func splitPages(r Reply) []Reply {
	if lineCount(r.PlainText()) <= maxReplyLines {
		return []Reply{r}
	}
	var chunks [][]Section
	var cur []Section
	used := 0
	flush := func() {
		if len(cur) > 0 {
			chunks = append(chunks, cur)
			cur, used = nil, 0
		}
	}
	for _, s := range r.Sections {
		for {
			n := sectionLines(s)
			if used+n <= pageBody {
				cur = append(cur, s)
				used += n
				break
			}
			head := sectionLines(Section{Heading: s.Heading, Fields: s.Fields, Text: "x\ny"}) - 2
			room := pageBody - used - head
			if room < 3 && len(cur) > 0 {
				flush()
				continue
			}
			first, rest, ok := splitSection(s, max(room, 1))
			if !ok {
				if len(cur) > 0 {
					flush()
					continue
				}
				cur = append(cur, s) // one line too long to cut: a page of its own
				flush()
				break
			}
			cur = append(cur, first)
			flush()
			s = rest
		}
		if len(chunks) >= maxPages {
			break
		}
	}
	flush()
	if len(chunks) > maxPages {
		chunks = chunks[:maxPages]
	}
	if len(chunks) <= 1 {
		return []Reply{r}
	}
	n := len(chunks)
	pages := make([]Reply, n)
	for i, secs := range chunks {
		p := Reply{Intent: r.Intent, Title: r.Title, Sections: secs, Plan: r.Plan, PlanTitle: r.PlanTitle, Items: []int{}, Agencies: r.Agencies}
		if i == 0 {
			p.Items, p.File, p.Direct = r.Items, r.File, r.Direct
		} else {
			p.Title = fmt.Sprintf("%s（续，第%d/%d页）", strings.TrimSpace(r.Title), i+1, n)
			for _, s := range secs {
				if s.Item > 0 {
					p.Items = appendInt(p.Items, s.Item)
				}
			}
		}
		if i < n-1 {
			p.Note = fmt.Sprintf("第%d/%d页。输入“更多”查看下一页。", i+1, n)
		} else {
			p.Note = r.Note
		}
		pages[i] = p
	}
	return pages
}

// lineCount is the number of lines of a rendered text.
func lineCount(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(s, "\n") + 1
}

// sectionLines is how many lines a section takes in PlainText, with the
// blank line before it.
func sectionLines(s Section) int {
	n := len(s.Fields)
	if s.Heading != "" {
		n++
	}
	if s.Text != "" {
		n += lineCount(s.Text)
	}
	if s.Heading != "" || len(s.Fields) > 0 || strings.Contains(s.Text, "\n") {
		n++ // the blank line before
	}
	return n
}

// splitSection cuts a section after its first lines lines of text: the
// first part keeps the heading and fields, the rest is headed "（续）".
// ok is false when its text has no more lines than that.
func splitSection(s Section, lines int) (first, rest Section, ok bool) {
	at := 0
	for i := 0; i < lines; i++ {
		j := strings.IndexByte(s.Text[at:], '\n')
		if j < 0 {
			return s, Section{}, false
		}
		at += j + 1
	}
	first = Section{Heading: s.Heading, Fields: s.Fields, Text: strings.TrimSuffix(s.Text[:at], "\n"), Item: s.Item}
	rest = Section{Text: s.Text[at:], Item: s.Item}
	if s.Heading != "" {
		rest.Heading = strings.TrimSuffix(s.Heading, "（续）") + "（续）"
	}
	for _, m := range s.Marks {
		switch {
		case m.End <= len(first.Text):
			first.Marks = append(first.Marks, m)
		case m.Start >= at:
			rest.Marks = append(rest.Marks, Span{Start: m.Start - at, End: m.End - at})
		}
	}
	return first, rest, true
}
