package understand

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"duban"
)

// accountWords is the parsed lexicon/account.txt.
type accountWords struct {
	whoami                              []string
	whoSelf, whoAsk, whoGlue, bindBa    []string
	bind, unbind, adminAdd, adminDel    []string
	bindUser, bindTo                    []string
	histLead, hist, histFirst, histTail []string
	histLink                            []string
}

var accountLexicon = sync.OnceValue(func() *accountWords {
	lx := lexicon("account.txt")
	return &accountWords{
		whoami:  lx["whoami"],
		whoSelf: byLength(lower(lx["whoami-self"])), whoAsk: byLength(lower(lx["whoami-ask"])),
		whoGlue: byLength(lower(lx["whoami-glue"])), bindBa: byLength(lx["bind-ba"]),
		bind: byLength(lx["bind"]), unbind: byLength(lx["unbind"]),
		adminAdd: byLength(lx["admin-add"]), adminDel: byLength(lx["admin-remove"]),
		bindUser: byLength(lx["bind-user"]), bindTo: byLength(lx["bind-to"]),
		histLead: byLength(lx["history-lead"]), hist: byLength(lx["history"]),
		histFirst: byLength(lx["history-first"]), histTail: byLength(lx["history-tail"]),
		histLink: byLength(lx["history-link"]),
	}
})

// commandForm is a message as commands are matched: width folded, runs of
// spaces made one, closing punctuation removed.
func commandForm(s string) string {
	s = strings.Join(strings.Fields(duban.Fold(s)), " ")
	return strings.TrimRight(s, "?。.!~ ")
}

// ReadWhoami reports whether a message asks who the bot takes the user
// for: 我的单位, 我是谁, whoami.
func ReadWhoami(message string) bool {
	w := accountLexicon()
	s := commandForm(LeadIn(message))
	for _, x := range w.whoami {
		if strings.EqualFold(s, x) {
			return true
		}
	}
	// Made of a word for oneself, a word that asks for the agency and
	// glue: 我绑定的是哪个单位, which agency am I bound to.
	self, ask := false, false
	rest := strings.ToLower(s)
	for rest != "" {
		rest = strings.TrimLeft(rest, " ")
		if rest == "" {
			break
		}
		switch {
		case cutOne(&rest, w.whoAsk):
			ask = true
		case cutOne(&rest, w.whoSelf):
			self = true
		case cutOne(&rest, w.whoGlue):
		default:
			return false
		}
	}
	return self && ask
}

// cutOne removes the first of words that starts *s (an English word must
// end where a word ends) and reports whether one did.
func cutOne(s *string, words []string) bool {
	r, ok := cutPrefixWord(*s, words)
	if ok {
		*s = r
	}
	return ok
}

// ReadHistory reads a question for an item's reports: 第3条进展, #3进展,
// 3号的进度情况, 查看第五十三条进展记录, history #3, item 53 history. It
// returns the item number as written (the plan may not have it), or -1
// for a number that cannot be read; ok is false for any other message,
// a range or a list of items included.
func ReadHistory(message string) (int, bool) {
	w := accountLexicon()
	s := commandForm(LeadIn(message))
	// The word first: history #3, show progress for item 53.
	rest := strings.TrimSpace(cutWord(s, w.histLead))
	if r, ok := cutPrefixWord(rest, w.histFirst); ok {
		if r2, ok := cutPrefixWord(r, w.histLink); ok {
			r = r2
		}
		if n, ok := onlyItemRef(r); ok {
			return n, true
		}
	}
	// The item first: 第3条进展情况, #53 history.
	// The history word last (第3条的最新情况), or before a tail word
	// (第3条进展如何, 第35条汇报历史).
	var tries []string
	if t, ok := cutSuffixWord(s, w.hist); ok {
		tries = append(tries, t)
	}
	if r, cut := cutSuffixWord(s, w.histTail); cut {
		if t, ok := cutSuffixWord(r, w.hist); ok {
			tries = append(tries, t)
		}
	}
	for _, t := range tries {
		t = strings.TrimSuffix(strings.TrimSpace(t), "的")
		t = strings.TrimSpace(cutWord(t, w.histLead))
		if n, ok := onlyItemRef(t); ok {
			return n, true
		}
	}
	return 0, false
}

// onlyItemRef reads one item reference that is all of s.
func onlyItemRef(s string) (int, bool) {
	s = strings.TrimSpace(s)
	refs := duban.FindItemRefs(s)
	if len(refs) != 1 || refs[0].Start != 0 || refs[0].End != len(s) {
		return 0, false
	}
	r := refs[0]
	if r.To != 0 || r.FromEnd || r.LastN || r.ToEnd {
		return 0, false
	}
	if r.Invalid || r.N < 0 || r.N > 1<<30 {
		return -1, true
	}
	return int(r.N), true
}

// BindKind is which account command a message is.
type BindKind int

// The account commands.
const (
	Bind        BindKind = iota + 1 // 绑定 USER AGENCY
	BindUsage                       // 绑定 without a user and an agency
	Unbind                          // 解绑 USER
	UnbindUsage                     // 解绑 without a user
	AdminAdd                        // 设为管理员 USER
	AdminRemove                     // 取消管理员 USER
)

// BindCommand is an account command as read from a message: the user it
// names (a user id, or the id of a mention <@U123>, as written; the
// handler checks that it is an id) and, for Bind, the agency as typed.
type BindCommand struct {
	Kind   BindKind
	User   string
	Agency string
}

// ReadBindCommand reads 绑定 USER AGENCY (绑定 @张三 省林业局, 绑定用户 U1 到
// 福州海关, bind U1 省林业局), 解绑 USER, 设为管理员 USER and 取消管理员
// USER. A message that starts with 绑定 or 解绑 but is not the whole
// command is read as a request for its usage.
func ReadBindCommand(message string) (BindCommand, bool) {
	w := accountLexicon()
	s := commandForm(LeadIn(message))
	// 把 U2 绑定到 省教育厅: the user before the command word.
	if rest, ok := cutPrefixWord(s, w.bindBa); ok {
		for i := range rest {
			if i == 0 {
				continue
			}
			if after, ok := cutPrefixWord(rest[i:], w.bind); ok {
				if user, ok := onlyUser(strings.TrimSpace(rest[:i])); ok {
					if agency, ok := agencyAfter(" "+after, w.bindTo, false); ok {
						return BindCommand{Kind: Bind, User: user, Agency: agency}, true
					}
				}
				break
			}
		}
	}
	if rest, ok := cutPrefixWord(s, w.bind); ok {
		rest = strings.TrimSpace(cutWord(rest, w.bindUser))
		if user, agency, ok := userThenAgency(rest, w.bindTo); ok {
			return BindCommand{Kind: Bind, User: user, Agency: agency}, true
		}
		return BindCommand{Kind: BindUsage}, true
	}
	if rest, ok := cutPrefixWord(s, w.unbind); ok {
		rest = strings.TrimSpace(cutWord(rest, w.bindUser))
		if user, ok := onlyUser(rest); ok {
			return BindCommand{Kind: Unbind, User: user}, true
		}
		return BindCommand{Kind: UnbindUsage}, true
	}
	for _, c := range []struct {
		words []string
		kind  BindKind
	}{{w.adminAdd, AdminAdd}, {w.adminDel, AdminRemove}} {
		if rest, ok := cutPrefixWord(s, c.words); ok {
			if user, ok := onlyUser(rest); ok {
				return BindCommand{Kind: c.kind, User: user}, true
			}
		}
	}
	return BindCommand{}, false
}

// mention reads a mention at the start of s (mentionAt: @U123, or Slack's
// <@U123> and <@U123|name>). It returns the user id and the length of the
// mention; a special mention (<!here>) is no user.
func mention(s string) (string, int) {
	if strings.HasPrefix(s, "<!") {
		return "", 0
	}
	return mentionAt(s, 0)
}

// onlyUser reads a user that is all of s: a mention or a word.
func onlyUser(s string) (string, bool) {
	if id, n := mention(s); n > 0 {
		return id, n == len(s)
	}
	if s == "" || strings.ContainsAny(s, " <>") {
		return "", false
	}
	return s, true
}

// userThenAgency reads USER [to] AGENCY: a mention, or the longest word
// that a space or a word of to follows and that does not end with one
// (绑定 U1到省林业局 and 绑定 U1: 省林业局 are U1), then
// the agency, which must not be empty.
func userThenAgency(s string, to []string) (string, string, bool) {
	if id, n := mention(s); n > 0 {
		a, ok := agencyAfter(s[n:], to, true)
		return id, a, ok
	}
	word := s
	if i := strings.IndexAny(word, " <>"); i >= 0 {
		word = word[:i]
	}
	for end := len(word); end > 0; end-- {
		if end < len(word) && !utf8.RuneStart(word[end]) {
			continue
		}
		if _, ok := cutSuffixWord(word[:end], to); ok {
			continue // 绑定 U1: 省林业局 is U1
		}
		if a, ok := agencyAfter(s[end:], to, false); ok {
			return word[:end], a, true
		}
	}
	return "", "", false
}

// agencyAfter reads what follows a user: spaces or a word of to (either
// will do after a mention, which ends by itself), perhaps another word of
// to (绑定 U1 到 省林业局), and the agency.
func agencyAfter(r string, to []string, mention bool) (string, bool) {
	t := strings.TrimLeft(r, " ")
	apart := mention || len(t) < len(r)
	if c, ok := cutPrefixWord(t, to); ok {
		t, apart = c, true
	}
	if !apart {
		return "", false
	}
	t = strings.TrimSpace(cutWord(t, to))
	return t, t != ""
}

// byLength returns words longest first, so that a word is tried before
// the words it starts with.
func byLength(words []string) []string {
	out := slices.Clone(words)
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// cutPrefixWord removes the first of the words that starts s (ASCII case
// folded; an English word must end where a word ends) and the spaces after
// it.
func cutPrefixWord(s string, words []string) (string, bool) {
	for _, w := range words {
		if len(s) < len(w) || !strings.EqualFold(s[:len(w)], w) {
			continue
		}
		if isLetterByte(w[len(w)-1]) && len(s) > len(w) && isLetterByte(s[len(w)]) {
			continue
		}
		return strings.TrimLeft(s[len(w):], " "), true
	}
	return s, false
}

// cutSuffixWord removes the first of the words that ends s (ASCII case
// folded; an English word must start where a word starts) and the spaces
// before it.
func cutSuffixWord(s string, words []string) (string, bool) {
	for _, w := range words {
		if len(s) < len(w) || !strings.EqualFold(s[len(s)-len(w):], w) {
			continue
		}
		if i := len(s) - len(w); isLetterByte(w[0]) && i > 0 && isLetterByte(s[i-1]) {
			continue
		}
		return strings.TrimRight(s[:len(s)-len(w)], " "), true
	}
	return s, false
}

// cutWord is cutPrefixWord's text, whether or not a word was cut.
func cutWord(s string, words []string) string {
	r, _ := cutPrefixWord(s, words)
	return r
}

func isLetterByte(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
