package index

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The dictionaries gojieba reads, shipped inside the binary. gojieba looks
// for its dictionaries under a path fixed when it was compiled (inside the
// Go module cache), so a binary copied to another machine would not find
// them; duban writes these copies to a cache directory at start instead.
// jieba.dict.utf8 and hmm_model.utf8 are gojieba v1.4.6's own files; the
// idf, stop-word and user files are trimmed to one line (keyword extraction
// is not used, user words are added at start, and cppjieba rejects empty
// files). See dict/LICENSE.
//
//go:embed dict/jieba.dict.utf8 dict/hmm_model.utf8 dict/user.dict.utf8 dict/idf.utf8 dict/stop_words.utf8 dict/LICENSE
var dictFS embed.FS

// dictFiles are the file names in the order gojieba.NewJieba takes them,
// followed by the licence notice.
var dictFiles = []string{
	"jieba.dict.utf8",
	"hmm_model.utf8",
	"user.dict.utf8",
	"idf.utf8",
	"stop_words.utf8",
	"LICENSE",
}

// DictDirEnv names an environment variable that, when set, chooses the
// directory the dictionaries are written to (default: the user cache
// directory, or the temporary directory when there is none).
const DictDirEnv = "DUBAN_DICT_DIR"

// dictPaths writes the embedded dictionaries to a directory named after
// their content (so that different versions never mix and a second start
// reuses the files) and returns the paths of the five files gojieba
// needs. Files are written to a temporary name and renamed, so a
// concurrent start never sees a half-written dictionary.
func dictPaths() ([]string, error) {
	sum := sha256.New()
	for _, name := range dictFiles {
		b, err := dictFS.ReadFile("dict/" + name)
		if err != nil {
			return nil, fmt.Errorf("read embedded dictionary %s: %w", name, err)
		}
		fmt.Fprintf(sum, "%s %d\n", name, len(b))
		sum.Write(b)
	}
	sub := "jieba-" + hex.EncodeToString(sum.Sum(nil))[:16]

	var bases []string
	if d := os.Getenv(DictDirEnv); d != "" {
		bases = append(bases, d)
	} else {
		if d, err := os.UserCacheDir(); err == nil {
			bases = append(bases, filepath.Join(d, "duban"))
		}
		bases = append(bases, filepath.Join(os.TempDir(), "duban"))
	}
	var firstErr error
	for _, base := range bases {
		dir := filepath.Join(base, sub)
		if err := writeDicts(dir); err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		paths := make([]string, 5)
		for i := range paths {
			paths[i] = filepath.Join(dir, dictFiles[i])
		}
		return paths, nil
	}
	return nil, fmt.Errorf("write jieba dictionaries: %w", firstErr)
}

// writeDicts makes sure dir holds every dictionary file as embedded,
// writing those that are missing or differ.
func writeDicts(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, name := range dictFiles {
		b, err := fs.ReadFile(dictFS, "dict/"+name)
		if err != nil {
			return err
		}
		path := filepath.Join(dir, name)
		// cppjieba aborts the process on a damaged dictionary, so a file
		// already there is used only when it holds exactly the embedded
		// bytes (reading and comparing 2 MB takes about a millisecond).
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
			continue
		}
		tmp, err := os.CreateTemp(dir, name+".*.tmp")
		if err != nil {
			return err
		}
		_, werr := tmp.Write(b)
		cerr := tmp.Close()
		if werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Rename(tmp.Name(), path)
		}
		if werr != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("write %s: %w", path, werr)
		}
	}
	return nil
}
