// Package seeds holds the plans that duban ships with, embedded into the
// binary so that the bot runs without any file beside it. Each plan is a
// folder: a manifest (manifest.txt: id, title, year and the names of the
// other files), the plan document, and optionally the plan's own agency
// file and its terms for the word segmenter. duban.LoadPlan reads a
// folder; adding a plan here is adding a folder, no Go code.
package seeds

import (
	"embed"
	"io/fs"
	"slices"
)

// FS holds every plan folder.
//
//go:embed */*.txt
var FS embed.FS

// Default is the folder (and the id) of the default plan, the 2021 Fujian
// 质量强省 work plan.
const Default = "fujian-2021-quality"

// Fujian2021 is the text of the 2021 Fujian 质量强省 work plan
// (《2021年福建省质量强省工作要点》), the default plan's document.
//
//go:embed fujian-2021-quality/fujian-2021-quality-workpoints.txt
var Fujian2021 []byte

// DefaultName is the file name of the default plan's document, used in
// messages.
const DefaultName = "fujian-2021-quality-workpoints.txt"

// Folders returns the names of the plan folders, sorted.
func Folders() []string {
	var out []string
	entries, _ := fs.ReadDir(FS, ".")
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out
}
