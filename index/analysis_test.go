package index

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"

	"duban"
	"duban/seeds"
)

// newTestIndex builds an index over a hand-made plan with the seed's
// terms: those of its terms file and those derived from its quotes.
func newTestIndex(t *testing.T, texts ...string) *Index {
	t.Helper()
	seed, err := duban.LoadPlan(seeds.FS, seeds.Default)
	if err != nil {
		t.Fatal(err)
	}
	p := &duban.Plan{Terms: userWords(seed, &agencyTable{dir: seed.Directory})}
	for i, s := range texts {
		p.Items = append(p.Items, &duban.Item{Number: i + 1, Text: s, Body: s, Lead: []string{"省林业局"}})
	}
	ix, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func TestJiebaTokenizerKeepsPlanTermsWhole(t *testing.T) {
	ix := newTestIndex(t, "placeholder")
	tok := &jiebaTokenizer{j: ix.jieba}
	text := "支持发展石墨烯产业，推进“一品一码”与“三品一标”，建设电梯物联网。(牵头单位:省林业局) PDF版"
	var terms []string
	for _, tk := range tok.Tokenize([]byte(text)) {
		if got := text[tk.Start:tk.End]; got != string(tk.Term) {
			t.Errorf("token %q has offsets [%d,%d) = %q", tk.Term, tk.Start, tk.End, got)
		}
		if !hasWordRune(string(tk.Term)) {
			t.Errorf("punctuation or space token %q", tk.Term)
		}
		terms = append(terms, string(tk.Term))
	}
	for _, want := range []string{"石墨烯", "一品一码", "三品一标", "电梯物联网", "省林业局", "PDF"} {
		if !slices.Contains(terms, want) {
			t.Errorf("tokens %q lack %q", terms, want)
		}
	}
	// Search mode also yields the words inside long words.
	if !slices.Contains(terms, "石墨") {
		t.Errorf("tokens %q lack the inner word 石墨", terms)
	}
}

func TestCharTokenizerPositionsSkipPunctuation(t *testing.T) {
	toks := charTokenizer{}.Tokenize([]byte("林业，产业Ａb"))
	var got []string
	var pos []int
	for _, tk := range toks {
		got = append(got, string(tk.Term))
		pos = append(pos, tk.Position)
	}
	if want := []string{"林", "业", "产", "业", "a", "b"}; !slices.Equal(got, want) {
		t.Errorf("terms %q, want %q", got, want)
	}
	// The comma keeps its position: 业 (2) and 产 (4) are not adjacent.
	if want := []int{1, 2, 4, 5, 6, 7}; !slices.Equal(pos, want) {
		t.Errorf("positions %v, want %v", pos, want)
	}
}

func TestCStringKeepsOffsets(t *testing.T) {
	in := "茶\x00\xff叶"
	out := cString(in)
	if len(out) != len(in) || !utf8.ValidString(out) || out != "茶  叶" {
		t.Errorf("cString(%q) = %q", in, out)
	}
}

func TestDictionariesAreWrittenOnce(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(DictDirEnv, dir)
	paths, err := dictPaths()
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 5 {
		t.Fatalf("got %d paths", len(paths))
	}
	for i, p := range paths {
		want, _ := dictFS.ReadFile("dict/" + dictFiles[i])
		got, err := os.ReadFile(p)
		if err != nil || len(got) != len(want) || len(got) == 0 {
			t.Errorf("%s: %d bytes, want %d (%v)", p, len(got), len(want), err)
		}
		if filepath.Dir(p) != filepath.Dir(paths[0]) {
			t.Errorf("%s not beside %s", p, paths[0])
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(paths[0]), "LICENSE")); err != nil {
		t.Errorf("licence notice not written beside the dictionaries: %v", err)
	}
	// A second start reuses the files.
	fi, _ := os.Stat(paths[0])
	again, err := dictPaths()
	if err != nil || !slices.Equal(again, paths) {
		t.Fatalf("second call: %v %v", again, err)
	}
	fi2, _ := os.Stat(paths[0])
	if !fi2.ModTime().Equal(fi.ModTime()) {
		t.Errorf("dictionary rewritten on the second start")
	}
	// A damaged file (same size, other bytes) is replaced, not loaded.
	want, _ := os.ReadFile(paths[1])
	bad := make([]byte, len(want))
	if err := os.WriteFile(paths[1], bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := dictPaths(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(paths[1]); !bytes.Equal(got, want) {
		t.Errorf("damaged %s not rewritten", paths[1])
	}
}

// FuzzCutSnippet: any text and terms give a valid UTF-8 snippet of at most
// the width (plus ellipses) with marks on character boundaries.
func FuzzCutSnippet(f *testing.F) {
	f.Add("积极推进乌龙茶和白茶国际标准的研制,加快标准外文版翻译工作。", "茶", "标准")
	f.Add("a\xffb茶", "\xff", "")
	f.Add("", "", "x")
	f.Fuzz(func(t *testing.T, text, a, b string) {
		s := cutSnippet(text, []string{a, b}, 10)
		if utf8.ValidString(text) && !utf8.ValidString(s.text) {
			t.Fatalf("snippet %q of valid text %q is not valid UTF-8", s.text, text)
		}
		if n := utf8.RuneCountInString(s.text); n > 12 {
			t.Fatalf("snippet %q has %d characters", s.text, n)
		}
		last := 0
		for _, m := range s.marks {
			if m.Start < last || m.End <= m.Start || m.End > len(s.text) {
				t.Fatalf("bad mark %v in %q", m, s.text)
			}
			if utf8.ValidString(text) && (!utf8.RuneStart(s.text[m.Start]) || m.End < len(s.text) && !utf8.RuneStart(s.text[m.End])) {
				t.Fatalf("mark %v cuts a character in %q", m, s.text)
			}
			last = m.End
		}
	})
}

// BenchmarkJiebaLoad loads gojieba's dictionaries alone, to show what
// dominates BenchmarkIndexBuild.
func BenchmarkJiebaLoad(b *testing.B) {
	paths, err := dictPaths()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		j, err := newJieba(paths)
		if err != nil {
			b.Fatal(err)
		}
		j.Free()
	}
}
