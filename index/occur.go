package index

import (
	"math/bits"
	"strings"
)

// occurrences answers "in which items does this string occur" quickly: a
// candidate set from the items holding each character pair of the string,
// then a substring check on the candidates only. Texts and strings are
// folded as the character field folds them.
type occurrences struct {
	folded  []string
	runes   map[rune]bitset
	bigrams map[[2]rune]bitset
}

// bitset is a set of item positions.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int)      { b[i/64] |= 1 << (i % 64) }
func (b bitset) has(i int) bool { return b[i/64]&(1<<(i%64)) != 0 }

func (b bitset) and(o bitset) {
	for i := range b {
		b[i] &= o[i]
	}
}

func (b bitset) or(o bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

func (b bitset) any() bool {
	for _, w := range b {
		if w != 0 {
			return true
		}
	}
	return false
}

func newOccurrences(folded []string) *occurrences {
	o := &occurrences{folded: folded, runes: map[rune]bitset{}, bigrams: map[[2]rune]bitset{}}
	n := len(folded)
	for i, d := range folded {
		prev := rune(-1)
		for _, r := range d {
			if o.runes[r] == nil {
				o.runes[r] = newBitset(n)
			}
			o.runes[r].set(i)
			if prev >= 0 {
				k := [2]rune{prev, r}
				if o.bigrams[k] == nil {
					o.bigrams[k] = newBitset(n)
				}
				o.bigrams[k].set(i)
			}
			prev = r
		}
	}
	return o
}

// docs returns the set of items where s (already folded) occurs.
func (o *occurrences) docs(s string) bitset {
	out := newBitset(len(o.folded))
	rs := []rune(s)
	switch len(rs) {
	case 0:
		return out
	case 1:
		if b := o.runes[rs[0]]; b != nil {
			copy(out, b)
		}
		return out
	}
	for i := range out {
		out[i] = ^uint64(0)
	}
	for i := 1; i < len(rs); i++ {
		b := o.bigrams[[2]rune{rs[i-1], rs[i]}]
		if b == nil {
			return newBitset(len(o.folded))
		}
		out.and(b)
	}
	if len(rs) > 2 {
		for i := range o.folded {
			if out.has(i) && !strings.Contains(o.folded[i], s) {
				out[i/64] &^= 1 << (i % 64)
			}
		}
	}
	return out
}
