package index

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/yanyiwu/gojieba"
	"golang.org/x/text/unicode/norm"
)

// Names under which the tokenizers are registered with bleve.
const (
	jiebaTokenizerType = "duban_gojieba"
	charTokenizerType  = "duban_char"
)

// handles maps the handle named in a tokenizer's config to the gojieba
// instance of one Index. bleve builds tokenizers from a config map, so the
// instance is passed by name.
var handles sync.Map // string -> *gojieba.Jieba

func init() {
	registry.RegisterTokenizer(jiebaTokenizerType, func(config map[string]any, _ *registry.Cache) (analysis.Tokenizer, error) {
		h, _ := config["handle"].(string)
		j, ok := handles.Load(h)
		if !ok {
			return nil, fmt.Errorf("gojieba tokenizer: no instance %q", h)
		}
		return &jiebaTokenizer{j: j.(*gojieba.Jieba)}, nil
	})
	registry.RegisterTokenizer(charTokenizerType, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return charTokenizer{}, nil
	})
}

// jiebaTokenizer cuts text with gojieba in search mode (long words and the
// dictionary words inside them), keeping UTF-8 byte offsets and dropping
// tokens with no letter or digit (punctuation, spaces).
type jiebaTokenizer struct {
	j *gojieba.Jieba
}

// Tokenize implements analysis.Tokenizer.
func (t *jiebaTokenizer) Tokenize(input []byte) analysis.TokenStream {
	s := cString(string(input))
	words := t.j.Tokenize(s, gojieba.SearchMode, true)
	out := make(analysis.TokenStream, 0, len(words))
	pos := 0
	for _, w := range words {
		if !hasWordRune(w.Str) {
			continue
		}
		pos++
		out = append(out, &analysis.Token{
			Term:     []byte(w.Str),
			Start:    w.Start,
			End:      w.End,
			Position: pos,
			Type:     tokenType(w.Str),
		})
	}
	return out
}

// charTokenizer makes one token of every letter or digit, folded with NFKC
// (full width to half width) and lower-cased. The position of a token is
// the index of its rune in the text, so a punctuation mark leaves a gap and
// a phrase of characters never matches across it.
type charTokenizer struct{}

// Tokenize implements analysis.Tokenizer.
func (charTokenizer) Tokenize(input []byte) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, utf8.RuneCount(input))
	pos := 0
	for off := 0; off < len(input); {
		r, size := utf8.DecodeRune(input[off:])
		pos++
		if isWordRune(r) {
			term := foldRune(r)
			out = append(out, &analysis.Token{
				Term:     []byte(term),
				Start:    off,
				End:      off + size,
				Position: pos,
				Type:     tokenType(term),
			})
		}
		off += size
	}
	return out
}

// chars splits a query word into the terms the character field holds.
func chars(s string) []string {
	var out []string
	for _, r := range s {
		if isWordRune(r) {
			out = append(out, foldRune(r))
		}
	}
	return out
}

// foldText folds every rune of s as the character field does.
func foldText(s string) string {
	// Most text is lower-case ASCII and unified ideographs, which fold to
	// themselves.
	same := true
	for _, r := range s {
		if !(r < utf8.RuneSelf && !('A' <= r && r <= 'Z') || 0x4E00 <= r && r <= 0x9FFF) {
			same = false
			break
		}
	}
	if same {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf && !('A' <= r && r <= 'Z') || 0x4E00 <= r && r <= 0x9FFF {
			b.WriteRune(r) // folds to itself
			continue
		}
		b.WriteString(foldRuneCached(r))
	}
	return b.String()
}

// foldCache keeps foldRune's answers for the runes that are not their own
// fold or are costly to fold (punctuation, full-width forms): a plan of
// 10,000 items folded its texts in 0.25 s without it.
var foldCache sync.Map // rune -> string

func foldRuneCached(r rune) string {
	if v, ok := foldCache.Load(r); ok {
		return v.(string)
	}
	f := foldRune(r)
	foldCache.Store(r, f)
	return f
}

// foldRune returns r folded as the character field stores it.
func foldRune(r rune) string {
	if r < utf8.RuneSelf {
		return string(unicode.ToLower(r))
	}
	return strings.ToLower(norm.NFKC.String(string(r)))
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

func hasWordRune(s string) bool { return strings.IndexFunc(s, isWordRune) >= 0 }

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func tokenType(s string) analysis.TokenType {
	r, _ := utf8.DecodeRuneInString(s)
	switch {
	case isHan(r):
		return analysis.Ideographic
	case unicode.IsNumber(r):
		return analysis.Numeric
	}
	return analysis.AlphaNumeric
}

// cString makes s safe to hand to cppjieba: valid UTF-8 and no NUL bytes
// (C would stop at the first). Both replacements keep byte offsets of the
// other characters unchanged.
func cString(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	b := []byte(s)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 || r == 0 {
			b[i] = ' '
		}
		i += size
	}
	return string(b)
}
