package understand

import "sync"

// figureBook holds lexicon/figure-cues.txt: the questions that count items
// or ask where a topic stands, which are searches, not figures.
var figureBook = sync.OnceValue(func() *phrasebook { return newPhrasebook(lexicon("figure-cues.txt")) })
