package duban

import (
	"strings"
	"unicode/utf8"
)

// Fold normalises the width of a text the way people expect to compare it:
// full-width ASCII (Ａ１，：) becomes half-width, the ideographic space a
// space, and the ratio colon ∶ (U+2236) and the full-width colon a colon.
// Chinese punctuation with no half-width twin (。、“”《》) is kept. Fold
// keeps invalid bytes as they are.
func Fold(s string) string {
	if isHalfWidth(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteRune(foldRune(r))
		i += size
	}
	return b.String()
}

func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFF01 + '!'
	case r == 0x3000:
		return ' '
	case r == 0x2236:
		return ':'
	}
	return r
}

func isHalfWidth(s string) bool {
	for _, r := range s {
		if foldRune(r) != r {
			return false
		}
	}
	return true
}

var cnDigits = map[rune]int{
	'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

// ParseChineseNumber reads a number written in Chinese numerals below ten
// thousand (三, 十二, 三十九, 七十一, 一百零五, 二〇二一) and reports whether s is
// entirely such a number.
func ParseChineseNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	rs := []rune(s)
	// Digit by digit: 二〇二一.
	allDigits := true
	for _, r := range rs {
		if _, ok := cnDigits[r]; !ok {
			allDigits = false
			break
		}
	}
	if allDigits && len(rs) > 1 && (len(rs) >= 4 || strings.ContainsAny(s, "〇零")) {
		n := 0
		for _, r := range rs {
			n = n*10 + cnDigits[r]
		}
		return n, true
	}
	total, cur := 0, -1
	for _, r := range rs {
		if d, ok := cnDigits[r]; ok {
			if cur > 0 {
				return 0, false // two digits in a row without a unit
			}
			cur = d
			continue
		}
		unit := 0
		switch r {
		case '十':
			unit = 10
		case '百':
			unit = 100
		case '千':
			unit = 1000
		default:
			return 0, false
		}
		if cur < 0 {
			cur = 1
		}
		total += cur * unit
		cur = -1
	}
	if cur > 0 {
		total += cur
	}
	if cur == 0 && total == 0 {
		return 0, true
	}
	return total, true
}

// IsChineseNumeral reports whether r is a Chinese digit or unit.
func IsChineseNumeral(r rune) bool {
	_, ok := cnDigits[r]
	return ok || r == '十' || r == '百' || r == '千'
}
