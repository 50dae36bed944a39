package bot

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"duban"
)

// route decides what a request asks and answers it. Commands (reports,
// bindings, the office's summaries) are recognised by their leading word;
// questions by the item numbers and agency names they contain and the cue
// words around them; anything else is a topic search.
func (e *Engine) route(ctx context.Context, req Request) Reply {
	text := cleanText(req.Text)
	if text == "" || isHelp(text) {
		return e.help()
	}
	if r, ok := e.storeCommand(ctx, req); ok {
		return r
	}
	if r, ok := e.officeCommand(ctx, req, text); ok {
		return r
	}
	if r, ok := e.smallTalk(text); ok {
		return r
	}
	if m := explicitSearchRe.FindStringSubmatch(text); m != nil {
		return e.searchReply(ctx, m[1]) // 搜索 省工信厅: the text, not the agency's items
	}
	q := e.analyze(text)
	switch {
	case q.meta != nil && len(q.items) == 0 && (len(q.agencies) == 0 || contactMeta(q)):
		r := e.metaReply(q.meta)
		if len(q.agencies) > 0 && !strings.Contains(e.plan.Meta.ContactDept, strings.TrimPrefix(q.agencies[0].names[0], "省")) {
			r.Note = fmt.Sprintf("通知只列了这一位联系人（%s），没有写%s的联系方式。", e.plan.Meta.ContactDept, q.agencies[0].names[0])
		}
		return r
	case len(q.items) > 0 || len(q.badItems) > 0:
		return e.itemQuestion(ctx, q)
	case len(q.agencies) > 0:
		return e.agencyQuestion(ctx, q)
	case q.unknownAgency != "":
		return e.unknownAgency(q.unknownAgency)
	case q.who:
		return e.whoReply(ctx, q.topic)
	case q.target:
		return e.targetTopicReply(ctx, q.topic)
	}
	return e.searchReply(ctx, q.topic)
}

// explicitSearchRe matches a message that asks for a full-text search in
// so many words: 搜索 X, 全文搜索 X, search X.
var explicitSearchRe = regexp.MustCompile(`(?i)^(?:全文搜索|全文检索|搜索|搜一下|search(?:\s+for)?)\s*[:：]?\s*(.+)$`)

// contactMeta reports whether a question that names an agency asks for
// the notice's contact ("省市场监管局的联系人是谁"): the plan has one contact
// for all, and no lead, joint or involved cue asks for the agency's items.
func contactMeta(q question) bool {
	switch q.meta.kind {
	case "contact", "phone", "email", "fax":
		return !q.lead && !q.joint && !q.involved
	}
	return false
}

// question is what analyze understood of a message.
type question struct {
	text          string // folded, trimmed
	items         []int  // item numbers referred to, in order
	badItems      []int  // numbers outside the plan
	agencies      []agencyRef
	unknownAgency string // an agency-like name the directory does not know
	lead, joint   bool   // cue words
	involved      bool
	who, target   bool
	meta          *metaTopic
	topic         string // the text with item references, agency names and question words removed
}

// agencyRef is an agency name found in a question and what it stands for.
type agencyRef struct {
	text      string   // as typed
	names     []string // canonical; several for an ambiguous name
	corrected bool     // text is a typing error for names (Directory.Correct)
}

// slackMarkupRe matches Slack's mention and link markup: <@U123>, <#C1|x>,
// <!here>, <http://x|label>.
var slackMarkupRe = regexp.MustCompile(`<([@#!][^<>|]*|[a-z]+:[^<>|]*)(\|[^<>]*)?>`)

// cleanText folds the width of a message, removes Slack markup, and trims
// spaces and closing punctuation.
func cleanText(s string) string {
	s = duban.Fold(s)
	s = slackMarkupRe.ReplaceAllStringFunc(s, func(m string) string {
		if i := strings.IndexByte(m, '|'); i >= 0 {
			return m[i+1 : len(m)-1]
		}
		return " "
	})
	// Control and zero-width characters (pasted from documents or typed by
	// accident) separate words like spaces do.
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimRight(strings.TrimSpace(s), "?？。.!！~")
}

// greetingRe and thanksRe match a message that is only a greeting or
// thanks ("你好", "在吗", "hello", "谢谢！"), which deserves a polite word
// rather than a search for 你好.
var (
	greetingRe = regexp.MustCompile(`(?i)^(?:你好|您好|hi|hello|hey|在吗|在不在|早上好|上午好|下午好|晚上好|早|嗨|哈喽|good\s+(?:morning|afternoon|evening))[啊呀呢吗!！,，。.~ ]*$`)
	thanksRe   = regexp.MustCompile(`(?i)^(?:谢谢|多谢|感谢|谢了|辛苦了|thanks|thank\s+you|thx)(?:你|您|啦|了|哈)?[!！,，。.~ ]*$`)
	ackRe      = regexp.MustCompile(`(?i)^(?:好的|好|收到|明白|了解|知道了|ok|okay)(?:啦|了|哈)?[!！,，。.~ ]*$`)
)

// smallTalk answers a greeting with the help and thanks with a short word.
func (e *Engine) smallTalk(text string) (Reply, bool) {
	switch {
	case greetingRe.MatchString(text):
		r := e.help()
		r.Title = "您好！" + r.Title
		return r, true
	case thanksRe.MatchString(text):
		return Reply{Intent: IntentHelp, Title: "不客气，有问题随时问我。输入“帮助”可以查看提问方式。"}, true
	case ackRe.MatchString(text):
		return Reply{Intent: IntentHelp, Title: "好的，有问题随时问我。"}, true
	}
	return Reply{}, false
}

var helpWords = []string{"帮助", "help", "怎么用", "如何使用", "使用说明", "你能做什么", "你会什么", "功能", "命令", "菜单", "h", "?", "？"}

func isHelp(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	for _, w := range helpWords {
		if l == w {
			return true
		}
	}
	return l == "/help" || l == "help me" || l == "usage"
}

var (
	cueLead  = []string{"牵头", "lead", "leads", "leading", "led by"}
	cueJoint = []string{"按职责落实", "按照职责落实", "职责落实", "配合", "协同", "参与落实", "参与单位", "协助", "协办", "共同落实", "共同负责", "会同", "joint", "jointly", "share", "shares", "shared", "co-",
		"according to its duties", "according to their duties", "according to duties", "according to its responsibilities", "according to their responsibilities",
		"supporting unit", "supporting units", "supporting agency", "supporting role", "support role", "cooperating", "cooperate", "cooperates", "assisting", "assists", "partner", "partners"}
	cueInvolved = []string{"负责", "涉及", "参与", "承担", "相关", "有哪些工作", "哪些工作", "哪些要点", "哪几条", "哪些条", "的工作", "involve", "involves", "involved", "responsible", "in charge", "work on", "works on", "items", "tasks"}
	cueWho      = []string{"谁", "哪个部门", "哪些部门", "哪个单位", "哪些单位", "哪家单位", "哪家", "哪个机构", "哪些机构", "什么部门", "什么单位", "哪个厅", "哪个局", "哪个委", "哪个处", "归口", "归哪", "who", "which agency", "which agencies", "which department", "which departments", "whose", "which unit", "which body"}
	cueTarget   = []string{"多少", "几个", "几项", "几届", "第几", "几公里", "哪一级", "哪个系列", "量化指标", "指标", "目标值", "目标", "人数", "数量", "数目", "几大", "多长", "多大", "多高", "多远", "百分之几", "比例", "how many", "how much", "what number", "which session", "which edition", "what percentage", "what percent", "percentage", "what share", "what proportion", "how far", "how long", "figures", "targets", "target"}
)

// rateEndRe matches a question that ends on a rate (抽样检验完成率, 综合利用率)
// or counts in a measure word (几部, 几名): it asks for the figure.
var rateEndRe = regexp.MustCompile(`率(?:是|为|要|达到|目标)?$|(?:的|有什么|有哪些|具体)数字|数字(?:是|有)|几\s*(?:部|名|家|批|所|座|处|人|次|万|亿|千米|米|亩|吨|台|套|种|类)`)

// countItemsRe matches "多少条涉及茶", "提到石墨烯的有几条": how many items
// name a topic, which a search answers, not a figure.
var countItemsRe = regexp.MustCompile(`(?:多少|几)(?:条|项)(?:工作|要点|条目)?(?:里|中)?(?:是)?(?:涉及|提到|包含|关于|有关|讲到|说到|提及|写到|跟|和|与)|(?:涉及|提到|包含|关于|有关|相关|讲到|提及|写到)[^多几]*?(?:的)?(?:有|共有|一共有)?(?:多少|几)(?:条|项)$`)

// whichItemRe matches "电梯在第几条", "学前教育是第几条": where a topic
// stands, a search, not a figure.
var whichItemRe = regexp.MustCompile(`(?:在|是)?第几(?:条|项|个要点|点)`)

func hasAny(s string, words []string) bool {
	l := strings.ToLower(s)
	for _, w := range words {
		if isASCII(w) {
			if containsWord(l, w) {
				return true
			}
		} else if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// containsWord reports whether the ASCII phrase w stands in s as whole words.
func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		before := start == 0 || !isWordByte(s[start-1])
		after := end == len(s) || !isWordByte(s[end]) || strings.HasSuffix(w, "-")
		if before && after {
			return true
		}
		i = start + 1
	}
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'
}

// analyze reads item references, agency names and cue words.
func (e *Engine) analyze(text string) question {
	q := question{text: text}
	rest := text
	for _, ref := range findItemRefs(text) {
		if e.plan.Item(ref.n) != nil {
			q.items = appendInt(q.items, ref.n)
		} else {
			q.badItems = appendInt(q.badItems, ref.n)
		}
		if ref.text != "" {
			rest = strings.Replace(rest, ref.text, " ", 1)
		}
	}
	for _, m := range e.plan.Directory.Find(rest) {
		q.agencies = append(q.agencies, agencyRef{text: m.Text, names: m.Names})
	}
	for _, a := range q.agencies {
		rest = strings.Replace(rest, a.text, " ", 1)
	}
	q.lead = hasAny(text, cueLead)
	q.joint = hasAny(text, cueJoint)
	q.involved = hasAny(text, cueInvolved)
	q.who = hasAny(text, cueWho)
	q.target = hasAny(text, cueTarget) || rateEndRe.MatchString(text)
	if whichItemRe.MatchString(text) {
		q.target = false
		rest = whichItemRe.ReplaceAllString(rest, " ")
	}
	if countItemsRe.MatchString(text) {
		q.target = false // 多少条涉及茶: how many items, a search
	}
	q.meta = findMeta(text)
	if q.meta != nil && q.meta.kind == "contact" && topicBeforeAsking(rest) {
		q.meta, q.who = nil, true // 电梯的事找谁: who is responsible for 电梯
	}
	if len(q.agencies) == 0 && (q.lead || q.joint || q.involved) && !q.who {
		q.unknownAgency = unknownAgencyName(text)
		// A homophone typed for one character of a known name (省卫建委,
		// 省教育庭): answer for that agency and say so.
		if subj := agencySubject(text); subj != "" {
			if names, _, ok := e.plan.Directory.Correct(subj); ok {
				q.agencies = append(q.agencies, agencyRef{text: subj, names: names, corrected: true})
				rest = strings.Replace(rest, subj, " ", 1)
				q.unknownAgency = ""
			} else if names, ok := clippedAgency(e.plan.Directory, subj); ok {
				q.agencies = append(q.agencies, agencyRef{text: subj, names: names, corrected: true})
				rest = strings.Replace(rest, subj, " ", 1)
				q.unknownAgency = ""
			}
		}
	}
	q.topic = strings.Join(strings.Fields(rest), " ")
	return q
}

// clippedAgency resolves an agency named without its last character or
// with 部门 in its place, as people say it before 牵头 ("市场监管牵头哪些",
// "林业部门负责什么"): the name with 局, 厅 or 委 added, when exactly one
// agency fits.
func clippedAgency(d *duban.Directory, subj string) ([]string, bool) {
	base := strings.TrimSuffix(strings.TrimSuffix(subj, "部门"), "单位")
	if utf8.RuneCountInString(base) < 2 {
		return nil, false
	}
	var found []string
	for _, suffix := range []string{"局", "厅", "委"} {
		names, ok := d.Resolve(base + suffix)
		if !ok {
			continue
		}
		for _, n := range names {
			if !slices.Contains(found, n) {
				found = append(found, n)
			}
		}
	}
	if len(found) != 1 {
		return nil, false
	}
	return found, true
}

// askWhomRe matches "找谁", "问谁", "联系谁" and the words around them that
// name no topic ("有问题找谁", "这个事情该联系谁").
var askWhomRe = regexp.MustCompile(`(?:的|有关的|方面的)?(?:事情?|问题|事项|工作)?(?:应该|该|要|可以)?(?:找|问|联系)谁|有问题|有事|咨询|反馈|材料|报送|这个|这件|文件|工作要点|请问|麻烦`)

// topicBeforeAsking reports whether a "找谁" question names a topic of its
// own ("电梯的事找谁"), so that it asks who is responsible rather than for
// the contact person of the notice.
func topicBeforeAsking(rest string) bool {
	if strings.Contains(rest, "联系人") || strings.Contains(rest, "联系方式") || hasAny(rest, []string{"contact"}) {
		return false
	}
	left := askWhomRe.ReplaceAllString(rest, " ")
	left = strings.Trim(strings.Join(strings.Fields(left), ""), "?？。.!！~,，、:： 的")
	return utf8.RuneCountInString(left) >= 2
}

func appendInt(s []int, n int) []int {
	for _, x := range s {
		if x == n {
			return s
		}
	}
	return append(s, n)
}

// itemRef is an item number found in a question.
type itemRef struct {
	n    int
	text string
}

var itemRefRes = []*regexp.Regexp{
	regexp.MustCompile(`第\s*(-\s*[0-9]{1,4})\s*(?:条|项|点|号)`), // a negative number: named, then refused
	regexp.MustCompile(`第\s*([0-9]{1,4}|[零一二三四五六七八九十百两〇]{1,6})\s*(?:条|项|点|号|款|個要点|个要点|條|項|點|號)`),
	regexp.MustCompile(`第\s*([0-9]{1,4})$`),
	// 要点35, 要点三十五; not 要点一共 or 要点一下 (a word that starts with 一).
	regexp.MustCompile(`要点\s*(?:第\s*)?([0-9]{1,4}|[零一二三四五六七八九十百两〇]{1,6})`),
	regexp.MustCompile(`#\s*([0-9]{1,4})`),
	regexp.MustCompile(`条目\s*(?:第\s*)?([0-9]{1,4}|[零一二三四五六七八九十百两〇]{1,6})`),
	regexp.MustCompile(`(?i)\b([0-9]{1,4})(?:st|nd|rd|th)\s+(?:work\s+)?(?:items?|points?|tasks?)\b`),
	regexp.MustCompile(`(?i)\b(?:items?|no\.|number|point|task)\s*#?\s*([0-9]{1,4})\b`),
	regexp.MustCompile(`(?:^|[^0-9.第#-])([0-9]{1,4})\s*(?:条|号)`),
	regexp.MustCompile(`^([0-9]{1,4})$`),
	// 53项是什么, 看看53, 53呢: a number that is all the question names.
	regexp.MustCompile(`^(?:看看|看下|看一下|查看|查一下|打开|显示)?\s*([0-9]{1,4})\s*(?:项|項)?\s*(?:呢|吧|啊|是什么|是啥|讲什么|说什么|的内容)?$`),
	// A Chinese number alone: 五十三, 三十九 (two characters or more, so
	// that a one-character search such as 三 stays a search).
	regexp.MustCompile(`^([零一二三四五六七八九十百两〇]{2,4})$`),
}

// findItemRefs returns the item numbers a question names: 第39条,
// 第三十九条, 要点35, 35条, #35, item 35, or a bare number.
func findItemRefs(text string) []itemRef {
	var out []itemRef
	taken := make([]bool, len(text)+1)
	for _, re := range itemRefRes {
		for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
			s, e := m[0], m[1]
			if taken[s] || taken[e-1] {
				continue
			}
			numText := text[m[2]:m[3]]
			n, ok := parseNumber(numText)
			if !ok {
				continue
			}
			if m[3] == e && strings.HasSuffix(numText, "一") && startsWord(text[e:]) {
				continue // 要点一共, 要点一下: a word, not item 1
			}
			for i := s; i < e; i++ {
				taken[i] = true
			}
			out = append(out, itemRef{n: n, text: text[s:e]})
		}
	}
	// "第3、5条", "第3至5条": numbers listed before the closing 条.
	for _, m := range itemListRe.FindAllStringSubmatchIndex(text, -1) {
		nums := itemListNumRe.FindAllStringIndex(text[m[2]:m[3]], -1)
		for i, ix := range nums {
			s, e := m[2]+ix[0], m[2]+ix[1]
			n, ok := parseNumber(text[s:e])
			if !ok {
				continue
			}
			if i > 0 && strings.ContainsAny(text[m[2]+nums[i-1][1]:s], "至到-~") {
				p, _ := parseNumber(text[m[2]+nums[i-1][0] : m[2]+nums[i-1][1]])
				for k := p + 1; k < n && n-p <= 20; k++ {
					out = append(out, itemRef{n: k, text: ""})
				}
			}
			if taken[s] {
				continue
			}
			taken[s] = true
			out = append(out, itemRef{n: n, text: text[s:e]})
		}
	}
	// "items 3 and 5", "第3条和第5条": further numbers joined to a reference.
	for _, m := range moreItemsRe.FindAllStringSubmatchIndex(text, -1) {
		if len(out) == 0 {
			break
		}
		if n, ok := parseNumber(text[m[2]:m[3]]); ok && !taken[m[2]] {
			out = append(out, itemRef{n: n, text: text[m[2]:m[3]]})
		}
	}
	return out
}

// startsWord reports whether s starts with a character that makes a word
// with a preceding 一 (一共, 一下, 一些, 一起 …).
func startsWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return strings.ContainsRune("共下些起般切直样同定律致道并级批系体", r)
}

// itemListRe matches 第3、5条 and 第3至5条; itemListNumRe the numbers in it.
var (
	itemListRe    = regexp.MustCompile(`第\s*((?:[0-9]{1,3}|[一二三四五六七八九十]{1,4})(?:\s*(?:[、,，和与及至到~-]|以及)\s*(?:第\s*)?(?:[0-9]{1,3}|[一二三四五六七八九十]{1,4}))+)\s*(?:条|项)`)
	itemListNumRe = regexp.MustCompile(`[0-9]{1,3}|[一二三四五六七八九十]{1,4}`)
)

var moreItemsRe = regexp.MustCompile(`(?:[、,，和与及]|\band\b)\s*(?:第|#|item\s*)?([0-9]{1,3})(?:\s*(?:条|项)|\s*$|[\s,，、?？])`)

func parseNumber(s string) (int, bool) {
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		n, ok := parseNumber(strings.TrimSpace(rest))
		return -n, ok
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return duban.ParseChineseNumber(s)
		}
		n = n*10 + int(r-'0')
		if n > 100000 {
			return 0, false
		}
	}
	return n, s != ""
}

// agencySuffixes end the names of government units.
var agencySuffixes = []string{"厅", "局", "委", "办", "部", "会", "社", "行", "关", "院", "处", "署", "中心", "委员会", "支行"}

var subjectRe = regexp.MustCompile(`^(?:请问|查一下|查询|看看)?\s*([\p{Han}()]{2,24}?)\s*(?:牵头|按照?职责落实|负责|涉及|承担|参与|配合|的工作|有哪些|有什么)`)
var englishSubjectRe = regexp.MustCompile(`(?i)(?:does|do|did|is|are)\s+([\p{Han}()]{2,24})\s+(?:lead|share|handle|cover|own|work|do|involved|responsible)`)

// unknownAgencyName returns the subject of a lead/joint/involved question
// when it looks like an agency name (and so is one the directory lacks).
func unknownAgencyName(text string) string {
	subj := agencySubject(text)
	for _, s := range agencySuffixes {
		if subj != "" && strings.HasSuffix(subj, s) {
			return subj
		}
	}
	return ""
}

// agencySubject returns the subject of a lead/joint/involved question, the
// words before 牵头, 负责 …, or "".
func agencySubject(text string) string {
	var subj string
	if m := subjectRe.FindStringSubmatch(text); m != nil {
		subj = m[1]
	} else if m := englishSubjectRe.FindStringSubmatch(text); m != nil {
		subj = m[1]
	}
	// "文物保护相关的工作" is a topic: 相关/有关 end no agency's name.
	return strings.TrimSuffix(strings.TrimSuffix(subj, "相关"), "有关")
}
