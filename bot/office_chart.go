package bot

import (
	"io"
	"time"
)

// Charter draws the office's progress chart as a PNG. Package bot/chart
// implements it with gonum.org/v1/plot and a CJK font it ships; cmd/duban
// wires it into Config.Charter, so that package bot itself never imports a
// plotting library.
type Charter interface {
	// Chart writes the chart of data to w as PNG.
	Chart(w io.Writer, data ChartData) error
}

// ChartData is what the progress chart shows: completion by agency as
// bars stacked by light, and the share of pairs done by week.
type ChartData struct {
	Title    string      // the chart's title
	Subtitle string      // what it counts and when: "截至 2021-06-07 09:00 · 86 个工作-责任单位组合"
	Agencies []AgencyBar // top to bottom: worst first
	Hidden   int         // agencies left out for room
	Weeks    []WeekShare // oldest first
}

// AgencyBar is one agency's pairs by light.
type AgencyBar struct {
	Agency             string
	Red, Yellow, Green int
}

// WeekShare is the share of pairs done at the end of a week.
type WeekShare struct {
	End   time.Time
	Done  int
	Total int
}
