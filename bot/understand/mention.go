package understand

import "strings"

// A mention names a person (or @here, @channel), never what a question is
// about. Adapters hand the engine plain text, in which a mention is @ and
// the user id (the Slack adapter turns <@U123> into @U123); a message
// that still carries Slack's own form (<@U123>, <@U123|name>, <!here>:
// pasted into the console, or from an adapter that passes it through) is
// read the same way.

// WithoutMentions returns text with each mention replaced by a space:
// @U123 (an @ that does not follow a letter or digit, as in an e-mail
// address, then an ASCII user id), <@U123|name>, <!here>. A name typed
// after @ in Chinese (@张三) is not an id and stays.
func WithoutMentions(text string) string {
	if !strings.ContainsAny(text, "@<") {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); {
		if _, n := mentionAt(text, i); n > 0 {
			b.WriteByte(' ')
			i += n
			continue
		}
		b.WriteByte(text[i])
		i++
	}
	return b.String()
}

// mentionAt reads a mention starting at byte i of s: its user id (or the
// word after <! or @ for a special mention) and its length.
func mentionAt(s string, i int) (string, int) {
	rest := s[i:]
	if strings.HasPrefix(rest, "<@") || strings.HasPrefix(rest, "<!") {
		end := strings.IndexByte(rest, '>')
		if end < 0 {
			return "", 0
		}
		id, _, _ := strings.Cut(rest[2:end], "|")
		if id == "" || strings.ContainsAny(id, " <") {
			return "", 0
		}
		return id, end + 1
	}
	if !strings.HasPrefix(rest, "@") || i > 0 && isUserIDByte(s[i-1]) {
		return "", 0
	}
	n := 1
	for n < len(rest) && isUserIDByte(rest[n]) {
		n++
	}
	if n == 1 || !isLetterByte(rest[1]) {
		return "", 0
	}
	return rest[1:n], n
}

// isUserIDByte reports whether b may stand in a user id: an ASCII letter or
// digit, '.', '_' or '-'.
func isUserIDByte(b byte) bool {
	return isLetterByte(b) || b >= '0' && b <= '9' || b == '.' || b == '_' || b == '-'
}
