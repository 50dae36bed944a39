package duban

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// lexiconFS holds the word lists of the domain's grammars: numerals, item
// references, and the traditional-to-simplified table.
//
//go:embed lexicon/*.txt
var lexiconFS embed.FS

// Lexicon reads an embedded word list of the domain: a file of sections
// ("[name]") with one entry a line and "#" comments. It returns the lines of
// every section, in order. Other packages use it for the lists they share
// with the domain (item words, statuses).
func Lexicon(file string) (map[string][]string, error) {
	data, err := lexiconFS.ReadFile("lexicon/" + file)
	if err != nil {
		return nil, fmt.Errorf("lexicon %s: %w", file, err)
	}
	return ParseLexicon(data)
}

// ParseLexicon reads the section format of Lexicon from data: "[name]"
// starts a section, a line starting with "#" is a comment, blank lines are
// skipped and every other line, trimmed, is an entry of the current
// section ("\#" stands for an entry that is "#" itself). Entries before the
// first section belong to the section "".
func ParseLexicon(data []byte) (map[string][]string, error) {
	out := map[string][]string{}
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = strings.TrimSpace(line[1 : len(line)-1])
			if section == "" {
				return nil, fmt.Errorf("line %d: empty section name", n)
			}
			continue
		case strings.HasPrefix(line, `\#`):
			line = line[1:]
		}
		out[section] = append(out[section], line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read lexicon: %w", err)
	}
	return out, nil
}

// mustLexicon is Lexicon for the files compiled into the binary, whose
// failure is a build defect caught by the tests.
func mustLexicon(file string) map[string][]string {
	m, err := Lexicon(file)
	if err != nil {
		panic(err)
	}
	return m
}

// Script is how a number is written.
type Script int

// The scripts of numbers.
const (
	ScriptDigits  Script = iota // 53, 15.86
	ScriptChinese               // 五十三, 二〇二一, 两
	ScriptEnglish               // fifty-three, forty-eighth
)

// Number is a number written in a text.
type Number struct {
	Start, End int // byte range in the text
	Value      int64
	Script     Script
	Ordinal    bool // forty-eighth, 48th (Chinese ordinals use 第, which the grammars read)
	Decimal    bool // 15.86: Value is the whole part
	Overflow   bool // too large to hold: Value is math.MaxInt64
}

// numeralTables is the parsed lexicon/numerals.txt.
type numeralTables struct {
	hanBits  [1 << 10]uint64 // the Chinese digits and units of the Basic Multilingual Plane, as bits
	hanDigit map[rune]int64
	hanUnit  map[rune]int64
	hanTens  map[rune]int64 // 廿 20, 卅 30
	cardinal map[string]int64
	ordinal  map[string]int64
	scale    map[string]int64
}

var numerals = sync.OnceValue(func() *numeralTables {
	lx := mustLexicon("numerals.txt")
	t := &numeralTables{hanDigit: map[rune]int64{}, hanUnit: map[rune]int64{}, hanTens: map[rune]int64{},
		cardinal: map[string]int64{}, ordinal: map[string]int64{}, scale: map[string]int64{}}
	pairs := func(section string, put func(k string, v int64)) {
		for _, line := range lx[section] {
			f := strings.Fields(line)
			if len(f) != 2 {
				panic(fmt.Sprintf("numerals.txt [%s]: bad line %q", section, line))
			}
			v, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				panic(fmt.Sprintf("numerals.txt [%s]: %v", section, err))
			}
			put(f[0], v)
		}
	}
	firstRune := func(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }
	pairs("han-digit", func(k string, v int64) { t.hanDigit[firstRune(k)] = v })
	pairs("han-unit", func(k string, v int64) { t.hanUnit[firstRune(k)] = v })
	pairs("han-tens", func(k string, v int64) { t.hanTens[firstRune(k)] = v })
	pairs("en-cardinal", func(k string, v int64) { t.cardinal[k] = v })
	pairs("en-ordinal", func(k string, v int64) { t.ordinal[k] = v })
	pairs("en-scale", func(k string, v int64) { t.scale[k] = v })
	for _, m := range []map[rune]int64{t.hanDigit, t.hanUnit, t.hanTens} {
		for r := range m {
			if r < rune(len(t.hanBits)*64) {
				t.hanBits[r>>6] |= 1 << (r & 63)
			}
		}
	}
	return t
})

// IsChineseNumeral reports whether r is a Chinese digit or unit.
func IsChineseNumeral(r rune) bool {
	t := numerals()
	if r < 0 || r >= rune(len(t.hanBits)*64) {
		_, d := t.hanDigit[r]
		_, u := t.hanUnit[r]
		_, n := t.hanTens[r]
		return d || u || n
	}
	return t.hanBits[r>>6]&(1<<(r&63)) != 0 // a figure scan asks this of every character
}

// ParseChineseNumber reads a number written in Chinese numerals (三, 十二,
// 三十九, 七十一, 一百零五, 二〇二一, 两千, 三万五千) and reports whether s is
// entirely such a number. Numbers too large for an int are refused.
func ParseChineseNumber(s string) (int, bool) {
	v, ok, overflow := parseHan([]rune(s))
	if !ok || overflow || v > math.MaxInt32 {
		return 0, false
	}
	return int(v), true
}

// parseHan reads a run of Chinese numerals. Digit by digit (二〇二一) when
// it has four digits or more, or a zero; else with units (三十九, 一百零五,
// 三万五千). Two digits in a row without a unit (一二) are no number.
func parseHan(rs []rune) (v int64, ok, overflow bool) {
	if len(rs) == 0 {
		return 0, false, false
	}
	t := numerals()
	allDigits := true
	for _, r := range rs {
		if _, ok := t.hanDigit[r]; !ok {
			allDigits = false
			break
		}
	}
	if allDigits && len(rs) > 1 {
		if len(rs) < 4 && !strings.ContainsAny(string(rs), "〇零") {
			return 0, false, false
		}
		for _, r := range rs {
			if v > (math.MaxInt64-9)/10 {
				return math.MaxInt64, true, true
			}
			v = v*10 + t.hanDigit[r]
		}
		return v, true, false
	}
	var total, section, cur int64
	haveCur, zero := false, false
	mul := func(a, b int64) int64 {
		if a != 0 && b > math.MaxInt64/a {
			overflow = true
			return math.MaxInt64
		}
		return a * b
	}
	for i, r := range rs {
		if d, isDigit := t.hanDigit[r]; isDigit {
			if haveCur && !zero {
				return 0, false, false // 一二: two digits without a unit
			}
			cur, haveCur, zero = d, true, d == 0
			continue
		}
		if tens, ok := t.hanTens[r]; ok { // 廿一: twenty, then a digit
			if haveCur {
				return 0, false, false
			}
			section += tens
			zero = false
			continue
		}
		unit, isUnit := t.hanUnit[r]
		if !isUnit {
			return 0, false, false
		}
		zero = false
		switch {
		case unit < 10000: // 十 百 千
			n := cur
			if !haveCur {
				if i > 0 && unit != 10 {
					return 0, false, false // 百 after a unit with no digit
				}
				n = 1 // 十二 is 12
			}
			section += mul(n, unit)
		default: // 万 亿 close a section
			section += cur
			if section == 0 {
				section = 1 // 万 alone
			}
			if unit == 100000000 {
				total = mul(total+section, unit)
			} else {
				total += mul(section, unit)
			}
			section = 0
		}
		cur, haveCur = 0, false
	}
	v = total + section + cur
	if v < 0 {
		overflow, v = true, math.MaxInt64
	}
	return v, true, overflow
}

// ScanNumbers returns every number written in text, in order: runs of
// digits (with a decimal part, and an ordinal suffix such as 48th), runs of
// Chinese numerals that read as a number, and English number words
// (fifty-three, one hundred and five, forty-eighth). The text should be
// width-folded (Fold) first. Whether a number names an item, a figure or
// nothing is for the grammars that use it.
func ScanNumbers(text string) []Number {
	t := numerals()
	var out []Number
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r >= '0' && r <= '9':
			n, end := scanDigits(text, i)
			// 15.86万, 10万: a Chinese unit after digits multiplies them.
			for !n.Ordinal && end < len(text) {
				u, us := utf8.DecodeRuneInString(text[end:])
				mul, ok := t.hanUnit[u]
				if !ok || mul < 100 {
					break
				}
				if n.Value > math.MaxInt64/mul {
					n.Value, n.Overflow = math.MaxInt64, true
				} else {
					n.Value *= mul
				}
				end += us
			}
			n.End = end
			out = append(out, n)
			i = end
		case IsChineseNumeral(r):
			j := i
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !IsChineseNumeral(r2) {
					break
				}
				j += s2
			}
			if v, ok, over := parseHan([]rune(text[i:j])); ok {
				out = append(out, Number{Start: i, End: j, Value: v, Script: ScriptChinese, Overflow: over})
			}
			i = j
		case isASCIILetter(byte(r)) && r < utf8.RuneSelf && (i == 0 || !isASCIILetter(text[i-1])):
			if n, end, ok := scanEnglish(text, i, t); ok {
				out = append(out, n)
				i = end
				continue
			}
			for i < len(text) && isASCIILetter(text[i]) {
				i++
			}
		default:
			i += size
		}
	}
	return out
}

// scanDigits reads digits at text[i:]: 53, 15.86, 48th.
func scanDigits(text string, i int) (Number, int) {
	j := i
	for j < len(text) && text[j] >= '0' && text[j] <= '9' {
		j++
	}
	n := Number{Start: i, Script: ScriptDigits}
	v, err := strconv.ParseInt(text[i:j], 10, 64)
	if err != nil {
		v, n.Overflow = math.MaxInt64, true
	}
	n.Value = v
	if j+1 < len(text) && text[j] == '.' && text[j+1] >= '0' && text[j+1] <= '9' {
		j++
		for j < len(text) && text[j] >= '0' && text[j] <= '9' {
			j++
		}
		n.Decimal = true
	}
	if !n.Decimal && j+2 <= len(text) {
		suf := strings.ToLower(text[j : j+2])
		if (suf == "st" || suf == "nd" || suf == "rd" || suf == "th") && (j+2 == len(text) || !isASCIILetter(text[j+2])) {
			n.Ordinal = true
			j += 2
		}
	}
	n.End = j
	return n, j
}

// scanEnglish reads English number words at text[i:]: "fifty-three",
// "forty eighth", "one hundred and five", "thirty-third".
func scanEnglish(text string, i int, t *numeralTables) (Number, int, bool) {
	var total, cur int64
	end, words, ordinal := i, 0, false
	for j := i; !ordinal; {
		w, k := englishWordAt(text, j)
		lw := strings.ToLower(w)
		if lw == "" {
			break
		}
		if lw == "and" && words > 0 && cur >= 100 && cur%100 == 0 {
			next := skipJoiner(text, k)
			w2, _ := englishWordAt(text, next)
			if _, ok := t.cardinal[strings.ToLower(w2)]; !ok {
				if _, ok := t.ordinal[strings.ToLower(w2)]; !ok {
					break
				}
			}
			j = next // "one hundred and five"
			continue
		}
		if v, ok := t.cardinal[lw]; ok {
			if words > 0 && !followsInNumber(cur, v) {
				break // "five six": another number
			}
			cur += v
		} else if v, ok := t.ordinal[lw]; ok {
			if v >= 100 {
				cur = max(cur, 1) * v
			} else {
				if words > 0 && !followsInNumber(cur, v) {
					break
				}
				cur += v
			}
			ordinal = true
		} else if s, ok := t.scale[lw]; ok && words > 0 {
			if s >= 1000 {
				total, cur = total+cur*s, 0
			} else {
				cur *= s
			}
		} else {
			break
		}
		words, end = words+1, k
		j = skipJoiner(text, k)
	}
	if words == 0 {
		return Number{}, 0, false
	}
	return Number{Start: i, End: end, Value: total + cur, Script: ScriptEnglish, Ordinal: ordinal}, end, true
}

// followsInNumber reports whether a number word of value v continues a
// number that stands at cur: "fifty three", "hundred five", not "five six".
func followsInNumber(cur, v int64) bool {
	switch {
	case cur%100 == 0:
		return v < 100
	case cur%10 == 0 && cur%100 >= 20:
		return v < 10
	}
	return false
}

// englishWordAt returns the ASCII word at text[j:] and where it ends.
func englishWordAt(text string, j int) (string, int) {
	k := j
	for k < len(text) && isASCIILetter(text[k]) {
		k++
	}
	return text[j:k], k
}

// skipJoiner skips one hyphen or run of spaces between number words.
func skipJoiner(text string, k int) int {
	if k < len(text) && text[k] == '-' {
		return k + 1
	}
	for k < len(text) && text[k] == ' ' {
		k++
	}
	return k
}
