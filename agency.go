package duban

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
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
	english  []englishName       // English names, in table order (the more specific first)
}

// englishName is a compiled English name of one or more agencies.
type englishName struct {
	re    *regexp.Regexp
	names []string
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
	{Name: "省发改委", Full: "福建省发展和改革委员会", Header: "省发改委", Aliases: []string{"发改委", "省发展改革委", "发展改革委", "省发展和改革委员会", "省发改"}},
	{Name: "省教育厅", Full: "福建省教育厅", Header: "教育厅"},
	{Name: "省科技厅", Full: "福建省科学技术厅", Header: "科技厅", Aliases: []string{"省科学技术厅"}},
	{Name: "省工信厅", Full: "福建省工业和信息化厅", Header: "工信厅", Aliases: []string{"省工业和信息化厅", "工业和信息化厅", "省经信委", "经信委", "省经济和信息化委员会", "省工信委", "工信委"}},
	{Name: "省公安厅", Full: "福建省公安厅", Header: "公安厅"},
	{Name: "省民政厅", Full: "福建省民政厅", Header: "民政厅"},
	{Name: "省司法厅", Full: "福建省司法厅", Header: "司法厅"},
	{Name: "省财政厅", Full: "福建省财政厅", Header: "财政厅"},
	{Name: "省人社厅", Full: "福建省人力资源和社会保障厅", Header: "人社厅", Aliases: []string{"省人力资源和社会保障厅", "人力资源和社会保障厅", "人力资源社会保障厅"}},
	{Name: "省自然资源厅", Full: "福建省自然资源厅", Header: "自然资源厅"},
	{Name: "省住建厅", Full: "福建省住房和城乡建设厅", Header: "住建厅", Aliases: []string{"省住房和城乡建设厅", "住房和城乡建设厅", "住房城乡建设厅", "省建设厅", "建设厅"}},
	{Name: "省交通运输厅", Full: "福建省交通运输厅", Header: "交通运输厅", Aliases: []string{"交通厅", "省交通厅"}},
	{Name: "省水利厅", Full: "福建省水利厅", Header: "水利厅"},
	{Name: "省农业农村厅", Full: "福建省农业农村厅", Header: "农业农村厅", Aliases: []string{"农业厅", "省农业厅"}},
	{Name: "省商务厅", Full: "福建省商务厅", Header: "商务厅"},
	{Name: "省文旅厅", Full: "福建省文化和旅游厅", Header: "文旅厅", Aliases: []string{"省文化和旅游厅", "文化和旅游厅", "省文化厅", "文化厅", "省旅游局", "旅游局", "省旅发委", "旅发委"}},
	{Name: "省卫健委", Full: "福建省卫生健康委员会", Header: "卫健委", Aliases: []string{"省卫生健康委员会", "卫生健康委员会", "省卫生健康委", "卫生健康委", "省卫生厅", "卫生厅", "省卫计委", "卫计委", "省卫生和计划生育委员会"}},
	{Name: "省应急厅", Full: "福建省应急管理厅", Header: "应急厅", Aliases: []string{"省应急管理厅", "应急管理厅"}},
	{Name: "省国资委", Full: "福建省人民政府国有资产监督管理委员会", Header: "国资委", Aliases: []string{"省国有资产监督管理委员会", "国有资产监督管理委员会"}},
	{Name: "省林业局", Full: "福建省林业局", Header: "林业局"},
	{Name: "省海洋与渔业局", Full: "福建省海洋与渔业局", Header: "海洋与渔业局", Aliases: []string{"省海洋渔业局", "海洋渔业局", "渔业局", "省海渔局", "海渔局"}},
	{Name: "省体育局", Full: "福建省体育局", Header: "体育局"},
	{Name: "省统计局", Full: "福建省统计局", Header: "统计局"},
	{Name: "省地方金融监督管理局", Full: "福建省地方金融监督管理局", Header: "金融管理局", Aliases: []string{"地方金融监督管理局", "省地方金融监管局", "地方金融监管局", "省金融监管局", "金融监管局", "省金融办", "金融办", "省金融管理局", "省金融局", "地方金融局"}},
	{Name: "省总工会", Full: "福建省总工会", Header: "总工会"},
	{Name: "团省委", Full: "共青团福建省委员会", Header: "团省委", Aliases: []string{"共青团福建省委", "省团委", "共青团", "团委"}},
	{Name: "省供销社", Full: "福建省供销合作社联合社", Header: "供销社", Aliases: []string{"省供销合作社", "供销合作社", "供销合作社联合社"}},
	{Name: "省粮储局", Full: "福建省粮食和物资储备局", Header: "粮储局", Aliases: []string{"省粮食和物资储备局", "粮食和物资储备局", "省粮食局", "粮食局", "省粮食和储备局"}},
	{Name: "省药品监管局", Full: "福建省药品监督管理局", Header: "药监局", Aliases: []string{"省药监局", "药品监管局", "省药品监督管理局", "药品监督管理局"}},
	{Name: "中国人民银行福州中心支行", Full: "中国人民银行福州中心支行", Header: "中国人民银行福州中心支行", Aliases: []string{"人民银行福州中心支行", "人行福州中心支行", "福州中心支行", "人民银行", "央行福州中心支行", "中国人民银行", "人行", "人民银行福州中支", "福州中支"}},
	{Name: "省税务局", Full: "国家税务总局福建省税务局", Header: "省税务局", Aliases: []string{"福建省税务局"}},
	{Name: "厦门市税务局", Full: "国家税务总局厦门市税务局", Header: "厦门市税务局", Aliases: []string{"厦门税务局"}},
	{Name: "福州海关", Full: "中华人民共和国福州海关", Header: "福州海关", Aliases: []string{"福州关区"}},
	{Name: "厦门海关", Full: "中华人民共和国厦门海关", Header: "厦门海关", Aliases: []string{"厦门关区"}},
	{Name: "省烟草专卖局", Full: "福建省烟草专卖局", Header: "省烟草专卖局", Aliases: []string{"省烟草局", "烟草局", "烟草专卖局", "福建省烟草局", "省烟草公司", "烟草公司"}},
	{Name: "福建银保监局", Full: "中国银保监会福建监管局", Header: "福建银保监局", Aliases: []string{"银保监局", "福建银保监", "中国银行保险监督管理委员会福建监管局", "银保监会福建监管局", "中国银保监会福建局", "福建银保监分局"}},
	{Name: "福建证监局", Full: "中国证监会福建监管局", Header: "福建证监局", Aliases: []string{"福建证监会", "证监局", "证监会福建监管局", "中国证券监督管理委员会福建监管局", "中国证监会福建局", "证监会福建局", "福建证监"}},
	{Name: "省市场监管局", Full: "福建省市场监督管理局", Aliases: []string{"市场监管局", "市监局", "省市监局", "省市场监督管理局", "市场监督管理局", "省市场监管", "市场监督局", "省市场局", "市场局", "省质监局", "质监局", "省工商局", "工商局", "省知识产权局"}},
}

// ambiguousNames are names that fit several agencies; a question using one
// is answered for each of them.
var ambiguousNames = map[string][]string{
	"海关":   {"福州海关", "厦门海关"},
	"税务局":  {"省税务局", "厦门市税务局"},
	"税务部门": {"省税务局", "厦门市税务局"},
}

// englishNames are the English names colleagues type for the agencies
// (regular expressions over lower-case text, without the optional "the",
// "Fujian", "provincial" before and "of Fujian (Province)" after). A name
// that fits several agencies lists each of them.
var englishNames = []struct {
	pattern string
	names   []string
}{
	{`(?:fuzhou\s+(?:and|&)\s+xiamen|xiamen\s+(?:and|&)\s+fuzhou)\s+customs(?:\s+districts?|\s+offices)?`, []string{"福州海关", "厦门海关"}},
	{`fuzhou\s+customs(?:\s+district)?`, []string{"福州海关"}},
	{`xiamen\s+customs(?:\s+district)?`, []string{"厦门海关"}},
	{`customs(?:\s+(?:offices|authorities|districts))?`, []string{"福州海关", "厦门海关"}},
	{`(?:state\s+taxation\s+administration\s+)?xiamen\s+(?:municipal\s+)?tax(?:ation)?\s+(?:service|bureau|administration)`, []string{"厦门市税务局"}},
	{`(?:tax(?:ation)?\s+(?:service|bureau|administration)\s+of\s+fujian|(?:state\s+taxation\s+administration\s+)?fujian\s+(?:provincial\s+)?tax(?:ation)?\s+(?:service|bureau|administration)|provincial\s+tax(?:ation)?\s+(?:service|bureau|administration))`, []string{"省税务局"}},
	{`tax(?:ation)?\s+(?:services|bureaus|service|bureau|authorities|authority|administration)`, []string{"省税务局", "厦门市税务局"}},
	{`(?:department|dept\.?)\s+of\s+education|education\s+(?:department|dept\.?)`, []string{"省教育厅"}},
	{`(?:department|dept\.?)\s+of\s+science\s+and\s+technology|science\s+and\s+technology\s+department|sci(?:ence)?[- ]tech\s+department`, []string{"省科技厅"}},
	{`(?:department|dept\.?)\s+of\s+industry\s+and\s+information\s+technology|industry\s+and\s+information\s+technology\s+department|miit`, []string{"省工信厅"}},
	{`(?:department|dept\.?)\s+of\s+public\s+security|public\s+security\s+(?:department|bureau)`, []string{"省公安厅"}},
	{`(?:department|dept\.?)\s+of\s+civil\s+affairs|civil\s+affairs\s+department`, []string{"省民政厅"}},
	{`(?:department|dept\.?)\s+of\s+justice|justice\s+department`, []string{"省司法厅"}},
	{`(?:department|dept\.?)\s+of\s+finance|finance\s+department`, []string{"省财政厅"}},
	{`(?:department|dept\.?)\s+of\s+human\s+resources\s+and\s+social\s+security|human\s+resources\s+and\s+social\s+security\s+department|hrss`, []string{"省人社厅"}},
	{`(?:department|dept\.?)\s+of\s+natural\s+resources|natural\s+resources\s+department`, []string{"省自然资源厅"}},
	{`(?:department|dept\.?)\s+of\s+housing(?:\s+and\s+urban[- ]rural\s+development)?|housing\s+and\s+urban[- ]rural\s+development\s+department|housing\s+department`, []string{"省住建厅"}},
	{`(?:department|dept\.?)\s+of\s+transport(?:ation)?|transport(?:ation)?\s+department`, []string{"省交通运输厅"}},
	{`(?:department|dept\.?)\s+of\s+water\s+resources|water\s+resources\s+department`, []string{"省水利厅"}},
	{`(?:department|dept\.?)\s+of\s+agriculture(?:\s+and\s+rural\s+affairs)?|agriculture(?:\s+and\s+rural\s+affairs)?\s+department`, []string{"省农业农村厅"}},
	{`(?:department|dept\.?)\s+of\s+commerce|commerce\s+department`, []string{"省商务厅"}},
	{`(?:department|dept\.?)\s+of\s+culture\s+and\s+tourism|culture\s+and\s+tourism\s+department|tourism\s+department`, []string{"省文旅厅"}},
	{`health\s+commission|health\s+department`, []string{"省卫健委"}},
	{`(?:department|dept\.?)\s+of\s+emergency\s+management|emergency\s+management\s+department`, []string{"省应急厅"}},
	{`sasac|state-owned\s+assets\s+supervision\s+and\s+administration\s+commission`, []string{"省国资委"}},
	{`forestry\s+(?:bureau|administration|department)`, []string{"省林业局"}},
	{`ocean(?:ic)?\s+and\s+fisher(?:y|ies)\s+(?:bureau|department|administration)|fisher(?:y|ies)\s+bureau`, []string{"省海洋与渔业局"}},
	{`sports?\s+(?:bureau|administration)`, []string{"省体育局"}},
	{`statistics\s+bureau|bureau\s+of\s+statistics|statistical\s+bureau`, []string{"省统计局"}},
	{`(?:local\s+)?financial\s+(?:supervision|regulatory|regulation)\s+(?:and\s+administration\s+)?bureau|financial\s+(?:affairs\s+)?office|(?:local\s+)?financial\s+(?:supervision|regulatory)\s+and\s+administration(?:\s+bureau)?|local\s+financial\s+regulator`, []string{"省地方金融监督管理局"}},
	{`federation\s+of\s+trade\s+unions|trade\s+unions?\s+federation`, []string{"省总工会"}},
	{`(?:communist\s+)?youth\s+league(?:\s+committee)?`, []string{"团省委"}},
	{`supply\s+and\s+marketing\s+co-?op(?:erative)?s?`, []string{"省供销社"}},
	{`grain\s+(?:and\s+(?:material|strategic)\s+)?reserves?\s+(?:bureau|administration)|food\s+and\s+(?:strategic|material)\s+reserves?\s+(?:bureau|administration)|grain\s+bureau|administration\s+of\s+(?:grain|food)\s+and\s+(?:material|strategic)\s+reserves?`, []string{"省粮储局"}},
	{`(?:drug|medical\s+products)\s+(?:administration|regulatory\s+(?:bureau|administration))`, []string{"省药品监管局"}},
	{`people'?s\s+bank\s+of\s+china(?:\s+fuzhou(?:\s+central)?\s+sub-?branch)?|pbo?c(?:\s+fuzhou(?:\s+central)?\s+sub-?branch)?`, []string{"中国人民银行福州中心支行"}},
	{`tobacco\s+(?:monopoly\s+)?(?:bureau|administration)`, []string{"省烟草专卖局"}},
	{`cbirc(?:\s+fujian(?:\s+office|\s+bureau)?)?|banking\s+and\s+insurance\s+regulatory\s+(?:bureau|office|commission)`, []string{"福建银保监局"}},
	{`csrc(?:\s+fujian(?:\s+office|\s+bureau)?)?|securities\s+regulatory\s+(?:bureau|office|commission)`, []string{"福建证监局"}},
	{`(?:administration|bureau)\s+(?:for|of)\s+market\s+(?:regulation|supervision)|market\s+(?:supervision|regulation|regulatory)\s+(?:and\s+administration\s+)?(?:administration|bureau)|market\s+regulator|s?amr`, []string{"省市场监管局"}},
	{`development\s+and\s+reform\s+commission|drc`, []string{"省发改委"}},
	{`(?:publicity|propaganda)\s+department`, []string{"省委宣传部"}},
	{`organi[sz]ation\s+department`, []string{"省委组织部"}},
	{`cyberspace\s+(?:affairs\s+)?(?:administration|office|commission)`, []string{"省委网信办"}},
	{`party\s+school`, []string{"省委党校"}},
	{`political\s+and\s+legal\s+affairs\s+commission`, []string{"省委政法委"}},
}

// englishRe compiles one English name with its optional surroundings.
func englishRe(p string) *regexp.Regexp {
	return regexp.MustCompile(`\b(?:the\s+)?(?:fujian\s+)?(?:provincial\s+|province\s+)?(?:` + p + `)(?:\s+of\s+fujian(?:\s+province)?)?\b`)
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
	d.english = compiledEnglish()
	return d
}

// compiledEnglish compiles the English names once for every directory:
// compiling them took most of a parse.
var compiledEnglish = sync.OnceValue(func() []englishName {
	out := make([]englishName, 0, len(englishNames))
	for _, en := range englishNames {
		out = append(out, englishName{re: englishRe(en.pattern), names: en.names})
	}
	return out
})

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
	// An English name, the whole of it: "Fuzhou Customs".
	lower := strings.ToLower(strings.Join(strings.Fields(Fold(name)), " "))
	for _, en := range d.english {
		if loc := en.re.FindStringIndex(lower); loc != nil && loc[0] == 0 && loc[1] == len(lower) {
			return slices.Clone(en.names), true
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
	return d.find(text, true)
}

// find is Find; withEnglish adds the English names, which a Chinese plan's
// item bodies do not use for agencies (their Latin letters are PDF, ODR, 3A).
func (d *Directory) find(text string, withEnglish bool) []Match {
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
	if withEnglish && strings.ContainsFunc(lower, func(r rune) bool { return r >= 'a' && r <= 'z' }) {
		out = d.findEnglish(text, lower, out)
		out = d.findEnglishWords(text, lower, out)
	}
	return out
}

// findEnglish adds the English agency names in lower (text lower-cased
// byte for byte) that overlap no match found so far, keeping the order.
func (d *Directory) findEnglish(text, lower string, out []Match) []Match {
	taken := func(s, e int) bool {
		for _, m := range out {
			if s < m.End && m.Start < e {
				return true
			}
		}
		return false
	}
	added := false
	for _, en := range d.english {
		for _, loc := range en.re.FindAllStringIndex(lower, -1) {
			if taken(loc[0], loc[1]) {
				continue
			}
			out = append(out, Match{Start: loc[0], End: loc[1], Text: text[loc[0]:loc[1]], Names: slices.Clone(en.names)})
			added = true
		}
	}
	if added {
		sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
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

// homophones are groups of characters of agency names that a pinyin input
// method easily swaps for one another (卫健委 typed 卫建委, 林业局 typed
// 林叶局). Correct accepts a swap within a group, never another character.
var homophones = []string{
	"健建件监检鉴间见", "卫委为位维未伟", "厅庭听停", "局居据举", "林临淋", "业叶页夜",
	"药要耀", "粮量良两", "储除出处", "商尚上", "务物五无", "科可课", "技机计记济级急及纪",
	"信心新", "统同通", "旅铝", "渔鱼育于", "融荣容", "税水睡", "海还", "关官管馆观",
	"财才材", "政正证", "司私", "法发", "教交较", "源原院", "资自", "住注驻", "运云",
	"输书", "农浓", "民名", "公工供", "安按", "体提", "应英", "国过", "改该", "社设",
	"保报", "障章", "生省声", "督都", "理里",
}

// homophone reports whether a and b are in one group of homophones.
func homophone(a, b rune) bool {
	for _, g := range homophones {
		if strings.ContainsRune(g, a) && strings.ContainsRune(g, b) {
			return true
		}
	}
	return false
}

// Correct resolves a name the directory does not know when it differs from
// exactly one known name form (of three characters or more) by a single
// homophone (省卫建委 -> 省卫健委). It returns the canonical names and the
// known form, or ok false when no form, or forms of several agencies, fit.
func (d *Directory) Correct(name string) (names []string, form string, ok bool) {
	if _, known := d.Resolve(name); known {
		return nil, "", false
	}
	q := []rune(foldName(name))
	if len(q) < 3 {
		return nil, "", false
	}
	var found []string
	for _, k := range d.keys {
		kr := []rune(k)
		if len(kr) != len(q) {
			continue
		}
		diff, fits := 0, true
		for i := range kr {
			if kr[i] != q[i] {
				diff++
				if diff > 1 || !homophone(kr[i], q[i]) {
					fits = false
					break
				}
			}
		}
		if !fits || diff != 1 {
			continue
		}
		for _, n := range d.aliases[k] {
			if !slices.Contains(found, n) {
				found = append(found, n)
			}
		}
		if form == "" {
			form = k
		}
	}
	if len(found) != 1 {
		return nil, "", false
	}
	return found, form, true
}

// CorrectTypo resolves a name the directory does not know when it is one
// edit (a character replaced, added or left out) away from the forms of
// exactly one agency, the name has five characters or more
// (省农业农材厅 -> 省农业农村厅). Shorter names are too easily another
// agency's, and the last character (局, 厅, 委) is never the typo: 省公安局
// is another kind of unit than 省公安厅.
func (d *Directory) CorrectTypo(name string) ([]string, bool) {
	if _, known := d.Resolve(name); known {
		return nil, false
	}
	q := []rune(foldName(name))
	if len(q) < 5 {
		return nil, false
	}
	var found []string
	for _, k := range d.keys {
		kr := []rune(k)
		if len(kr) < 5 || kr[len(kr)-1] != q[len(q)-1] || !oneEdit(q, kr) {
			continue
		}
		for _, n := range d.aliases[k] {
			if !slices.Contains(found, n) {
				found = append(found, n)
			}
		}
	}
	if len(found) != 1 {
		return nil, false
	}
	return found, true
}

// oneEdit reports whether a and b differ by exactly one replaced, added or
// removed character.
func oneEdit(a, b []rune) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	switch len(a) - len(b) {
	case 0:
		diff := 0
		for i := range a {
			if a[i] != b[i] {
				diff++
			}
		}
		return diff == 1
	case 1:
		i := 0
		for i < len(b) && a[i] == b[i] {
			i++
		}
		return slices.Equal(a[i+1:], b[i:])
	}
	return false
}
