package duban

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Agency is one unit the plan or its cover letter names, under one
// canonical name.
type Agency struct {
	Name    string   // canonical name, e.g. 省林业局
	Full    string   // full official name, e.g. 福建省林业局
	Header  string   // the form used in the cover letter's recipients list, if any
	Aliases []string // other forms that resolve to it (document variants, what people type)
}

// Directory resolves the names people and the document use to agencies.
// It is built once and then only read, so it is safe for concurrent use.
type Directory struct {
	agencies []*Agency
	byName   map[string]*Agency
	aliases  map[string][]string // folded alias -> canonical names (several when ambiguous)
	keys     []string            // folded aliases, in the order added
	byFirst  map[rune][]string   // keys by their first character, longest first, for scanning text
}

// knownAgencies is the table of agencies of the Fujian 质量强省 plan: the
// recipients of the cover letter, the units named in the items, and what
// people call them. Canonical names follow the form the items use.
var knownAgencies = []Agency{
	{Name: "省委组织部", Full: "中共福建省委组织部", Header: "省委组织部", Aliases: []string{"组织部", "福建省委组织部"}},
	{Name: "省委宣传部", Full: "中共福建省委宣传部", Header: "省委宣传部", Aliases: []string{"宣传部", "福建省委宣传部"}},
	{Name: "省委政法委", Full: "中共福建省委政法委员会", Header: "省委政法委", Aliases: []string{"政法委", "省委政法委员会"}},
	{Name: "省委编办", Full: "中共福建省委机构编制委员会办公室", Header: "省委编办", Aliases: []string{"编办", "省编办"}},
	{Name: "省委党校", Full: "中共福建省委党校(福建行政学院)", Header: "省委党校(行政学院)", Aliases: []string{"党校", "省行政学院", "福建行政学院", "行政学院"}},
	{Name: "省委网信办", Full: "中共福建省委网络安全和信息化委员会办公室", Header: "省委网信办", Aliases: []string{"网信办", "省网信办"}},
	{Name: "省审改办", Full: "福建省审批制度改革工作小组办公室", Header: "省审改办", Aliases: []string{"审改办"}},
	{Name: "省效能办", Full: "福建省机关效能建设领导小组办公室", Header: "省效能办", Aliases: []string{"效能办"}},
	{Name: "省发改委", Full: "福建省发展和改革委员会", Header: "省发改委", Aliases: []string{"发改委", "省发展改革委", "发展改革委", "省发展和改革委员会"}},
	{Name: "省教育厅", Full: "福建省教育厅", Header: "教育厅"},
	{Name: "省科技厅", Full: "福建省科学技术厅", Header: "科技厅", Aliases: []string{"省科学技术厅"}},
	{Name: "省工信厅", Full: "福建省工业和信息化厅", Header: "工信厅", Aliases: []string{"省工业和信息化厅"}},
	{Name: "省公安厅", Full: "福建省公安厅", Header: "公安厅"},
	{Name: "省民政厅", Full: "福建省民政厅", Header: "民政厅"},
	{Name: "省司法厅", Full: "福建省司法厅", Header: "司法厅"},
	{Name: "省财政厅", Full: "福建省财政厅", Header: "财政厅"},
	{Name: "省人社厅", Full: "福建省人力资源和社会保障厅", Header: "人社厅", Aliases: []string{"省人力资源和社会保障厅", "人力资源和社会保障厅", "人力资源社会保障厅"}},
	{Name: "省自然资源厅", Full: "福建省自然资源厅", Header: "自然资源厅"},
	{Name: "省住建厅", Full: "福建省住房和城乡建设厅", Header: "住建厅", Aliases: []string{"省住房和城乡建设厅", "住房和城乡建设厅", "住房城乡建设厅"}},
	{Name: "省交通运输厅", Full: "福建省交通运输厅", Header: "交通运输厅", Aliases: []string{"交通厅", "省交通厅"}},
	{Name: "省水利厅", Full: "福建省水利厅", Header: "水利厅"},
	{Name: "省农业农村厅", Full: "福建省农业农村厅", Header: "农业农村厅", Aliases: []string{"农业厅", "省农业厅"}},
	{Name: "省商务厅", Full: "福建省商务厅", Header: "商务厅"},
	{Name: "省文旅厅", Full: "福建省文化和旅游厅", Header: "文旅厅", Aliases: []string{"省文化和旅游厅", "文化和旅游厅"}},
	{Name: "省卫健委", Full: "福建省卫生健康委员会", Header: "卫健委", Aliases: []string{"省卫生健康委员会", "卫生健康委员会", "省卫生健康委", "卫生健康委"}},
	{Name: "省应急厅", Full: "福建省应急管理厅", Header: "应急厅", Aliases: []string{"省应急管理厅", "应急管理厅"}},
	{Name: "省国资委", Full: "福建省人民政府国有资产监督管理委员会", Header: "国资委", Aliases: []string{"省国有资产监督管理委员会", "国有资产监督管理委员会"}},
	{Name: "省林业局", Full: "福建省林业局", Header: "林业局"},
	{Name: "省海洋与渔业局", Full: "福建省海洋与渔业局", Header: "海洋与渔业局", Aliases: []string{"省海洋渔业局", "海洋渔业局", "渔业局"}},
	{Name: "省体育局", Full: "福建省体育局", Header: "体育局"},
	{Name: "省统计局", Full: "福建省统计局", Header: "统计局"},
	{Name: "省地方金融监督管理局", Full: "福建省地方金融监督管理局", Header: "金融管理局", Aliases: []string{"地方金融监督管理局", "省地方金融监管局", "地方金融监管局", "省金融监管局", "金融监管局", "省金融办", "金融办", "省金融管理局"}},
	{Name: "省总工会", Full: "福建省总工会", Header: "总工会"},
	{Name: "团省委", Full: "共青团福建省委员会", Header: "团省委", Aliases: []string{"共青团福建省委", "省团委", "共青团"}},
	{Name: "省供销社", Full: "福建省供销合作社联合社", Header: "供销社", Aliases: []string{"省供销合作社", "供销合作社", "供销合作社联合社"}},
	{Name: "省粮储局", Full: "福建省粮食和物资储备局", Header: "粮储局", Aliases: []string{"省粮食和物资储备局", "粮食和物资储备局", "省粮食局", "粮食局"}},
	{Name: "省药品监管局", Full: "福建省药品监督管理局", Header: "药监局", Aliases: []string{"省药监局", "药品监管局", "省药品监督管理局", "药品监督管理局"}},
	{Name: "中国人民银行福州中心支行", Full: "中国人民银行福州中心支行", Header: "中国人民银行福州中心支行", Aliases: []string{"人民银行福州中心支行", "人行福州中心支行", "福州中心支行", "人民银行", "央行福州中心支行"}},
	{Name: "省税务局", Full: "国家税务总局福建省税务局", Header: "省税务局", Aliases: []string{"福建省税务局"}},
	{Name: "厦门市税务局", Full: "国家税务总局厦门市税务局", Header: "厦门市税务局", Aliases: []string{"厦门税务局"}},
	{Name: "福州海关", Full: "中华人民共和国福州海关", Header: "福州海关"},
	{Name: "厦门海关", Full: "中华人民共和国厦门海关", Header: "厦门海关"},
	{Name: "省烟草专卖局", Full: "福建省烟草专卖局", Header: "省烟草专卖局", Aliases: []string{"省烟草局", "烟草局", "烟草专卖局", "福建省烟草局"}},
	{Name: "福建银保监局", Full: "中国银保监会福建监管局", Header: "福建银保监局", Aliases: []string{"银保监局", "福建银保监"}},
	{Name: "福建证监局", Full: "中国证监会福建监管局", Header: "福建证监局", Aliases: []string{"福建证监会", "证监局", "证监会福建监管局"}},
	{Name: "省市场监管局", Full: "福建省市场监督管理局", Aliases: []string{"市场监管局", "市监局", "省市监局", "省市场监督管理局", "市场监督管理局", "省市场监管"}},
}

// ambiguousNames are names that fit several agencies; a question using one
// is answered for each of them.
var ambiguousNames = map[string][]string{
	"海关":   {"福州海关", "厦门海关"},
	"税务局":  {"省税务局", "厦门市税务局"},
	"税务部门": {"省税务局", "厦门市税务局"},
}

// NewDirectory returns the directory of the known agencies of the Fujian
// plan. Parse adds any agency a document names that the table lacks.
func NewDirectory() *Directory {
	d := &Directory{byName: map[string]*Agency{}, aliases: map[string][]string{}, byFirst: map[rune][]string{}}
	for _, a := range knownAgencies {
		d.add(a)
	}
	for alias, names := range ambiguousNames {
		d.addAlias(alias, names...)
	}
	return d
}

// add puts an agency and its aliases (and their 福建省 forms) into d.
func (d *Directory) add(a Agency) *Agency {
	ag := &a
	ag.Aliases = slices.Clone(a.Aliases)
	d.agencies = append(d.agencies, ag)
	d.byName[ag.Name] = ag
	forms := append([]string{ag.Name, ag.Full, ag.Header}, ag.Aliases...)
	for _, f := range forms {
		if f == "" {
			continue
		}
		d.addAlias(f, ag.Name)
		if rest, ok := strings.CutPrefix(f, "省"); ok && utf8.RuneCountInString(rest) >= 2 {
			d.addAlias("福建省"+rest, ag.Name)
		}
	}
	return ag
}

// addAlias maps a folded alias to canonical names, keeping the first
// mapping of an alias that two agencies share (none in the table do).
func (d *Directory) addAlias(alias string, names ...string) {
	k := foldName(alias)
	if k == "" {
		return
	}
	if _, ok := d.aliases[k]; !ok {
		d.keys = append(d.keys, k)
		r, _ := utf8.DecodeRuneInString(k)
		ks := append(d.byFirst[r], k)
		sort.SliceStable(ks, func(i, j int) bool { return len(ks[i]) > len(ks[j]) })
		d.byFirst[r] = ks
	}
	for _, n := range names {
		if !slices.Contains(d.aliases[k], n) {
			d.aliases[k] = append(d.aliases[k], n)
		}
	}
}

// foldName normalises a name for lookup: width folding, no spaces, and
// ASCII letters in lower case.
func foldName(s string) string {
	s = Fold(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			return -1
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A')
		}
		return r
	}, s)
	return s
}

// Agencies returns every agency of the directory, in table order.
func (d *Directory) Agencies() []*Agency { return slices.Clone(d.agencies) }

// Agency returns the agency with the canonical name, or nil.
func (d *Directory) Agency(name string) *Agency { return d.byName[name] }

// Forms returns the names an agency is written under: its canonical, full
// and header names and its aliases, each once and as written (not folded),
// in that order. It returns nil for a name that is not canonical. The
// 福建省 variants and the ambiguous names (海关) that Resolve also accepts
// are not among them.
func (d *Directory) Forms(name string) []string {
	a := d.byName[name]
	if a == nil {
		return nil
	}
	var out []string
	for _, f := range append([]string{a.Name, a.Full, a.Header}, a.Aliases...) {
		if f = strings.TrimSpace(f); f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// Aliases returns every name form the directory knows, folded, longest
// first.
func (d *Directory) Aliases() []string {
	ks := slices.Clone(d.keys)
	sort.SliceStable(ks, func(i, j int) bool { return len(ks[i]) > len(ks[j]) })
	return ks
}

// Resolve returns the canonical names a name stands for: one for most
// names, several for an ambiguous one such as 海关. It accepts the
// canonical, full, header and alias forms, with or without 福建省/省.
func (d *Directory) Resolve(name string) ([]string, bool) {
	k := foldName(strings.Trim(name, " \t\"'“”「」[]【】《》"))
	if k == "" {
		return nil, false
	}
	if names, ok := d.aliases[k]; ok {
		return slices.Clone(names), true
	}
	if names, ok := d.aliases["省"+k]; ok {
		return slices.Clone(names), true
	}
	for _, p := range []string{"福建省", "福建", "省"} {
		if rest, ok := strings.CutPrefix(k, p); ok {
			if names, ok := d.aliases[rest]; ok && len(names) == 1 {
				return slices.Clone(names), true
			}
			if names, ok := d.aliases["省"+rest]; ok {
				return slices.Clone(names), true
			}
		}
	}
	return nil, false
}

// Ambiguous reports whether the name fits several agencies.
func (d *Directory) Ambiguous(name string) bool {
	names, ok := d.Resolve(name)
	return ok && len(names) > 1
}

// Match is an agency name found in a text.
type Match struct {
	Start, End int      // byte range in the folded text passed to Find
	Text       string   // the name as it stands in the text
	Names      []string // the canonical names it stands for
}

// Find returns the agency names in text, left to right, longest first and
// not overlapping. text should already be folded (Fold). A name preceded
// by 国家 (a national body, such as 国家药品监管局) is not a match.
func (d *Directory) Find(text string) []Match {
	// Only ASCII is lower-cased (as foldName does), byte by byte, so that
	// offsets in lower are offsets in text: strings.ToLower would turn an
	// invalid byte into a 3-byte U+FFFD and shift them.
	lb := []byte(text)
	for i, c := range lb {
		if c >= 'A' && c <= 'Z' {
			lb[i] = c + 'a' - 'A'
		}
	}
	lower := string(lb)
	var out []Match
	for i := 0; i < len(lower); {
		matched := false
		r, _ := utf8.DecodeRuneInString(lower[i:])
		for _, k := range d.byFirst[r] {
			if !strings.HasPrefix(lower[i:], k) {
				continue
			}
			if !strings.HasSuffix(lower[:i], "国家") && !isASCIIWordMiddle(lower, i, i+len(k)) {
				out = append(out, Match{Start: i, End: i + len(k), Text: text[i : i+len(k)], Names: slices.Clone(d.aliases[k])})
			}
			i += len(k)
			matched = true
			break
		}
		if !matched {
			_, size := utf8.DecodeRuneInString(lower[i:])
			i += size
		}
	}
	return out
}

// isASCIIWordMiddle reports whether an ASCII alias at [i, j) sits inside a
// longer ASCII word (no alias is ASCII today; this keeps future ones safe).
func isASCIIWordMiddle(s string, i, j int) bool {
	if !isASCIILetter(s[i]) {
		return false
	}
	return i > 0 && isASCIILetter(s[i-1]) || j < len(s) && isASCIILetter(s[j])
}

// Suggest returns up to n canonical names closest to an unknown name, by
// the characters they share.
func (d *Directory) Suggest(name string, n int) []string {
	q := []rune(foldName(name))
	for _, p := range []string{"福建省", "省"} {
		if rest, ok := strings.CutPrefix(string(q), p); ok {
			q = []rune(rest)
		}
	}
	type cand struct {
		name  string
		score float64
	}
	best := map[string]float64{}
	for k, names := range d.aliases {
		s := dice(q, []rune(k))
		for _, nm := range names {
			if s > best[nm] {
				best[nm] = s
			}
		}
	}
	var cs []cand
	for nm, s := range best {
		if s >= 0.5 {
			cs = append(cs, cand{nm, s})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].score != cs[j].score {
			return cs[i].score > cs[j].score
		}
		return cs[i].name < cs[j].name
	})
	var out []string
	for _, c := range cs {
		if len(out) == n {
			break
		}
		out = append(out, c.name)
	}
	return out
}

// dice is the Sørensen–Dice coefficient of the characters of a and b.
func dice(a, b []rune) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	count := map[rune]int{}
	for _, c := range a {
		count[c]++
	}
	common := 0
	for _, c := range b {
		if count[c] > 0 {
			count[c]--
			common++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}

// ensure returns the canonical name for a name the document uses, adding
// an agency to the directory when the name is new, so that a plan naming
// an agency outside the table still parses.
func (d *Directory) ensure(name string) []string {
	if names, ok := d.Resolve(name); ok {
		return names
	}
	d.add(Agency{Name: name, Full: name})
	return []string{name}
}
