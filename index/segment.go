package index

// Segment cuts text into words with the index's segmenter (gojieba with
// the plan's terms and agency names in its dictionary), in order, spaces
// and punctuation included as words of their own. The understanding step
// of package bot uses it to tell a question's words apart
// (understand.Segmenter).
func (ix *Index) Segment(text string) []string {
	ix.closeMu.RLock()
	defer ix.closeMu.RUnlock()
	if ix.closed {
		return []string{text}
	}
	return ix.jieba.Cut(cString(text), true)
}
