package duban

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// AgencyFile is a parsed agency file: the province's directory
// (lexicon/agencies.txt) or what one plan adds to it (its agencies.txt).
// The format is described at the top of lexicon/agencies.txt.
type AgencyFile struct {
	Name       string // the file's name, for messages
	Province   string // [province]: 福建
	ProvinceEN string // [province]: fujian
	Agencies   []AgencyLine
	Ambiguous  []NameLine
	English    []NameLine
	english    []englishName // English compiled, in file order
}

// AgencyLine is one line of an [agencies] section.
type AgencyLine struct {
	Line    int
	Name    string
	Full    string
	Aliases []string
}

// NameLine is a line of an [ambiguous] or [english] section: a name (or an
// English pattern) and the canonical names it stands for.
type NameLine struct {
	Line  int
	Name  string
	Names []string
}

// englishName is a compiled English name of one or more agencies.
type englishName struct {
	re    *regexp.Regexp
	names []string
}

// ParseAgencyFile reads an agency file. An error names the file and the
// line, in Chinese with the English word, so that an office importing a
// plan with its own file can fix it.
func ParseAgencyFile(data []byte, name string) (*AgencyFile, error) {
	f := &AgencyFile{Name: name}
	bad := func(n int, format string, args ...any) error {
		return &Error{Code: CodeMalformed, Msg: fmt.Sprintf("单位别名文件 %s 第%d行有误 (bad agency file): ", name, n) + fmt.Sprintf(format, args...)}
	}
	if !utf8.Valid(data) {
		return nil, &Error{Code: CodeMalformed, Msg: fmt.Sprintf("单位别名文件 %s 不是 UTF-8 文本 (invalid UTF-8)", name)}
	}
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	sc.Buffer(make([]byte, 0, 4096), maxLineBytes)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(Fold(sc.Text()))
		if section == "english" {
			line = strings.TrimSpace(sc.Text()) // patterns as written
		}
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = strings.TrimSpace(line[1 : len(line)-1])
			if !slices.Contains([]string{"province", "agencies", "ambiguous", "english"}, section) {
				return nil, bad(n, "未知的分节 [%s]，应为 [agencies]、[ambiguous]、[english] 或 [province]", section)
			}
			continue
		}
		left, right, hasBar := strings.Cut(line, "|")
		left, right = strings.TrimSpace(left), strings.TrimSpace(right)
		switch section {
		case "province":
			if !hasBar || left == "" || right == "" {
				return nil, bad(n, "应为“省名 | English name”")
			}
			f.Province, f.ProvinceEN = left, strings.ToLower(right)
		case "agencies":
			parts := strings.Split(line, "|")
			if len(parts) > 3 || parts[0] == "" {
				return nil, bad(n, "应为“规范名称 | 全称 | 其他名称(空格分隔)”")
			}
			a := AgencyLine{Line: n, Name: strings.TrimSpace(parts[0])}
			if len(parts) > 1 {
				a.Full = strings.TrimSpace(parts[1])
			}
			if len(parts) > 2 {
				a.Aliases = strings.Fields(parts[2])
			}
			if a.Name == "" || strings.ContainsAny(a.Name, " \t") {
				return nil, bad(n, "规范名称为空或含有空格")
			}
			f.Agencies = append(f.Agencies, a)
		case "ambiguous":
			names := strings.Fields(right)
			if !hasBar || left == "" || len(names) < 2 {
				return nil, bad(n, "应为“名称 | 单位1 单位2 …”（至少两个单位）")
			}
			f.Ambiguous = append(f.Ambiguous, NameLine{Line: n, Name: left, Names: names})
		case "english":
			// The names stand before the first bar; the pattern may hold bars.
			names := strings.Fields(left)
			if !hasBar || len(names) == 0 || right == "" {
				return nil, bad(n, "应为“单位 … | English pattern”")
			}
			f.English = append(f.English, NameLine{Line: n, Name: right, Names: names})
		default:
			return nil, bad(n, "内容不在任何分节中，请先写 [agencies]")
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &Error{Code: CodeMalformed, Msg: fmt.Sprintf("单位别名文件 %s 读取失败 (line too long)", name), Err: err}
	}
	return f, nil
}

// compile compiles the English names of the file for a province whose
// English name is provinceEN.
func (f *AgencyFile) compile(provinceEN string) error {
	f.english = f.english[:0]
	for _, en := range f.English {
		re, err := englishRe(en.Name, provinceEN)
		if err != nil {
			return &Error{Code: CodeMalformed, Msg: fmt.Sprintf("单位别名文件 %s 第%d行的英文名称不是有效的正则表达式 (bad pattern)", f.Name, en.Line), Err: err}
		}
		f.english = append(f.english, englishName{re: re, names: en.Names})
	}
	return nil
}

// englishRe compiles one English name with its optional surroundings.
func englishRe(p, provinceEN string) (*regexp.Regexp, error) {
	prov, of := "", ""
	if provinceEN != "" {
		q := regexp.QuoteMeta(provinceEN)
		prov, of = `(?:`+q+`\s+)?`, `(?:\s+of\s+`+q+`(?:\s+province)?)?`
	}
	return regexp.Compile(`\b(?:the\s+)?` + prov + `(?:provincial\s+|province\s+)?(?:` + p + `)` + of + `\b`)
}

// LoadAgencies adds a plan's own agency file (the format of
// lexicon/agencies.txt) to the directory: new agencies, more names for
// known ones, ambiguous and English names. A name already standing for
// another agency is refused with its line, and then nothing is added.
func (d *Directory) LoadAgencies(data []byte, name string) error {
	f, err := ParseAgencyFile(data, name)
	if err != nil {
		return err
	}
	if f.Province != "" && d.province != "" && f.Province != d.province {
		return &Error{Code: CodeMalformed, Msg: fmt.Sprintf("单位别名文件 %s 属于%s，而目录属于%s (another province)", name, f.Province, d.province)}
	}
	// Check everything first, so that a refused file adds nothing.
	if err := d.check(f); err != nil {
		return err
	}
	return d.apply(f, true)
}

// check reports the first line of f that contradicts the directory: an
// alias or ambiguous name that already stands for other agencies, or an
// ambiguous or English line naming an agency neither knows.
func (d *Directory) check(f *AgencyFile) error {
	bad := func(n int, format string, args ...any) error {
		return &Error{Code: CodeMalformed, Msg: fmt.Sprintf("单位别名文件 %s 第%d行有误 (bad agency file): ", f.Name, n) + fmt.Sprintf(format, args...)}
	}
	known := map[string]bool{}
	for _, a := range d.agencies {
		known[a.Name] = true
	}
	claimed := map[string]string{} // folded alias -> canonical, within the file
	for _, a := range f.Agencies {
		known[a.Name] = true
		for _, form := range append([]string{a.Name, a.Full}, a.Aliases...) {
			k := foldName(form)
			if k == "" {
				continue
			}
			if names, ok := d.aliases[k]; ok && !slices.Equal(names, []string{a.Name}) {
				return bad(a.Line, "名称“%s”已指向%s (name already taken)", form, strings.Join(names, "、"))
			}
			if c, ok := claimed[k]; ok && c != a.Name {
				return bad(a.Line, "名称“%s”在本文件中已指向%s (name used twice)", form, c)
			}
			claimed[k] = a.Name
		}
	}
	for _, l := range append(slices.Clone(f.Ambiguous), f.English...) {
		for _, n := range l.Names {
			if !known[n] {
				return bad(l.Line, "单位“%s”不在目录中，请先在 [agencies] 中列出 (unknown agency)", n)
			}
		}
	}
	for _, l := range f.Ambiguous {
		if _, ok := d.byName[l.Name]; ok {
			return bad(l.Line, "“%s”是一个单位的规范名称，不能同时指多个单位", l.Name)
		}
		if _, ok := claimed[foldName(l.Name)]; ok {
			return bad(l.Line, "“%s”已是一个单位的名称，不能同时指多个单位", l.Name)
		}
	}
	return f.compile(d.provinceEN)
}

// apply adds the lines of f to the directory. fromPlan marks the agencies
// it adds as a plan's own.
func (d *Directory) apply(f *AgencyFile, fromPlan bool) error {
	for _, l := range f.Agencies {
		if a := d.byName[l.Name]; a != nil {
			if a.Full == "" || a.Full == a.Name {
				if l.Full != "" {
					a.Full = l.Full
					d.addForm(a, l.Full)
				}
			}
			for _, al := range l.Aliases {
				if !slices.Contains(a.Aliases, al) && al != a.Name {
					a.Aliases = append(a.Aliases, al)
					d.addForm(a, al)
				}
			}
			continue
		}
		d.add(Agency{Name: l.Name, Full: l.Full, Aliases: l.Aliases, Plan: fromPlan})
	}
	for _, l := range f.Ambiguous {
		d.addAlias(l.Name, l.Names...)
	}
	d.english = append(d.english, f.english...)
	return nil
}
