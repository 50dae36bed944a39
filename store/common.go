package store

import (
	"context"
	"fmt"
	"time"

	"duban"
)

// This file holds what the two backends (bbolt: Store, etcd: EtcdStore)
// do alike: the checks of a write and the mapping between duban's types
// and the stored records. Each backend keeps only what really differs
// between them, its transactions and its key layout, behind the small
// interfaces below.

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
		if err != nil {
			return duban.DeadlineChange{}, false, err
		}
		for _, d := range all {
			if d.Seq == seq {
				return d, true, nil
			}
		}
		return duban.DeadlineChange{}, false, duban.Errorf(duban.CodeInternal, "截止日期记录 %d 不属于该计划 (deadline of another plan)", seq)
	}
	c.Seq, c.Time = seq, rec.Time
	return c, false, nil
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
		if err != nil {
			return duban.ReviewStep{}, false, err
		}
		for _, r := range all {
			if r.Seq == seq {
				return r, true, nil
			}
		}
		return duban.ReviewStep{}, false, duban.Errorf(duban.CodeInternal, "审核记录 %d 不属于该计划 (review of another plan)", seq)
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
