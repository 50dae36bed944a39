package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"duban"
)

// This file holds what the two backends (bbolt: Store, etcd: EtcdStore)
// do alike: the checks of a write and the mapping between duban's types
// and the stored records. Each backend keeps only what really differs
// between them, its transactions and its key layout: it calls these
// functions around its own transaction, or, for supervision's records,
// implements the small recordLog interface they run on.

// recordLog is how a backend keeps supervision's append-only records of a
// plan (deadline changes, review steps, setting changes), one log of each
// kind: bbolt in a bucket per kind keyed by plan and sequence, etcd under
// p/PLAN/sv/KIND/ with a counter key.
type recordLog interface {
	// appendRecord stores rec as the next record of the kind for the
	// plan, once per source id, and returns its number (the first one's,
	// with duplicate set, when the source id was seen).
	appendRecord(ctx context.Context, kind, planID, userID, sourceID string, rec any) (seq uint64, duplicate bool, err error)
	// records calls fn with the number, key and value of every record of
	// the kind for the plan, in order.
	records(ctx context.Context, kind, planID string, fn func(seq uint64, key, v []byte) error) error
	// clock returns the store's time now.
	clock() time.Time
}

// addDeadline checks and appends a deadline change to the log; see
// Store.AddDeadline.
func addDeadline(ctx context.Context, l recordLog, planID string, c duban.DeadlineChange) (duban.DeadlineChange, bool, error) {
	if c.Item < 1 || c.Item > 1<<20 {
		return duban.DeadlineChange{}, false, duban.Errorf(duban.CodeInvalid, "条目编号 %d 无效 (invalid item)", c.Item)
	}
	if err := checkText("单位名称", c.Agency, maxNameLen); err != nil {
		return duban.DeadlineChange{}, false, err
	}
	if err := checkText("报送人名称", c.ByName, maxNameLen); err != nil {
		return duban.DeadlineChange{}, false, err
	}
	if c.Time.IsZero() {
		c.Time = l.clock()
	}
	rec := deadlineRec{Item: c.Item, Agency: c.Agency, ByID: c.ByID, ByName: c.ByName, Time: c.Time.Round(0), SourceID: c.SourceID}
	if !c.Date.IsZero() {
		rec.Date = c.Date.In(duban.ChinaTime()).Format(time.DateOnly)
	}
	seq, dup, err := l.appendRecord(ctx, kindDeadline, planID, c.ByID, c.SourceID, rec)
	if err != nil {
		return duban.DeadlineChange{}, false, err
	}
	if dup {
		all, err := deadlines(ctx, l, planID)
		return replayed(all, err, seq, func(d duban.DeadlineChange) uint64 { return d.Seq },
			duban.Errorf(duban.CodeInternal, "截止日期记录 %d 不属于该计划 (deadline of another plan)", seq))
	}
	c.Seq, c.Time = seq, rec.Time
	return c, false, nil
}

// replayed answers a write whose source id was seen: the record numbered
// seq among all (the plan's records of its kind, read with err), as a
// duplicate, or missing when the plan has no such record (the id was used
// on another plan).
func replayed[T any](all []T, err error, seq uint64, seqOf func(T) uint64, missing error) (T, bool, error) {
	var zero T
	if err != nil {
		return zero, false, err
	}
	for _, r := range all {
		if seqOf(r) == seq {
			return r, true, nil
		}
	}
	return zero, false, missing
}

// deadlines reads every deadline change of the plan from the log, oldest
// first.
func deadlines(ctx context.Context, l recordLog, planID string) ([]duban.DeadlineChange, error) {
	var out []duban.DeadlineChange
	err := l.records(ctx, kindDeadline, planID, func(seq uint64, k, v []byte) error {
		var r deadlineRec
		if err := decode("deadline", k, v, &r); err != nil {
			return err
		}
		c := duban.DeadlineChange{Seq: seq, Item: r.Item, Agency: r.Agency, ByID: r.ByID, ByName: r.ByName, Time: r.Time, SourceID: r.SourceID}
		if r.Date != "" {
			d, err := time.ParseInLocation(time.DateOnly, r.Date, duban.ChinaTime())
			if err != nil {
				return corrupt("deadline", k, err)
			}
			c.Date = d
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// addReview checks and appends a review step to the log; see
// Store.AddReview.
func addReview(ctx context.Context, l recordLog, planID string, st duban.ReviewStep) (duban.ReviewStep, bool, error) {
	switch {
	case st.Item < 1 || st.Item > 1<<20:
		return duban.ReviewStep{}, false, duban.Errorf(duban.CodeInvalid, "条目编号 %d 无效 (invalid item)", st.Item)
	case st.Agency == "":
		return duban.ReviewStep{}, false, duban.Errorf(duban.CodeInvalid, "缺少单位 (no agency)")
	case st.Decision != duban.DecisionPass && st.Decision != duban.DecisionReturn:
		return duban.ReviewStep{}, false, duban.Errorf(duban.CodeInvalid, "审核结论无效 (invalid decision)")
	case st.Report == 0:
		return duban.ReviewStep{}, false, duban.Errorf(duban.CodeInvalid, "缺少所审核的进展记录 (no report)")
	}
	for _, f := range []struct{ what, v string }{{"单位名称", st.Agency}, {"审核人名称", st.ByName}} {
		if err := checkText(f.what, f.v, maxNameLen); err != nil {
			return duban.ReviewStep{}, false, err
		}
	}
	if err := checkText("退回理由", st.Reason, maxTextLen); err != nil {
		return duban.ReviewStep{}, false, err
	}
	if st.Time.IsZero() {
		st.Time = l.clock()
	}
	rec := reviewRec{Item: st.Item, Agency: st.Agency, Report: st.Report, Decision: int(st.Decision), Reason: st.Reason,
		ByID: st.ByID, ByName: st.ByName, Time: st.Time.Round(0), SourceID: st.SourceID}
	seq, dup, err := l.appendRecord(ctx, kindReview, planID, st.ByID, st.SourceID, rec)
	if err != nil {
		return duban.ReviewStep{}, false, err
	}
	if dup {
		all, err := reviews(ctx, l, planID)
		return replayed(all, err, seq, func(r duban.ReviewStep) uint64 { return r.Seq },
			duban.Errorf(duban.CodeInternal, "审核记录 %d 不属于该计划 (review of another plan)", seq))
	}
	st.Seq, st.Time = seq, rec.Time
	return st, false, nil
}

// reviews reads every review step of the plan from the log, oldest first.
func reviews(ctx context.Context, l recordLog, planID string) ([]duban.ReviewStep, error) {
	var out []duban.ReviewStep
	err := l.records(ctx, kindReview, planID, func(seq uint64, k, v []byte) error {
		var r reviewRec
		if err := decode("review", k, v, &r); err != nil {
			return err
		}
		d := duban.Decision(r.Decision)
		if d != duban.DecisionPass && d != duban.DecisionReturn {
			return corrupt("review", k, fmt.Errorf("decision %d", r.Decision))
		}
		out = append(out, duban.ReviewStep{Seq: seq, Item: r.Item, Agency: r.Agency, Report: r.Report, Decision: d,
			Reason: r.Reason, ByID: r.ByID, ByName: r.ByName, Time: r.Time, SourceID: r.SourceID})
		return nil
	})
	return out, err
}

// addSetting checks and appends a setting change to the log; see
// Store.AddSetting.
func addSetting(ctx context.Context, l recordLog, planID string, c duban.SettingChange) (duban.SettingChange, bool, error) {
	if c.Name != duban.SettingCadence && c.Name != duban.SettingReview {
		return duban.SettingChange{}, false, duban.Errorf(duban.CodeInvalid, "未知的设置项“%s”(setting)", c.Name)
	}
	for _, f := range []struct{ what, v string }{{"设置值", c.Value}, {"设置人名称", c.ByName}} {
		if err := checkText(f.what, f.v, maxNameLen); err != nil {
			return duban.SettingChange{}, false, err
		}
	}
	if c.Time.IsZero() {
		c.Time = l.clock()
	}
	rec := settingRec{Name: c.Name, Value: c.Value, ByID: c.ByID, ByName: c.ByName, Time: c.Time.Round(0), SourceID: c.SourceID}
	seq, dup, err := l.appendRecord(ctx, kindSetting, planID, c.ByID, c.SourceID, rec)
	if err != nil {
		return duban.SettingChange{}, false, err
	}
	c.Seq, c.Time = seq, rec.Time
	return c, dup, nil
}

// settings reads every setting change of the plan from the log, oldest
// first.
func settings(ctx context.Context, l recordLog, planID string) ([]duban.SettingChange, error) {
	var out []duban.SettingChange
	err := l.records(ctx, kindSetting, planID, func(seq uint64, k, v []byte) error {
		var r settingRec
		if err := decode("setting", k, v, &r); err != nil {
			return err
		}
		out = append(out, duban.SettingChange{Seq: seq, Name: r.Name, Value: r.Value, ByID: r.ByID, ByName: r.ByName, Time: r.Time, SourceID: r.SourceID})
		return nil
	})
	return out, err
}

// checkReminders checks a CountReminders call: the write, the plan, the
// round and every agency.
func checkReminders(ctx context.Context, planID, roundID string, agencies []string, userID, sourceID string) error {
	if err := checkWrite(ctx, userID, sourceID); err != nil {
		return err
	}
	if err := checkPlanID(planID); err != nil {
		return err
	}
	if err := checkText("轮次", roundID, maxIDLen); err != nil {
		return err
	}
	for _, a := range agencies {
		if a == "" {
			return duban.Errorf(duban.CodeInvalid, "缺少单位 (no agency)")
		}
		if err := checkText("单位名称", a, maxNameLen); err != nil {
			return err
		}
	}
	return nil
}

// Both backends keep supervision's records.
var (
	_ recordLog = (*Store)(nil)
	_ recordLog = (*EtcdStore)(nil)
)

// prepareUpdate checks a report before it is stored (the write, then its
// fields) and stamps it: its time is now when unset, without a monotonic
// reading either way.
func prepareUpdate(ctx context.Context, u *duban.Update, now func() time.Time) error {
	if err := checkWrite(ctx, u.AuthorID, u.SourceID); err != nil {
		return err
	}
	if err := checkUpdate(*u); err != nil {
		return err
	}
	if u.Time.IsZero() {
		u.Time = now()
	}
	u.Time = u.Time.Round(0)
	return nil
}

// prepareUpdates is prepareUpdate for the reports of one message (see
// AddUpdates), which may not be none.
func prepareUpdates(ctx context.Context, us []duban.Update, now func() time.Time) error {
	if len(us) == 0 {
		return duban.Errorf(duban.CodeInvalid, "没有要记录的进展 (no reports)")
	}
	for i := range us {
		if err := prepareUpdate(ctx, &us[i], now); err != nil {
			return err
		}
	}
	return nil
}

// addEach stores the reports of one message with add, inside one
// transaction, and reports whether they were all stored before
// (duplicate); some stored before and some not is refused.
func addEach(us []duban.Update, add func(duban.Update) (duban.Update, bool, error)) (stored []duban.Update, duplicate bool, err error) {
	for i, u := range us {
		one, dup, err := add(u)
		if err != nil {
			return nil, false, err
		}
		if i == 0 {
			duplicate = dup
		} else if dup != duplicate {
			return nil, false, duban.Errorf(duban.CodeInvalid, "这条消息的部分内容已记录过，未重复记录 (source ids partly used)")
		}
		stored = append(stored, one)
	}
	return stored, duplicate, nil
}

// prepareCorrection is prepareUpdate for a correction, which must name
// the report it corrects.
func prepareCorrection(ctx context.Context, u *duban.Update, now func() time.Time) error {
	if err := prepareUpdate(ctx, u, now); err != nil {
		return err
	}
	if u.Corrects == 0 {
		return duban.Errorf(duban.CodeInvalid, "没有写明更正哪条记录 (no record to correct)")
	}
	return nil
}

// checkCorrects checks that u may correct old, the report it names: the
// same plan, item and agency, and old the latest of its pair.
func checkCorrects(old, u duban.Update, latest bool) error {
	if old.Plan != u.Plan || old.Item != u.Item || old.Agency != u.Agency {
		return duban.Errorf(duban.CodeInvalid, "更正必须针对同一计划、条目和单位 (plan, item or agency differs)")
	}
	if !latest {
		return duban.Errorf(duban.CodeInvalid, "记录%d不是第%d条%s的最新记录，只能更正最新的记录 (not the latest)", old.Seq, old.Item, old.Agency)
	}
	return nil
}

// checkLive refuses report u, found as seq, when it was retracted or
// corrected.
func checkLive(u duban.Update, seq uint64) error {
	switch {
	case u.Retracted:
		return duban.Errorf(duban.CodeInvalid, "记录%d已经撤回 (already retracted)", seq)
	case u.CorrectedBy != 0:
		return duban.Errorf(duban.CodeInvalid, "记录%d已由记录%d更正 (already corrected)", seq, u.CorrectedBy)
	}
	return nil
}

// noRecord is the error for a report number that does not exist.
func noRecord(seq uint64) error {
	return duban.Errorf(duban.CodeNotFound, "没有记录%d (no such record)", seq)
}

// prepareRetract checks a retraction by the user and returns its time:
// at, or now when at is zero, without a monotonic reading.
func prepareRetract(ctx context.Context, by, sourceID string, at time.Time, now func() time.Time) (time.Time, error) {
	if err := checkWrite(ctx, by, sourceID); err != nil {
		return time.Time{}, err
	}
	if at.IsZero() {
		at = now()
	}
	return at.Round(0), nil
}

// newUpdateRec is the stored form of report u.
func newUpdateRec(u duban.Update) updateRec {
	return updateRec{
		Plan: u.Plan, Item: u.Item, Agency: u.Agency, AuthorID: u.AuthorID, AuthorName: u.AuthorName,
		Status: int(u.Status), Percent: u.Percent, Text: u.Text, Time: u.Time,
		Channel: u.Channel, SourceID: u.SourceID, Corrects: u.Corrects,
	}
}

// storedUpdate is report u as stored under seq: live, not retracted.
func storedUpdate(u duban.Update, seq uint64) duban.Update {
	u.Seq = seq
	u.Retracted, u.RetractedAt = false, time.Time{}
	return u
}

// checkBinding checks the agency and binder of a binding.
func checkBinding(b duban.Binding) error {
	if b.Agency == "" || len(b.Agency) > maxNameLen || len(b.BoundBy) > maxIDLen {
		return duban.Errorf(duban.CodeInvalid, "绑定的单位无效 (invalid agency)")
	}
	return nil
}

// bindingRecOf is the stored form of binding b, made at now when its time
// is unset.
func bindingRecOf(b duban.Binding, now time.Time) bindingRec {
	if b.Time.IsZero() {
		b.Time = now
	}
	return bindingRec{Agency: b.Agency, BoundBy: b.BoundBy, Time: b.Time.Round(0)}
}

// checkBindAll checks a roster bound at once (see BindAll).
func checkBindAll(ctx context.Context, bs []duban.Binding, sourceID string) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	if err := checkID("消息标识", sourceID); err != nil {
		return err
	}
	for _, b := range bs {
		if err := checkID("用户标识", b.UserID); err != nil {
			return err
		}
		if err := checkBinding(b); err != nil {
			return err
		}
	}
	return nil
}

// preparePending checks an action waiting for confirmation, of at most
// limit bytes of data (the backends' value sizes differ), and stamps it
// now when its time is unset.
func preparePending(ctx context.Context, p *duban.Pending, limit int, now func() time.Time) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	if err := checkID("用户标识", p.UserID); err != nil {
		return err
	}
	if err := checkID("确认标识", p.ID); err != nil {
		return err
	}
	if len(p.Data) > limit {
		return duban.Errorf(duban.CodeInvalid, "待确认的内容过长 (pending action too large)")
	}
	if p.Time.IsZero() {
		p.Time = now()
	}
	return nil
}

// pendingRecOf is the stored form of a waiting action.
func pendingRecOf(p duban.Pending) pendingRec {
	return pendingRec{ID: p.ID, Kind: p.Kind, Data: p.Data, Time: p.Time.Round(0)}
}

// decodePending reads the user's waiting action stored under key.
func decodePending(userID string, key, v []byte) (duban.Pending, error) {
	var rec pendingRec
	if err := decode("pending action", key, v, &rec); err != nil {
		return duban.Pending{}, err
	}
	return duban.Pending{ID: rec.ID, UserID: userID, Kind: rec.Kind, Data: rec.Data, Time: rec.Time}, nil
}

// dropsPending reports whether DropPending with id removes the waiting
// action stored as v: any id does when id is "" or v cannot be read.
func dropsPending(key, v []byte, id string) bool {
	var rec pendingRec
	return decode("pending action", key, v, &rec) != nil || id == "" || rec.ID == id
}

// orderedPlan is a stored plan with its place in the order plans were
// added.
type orderedPlan struct {
	n uint64
	p duban.PlanSource
}

// plan is the stored plan id with its record and document.
func (r planRec) plan(id string, doc []byte) orderedPlan {
	return orderedPlan{r.Order, duban.PlanSource{ID: id, Title: r.Title, Year: r.Year, Document: doc,
		Agencies: r.Agencies, Terms: r.Terms, AddedBy: r.AddedBy, AddedAt: r.AddedAt}}
}

// inOrder returns the plans in the order they were added.
func inOrder(all []orderedPlan) []duban.PlanSource {
	slices.SortStableFunc(all, func(a, b orderedPlan) int { return cmp.Compare(a.n, b.n) })
	out := make([]duban.PlanSource, 0, len(all))
	for _, o := range all {
		out = append(out, o.p)
	}
	return out
}
