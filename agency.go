package duban

import (
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
	// Plan is set for an agency a plan's own agency file adds, Derived for
	// one only the plan document names (neither file lists it).
	Plan, Derived bool
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

	province, provinceEN string // the province's name (福建, fujian): 省X is also 福建省X
}

// NewDirectory returns the agency directory of the province
// (lexicon/agencies.txt). Parse adds the agencies a document names that it
// lacks, and a plan's own agency file adds to it (LoadAgencies).
func NewDirectory() *Directory {
	d := &Directory{byName: map[string]*Agency{}, aliases: map[string][]string{}, byFirst: map[rune][]string{}}
	f := provinceFile()
	d.province, d.provinceEN = f.Province, f.ProvinceEN
	if err := d.apply(f, false); err != nil {
		panic("lexicon/agencies.txt: " + err.Error()) // the embedded file is checked by the tests
	}
	return d
}

// provinceFile is the parsed province directory, read once: compiling its
// English names took most of a parse.
var provinceFile = sync.OnceValue(func() *AgencyFile {
	data, err := lexiconFS.ReadFile("lexicon/agencies.txt")
	if err != nil {
		panic(err)
	}
	f, err := ParseAgencyFile(data, "lexicon/agencies.txt")
	if err == nil {
		err = f.compile(f.ProvinceEN)
	}
	if err != nil {
		panic(err)
	}
	return f
})

// add puts an agency and its aliases (and their 福建省 forms) into d.
func (d *Directory) add(a Agency) *Agency {
	ag := &a
	ag.Aliases = slices.Clone(a.Aliases)
	d.agencies = append(d.agencies, ag)
	d.byName[ag.Name] = ag
	for _, f := range append([]string{ag.Name, ag.Full, ag.Header}, ag.Aliases...) {
		d.addForm(ag, f)
	}
	return ag
}

// addForm makes one written form (and its 福建省 form) resolve to ag.
func (d *Directory) addForm(ag *Agency, f string) {
	if f == "" {
		return
	}
	d.addAlias(f, ag.Name)
	if rest, ok := strings.CutPrefix(f, "省"); ok && utf8.RuneCountInString(rest) >= 2 && d.province != "" {
		d.addAlias(d.province+"省"+rest, ag.Name)
	}
}

// prefixes are what a name may start with before the form the directory
// knows: 福建省, 福建, 省.
func (d *Directory) prefixes() []string {
	if d.province == "" {
		return []string{"省"}
	}
	return []string{d.province + "省", d.province, "省"}
}

// setHeader records the form the cover letter's recipient list uses for
// an agency (derived from the document) and makes it resolve.
func (d *Directory) setHeader(name, header string) {
	if a := d.byName[name]; a != nil && a.Header == "" && header != "" {
		a.Header = header
		d.addForm(a, header)
	}
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
	for _, p := range d.prefixes() {
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
// the characters they share (a Dice coefficient of 0.5 or more).
func (d *Directory) Suggest(name string, n int) []string { return d.Similar(name, n, 0.5) }

// Similar is Suggest with the least Dice coefficient a name must reach.
func (d *Directory) Similar(name string, n int, least float64) []string {
	q := []rune(foldName(name))
	for _, p := range []string{d.province + "省", "省"} {
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
		if s >= least {
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

// dice is the Sørensen–Dice coefficient of a and b: the characters of two
// names, the bigrams of two titles.
func dice[T comparable](a, b []T) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	count := map[T]int{}
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
	d.add(Agency{Name: name, Full: name, Derived: true})
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
