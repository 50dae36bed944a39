package duban

// SearchResult is what a topic search over the plan found. It lives in the
// domain so that package index can return it without importing package bot.
type SearchResult struct {
	Hits        []Hit
	Terms       []string // the terms that were searched for, after analysis
	Relaxed     bool     // not every part of the query matched; hits match some parts
	Suggestions []string // nearby terms to try when there are no hits
}

// Hit is one item found by a search.
type Hit struct {
	Item    int
	Score   float64
	Snippet string // about 80 characters around the best match, valid UTF-8
	Marks   []Span // matched terms in Snippet
}

// Span is a byte range [Start, End) of a text.
type Span struct {
	Start, End int
}
