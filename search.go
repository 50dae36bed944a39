package duban

// SearchResult is what a topic search over the plan found. It lives in the
// domain so that package index can return it without importing package bot.
//
// Hits are ranked: the items that hold every word of the query come first
// (Hits[:Exact]), then, up to the limit of the search, items that hold
// only some of the words (Hits[Exact:]), the ones covering the most of
// the query first. A partial match always rests on a content word of the
// query (or most of one), never on a stray character or a function word.
type SearchResult struct {
	Hits  []Hit
	Exact int // Hits[:Exact] hold every word of the query; the rest hold some
	// Relaxed reports that no item holds every word of the query and
	// that all the hits are partial matches (Exact == 0, Hits not empty).
	Relaxed bool
	Terms   []string // the words that were searched for, after analysis (agency parts: canonical names)
	// Alternatives holds, for a word of Terms, the plan's words it was
	// searched as too (synonyms, short or full forms, translations): an
	// item holding one of them holds the word.
	Alternatives map[string][]string
	// Suggestions are terms to try when no hit holds every word: the
	// plan's words that words of the query are likely typing errors of
	// (also beside partial matches), or, when the query is OutOfPlan, the
	// plan's main topics.
	Suggestions []string
	// OutOfPlan reports that nothing in the plan answers the query: none
	// of its words occurs in the plan, or only words too common to stand
	// for it, and no typing error close to a word of the plan was found.
	OutOfPlan bool
}

// Best returns the hits that answer the query best: the exact matches
// when there are any, else the partial ones. A caller that reads one
// answer off the hits (an agency, a figure) uses these.
func (r SearchResult) Best() []Hit {
	if r.Exact > 0 {
		return r.Hits[:r.Exact]
	}
	return r.Hits
}

// Partial returns the hits that hold only some of the query's words.
func (r SearchResult) Partial() []Hit { return r.Hits[r.Exact:] }

// Hit is one item found by a search.
type Hit struct {
	Item    int
	Score   float64
	Snippet string // about 80 characters around the best match, valid UTF-8
	Marks   []Span // matched terms in Snippet
	// About says how far the item is about the query rather than
	// mentioning it in passing: the IDF-weighted share of the query's
	// words that stand in the item's title (its first sentence), from 0
	// (none there) to 1 (every word there). Agency names in the query do
	// not count. A broad who question names first the agencies of the
	// items with the highest About.
	About float64
}

// Span is a byte range [Start, End) of a text.
type Span struct {
	Start, End int
}

// Place names the part of the plan's cover letter or preamble a passage
// comes from.
type Place string

// The places of passages.
const (
	PlaceRecipients Place = "recipients" // the agencies the letter is sent to
	PlaceOpening    Place = "opening"    // the letter's opening paragraph: purpose, request, deadline, form of feedback
	PlaceContact    Place = "contact"    // contact person, phone, fax, e-mail
	PlaceIssuer     Place = "issuer"     // the office that issued the letter
	PlaceDate       Place = "date"       // the date of issue
	PlaceTitle      Place = "title"      // the plan's title
	PlacePreamble   Place = "preamble"   // the paragraph before item 1
)

// Passage is a sentence of the cover letter or the preamble that a
// passage search found.
type Passage struct {
	Place    Place
	Sentence int    // 1-based number of the sentence within its place
	Text     string // the sentence as written
	Score    float64
	Marks    []Span // matched terms in Text
}
