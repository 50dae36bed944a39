package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"duban"
)

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

// resolveAgencyFor reads an agency name a user typed, preferring, for an
// ambiguous name, the agencies responsible for the item (0: any).
func (e *Engine) resolveAgencyFor(name string, item *duban.Item) (string, error) {
	names, ok := e.plan.Directory.Resolve(name)
	if !ok && item == nil {
		// A binding is for every plan: an agency of another plan will do.
		for _, pe := range e.plans.all() {
			if names, ok = pe.plan.Directory.Resolve(name); ok {
				break
			}
		}
	}
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
	all, err := e.store.Latest(ctx, e.plan.ID)
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
	hist, err := e.store.History(ctx, e.plan.ID, n)
	if err != nil {
		return errorReply(err)
	}
	latest, err := e.store.Latest(ctx, e.plan.ID)
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
		r.Sections = []Section{{Heading: e.itemLine(n), Fields: []Field{{"负责单位", duban.ResponsibleText(it)}}, Item: n}}
		r.Note = fmt.Sprintf("负责单位可以这样报送：进展 #%d 进行中 ……", n)
		return r
	}
	r.Title = fmt.Sprintf("第%d条进展记录（共%d条，最新在前）", n, len(hist))
	r.Sections = append(r.Sections, Section{Heading: e.itemLine(n), Item: n}, cur)
	shortened := false
	for i, u := range hist {
		if i == historyLimit || !fitsChat(r, 6) {
			r.Note = fmt.Sprintf("仅显示最新%d条，共%d条。", i, len(hist))
			break
		}
		head := fmt.Sprintf("%s · %s · %s", showTime(u.Time), u.Agency, statusText(u))
		fields := []Field{{"报送人", authorText(u)}, {"记录编号", fmt.Sprint(u.Seq)}}
		if u.Corrects != 0 {
			head = fmt.Sprintf("【更正 记录%d】", u.Corrects) + head
		}
		if u.CorrectedBy != 0 {
			head = fmt.Sprintf("【已更正 → 记录%d】", u.CorrectedBy) + head
		}
		if u.Retracted {
			head = "【已撤回】" + head
			fields = append(fields, Field{"撤回时间", showTime(u.RetractedAt)})
		}
		text, cut := chatText(u.Text)
		shortened = shortened || cut
		r.Sections = append(r.Sections, Section{Heading: head, Fields: fields, Text: text})
		if !slices.Contains(r.Agencies, u.Agency) {
			r.Agencies = append(r.Agencies, u.Agency)
		}
	}
	if shortened {
		r.Note = strings.TrimSpace(r.Note + "\n" + longTextNote)
	}
	return r
}
