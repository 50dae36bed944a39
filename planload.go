package duban

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ParseOptions are what a plan is besides its document: its id and title,
// its year, its own agency file and its terms for the word segmenter.
type ParseOptions struct {
	ID    string // the plan's id (ValidPlanID); "" leaves Plan.ID empty
	Title string // how the office names the plan; "" takes the document's title
	Year  int    // 0 takes the year of the title, else of the date of issue
	// Agencies is the plan's own agency file (the format of
	// lexicon/agencies.txt), added to the province's directory before the
	// document is read; AgenciesName names it in messages.
	Agencies     []byte
	AgenciesName string
	Terms        []string // words the segmenter must keep whole
}

// ParseWith reads a plan document (as Parse does) with what the options
// add: the plan's own agency names, its id, title, year and terms. A bad
// agency file is refused like a malformed document, naming its line.
func ParseWith(r io.Reader, opt ParseOptions) (*Plan, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDocumentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read plan: %w", err)
	}
	if opt.ID != "" {
		if err := CheckPlanID(opt.ID); err != nil {
			return nil, err
		}
	}
	dir := NewDirectory()
	if len(opt.Agencies) > 0 {
		name := opt.AgenciesName
		if name == "" {
			name = "agencies.txt"
		}
		if err := dir.LoadAgencies(opt.Agencies, name); err != nil {
			return nil, err
		}
	}
	p, err := parseDocument(data, dir)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	p.Hash = hex.EncodeToString(sum[:])
	p.ID = opt.ID
	p.Title = strings.TrimSpace(opt.Title)
	if p.Title == "" {
		p.Title = p.Meta.Title
	}
	p.year = opt.Year
	for _, t := range opt.Terms {
		if t = strings.TrimSpace(t); t != "" {
			p.Terms = append(p.Terms, t)
		}
	}
	return p, nil
}

// yearOf returns the year a title starts with ("2021年福建省…"), or 0.
func yearOf(title string) int {
	if len(title) < 7 || !strings.HasPrefix(title[4:], "年") {
		return 0
	}
	y, err := strconv.Atoi(title[:4])
	if err != nil || y < 1900 || y > 2999 {
		return 0
	}
	return y
}

// MaxPlanIDLen is the longest plan id.
const MaxPlanIDLen = 64

// CheckPlanID reports whether id can name a plan: lower-case ASCII letters,
// digits and hyphens, starting with a letter or digit, at most
// MaxPlanIDLen long (it is part of every store key and of file names).
func CheckPlanID(id string) error {
	ok := id != "" && len(id) <= MaxPlanIDLen && id[0] != '-'
	for i := 0; ok && i < len(id); i++ {
		c := id[i]
		ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
	}
	if !ok {
		return Errorf(CodeInvalid, "计划编号“%s”无效 (invalid plan id)：只能用小写英文字母、数字和连字符，最长%d个字符，如 fujian-2022-quality", clip(id, 40), MaxPlanIDLen)
	}
	return nil
}

// clip shortens s to at most n characters for a message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// SuggestPlanID returns an id for a plan added without one: the file name
// without its extension when that is a valid id (lower-cased), else
// "plan-" and the plan's year; taken ids get "-2", "-3" ….
func SuggestPlanID(p *Plan, fileName string, taken func(string) bool) string {
	base := strings.ToLower(strings.TrimSuffix(path.Base(strings.ReplaceAll(fileName, "\\", "/")), path.Ext(fileName)))
	base = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			return r
		case r == '_' || r == ' ' || r == '.':
			return '-'
		}
		return -1
	}, base)
	base = strings.Trim(base, "-")
	if len(base) > MaxPlanIDLen-4 {
		base = strings.TrimRight(base[:MaxPlanIDLen-4], "-")
	}
	if CheckPlanID(base) != nil || !strings.ContainsFunc(base, func(r rune) bool { return r >= 'a' && r <= 'z' }) {
		base = "plan"
		if p != nil && p.Year() > 0 {
			base += "-" + strconv.Itoa(p.Year())
		}
	}
	id := base
	for n := 2; taken != nil && taken(id); n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	return id
}

// Manifest describes a plan folder (seeds/<plan>/manifest.txt): "key:
// value" lines, "#" comments.
type Manifest struct {
	ID       string // required: the plan's id
	Title    string // how the office names the plan
	Year     int
	Document string // required: the document's file name in the folder
	Agencies string // the plan's own agency file, if any
	Terms    string // the plan's terms for the segmenter, if any
}

// ReadManifest parses a manifest; name is used in messages.
func ReadManifest(data []byte, name string) (Manifest, error) {
	var m Manifest
	bad := func(n int, msg string) error {
		return &Error{Code: CodeMalformed, Msg: fmt.Sprintf("计划清单 %s 第%d行有误 (bad manifest): %s", name, n, msg)}
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return Manifest{}, bad(n, "应为“键: 值”")
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "id":
			m.ID = v
		case "title":
			m.Title = v
		case "year":
			y, err := strconv.Atoi(v)
			if err != nil || y < 1900 || y > 2999 {
				return Manifest{}, bad(n, "年份应为四位数字")
			}
			m.Year = y
		case "document":
			m.Document = v
		case "agencies":
			m.Agencies = v
		case "terms":
			m.Terms = v
		default:
			return Manifest{}, bad(n, "未知的键 "+k)
		}
	}
	if err := sc.Err(); err != nil {
		return Manifest{}, fmt.Errorf("read manifest %s: %w", name, err)
	}
	if m.ID == "" || m.Document == "" {
		return Manifest{}, &Error{Code: CodeMalformed, Msg: fmt.Sprintf("计划清单 %s 缺少 id 或 document (incomplete manifest)", name)}
	}
	if err := CheckPlanID(m.ID); err != nil {
		return Manifest{}, err
	}
	return m, nil
}

// LoadPlan reads the plan in folder dir of fsys: its manifest, document,
// agency file and terms.
func LoadPlan(fsys fs.FS, dir string) (*Plan, error) {
	read := func(name string) ([]byte, error) {
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, Errorf(CodeNotFound, "无法读取计划文件 %s (cannot read plan file): %w", path.Join(dir, name), err)
		}
		return b, nil
	}
	mb, err := read("manifest.txt")
	if err != nil {
		return nil, err
	}
	m, err := ReadManifest(mb, path.Join(dir, "manifest.txt"))
	if err != nil {
		return nil, err
	}
	doc, err := read(m.Document)
	if err != nil {
		return nil, err
	}
	opt := ParseOptions{ID: m.ID, Title: m.Title, Year: m.Year}
	if m.Agencies != "" {
		if opt.Agencies, err = read(m.Agencies); err != nil {
			return nil, err
		}
		opt.AgenciesName = path.Join(dir, m.Agencies)
	}
	if m.Terms != "" {
		tb, err := read(m.Terms)
		if err != nil {
			return nil, err
		}
		lx, err := ParseLexicon(tb)
		if err != nil {
			return nil, &Error{Code: CodeMalformed, Msg: "计划术语文件 " + path.Join(dir, m.Terms) + " 有误 (bad terms file)", Err: err}
		}
		opt.Terms = lx[""]
	}
	p, err := ParseWith(bytes.NewReader(doc), opt)
	if err != nil {
		return nil, fmt.Errorf("plan %s: %w", m.ID, err)
	}
	return p, nil
}

// PlanSource is what a plan is made from, as the store keeps a plan the
// office added: its document and what came with it. Parse turns it into
// a Plan.
type PlanSource struct {
	ID       string
	Title    string // as the office named it; "" for the document's title
	Year     int    // 0 for the year of the title or the date
	Document []byte
	Agencies []byte   // the plan's own agency file, if any
	Terms    []string // its terms for the segmenter, if any
	AddedBy  string   // user id of the admin who added it
	AddedAt  time.Time
}

// Parse parses the plan the source describes.
func (s PlanSource) Parse() (*Plan, error) {
	return ParseWith(bytes.NewReader(s.Document), ParseOptions{
		ID: s.ID, Title: s.Title, Year: s.Year, Agencies: s.Agencies, AgenciesName: s.ID + " 的单位别名文件", Terms: s.Terms,
	})
}
