package duban

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// shBlocks returns the lines of the README's ```sh blocks.
func shBlocks(readme string) []string {
	var lines []string
	in := false
	for _, l := range strings.Split(readme, "\n") {
		switch {
		case strings.HasPrefix(l, "```sh"):
			in = true
		case strings.HasPrefix(l, "```"):
			in = false
		case in:
			lines = append(lines, l)
		}
	}
	return lines
}

// TestReadmeStandsOnItsOwn: the README points to the architecture in the
// repository (a clone has no ../shared), and that document keeps the
// conversation contract (hardening 22).
func TestReadmeStandsOnItsOwn(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(readme), "../shared") {
		t.Error("README.md points to ../shared, which a clone does not have")
	}
	if !strings.Contains(string(readme), "(docs/ARCHITECTURE.md)") {
		t.Error("README.md does not link docs/ARCHITECTURE.md")
	}
	arch, err := os.ReadFile("docs/ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Layout", "dependency rule", "flow of a question", "flow of a report",
		"Adding an intent", "Adding an adapter", "Adding a plan", "Adding a store", "conversation contract",
		"lead,\n  joint, involved, who, search, item, target, meta, update, history,\n  summary, missing, export, bind, help, error"} {
		if !strings.Contains(string(arch), want) {
			t.Errorf("docs/ARCHITECTURE.md lacks %q", want)
		}
	}
}

// TestReadmeExamplesUseAScratchDataDirectory: the README's examples that
// write data name a data directory (never the reader's real one by
// accident), and the binary they call `duban` is built before them
// (hardening 23).
func TestReadmeExamplesUseAScratchDataDirectory(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	runs := regexp.MustCompile(`(^|\s)(\./duban|duban|go run \./cmd/duban)(\s|$)`)
	writes := regexp.MustCompile(`进展|绑定|撤回|backup|export|导出|--stale|--remind`)
	built := false
	for _, l := range shBlocks(string(readme)) {
		cmd, _, _ := strings.Cut(l, "#")
		if strings.Contains(cmd, "go build -o duban ./cmd/duban") {
			built = true
			continue
		}
		if !runs.MatchString(cmd) {
			continue
		}
		if regexp.MustCompile(`(^|\s)\.?/?duban\s`).MatchString(cmd) && !strings.Contains(cmd, "go run") && !strings.Contains(cmd, "/tmp/duban") && !built {
			t.Errorf("%q runs duban before the README builds it (go build -o duban ./cmd/duban)", strings.TrimSpace(l))
		}
		// A command on an etcd store writes no data directory.
		if writes.MatchString(cmd) && !strings.Contains(cmd, "--data") && !strings.Contains(cmd, "serve") && !strings.Contains(cmd, "--store etcd") {
			t.Errorf("%q writes data without --data", strings.TrimSpace(l))
		}
	}
}
