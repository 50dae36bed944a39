package duban

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// Limits on a plan document. They follow from memory, not from the seed:
// a parsed plan holds its text about three times (the document, each
// item's text and body) and its search index about as much again, so
// 32 MiB (some 45,000 items of the seed's length, 700 bytes each) keeps a
// plan within a few hundred megabytes. A line is one item; the seed's
// longest is 3 KiB. The number of items and the item numbers are not
// limited otherwise (README: Plans).
const (
	MaxDocumentBytes = 32 << 20
	maxLineBytes     = 64 << 10
)

// ParseError says where a document is malformed: the 1-based line and,
// when the problem is inside one, the item number.
type ParseError struct {
	Line int
	Item int
	Msg  string // Chinese
}

// Error returns the location and the message.
func (e *ParseError) Error() string {
	var loc string
	switch {
	case e.Line > 0 && e.Item > 0:
		loc = fmt.Sprintf("第%d行(第%d条): ", e.Line, e.Item)
	case e.Line > 0:
		loc = fmt.Sprintf("第%d行: ", e.Line)
	case e.Item > 0:
		loc = fmt.Sprintf("第%d条: ", e.Item)
	}
	return "工作要点文档格式有误 (malformed plan): " + loc + e.Msg
}

var (
	// An item starts with its number and a dot (the seed writes "7. " for
	// some items); the full-width dot and 、 are accepted too.
	itemStartRe = regexp.MustCompile(`^(\d+)\s*[.．、]\s*`)
	// The responsibility parenthesis at the end of an item.
	leadRe  = regexp.MustCompile(`^牵头单位\s*[:：∶]\s*(.+)$`)
	jointRe = regexp.MustCompile(`^(.+?)(?:等单位|等部门)?按照?职责(?:分工)?落实$`)

	dateRe     = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})日$`)
	deadlineRe = regexp.MustCompile(`(\d{4})年(\d{1,2})月(\d{1,2})日前`)
	basisRe    = regexp.MustCompile(`《([^》]+)》`)
	contactRe  = regexp.MustCompile(`联系人\s*[:：]\s*([^(（,，]+?)\s*[(（]([^)）]+)[)）]`)
	phoneRe    = regexp.MustCompile(`联系电话\s*[:：]\s*([0-9０-９\-—－ ]+)`)
	faxRe      = regexp.MustCompile(`传真\s*[:：]\s*([0-9０-９\-—－ ]+)`)
	emailRe    = regexp.MustCompile(`(?:电子邮箱|邮箱|E-?mail)\s*[:：]\s*([A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+[A-Za-z])`)
)

// Parse reads a work plan document with the province's agency directory:
// the cover letter (recipients, opening paragraph, contact, issuer, date),
// the title and preamble, and the numbered items, each ending with its
// responsibility parenthesis. ParseWith adds what a plan is besides its
// document (its id, its own agency names); LoadPlan reads a plan folder.
//
// A malformed document is an error (*ParseError, wrapped in an *Error with
// CodeMalformed) that names the line and the item: an empty document,
// invalid UTF-8, absurd sizes, missing, duplicate or out-of-order item
// numbers, an item without a responsibility parenthesis. No item is ever
// dropped silently.
func Parse(r io.Reader) (*Plan, error) { return ParseWith(r, ParseOptions{}) }

// parseDocument parses the bytes of a document with the agencies of dir.
func parseDocument(data []byte, dir *Directory) (*Plan, error) {
	if len(data) > MaxDocumentBytes {
		return nil, malformed(&ParseError{Msg: fmt.Sprintf("文档超过 %d MiB，不是一份工作要点", MaxDocumentBytes>>20)})
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	lines, perr := splitLines(data)
	if perr != nil {
		return nil, malformed(perr)
	}
	p := &Plan{Directory: dir}
	first := -1
	for i, l := range lines {
		if itemStart(l) != nil {
			first = i
			break
		}
	}
	if first < 0 {
		if len(nonEmpty(lines)) == 0 {
			return nil, malformed(&ParseError{Msg: "文档是空的 (empty document)"})
		}
		return nil, malformed(&ParseError{Msg: "没有找到编号的工作条目 (no numbered items)，条目应以“1.”开头"})
	}
	p.Meta = parseHeader(lines[:first], p.Directory)
	if err := parseItems(p, lines, first); err != nil {
		return nil, malformed(err)
	}
	resolveRecipients(&p.Meta, p.Directory)
	return p, nil
}

func malformed(e *ParseError) error {
	return &Error{Code: CodeMalformed, Msg: e.Error(), Err: e}
}

// splitLines splits the document into width-folded, trimmed lines, checking
// the encoding and the line length.
func splitLines(data []byte) ([]string, *ParseError) {
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), maxLineBytes+2)
	n := 0
	for sc.Scan() {
		n++
		raw := sc.Bytes()
		if !utf8.Valid(raw) {
			return nil, &ParseError{Line: n, Msg: "不是有效的 UTF-8 文本 (invalid UTF-8)，请另存为 UTF-8 编码"}
		}
		if bytes.IndexByte(raw, 0) >= 0 {
			return nil, &ParseError{Line: n, Msg: "含有二进制内容 (NUL byte)，不是文本文档"}
		}
		lines = append(lines, strings.TrimSpace(Fold(strings.TrimRight(string(raw), "\r"))))
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{Line: n + 1, Msg: fmt.Sprintf("单行超过 %d KiB，不是一份工作要点 (line too long)", maxLineBytes>>10)}
	}
	return lines, nil
}

func nonEmpty(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// parseHeader reads the cover letter. Missing parts stay empty: a plan
// without a cover letter is still a plan.
func parseHeader(lines []string, dir *Directory) Meta {
	var m Meta
	var rest []string
	for _, l := range lines {
		switch {
		case l == "":
		case m.Recipients == nil && (strings.HasSuffix(l, ":") || strings.HasSuffix(l, "：")) && strings.Contains(l, "、"):
			body := strings.TrimRight(l, ":：")
			for _, part := range strings.FieldsFunc(body, func(r rune) bool { return r == '、' || r == ';' || r == '；' }) {
				part = strings.TrimSpace(part)
				if part == "" {
					continue
				}
				m.RecipientsRaw = append(m.RecipientsRaw, part)
			}
			if m.Recipients == nil {
				m.Recipients = []string{}
			}
		case strings.HasPrefix(l, "联系人"):
			if c := contactRe.FindStringSubmatch(l); c != nil {
				m.ContactPerson, m.ContactDept = strings.TrimSpace(c[1]), strings.TrimSpace(c[2])
			}
			if c := phoneRe.FindStringSubmatch(l); c != nil {
				m.Phone = strings.TrimSpace(c[1])
			}
			if c := faxRe.FindStringSubmatch(l); c != nil {
				m.Fax = strings.TrimSpace(c[1])
			}
			if c := emailRe.FindStringSubmatch(l); c != nil {
				m.Email = c[1]
			}
		case dateRe.MatchString(l) && m.DateText == "":
			c := dateRe.FindStringSubmatch(l)
			m.DateText = l
			m.Date = civilDate(c[1], c[2], c[3])
		case m.Opening == "" && m.Recipients != nil && utf8.RuneCountInString(l) > 60:
			m.Opening = l
			if c := deadlineRe.FindStringSubmatch(l); c != nil {
				m.DeadlineText = c[0]
				m.Deadline = civilDate(c[1], c[2], c[3])
			}
			if c := basisRe.FindStringSubmatch(l); c != nil {
				m.Basis = c[1]
			}
		default:
			rest = append(rest, l)
		}
	}
	// What is left: the issuer (before the date), the title (a short line
	// after it) and the preamble (a long paragraph).
	for _, l := range rest {
		short := utf8.RuneCountInString(l) <= 60
		switch {
		case short && m.Issuer == "" && m.Title == "" && (strings.HasSuffix(l, "办公室") || strings.HasSuffix(l, "领导小组") || strings.HasSuffix(l, "委员会") || strings.HasSuffix(l, "人民政府")):
			m.Issuer = l
		case short && m.Title == "":
			m.Title = l
		case !short && m.Preamble == "":
			m.Preamble = l
		}
	}
	if m.Basis == "" {
		if c := basisRe.FindStringSubmatch(m.Preamble); c != nil {
			m.Basis = c[1]
		}
	}
	return m
}

// resolveRecipients resolves the cover letter's recipients after the items,
// so that an agency the directory lacks is named as the items name it
// (医保局 in the list is the items' 省医保局), and records each one's
// form in the list as its header.
func resolveRecipients(m *Meta, dir *Directory) {
	for _, part := range m.RecipientsRaw {
		names := dir.ensure(part)
		if len(names) == 1 {
			dir.setHeader(names[0], part)
		}
		for _, n := range names {
			if !slices.Contains(m.Recipients, n) {
				m.Recipients = append(m.Recipients, n)
			}
		}
	}
}

func civilDate(y, mo, d string) time.Time {
	yy, _ := strconv.Atoi(y)
	mm, _ := strconv.Atoi(mo)
	dd, _ := strconv.Atoi(d)
	if mm < 1 || mm > 12 || dd < 1 || dd > 31 {
		return time.Time{}
	}
	return time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, chinaTime)
}

// chinaTime is China Standard Time (UTC+8, no daylight saving), in which the
// plan's dates are meant.
var chinaTime = time.FixedZone("CST", 8*3600)

// ChinaTime returns the time zone of the plan's dates (UTC+8).
func ChinaTime() *time.Location { return chinaTime }

// parseItems reads the items from lines[first:]. A line that does not
// start with a number continues the item before it.
func parseItems(p *Plan, lines []string, first int) *ParseError {
	type raw struct {
		num  int
		line int
		text []string
	}
	var items []*raw
	for i := first; i < len(lines); i++ {
		l := lines[i]
		if l == "" {
			continue
		}
		if m := itemStart(l); m != nil {
			n, err := strconv.Atoi(m[1])
			want := len(items) + 1
			if err != nil {
				return &ParseError{Line: i + 1, Msg: fmt.Sprintf("条目编号“%s”无效 (bad item number)：应为第%d条", clip(m[1], 20), want)}
			}
			switch {
			case n == want:
			case n < want && n >= 1:
				return &ParseError{Line: i + 1, Item: n, Msg: fmt.Sprintf("条目编号重复或顺序颠倒 (duplicate or out-of-order)：应为第%d条，却是第%d条", want, n)}
			default:
				return &ParseError{Line: i + 1, Item: n, Msg: fmt.Sprintf("缺少第%d条 (missing item)：第%d条之后出现的是第%d条", want, want-1, n)}
			}
			items = append(items, &raw{num: n, line: i + 1, text: []string{l[len(m[0]):]}})
			continue
		}
		cur := items[len(items)-1]
		cur.text = append(cur.text, l)
	}
	for _, r := range items {
		it, err := parseItem(r.num, r.line, strings.Join(r.text, ""), p.Directory)
		if err != nil {
			return err
		}
		p.Items = append(p.Items, it)
	}
	readItems(p.Items, p.Directory)
	return nil
}

// itemStart returns the match of an item's number at the start of l, or
// nil when l does not start an item (a decimal such as "12.5%" does not).
func itemStart(l string) []string {
	m := itemStartRe.FindStringSubmatch(l)
	if m == nil || startsWithYear(l) {
		return nil
	}
	if rest := l[len(m[0]):]; rest == "" || rest[0] >= '0' && rest[0] <= '9' {
		return nil
	}
	return m
}

// startsWithYear reports whether a line begins with a year such as
// "2021年", which is prose, not an item number.
func startsWithYear(l string) bool {
	i := 0
	for i < len(l) && l[i] >= '0' && l[i] <= '9' {
		i++
	}
	return i == 4 && strings.HasPrefix(l[i:], "年")
}

// parseItem reads one item's text: its responsibility parenthesis, title,
// mentioned agencies and targets.
func parseItem(num, line int, text string, dir *Directory) (*Item, *ParseError) {
	text = strings.TrimSpace(text)
	it := &Item{Number: num, Text: text, Line: line}
	inner, start, ok := lastParen(text)
	if !ok {
		return nil, &ParseError{Line: line, Item: num, Msg: "条目末尾缺少责任单位 (牵头单位:X 或 X按职责落实)"}
	}
	inner = strings.TrimSpace(inner)
	switch {
	case leadRe.MatchString(inner):
		for _, n := range splitAgencies(leadRe.FindStringSubmatch(inner)[1]) {
			it.Lead = appendNew(it.Lead, dir.ensure(n)...)
		}
	case jointRe.MatchString(inner):
		for _, n := range splitAgencies(jointRe.FindStringSubmatch(inner)[1]) {
			it.Joint = appendNew(it.Joint, dir.ensure(n)...)
		}
	default:
		return nil, &ParseError{Line: line, Item: num, Msg: fmt.Sprintf("无法识别责任单位“(%s)”，应为“牵头单位:X”或“X、Y按职责落实”", inner)}
	}
	if len(it.Lead)+len(it.Joint) == 0 {
		return nil, &ParseError{Line: line, Item: num, Msg: "责任单位为空"}
	}
	it.Body = strings.TrimSpace(text[:start])
	if it.Body == "" {
		return nil, &ParseError{Line: line, Item: num, Msg: "条目正文为空"}
	}
	it.Title = firstSentence(it.Body)
	return it, nil
}

// readItem finds what an item's body says besides its responsibilities:
// the agencies it mentions and its figures. It only reads dir, so items
// are read in parallel once every item's agencies are in it.
func readItem(it *Item, dir *Directory) {
	for _, m := range dir.find(it.Body, false) {
		for _, n := range m.Names {
			if it.RoleOf(n) == RoleNone && !slices.Contains(it.Mentioned, n) {
				it.Mentioned = append(it.Mentioned, n)
			}
		}
	}
	it.Figures = ExtractFigures(it.Body) // the body starts the text: offsets hold
	it.Targets = quantitative(it.Figures)
}

// readItems runs readItem over the items on every processor.
func readItems(items []*Item, dir *Directory) {
	workers := min(runtime.GOMAXPROCS(0), max(len(items)/64, 1))
	var wg sync.WaitGroup
	var next atomic.Int64
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(items) {
					return
				}
				readItem(items[i], dir)
			}
		}()
	}
	wg.Wait()
}

// lastParen returns the content of the parenthesis that ends text (after
// trailing full stops and spaces) and the byte offset where it opens.
func lastParen(text string) (string, int, bool) {
	t := strings.TrimRight(text, " 。.;；")
	if !strings.HasSuffix(t, ")") && !strings.HasSuffix(t, "）") {
		return "", 0, false
	}
	closeLen := 1
	if strings.HasSuffix(t, "）") {
		closeLen = len("）")
	}
	end := len(t) - closeLen
	depth := 0
	for i := end - 1; i >= 0; i-- {
		switch {
		case t[i] == ')' || strings.HasPrefix(t[i:], "）"):
			depth++
		case t[i] == '(' || strings.HasPrefix(t[i:], "（"):
			if depth == 0 {
				open := 1
				if t[i] != '(' {
					open = len("（")
				}
				return t[i+open : end], i, true
			}
			depth--
		}
	}
	return "", 0, false
}

func splitAgencies(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == ';' || r == '；' }) {
		part = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(part), "等"))
		part = strings.TrimPrefix(part, "和")
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

func appendNew(dst []string, names ...string) []string {
	for _, n := range names {
		if !slices.Contains(dst, n) {
			dst = append(dst, n)
		}
	}
	return dst
}

// firstSentence returns text up to its first full stop (without it).
func firstSentence(text string) string {
	if i := strings.Index(text, "。"); i >= 0 {
		return text[:i]
	}
	return text
}
