package bot

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"duban"
	"duban/bot/understand"
)

// This file binds many users at once from a roster: a CSV file with a
// header row and one user a row (user id, agency; other columns are
// ignored), UTF-8 with or without a byte-order mark, as Excel saves "CSV
// UTF-8". Every row is checked first; one bad row binds nobody, and the
// reply names every bad row by its line number. `duban bind --file` and a
// CSV uploaded to the bot in Slack both come here.

// Roster limits.
const (
	MaxRosterBytes = 1 << 20 // a roster file is at most 1 MiB
	maxRosterRows  = 5000
	rosterErrLines = 30 // bad rows listed in one reply
)

// BindRoster binds every user of a roster file (admins only), all or none.
func (e *Engine) BindRoster(ctx context.Context, req Request, name string, data []byte) (reply Reply) {
	defer e.logInternal(&reply, req.UserID) // called by adapters, not through Handle
	if r, ok := e.requireAdmin(ctx, req, "批量绑定用户和单位"); !ok {
		return r
	}
	if req.Time.IsZero() {
		req.Time = e.now()
	}
	bindings, problems := e.readRoster(data, req)
	if len(problems) > 0 {
		r := Reply{Intent: IntentError,
			Title: fmt.Sprintf("名单 %s 有 %d 处问题，没有绑定任何用户 (nothing bound)。请修改后重新提交。", orDefault(name, "roster.csv"), len(problems))}
		shown := problems
		if len(shown) > rosterErrLines {
			shown = shown[:rosterErrLines]
			r.Note = fmt.Sprintf("另有 %d 处问题未列出。", len(problems)-rosterErrLines)
		}
		r.Sections = []Section{{Text: strings.Join(shown, "\n")}}
		if r.Note == "" {
			r.Note = "名单格式：第一行是表头（例如“用户ID,单位”），之后每行一位用户；UTF-8 编码（Excel 另存为“CSV UTF-8”）。"
		}
		return r
	}
	before := map[string]string{}
	if old, err := e.store.Bindings(ctx); err == nil {
		for _, b := range old {
			before[b.UserID] = b.Agency
		}
	}
	if err := e.store.BindAll(ctx, bindings, sourceID(req)); err != nil {
		e.log.Error("bind roster", "err", err, "rows", len(bindings))
		return errorReply(err)
	}
	byAgency := map[string][]string{}
	var agencies []string
	changed := 0
	for _, b := range bindings {
		if _, ok := byAgency[b.Agency]; !ok {
			agencies = append(agencies, b.Agency)
		}
		byAgency[b.Agency] = append(byAgency[b.Agency], b.UserID)
		if a, ok := before[b.UserID]; ok && a != b.Agency {
			changed++
		}
	}
	var lines []string
	for _, a := range agencies {
		lines = append(lines, fmt.Sprintf("%s：%s", a, strings.Join(byAgency[a], "、")))
	}
	r := Reply{Intent: IntentBind, Agencies: agencies,
		Title: fmt.Sprintf("已按名单绑定 %d 位用户，涉及 %d 个单位。", len(bindings), len(agencies))}
	budget := replyLines - 6
	r.Sections = []Section{{Text: strings.Join(officeCapLines(lines, &budget), "\n")}}
	var notes []string
	if changed > 0 {
		notes = append(notes, fmt.Sprintf("其中 %d 位用户改绑了单位。", changed))
	}
	if n := e.unboundAgencies(ctx); n > 0 {
		notes = append(notes, fmt.Sprintf("仍有 %d 个负责工作的单位没有绑定用户，提醒无法送达；发送“提醒”可查看。", n))
	}
	r.Note = strings.Join(notes, "\n")
	return r
}

// readRoster reads and checks a roster: the bindings, or every problem,
// each naming its line.
func (e *Engine) readRoster(data []byte, req Request) ([]duban.Binding, []string) {
	if len(data) > MaxRosterBytes {
		return nil, []string{fmt.Sprintf("文件太大（%d 字节），名单最多 %d 字节。", len(data), MaxRosterBytes)}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return nil, []string{"文件不是 UTF-8 编码。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后重新提交。"}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	var (
		out      []duban.Binding
		problems []string
		seen     = map[string]int{} // user id -> line
		userCol  = -1
		agCol    = -1
	)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				problems = append(problems, fmt.Sprintf("第%d行：无法读取（%v），请检查引号和逗号。", pe.Line, pe.Err))
				if len(problems) > rosterErrLines*2 {
					break
				}
				continue
			}
			return nil, []string{"无法读取名单：" + err.Error()}
		}
		line, _ := r.FieldPos(0)
		if blankRow(rec) {
			continue
		}
		if userCol < 0 {
			u, a, ok := understand.RosterColumns(rec)
			if !ok {
				return nil, []string{fmt.Sprintf("第%d行应是表头，写明用户ID和单位两列，例如：用户ID,单位。", line)}
			}
			userCol, agCol = u, a
			continue
		}
		if len(out)+len(problems) >= maxRosterRows {
			problems = append(problems, fmt.Sprintf("第%d行：名单最多 %d 行，请分几次提交。", line, maxRosterRows))
			break
		}
		if userCol >= len(rec) || agCol >= len(rec) {
			problems = append(problems, fmt.Sprintf("第%d行：缺少用户ID或单位（只有 %d 列）。", line, len(rec)))
			continue
		}
		user := strings.TrimSpace(rec[userCol])
		if m := strings.TrimSuffix(strings.TrimPrefix(user, "<@"), ">"); m != user {
			user, _, _ = strings.Cut(m, "|") // a Slack mention <@U123|name>
		}
		agencyName := strings.TrimSpace(rec[agCol])
		if err := checkUser(user); err != nil {
			problems = append(problems, fmt.Sprintf("第%d行：%s", line, duban.UserMessage(err)))
			continue
		}
		if agencyName == "" {
			problems = append(problems, fmt.Sprintf("第%d行：用户 %s 没有写单位。", line, user))
			continue
		}
		agency, err := e.resolveAgencyFor(agencyName, nil)
		if err != nil {
			problems = append(problems, fmt.Sprintf("第%d行：%s", line, duban.UserMessage(err)))
			continue
		}
		if first, ok := seen[user]; ok {
			i := slices.IndexFunc(out, func(b duban.Binding) bool { return b.UserID == user })
			if i >= 0 && out[i].Agency != agency {
				problems = append(problems, fmt.Sprintf("第%d行：用户 %s 在第%d行已绑定到%s，一位用户只能绑定一个单位。", line, user, first, out[i].Agency))
			}
			continue
		}
		seen[user] = line
		out = append(out, duban.Binding{UserID: user, Agency: agency, BoundBy: req.UserID, Time: req.Time})
	}
	if len(problems) == 0 && len(out) == 0 {
		problems = append(problems, "名单里没有用户：第一行是表头，之后每行一位用户（用户ID,单位）。")
	}
	return out, problems
}

func blankRow(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// unboundAgencies counts the agencies responsible for some item that no
// user is bound to.
func (e *Engine) unboundAgencies(ctx context.Context) int {
	bs, err := e.store.Bindings(ctx)
	if err != nil {
		return 0
	}
	bound := map[string]bool{}
	for _, b := range bs {
		bound[b.Agency] = true
	}
	n := 0
	seen := map[string]bool{}
	for _, a := range e.plan.Assignments() {
		if !seen[a.Agency] && !bound[a.Agency] {
			n++
		}
		seen[a.Agency] = true
	}
	return n
}
