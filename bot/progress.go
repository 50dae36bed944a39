package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"duban"
)

// storeCommand answers the messages that read or write what is kept in
// the store: progress reports, retractions, report history, bindings,
// whoami and admin rights. ok is false when the message is none of these,
// so that the question intents may answer it.
func (e *Engine) storeCommand(ctx context.Context, req Request) (reply Reply, ok bool) {
	text := strings.TrimSpace(req.Text)
	if text == "" || !mayBeStoreCommand(text) {
		return Reply{}, false
	}
	switch cmd, kind := parseReport(text); kind {
	case reportFull:
		return e.report(ctx, req, cmd), true
	case reportNoItem:
		return Reply{Intent: IntentError,
			Title: "请写明条目编号和进展内容，例如：进展 #53 进行中 已改造森林公园12个。",
			Note:  "条目编号可以写作 #53、第53条、第五十三条或53号；查看某条的进展记录请发送“第53条进展”。"}, true
	}
	norm := commandText(text)
	switch {
	case retractRe.MatchString(norm):
		return e.retract(ctx, req), true
	case whoamiRe.MatchString(norm):
		return e.whoami(ctx, req), true
	}
	if n, ok := historyItem(norm); ok {
		return e.history(ctx, n), true
	}
	if r, ok := e.bindCommand(ctx, req, norm); ok {
		return r, true
	}
	return Reply{}, false
}

// storeMarkers are words one of which every store command contains; a
// message with none of them skips the command patterns.
var storeMarkers = []string{"进展", "更新", "汇报", "进度", "报送", "历史", "撤", "绑", "管理员", "我",
	"update", "report", "history", "progress", "retract", "undo", "bind", "admin", "whoami", "who am i"}

func mayBeStoreCommand(text string) bool {
	lower := strings.ToLower(duban.Fold(text))
	for _, m := range storeMarkers {
		if strings.Contains(lower, m) {
			return true
		}
	}
	return false
}

// commandText is a message folded to half width, with runs of spaces made
// one and closing punctuation removed, for matching commands.
func commandText(s string) string {
	s = strings.Join(strings.Fields(duban.Fold(s)), " ")
	return strings.TrimRight(s, "?。.!~ ")
}

var (
	retractRe = regexp.MustCompile(`^(?i:撤回|撤销|retract|undo)(?:\s*(?:我的|最近的?|上一条|上条|最近一条|最新一条|刚才的?)*\s*(?:进展|汇报|报送|记录)?|\s+(?i:last|my last report|last report))$`)
	whoamiRe  = regexp.MustCompile(`^(?:我的单位|我的绑定|我绑定的单位|我是谁|我是哪个单位|我属于哪个单位|我在哪个单位|(?i:whoami|who am i))$`)

	historyRes = []*regexp.Regexp{
		regexp.MustCompile(`^(?:查看|查询|查|看看|显示)?\s*(?:#\s*([0-9]{1,6})|第\s*([0-9]{1,6}|[零一二三四五六七八九十百两〇]{1,8})\s*(?:条|项|号|点)?|([0-9]{1,6}|[零一二三四五六七八九十百两〇]{1,8})\s*号|要点\s*([0-9]{1,6}))\s*的?\s*(?:进展|进度|汇报|报送|历史)(?:情况|记录|历史|如何|怎么样)?$`),
		regexp.MustCompile(`^(?i:(?:show\s+)?(?:history|progress|updates|reports)\s*(?:of|for|on)?\s*(?:item\s*)?#?\s*([0-9]{1,6}))$`),
		regexp.MustCompile(`^(?i:(?:item\s*)?#?\s*([0-9]{1,6})\s+(?:history|progress|updates|reports))$`),
	}
)

// historyItem reads "第3条进展", "#3进展", "3号进展", "history #3".
func historyItem(s string) (int, bool) {
	for _, re := range historyRes {
		m := re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		for _, g := range m[1:] {
			if g != "" {
				if n, ok := itemNumber(g); ok {
					return n, true
				}
				return -1, true
			}
		}
	}
	return 0, false
}

// cst is the time zone times are shown in.
var cst = duban.ChinaTime()

func showTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(cst).Format("2006-01-02 15:04")
}

// sourceID returns the id that makes a write happen once: the request's,
// or a fresh random one when the adapter gave none (such a write cannot be
// recognised when repeated, but it is still stored once).
func sourceID(req Request) string {
	if req.SourceID != "" {
		return req.SourceID
	}
	var b [12]byte
	rand.Read(b[:])
	return "gen-" + hex.EncodeToString(b[:])
}

// noStore is the reply when the engine runs without storage.
func noStore() Reply {
	return Reply{Intent: IntentError, Title: "进展报送与绑定暂不可用：未配置数据存储 (storage unavailable)。"}
}

// isAdmin reports whether the user may bind users and report for any
// agency: the local operator, DUBAN_ADMINS, and admins made in the store.
func (e *Engine) isAdmin(ctx context.Context, userID string) (bool, error) {
	if e.admins[userID] {
		return true, nil
	}
	if e.store == nil || userID == "" {
		return false, nil
	}
	return e.store.IsAdmin(ctx, userID)
}

// badItemReply is the answer for an item number the plan does not have.
func (e *Engine) badItemReply(n int) Reply {
	if n < 0 {
		return Reply{Intent: IntentError, Title: fmt.Sprintf("无法识别条目编号。请写 1 到 %d 之间的编号，例如“#53”或“第53条”。", len(e.plan.Items))}
	}
	return Reply{Intent: IntentError, Title: fmt.Sprintf("工作要点共%d条，没有第%d条 (no such item)。请写 1 到 %d 之间的编号。",
		len(e.plan.Items), n, len(e.plan.Items))}
}

// responsibleText lists an item's responsible agencies with their roles.
func responsibleText(it *duban.Item) string {
	var parts []string
	if len(it.Lead) > 0 {
		parts = append(parts, strings.Join(it.Lead, "、")+"（牵头）")
	}
	if len(it.Joint) > 0 {
		parts = append(parts, strings.Join(it.Joint, "、")+"（按职责落实）")
	}
	if len(parts) == 0 {
		return "（未写明负责单位）"
	}
	return strings.Join(parts, "，")
}

// resolveAgencyFor reads an agency name a user typed, preferring, for an
// ambiguous name, the agencies responsible for the item (0: any).
func (e *Engine) resolveAgencyFor(name string, item *duban.Item) (string, error) {
	names, ok := e.plan.Directory.Resolve(name)
	if !ok {
		msg := fmt.Sprintf("没有找到单位“%s”(unknown agency)。", name)
		if s := e.plan.Directory.Suggest(name, 3); len(s) > 0 {
			msg += "您是不是要找：" + strings.Join(s, "、") + "？"
		} else {
			msg += "请使用工作要点中的单位名称，例如“省林业局”。"
		}
		return "", duban.Errorf(duban.CodeNotFound, "%s", msg)
	}
	if len(names) > 1 && item != nil {
		var resp []string
		for _, n := range names {
			if item.RoleOf(n).Responsible() {
				resp = append(resp, n)
			}
		}
		if len(resp) == 1 {
			return resp[0], nil
		}
	}
	if len(names) > 1 {
		return "", duban.Errorf(duban.CodeInvalid, "“%s”可以指%s，请写明是哪一个单位。", name, strings.Join(names, "、"))
	}
	return names[0], nil
}

// report checks and stores a progress report, and confirms it only after
// the store has committed it.
func (e *Engine) report(ctx context.Context, req Request, cmd reportCmd) Reply {
	it := e.plan.Item(cmd.Item)
	if it == nil {
		return e.badItemReply(cmd.Item)
	}
	if e.store == nil {
		return noStore()
	}
	admin, err := e.isAdmin(ctx, req.UserID)
	if err != nil {
		return errorReply(err)
	}
	b, bound, err := e.binding(ctx, req.UserID)
	if err != nil {
		return errorReply(err)
	}
	var agency string
	switch {
	case cmd.Agency != "":
		agency, err = e.resolveAgencyFor(cmd.Agency, it)
		if err != nil {
			return errorReply(err)
		}
		if !admin && (!bound || b.Agency != agency) {
			msg := "只有办公室（管理员）可以代其他单位报送进展 (forbidden)。"
			if bound {
				msg += fmt.Sprintf("您绑定的单位是%s，报送本单位进展时不必写单位名称。", b.Agency)
			}
			return Reply{Intent: IntentError, Title: msg}
		}
	case bound:
		agency = b.Agency
	case admin:
		return Reply{Intent: IntentError,
			Title: fmt.Sprintf("您是管理员，但没有绑定单位。请在条目后用方括号写明代哪个单位报送，例如：进展 #%d [%s] 进行中 ……", it.Number, firstOr(it.Responsible(), "省林业局")),
			Note:  "第" + fmt.Sprint(it.Number) + "条的负责单位：" + responsibleText(it)}
	default:
		return Reply{Intent: IntentError,
			Title: "您还没有绑定单位，暂时不能报送进展。请联系办公室（管理员）为您绑定单位，例如由管理员发送“绑定 <您的用户ID> 省林业局”。",
			Note:  "您的用户ID：" + req.UserID}
	}
	if !it.RoleOf(agency).Responsible() {
		return Reply{Intent: IntentError,
			Title:    fmt.Sprintf("%s不是第%d条的牵头或按职责落实单位，不能报送这一条的进展 (forbidden)。", agency, it.Number),
			Sections: []Section{{Fields: []Field{{"第" + fmt.Sprint(it.Number) + "条负责单位", responsibleText(it)}}}},
			Note:     "如需由其他单位报送，请联系该单位或办公室。"}
	}
	n := utf8.RuneCountInString(cmd.Text)
	switch {
	case n == 0:
		return Reply{Intent: IntentError,
			Title: fmt.Sprintf("请写明进展内容（%d到%d字），例如：进展 #%d 进行中 已完成……", MinReportText, MaxReportText, it.Number),
			Note:  fmt.Sprintf("查看第%d条的进展记录请发送“第%d条进展”。", it.Number, it.Number)}
	case n < MinReportText:
		return Reply{Intent: IntentError, Title: fmt.Sprintf("进展内容太短（%d字），请至少写%d个字。", n, MinReportText)}
	case n > MaxReportText:
		return Reply{Intent: IntentError, Title: fmt.Sprintf("进展内容太长（%d字），最多%d字 (text too long)。请精简后重新发送，或分几次报送。", n, MaxReportText)}
	case !utf8.ValidString(cmd.Text):
		return Reply{Intent: IntentError, Title: "进展内容含有无法识别的字符，请检查后重新发送。"}
	}
	if cmd.Percent != duban.NoPercent && (cmd.Percent < 0 || cmd.Percent > 100) {
		return Reply{Intent: IntentError, Title: fmt.Sprintf("完成比例应在0%%到100%%之间，您写的是%d%%。", cmd.Percent)}
	}
	status, carried := cmd.Status, false
	if status == duban.StatusNone {
		if cmd.Percent == 100 {
			status = duban.StatusDone
		} else if prev, ok, err := e.latestOf(ctx, it.Number, agency); err != nil {
			return errorReply(err)
		} else if ok {
			status, carried = prev.Status, true
		} else {
			status = duban.StatusInProgress
		}
	}
	u := duban.Update{
		Item: it.Number, Agency: agency, AuthorID: req.UserID, AuthorName: orDefault(req.UserName, req.UserID),
		Status: status, Percent: cmd.Percent, Text: cmd.Text, Time: req.Time,
		Channel: req.Channel, SourceID: sourceID(req),
	}
	stored, dup, err := e.store.AddUpdate(ctx, u)
	if err != nil {
		e.log.Error("store report", "err", err, "item", u.Item, "agency", u.Agency, "user", u.AuthorID)
		return errorReply(err)
	}
	title := fmt.Sprintf("已记录第%d条进展：%s，%s", stored.Item, stored.Agency, stored.Status)
	if stored.Percent != duban.NoPercent {
		title += fmt.Sprintf("，完成%d%%", stored.Percent)
	}
	if dup {
		title = "这条消息已经记录过，没有重复记录。" + title
	}
	fields := []Field{
		{"单位", stored.Agency + "（" + it.RoleOf(stored.Agency).String() + "）"},
		{"状态", stored.Status.String()},
	}
	if carried && !dup {
		fields[1].Value += "（沿用上次报送的状态）"
	}
	if stored.Percent != duban.NoPercent {
		fields = append(fields, Field{"完成比例", fmt.Sprintf("%d%%", stored.Percent)})
	}
	fields = append(fields,
		Field{"报送人", authorText(stored)},
		Field{"时间", showTime(stored.Time)},
		Field{"记录编号", fmt.Sprint(stored.Seq)})
	return Reply{
		Intent:   IntentUpdate,
		Title:    title,
		Sections: []Section{{Heading: e.itemLine(it.Number), Fields: fields, Text: stored.Text, Item: it.Number}},
		Items:    []int{it.Number},
		Agencies: []string{stored.Agency},
		Note:     fmt.Sprintf("发送“第%d条进展”查看记录；如有错误，发送“撤回”撤回这条后重新报送。", it.Number),
	}
}

func firstOr(s []string, def string) string {
	if len(s) > 0 {
		return s[0]
	}
	return def
}

func authorText(u duban.Update) string {
	if u.AuthorName == "" || u.AuthorName == u.AuthorID {
		return u.AuthorID
	}
	return u.AuthorName + "（" + u.AuthorID + "）"
}

// binding returns the user's binding; without a store nobody is bound.
func (e *Engine) binding(ctx context.Context, userID string) (duban.Binding, bool, error) {
	if e.store == nil || userID == "" {
		return duban.Binding{}, false, nil
	}
	return e.store.Binding(ctx, userID)
}

// latestOf returns the latest live report of an (item, agency) pair.
func (e *Engine) latestOf(ctx context.Context, item int, agency string) (duban.Update, bool, error) {
	all, err := e.store.Latest(ctx)
	if err != nil {
		return duban.Update{}, false, err
	}
	for _, u := range all {
		if u.Item == item && u.Agency == agency {
			return u, true, nil
		}
	}
	return duban.Update{}, false, nil
}

// retract withdraws the author's latest report.
func (e *Engine) retract(ctx context.Context, req Request) Reply {
	if e.store == nil {
		return noStore()
	}
	u, err := e.store.Retract(ctx, req.UserID, sourceID(req), req.Time)
	if duban.ErrorCode(err) == duban.CodeNotFound {
		return Reply{Intent: IntentError, Title: "您没有可以撤回的进展记录。"}
	}
	if err != nil {
		e.log.Error("retract", "err", err, "user", req.UserID)
		return errorReply(err)
	}
	now := fmt.Sprintf("第%d条%s当前没有有效的进展记录（未报送）。", u.Item, u.Agency)
	if prev, ok, err := e.latestOf(ctx, u.Item, u.Agency); err != nil {
		return errorReply(err)
	} else if ok {
		now = fmt.Sprintf("第%d条%s当前状态：%s（%s报送）。", u.Item, u.Agency, statusText(prev), showTime(prev.Time))
	}
	return Reply{
		Intent: IntentUpdate,
		Title:  fmt.Sprintf("已撤回您的进展记录：第%d条，%s，%s报送（记录编号%d）。", u.Item, u.Agency, showTime(u.Time), u.Seq),
		Sections: []Section{
			{Fields: []Field{{"撤回的内容", u.Text}}, Item: u.Item},
			{Text: now},
		},
		Items:    []int{u.Item},
		Agencies: []string{u.Agency},
		Note:     "撤回的记录仍保留在进展记录中，并标注“已撤回”。",
	}
}

// statusText is a status with its percentage.
func statusText(u duban.Update) string {
	s := u.Status.String()
	if u.Percent != duban.NoPercent {
		s += fmt.Sprintf("，完成%d%%", u.Percent)
	}
	return s
}

// historyLimit is how many reports a history answer shows.
const historyLimit = 20

// history shows an item's reports, newest first, with the current status
// of each responsible agency.
func (e *Engine) history(ctx context.Context, n int) Reply {
	it := e.plan.Item(n)
	if it == nil {
		return e.badItemReply(n)
	}
	if e.store == nil {
		return noStore()
	}
	hist, err := e.store.History(ctx, n)
	if err != nil {
		return errorReply(err)
	}
	latest, err := e.store.Latest(ctx)
	if err != nil {
		return errorReply(err)
	}
	r := Reply{Intent: IntentHistory, Items: []int{n}, Agencies: []string{}}
	cur := Section{Heading: "当前状态", Item: n}
	for _, a := range it.Responsible() {
		v := "未报送"
		for _, u := range latest {
			if u.Item == n && u.Agency == a {
				v = statusText(u) + "（" + showTime(u.Time) + "）"
			}
		}
		cur.Fields = append(cur.Fields, Field{a + "（" + it.RoleOf(a).String() + "）", v})
	}
	if len(hist) == 0 {
		r.Title = fmt.Sprintf("第%d条暂无进展记录。", n)
		r.Sections = []Section{{Heading: e.itemLine(n), Fields: []Field{{"负责单位", responsibleText(it)}}, Item: n}}
		r.Note = fmt.Sprintf("负责单位可以这样报送：进展 #%d 进行中 ……", n)
		return r
	}
	r.Title = fmt.Sprintf("第%d条进展记录（共%d条，最新在前）", n, len(hist))
	r.Sections = append(r.Sections, Section{Heading: e.itemLine(n), Item: n}, cur)
	for i, u := range hist {
		if i == historyLimit {
			r.Note = fmt.Sprintf("仅显示最新%d条，共%d条。", historyLimit, len(hist))
			break
		}
		head := fmt.Sprintf("%s · %s · %s", showTime(u.Time), u.Agency, statusText(u))
		fields := []Field{{"报送人", authorText(u)}}
		if u.Retracted {
			head = "【已撤回】" + head
			fields = append(fields, Field{"撤回时间", showTime(u.RetractedAt)})
		}
		r.Sections = append(r.Sections, Section{Heading: head, Fields: fields, Text: u.Text})
		if !slices.Contains(r.Agencies, u.Agency) {
			r.Agencies = append(r.Agencies, u.Agency)
		}
	}
	return r
}
