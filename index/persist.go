package index

import (
	"bufio"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"

	"duban"
)

// A plan's index is kept in a directory (the data directory's index/), so
// that a restart opens it instead of building it again: bleve's segments
// and, in derived.gob, the tables derived beside them (occurrences, the
// items' tokens, the short forms). Its folder is named after the plan and
// a key of everything the index is made from: the document (its hash), the
// words added to gojieba (the agency names and the plan's terms), gojieba's
// dictionaries, the analysis mode and the format of the kept files. When
// any of them changes the key changes, the index is built again, and the
// plan's older folders are removed. A build is written to a temporary
// folder and renamed, so a folder that exists is whole.

// formatVersion is the version of what a kept index holds; change it when
// the build or derived.gob changes.
const formatVersion = 1

// snapshot is what derived.gob holds.
type snapshot struct {
	Format    int
	Key       string
	Items     int
	Runes     map[rune][]uint64
	Bigrams   map[uint64][]uint64 // first rune << 32 | second
	Tokens    map[string][]uint64
	Abbrev    map[string][]string
	PlanWords []string
	UserWords []string // the words added to gojieba, in order
}

// openKept tracks the kept indexes open in this process: bleve locks its
// folder, so a second open of the same plan's index is built in memory.
var openKept sync.Map // folder -> struct{}

// Open returns the index of the plan kept under dir, building and keeping
// it first when there is none for the plan as it is now. Close frees it.
func Open(dir string, plan *duban.Plan) (*Index, error) { return OpenWithOptions(dir, plan, Options{}) }

// OpenWithOptions is Open with options.
func OpenWithOptions(dir string, plan *duban.Plan, opt Options) (*Index, error) {
	if plan == nil {
		return nil, errors.New("index: nil plan")
	}
	dirOf := plan.Directory
	if dirOf == nil {
		dirOf = duban.NewDirectory()
	}
	agencies := newAgencyTable(dirOf)
	key, err := indexKey(plan, opt, agencies)
	if err != nil {
		return nil, err
	}
	name := folderName(plan) + "-" + key[:16]
	folder := filepath.Join(dir, name)
	if _, busy := openKept.LoadOrStore(folder, struct{}{}); busy {
		return NewWithOptions(plan, opt) // this process has it open already
	}
	// The kept words spare reading every item for its quoted terms.
	snap, _ := readSnapshot(folder, key, len(plan.Items))
	words := userWords(plan, agencies)
	if snap != nil {
		words = snap.UserWords
	}
	ix, err := prepare(plan, opt, "jieba-kept-"+key[:16], words)
	if err != nil {
		openKept.Delete(folder)
		return nil, err
	}
	ix.kept = folder
	if snap != nil && ix.load(folder, snap) == nil {
		ix.loaded = true
		ix.finish()
		return ix, nil
	}
	if err := ix.buildKept(dir, name, key, opt); err != nil {
		ix.Close()
		return nil, err
	}
	ix.finish()
	return ix, nil
}

// folderName is a plan's part of its index folder's name: its id, or
// "plan" for a plan without one.
func folderName(plan *duban.Plan) string {
	if plan.ID != "" && duban.CheckPlanID(plan.ID) == nil {
		return plan.ID
	}
	return "plan"
}

// indexKey is the key of a plan's index (see the top of the file): the
// words added to gojieba are the agency names, the plan's terms and the
// quoted terms of its text, which the document's hash stands for.
func indexKey(plan *duban.Plan, opt Options, agencies *agencyTable) (string, error) {
	paths, err := dictPaths()
	if err != nil {
		return "", fmt.Errorf("index: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "format %d\nmode %d\ndict %s\nplan %s\n", formatVersion, opt.Mode, filepath.Base(filepath.Dir(paths[0])), plan.Hash)
	if plan.Hash == "" { // a plan made by hand: its texts
		for _, it := range plan.Items {
			if it != nil {
				fmt.Fprintf(h, "%d %s\n%s\n%q\n", it.Number, it.Title, itemText(it), it.Responsible())
			}
		}
	}
	for _, w := range agencies.names {
		fmt.Fprintf(h, "agency %s\n", w)
	}
	for _, w := range plan.Terms {
		fmt.Fprintf(h, "term %s\n", w)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// readSnapshot reads a kept index's derived.gob, which must be of this
// format, key and number of items; nil when there is none such.
func readSnapshot(folder, key string, items int) (*snapshot, error) {
	f, err := os.Open(filepath.Join(folder, "derived.gob"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var snap snapshot
	if err := gob.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&snap); err != nil {
		return nil, fmt.Errorf("read %s: %w", folder, err)
	}
	if snap.Format != formatVersion || snap.Key != key || snap.Items != items {
		return nil, fmt.Errorf("%s is of another plan or format", folder)
	}
	return &snap, nil
}

// load opens a kept index: bleve's folder and the derived tables read
// from derived.gob.
func (ix *Index) load(folder string, snap *snapshot) error {
	b, err := bleve.OpenUsing(filepath.Join(folder, "bleve"), map[string]any{"read_only": true})
	if err != nil {
		return fmt.Errorf("open %s: %w", folder, err)
	}
	ix.bleve = b
	ix.restore(snap)
	if err := ix.countTerms(); err != nil {
		b.Close()
		ix.bleve = nil
		return err
	}
	return nil
}

// buildKept builds the index into a temporary folder beside the kept ones,
// writes derived.gob, renames the folder into place, removes the plan's
// older folders, and opens the index from its place.
func (ix *Index) buildKept(dir, name, key string, opt Options) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, ".build-"+name+"-")
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	defer os.RemoveAll(tmp) // gone once renamed
	if err := ix.build(filepath.Join(tmp, "bleve"), opt); err != nil {
		return err
	}
	if err := ix.bleve.Close(); err != nil { // flushes the segments
		return fmt.Errorf("index: %w", err)
	}
	ix.bleve = nil
	if err := writeSnapshot(filepath.Join(tmp, "derived.gob"), ix.snapshot(key)); err != nil {
		return err
	}
	folder := filepath.Join(dir, name)
	if err := os.RemoveAll(folder); err != nil { // a folder left whole but unreadable
		return fmt.Errorf("index: %w", err)
	}
	if err := os.Rename(tmp, folder); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	removeOlder(dir, name)
	b, err := bleve.OpenUsing(filepath.Join(folder, "bleve"), map[string]any{"read_only": true})
	if err != nil {
		return fmt.Errorf("index: open %s: %w", folder, err)
	}
	ix.bleve = b
	return ix.countTerms()
}

// removeOlder removes the folders of the same plan with another key, and
// builds left behind by a process that stopped.
func removeOlder(dir, name string) {
	plan := name[:strings.LastIndexByte(name, '-')]
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() || n == name {
			continue
		}
		if i := strings.LastIndexByte(n, '-'); i > 0 && n[:i] == plan && len(n)-i-1 == 16 {
			os.RemoveAll(filepath.Join(dir, n))
		}
	}
}

// snapshot returns what derived.gob keeps.
func (ix *Index) snapshot(key string) *snapshot {
	s := &snapshot{Format: formatVersion, Key: key, Items: len(ix.items),
		Runes: make(map[rune][]uint64, len(ix.occ.runes)), Bigrams: make(map[uint64][]uint64, len(ix.occ.bigrams)),
		Tokens: make(map[string][]uint64, len(ix.tokens)), Abbrev: ix.derived.abbrev, UserWords: ix.userWords}
	for r, b := range ix.occ.runes {
		s.Runes[r] = b
	}
	for k, b := range ix.occ.bigrams {
		s.Bigrams[uint64(uint32(k[0]))<<32|uint64(uint32(k[1]))] = b
	}
	for w, b := range ix.tokens {
		s.Tokens[w] = b
	}
	for w := range ix.derived.planWords {
		s.PlanWords = append(s.PlanWords, w)
	}
	return s
}

// restore sets the derived tables from a snapshot.
func (ix *Index) restore(s *snapshot) {
	ix.occ = &occurrences{folded: ix.folded, runes: make(map[rune]bitset, len(s.Runes)), bigrams: make(map[[2]rune]bitset, len(s.Bigrams))}
	for r, b := range s.Runes {
		ix.occ.runes[r] = b
	}
	for k, b := range s.Bigrams {
		ix.occ.bigrams[[2]rune{rune(k >> 32), rune(uint32(k))}] = b
	}
	ix.tokens = make(map[string]bitset, len(s.Tokens))
	for w, b := range s.Tokens {
		ix.tokens[w] = b
	}
	if ix.mode == ModeFull {
		ix.derived.abbrev = s.Abbrev
		if ix.derived.abbrev == nil {
			ix.derived.abbrev = map[string][]string{}
		}
		ix.derived.planWords = make(map[string]bool, len(s.PlanWords))
		for _, w := range s.PlanWords {
			ix.derived.planWords[w] = true
		}
	}
}

// writeSnapshot writes derived.gob.
func writeSnapshot(path string, s *snapshot) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = gob.NewEncoder(w).Encode(s)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("index: write %s: %w", path, err)
	}
	return nil
}

// Loaded reports whether the index was opened from where it was kept
// rather than built.
func (ix *Index) Loaded() bool { return ix.loaded }

var _ io.Closer = (*Index)(nil)
