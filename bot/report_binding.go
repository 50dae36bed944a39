package bot

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"duban"
	"duban/bot/understand"
)

// userIDRe is what a user id may look like: Slack ids (U012AB3CD,
// W012…) and the ids given to --as. Display names are refused.
var userIDRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// bindCommand answers 绑定, 解绑 and the admin commands, as package
// understand read them.
func (e *Engine) bindCommand(ctx context.Context, req Request, c understand.BindCommand) Reply {
	switch c.Kind {
	case understand.Bind:
		return e.bind(ctx, req, c.User, c.Agency)
	case understand.Unbind:
		return e.unbind(ctx, req, c.User)
	case understand.UnbindUsage:
		return Reply{Intent: IntentError, Title: "用法：解绑 用户ID，例如“解绑 U012AB3CD”或“解绑 @张三”。"}
	case understand.AdminAdd:
		return e.setAdmin(ctx, req, c.User, true)
	case understand.AdminRemove:
		return e.setAdmin(ctx, req, c.User, false)
	}
	return bindUsage()
}

func bindUsage() Reply {
	return Reply{Intent: IntentError,
		Title: "用法：绑定 用户 单位，例如“绑定 @张三 省林业局”或“绑定 U012AB3CD 省林业局”(bind USER AGENCY)。",
		Note:  "用户请用 @提及 或用户ID，不要用姓名。"}
}

// checkUser validates the user a command names.
func checkUser(id string) error {
	if !userIDRe.MatchString(id) {
		return duban.Errorf(duban.CodeInvalid, "“%s”不是有效的用户ID。请用 @提及 或用户ID（如 U012AB3CD），不要用姓名。", id)
	}
	return nil
}

// requireAdmin returns an error reply unless the user is an admin.
func (e *Engine) requireAdmin(ctx context.Context, req Request, what string) (Reply, bool) {
	if e.store == nil {
		return noStore(), false
	}
	admin, err := e.isAdmin(ctx, req.UserID)
	if err != nil {
		return errorReply(err), false
	}
	if !admin {
		return Reply{Intent: IntentError, Title: "只有办公室（管理员）可以" + what + " (forbidden)。如需调整，请联系办公室。"}, false
	}
	return Reply{}, true
}

// bind ties a user to an agency (admins only).
func (e *Engine) bind(ctx context.Context, req Request, user, agencyName string) Reply {
	if r, ok := e.requireAdmin(ctx, req, "绑定用户和单位"); !ok {
		return r
	}
	if err := checkUser(user); err != nil {
		return errorReply(err)
	}
	agency, err := e.resolveAgencyFor(strings.TrimSpace(agencyName), nil)
	if err != nil {
		return errorReply(err)
	}
	prev, hadPrev, err := e.store.Binding(ctx, user)
	if err != nil {
		return errorReply(err)
	}
	b := duban.Binding{UserID: user, Agency: agency, BoundBy: req.UserID, Time: req.Time}
	if err := e.store.Bind(ctx, b, sourceID(req)); err != nil {
		e.log.Error("bind", "err", err, "user", user, "agency", agency)
		return errorReply(err)
	}
	e = e.planNaming(agency)
	lead := e.plan.ItemsFor(agency, duban.RoleLead)
	joint := e.plan.ItemsFor(agency, duban.RoleJoint)
	title := fmt.Sprintf("已将用户 %s 绑定到%s。", user, agency)
	if hadPrev && prev.Agency != agency {
		title = fmt.Sprintf("已将用户 %s 改绑到%s（原为%s）。", user, agency, prev.Agency)
	}
	r := Reply{
		Intent:   IntentBind,
		Title:    title,
		Sections: []Section{{Fields: itemFields(lead, joint)}},
		Items:    append(append([]int{}, lead...), joint...),
		Agencies: []string{agency},
		Note:     "该用户现在可以报送这些条目的进展，例如：进展 #" + fmt.Sprint(firstInt(append(lead, joint...), 1)) + " 进行中 ……",
	}
	slices.Sort(r.Items)
	return e.stamp(r) // the items are of the plan that names the agency
}

func itemFields(lead, joint []int) []Field {
	return []Field{
		{"牵头的条目", intList(lead)},
		{"按职责落实的条目", intList(joint)},
	}
}

func intList(ns []int) string {
	if len(ns) == 0 {
		return "无"
	}
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return fmt.Sprintf("第%s条（%d条）", strings.Join(s, "、"), len(ns))
}

func firstInt(ns []int, def int) int {
	if len(ns) > 0 {
		return ns[0]
	}
	return def
}

// unbind removes a user's binding (admins only).
func (e *Engine) unbind(ctx context.Context, req Request, user string) Reply {
	if r, ok := e.requireAdmin(ctx, req, "解除绑定"); !ok {
		return r
	}
	if err := checkUser(user); err != nil {
		return errorReply(err)
	}
	prev, _, err := e.store.Binding(ctx, user)
	if err != nil {
		return errorReply(err)
	}
	had, err := e.store.Unbind(ctx, user, sourceID(req))
	if err != nil {
		e.log.Error("unbind", "err", err, "user", user)
		return errorReply(err)
	}
	if !had {
		return Reply{Intent: IntentBind, Title: fmt.Sprintf("用户 %s 没有绑定单位，无需解绑。", user)}
	}
	r := Reply{Intent: IntentBind, Title: fmt.Sprintf("已解除用户 %s 的绑定。", user)}
	if prev.Agency != "" {
		r.Title = fmt.Sprintf("已解除用户 %s 与%s的绑定。", user, prev.Agency)
		r.Agencies = []string{prev.Agency}
	}
	r.Note = "该用户已报送的进展记录仍然保留。"
	return r
}

// setAdmin makes a user an admin, or takes the rights away (admins only).
func (e *Engine) setAdmin(ctx context.Context, req Request, user string, add bool) Reply {
	if r, ok := e.requireAdmin(ctx, req, "设置管理员"); !ok {
		return r
	}
	if err := checkUser(user); err != nil {
		return errorReply(err)
	}
	if add {
		if err := e.store.AddAdmin(ctx, user, req.UserID, sourceID(req)); err != nil {
			return errorReply(err)
		}
		return Reply{Intent: IntentBind, Title: fmt.Sprintf("已将用户 %s 设为管理员：可以绑定用户，并可代任何单位报送进展。", user)}
	}
	had, err := e.store.RemoveAdmin(ctx, user, sourceID(req))
	if err != nil {
		return errorReply(err)
	}
	title := fmt.Sprintf("已取消用户 %s 的管理员权限。", user)
	if !had {
		title = fmt.Sprintf("用户 %s 不是在对话中设置的管理员。", user)
	}
	if e.admins[user] {
		title += "该用户由 DUBAN_ADMINS 或本机身份指定，仍是管理员。"
	}
	return Reply{Intent: IntentBind, Title: title}
}

// whoami tells users who the bot takes them for.
func (e *Engine) whoami(ctx context.Context, req Request) Reply {
	admin, err := e.isAdmin(ctx, req.UserID)
	if err != nil {
		return errorReply(err)
	}
	b, bound, err := e.binding(ctx, req.UserID)
	if err != nil {
		return errorReply(err)
	}
	fields := []Field{{"用户ID", orDefault(req.UserID, "（未知）")}}
	if admin {
		fields = append(fields, Field{"权限", "管理员（可绑定用户，可代任何单位报送）"})
	}
	r := Reply{Intent: IntentBind, Agencies: []string{}, Items: []int{}}
	if !bound {
		r.Title = "您还没有绑定单位。"
		if e.store == nil {
			r.Title = "您还没有绑定单位（未配置数据存储）。"
		}
		if !admin {
			r.Note = "请联系办公室（管理员）为您绑定单位后再报送进展。"
		}
		r.Sections = []Section{{Fields: fields}}
		return r
	}
	lead := e.plan.ItemsFor(b.Agency, duban.RoleLead)
	joint := e.plan.ItemsFor(b.Agency, duban.RoleJoint)
	r.Title = fmt.Sprintf("您绑定的单位是%s。", b.Agency)
	fields = append(fields, Field{"绑定单位", b.Agency}, Field{"绑定人", orDefault(b.BoundBy, "—") + "，" + showTime(b.Time)})
	fields = append(fields, itemFields(lead, joint)...)
	r.Sections = []Section{{Fields: fields}}
	r.Items = append(append(r.Items, lead...), joint...)
	slices.Sort(r.Items)
	r.Agencies = []string{b.Agency}
	return r
}
