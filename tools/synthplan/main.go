// Command synthplan writes a synthetic plan in the seed's format, for
// measuring duban at scale (docs/PERFORMANCE.md): the seed's cover letter,
// a title for the year given, and N items cycling through the seed's 71
// items, each renumbered and marked with its round so that no two texts
// are the same.
//
//	go run ./tools/synthplan -items 10000 -year 2030 > /tmp/plan-10000.txt
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"

	"duban/seeds"
)

var itemRe = regexp.MustCompile(`^(\d+)\s*[.．、]\s*`)

func main() {
	n := flag.Int("items", 10000, "number of items")
	year := flag.Int("year", 2030, "the plan's year")
	flag.Parse()
	var header, items []string
	sc := bufio.NewScanner(bytes.NewReader(seeds.Fujian2021))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if m := itemRe.FindString(l); m != "" && !strings.HasPrefix(l[len(m)-len(strings.TrimLeft(m, "0123456789")):], "年") && len(items) < 71 {
			items = append(items, l[len(m):])
			continue
		}
		if len(items) == 0 {
			header = append(header, l)
		}
	}
	if err := sc.Err(); err != nil || len(items) != 71 {
		fmt.Fprintln(os.Stderr, "synthplan: cannot read the seed:", err, len(items))
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	y := fmt.Sprint(*year)
	for _, l := range header {
		fmt.Fprintln(w, strings.ReplaceAll(l, "2021年", y+"年"))
	}
	for i := 0; i < *n; i++ {
		text := items[i%len(items)]
		if round := i / len(items); round > 0 {
			// Mark the round in the first sentence, so that titles differ.
			if j := strings.Index(text, "。"); j >= 0 {
				text = text[:j] + fmt.Sprintf("(第%d批)", round+1) + text[j:]
			}
		}
		fmt.Fprintf(w, "%d.%s\n", i+1, text)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "synthplan:", err)
		os.Exit(1)
	}
}
