package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"duban"
)

// officeCommand answers the office's commands: 汇总 / summary [agency],
// 未报送 / missing [agency], 提醒 / remind [agency] (admins only) and
// 导出 / export [csv|xlsx]. ok is false when text is none of them.
func (e *Engine) officeCommand(ctx context.Context, req Request, text string) (Reply, bool) {
	t := officeTrim(text)
	lower := strings.ToLower(t)
	switch {
	case officeHasPrefix(lower, "导出", "export"):
		rest := officeCutPrefix(t, "导出", "export")
		format, ok := exportFormat(rest)
		if !ok {
			return errorReply(duban.Errorf(duban.CodeInvalid, "不支持的导出格式“%s”(format)，可选：%s，例如“导出 csv”。", rest, strings.Join(ExportFormats, "、"))), true
		}
		if r, ok := e.summaryAccess(ctx, req.UserID); !ok {
			return r, true
		}
		return e.exportChat(ctx, format), true

	case officeHasPrefix(lower, "提醒", "催报", "催办", "remind"):
		rest := officeCutPrefix(t, "提醒", "催报", "催办", "remind")
		admin, err := e.isAdmin(ctx, req.UserID)
		if err != nil {
			return e.officeError(fmt.Errorf("check admin: %w", err)), true
		}
		if !admin {
			return errorReply(duban.Errorf(duban.CodeForbidden, "抱歉，只有办公室管理员可以发送提醒 (admins only)。")), true
		}
		agencies, err := e.officeAgencies(rest, remindFillers)
		if err != nil {
			return errorReply(err), true
		}
		return e.withAmbiguity(e.RemindAs(ctx, req, agencies...), rest, agencies), true

	case isMissingQuestion(lower):
		rest := officeCutPrefix(t, missingPrefixes...)
		if !officeHasPrefix(lower, missingPrefixes...) {
			rest = ""
		}
		agencies, err := e.officeAgencies(rest, missingFillers)
		if err != nil {
			return errorReply(err), true
		}
		return e.withAmbiguity(e.Missing(ctx, agencies...), rest, agencies), true

	case strings.HasSuffix(t, "汇总") && !officeHasPrefix(lower, summaryPrefixes...):
		// 省林业局汇总: only when what comes before names an agency, so
		// that a question such as 哪些工作涉及数据汇总 stays a search.
		rest := strings.TrimSuffix(t, "汇总")
		agencies, err := e.officeAgencies(rest, summaryFillers)
		if err != nil || len(agencies) == 0 {
			return Reply{}, false
		}
		if r, ok := e.summaryAccess(ctx, req.UserID); !ok {
			return r, true
		}
		return e.withAmbiguity(e.AgencySummary(ctx, agencies), rest, agencies), true

	case officeHasPrefix(lower, summaryPrefixes...):
		rest := officeCutPrefix(t, summaryPrefixes...)
		if r := strings.ToLower(strings.TrimSpace(rest)); officeHasPrefix(r, missingPrefixes...) {
			return e.officeCommand(ctx, req, rest) // 汇总 未报送
		}
		agencies, err := e.officeAgencies(rest, summaryFillers)
		if err != nil {
			return errorReply(err), true
		}
		if r, ok := e.summaryAccess(ctx, req.UserID); !ok {
			return r, true
		}
		if len(agencies) == 0 {
			return e.Summary(ctx), true
		}
		return e.withAmbiguity(e.AgencySummary(ctx, agencies), rest, agencies), true
	}
	return Reply{}, false
}

// summaryAccess checks that the user may have 汇总 and 导出, which show
// every agency's reports: with Config.PublicSummaries everyone may; else
// admins and users bound to an agency. When the user may not, it returns
// the reply that says so.
func (e *Engine) summaryAccess(ctx context.Context, userID string) (Reply, bool) {
	if e.cfg.PublicSummaries || e.store == nil { // without a store the command says so itself
		return Reply{}, true
	}
	admin, err := e.isAdmin(ctx, userID)
	if err != nil {
		return e.officeError(fmt.Errorf("check admin: %w", err)), false
	}
	if admin {
		return Reply{}, true
	}
	_, bound, err := e.binding(ctx, userID)
	if err != nil {
		return e.officeError(fmt.Errorf("check binding: %w", err)), false
	}
	if bound {
		return Reply{}, true
	}
	return errorReply(duban.Errorf(duban.CodeForbidden,
		"抱歉，汇总和导出只对已绑定单位的用户和办公室管理员开放 (summaries are for bound users and admins)。请联系办公室为您绑定单位；哪些单位尚未报送可以发送“未报送”查看。")), false
}

// The words that start each command (longest first where one is a prefix
// of another) and the words around an agency name that mean nothing.
var (
	summaryPrefixes = []string{"进展汇总", "进度汇总", "工作汇总", "汇总", "summary of", "summary for", "summary"}
	missingPrefixes = []string{"尚未报送", "还未报送", "未报送", "没报送", "未报", "not reported", "missing", "late"}

	summaryFillers = []string{"一下", "全部", "所有单位", "所有", "总体", "整体", "情况", "落实情况", "工作", "进展", "进度", "的", "all", "overall", "for", "of"}
	missingFillers = []string{"的单位", "单位", "名单", "情况", "的工作", "工作", "的", "agencies", "for", "of"}
	remindFillers  = []string{"未报送单位", "未报送的单位", "未报送", "所有单位", "所有", "一下", "大家", "late agencies", "late", "all"}
)

// isMissingQuestion reports whether lower (a lower-cased message) asks who
// has not reported.
func isMissingQuestion(lower string) bool {
	if officeHasPrefix(lower, missingPrefixes...) {
		return true
	}
	for _, q := range []string{"who hasn't reported", "who has not reported", "who hasn’t reported", "who didn't report", "who did not report", "not yet reported"} {
		if strings.Contains(lower, q) {
			return true
		}
	}
	if !strings.Contains(lower, "报") && !strings.Contains(lower, "反馈") {
		return false
	}
	for _, q := range []string{"谁没", "谁还没", "谁未", "谁尚未", "哪些单位没", "哪些单位还没", "哪些单位未", "哪些单位尚未", "哪个单位没", "哪个单位还没", "哪家单位没", "还有谁没", "哪些还没", "哪些没", "哪些工作没", "哪些工作还没", "哪些工作未", "哪些工作尚未"} {
		if strings.Contains(lower, q) {
			return true
		}
	}
	return false
}

// withAmbiguity adds to r, when the name typed fits several agencies (海关),
// a note that says so.
func (e *Engine) withAmbiguity(r Reply, name string, agencies []string) Reply {
	name = strings.TrimSpace(name)
	if len(agencies) < 2 || r.Intent == IntentError || e.plan.Directory == nil || !e.plan.Directory.Ambiguous(name) {
		return r
	}
	note := fmt.Sprintf("“%s”对应 %d 个单位（%s），分别列出。", name, len(agencies), strings.Join(agencies, "、"))
	if r.Note != "" {
		note += "\n" + r.Note
	}
	r.Note = note
	return r
}

// officeAgencies reads the agencies a command names after its keyword. An
// empty rest, or filler words only, names none (the whole office). A
// name that fits several agencies names each of them.
func (e *Engine) officeAgencies(rest string, fillers []string) ([]string, error) {
	// Invalid UTF-8 is dropped: names are matched rune by rune.
	name := strings.TrimSpace(strings.ToValidUTF8(rest, ""))
	for changed := true; changed && name != ""; {
		changed = false
		for _, f := range fillers {
			if len(name) < len(f) {
				continue
			}
			if strings.EqualFold(name[:len(f)], f) {
				name, changed = strings.TrimSpace(name[len(f):]), true
				break
			}
			if strings.EqualFold(name[len(name)-len(f):], f) {
				name, changed = strings.TrimSpace(name[:len(name)-len(f)]), true
				break
			}
		}
		name = strings.TrimFunc(name, officePunct)
	}
	if name == "" {
		return nil, nil
	}
	dir := e.plan.Directory
	if dir != nil {
		if names, ok := dir.Resolve(name); ok {
			return names, nil
		}
		var out []string
		for _, m := range dir.Find(duban.Fold(name)) {
			for _, n := range m.Names {
				if !slices.Contains(out, n) {
					out = append(out, n)
				}
			}
		}
		if len(out) > 0 {
			return out, nil
		}
		if s := dir.Suggest(name, 3); len(s) > 0 {
			return nil, duban.Errorf(duban.CodeNotFound, "没有找到单位“%s”(agency)。您是不是要找：%s？", name, strings.Join(s, "、"))
		}
	}
	return nil, duban.Errorf(duban.CodeNotFound, "没有找到单位“%s”(agency)，请使用工作要点中的单位名称，例如“汇总 省林业局”。", name)
}

// exportFormat reads the format after 导出: nothing (the default), csv,
// xlsx, or a word for Excel.
func exportFormat(rest string) (string, bool) {
	f := strings.ToLower(strings.TrimSpace(rest))
	for _, w := range []string{"为", "成", "as", "to"} {
		f = strings.TrimSpace(strings.TrimPrefix(f, w))
	}
	for _, w := range []string{"格式", "文件", "file", "表格", "表"} {
		f = strings.TrimSpace(strings.TrimSuffix(f, w))
	}
	f = strings.TrimPrefix(f, ".")
	switch f {
	case "":
		return "", true
	case "xlsx", "excel", "xls", "电子":
		return "xlsx", true
	case "csv":
		return "csv", true
	}
	return f, false
}

// officeTrim removes surrounding space, a leading slash and trailing
// punctuation from a message.
func officeTrim(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "/")
	return strings.TrimRightFunc(s, officePunct)
}

func officePunct(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune("?？!！。.，,：:；;", r)
}

// officeHasPrefix reports whether s starts with one of the words; an
// English word must be followed by a non-letter.
func officeHasPrefix(s string, words ...string) bool {
	for _, w := range words {
		if !strings.HasPrefix(s, w) {
			continue
		}
		if officeASCIIWord(w) && len(s) > len(w) && officeASCIILetter(s[len(w)]) {
			continue
		}
		return true
	}
	return false
}

// officeCutPrefix removes the first of the words that starts s (compared
// case-insensitively) and the punctuation after it.
func officeCutPrefix(s string, words ...string) string {
	for _, w := range words {
		if len(s) >= len(w) && strings.EqualFold(s[:len(w)], w) && officeHasPrefix(strings.ToLower(s[:len(w)])+s[len(w):], w) {
			return strings.TrimLeftFunc(s[len(w):], officePunct)
		}
	}
	return s
}

func officeASCIIWord(w string) bool { return w != "" && officeASCIILetter(w[0]) }

func officeASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
