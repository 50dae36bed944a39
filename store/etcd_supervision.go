package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"duban"
)

// The etcd form of supervision's records (see supervision.go), keyed by
// plan id like the rest:
//
//	P p/PLAN/sv/deadline/SEQ        -> deadlineRec JSON (append-only)
//	P p/PLAN/sv/review/SEQ          -> reviewRec JSON (append-only)
//	P p/PLAN/sv/setting/SEQ         -> settingRec JSON (append-only)
//	P p/PLAN/sv/KIND-seq            -> the last SEQ of each of those
//	P p/PLAN/sv/remind/ROUND 0x00 AGENCY -> reminder count (decimal)
//	P p/PLAN/run/JOB                -> the last slot of a scheduled job claimed (runRec JSON)

// svKey is the key of a supervision record of a plan.
func (s *EtcdStore) svKey(planID string, parts ...string) string {
	return s.prefix + "p/" + planID + "/sv/" + strings.Join(parts, "")
}

// appendRecord stores rec as the next record of the kind for the plan,
// once per source id, and returns its number (the first one's, with
// duplicate set, when the source id was seen).
func (s *EtcdStore) appendRecord(ctx context.Context, kind, planID, userID, sourceID string, rec any) (seq uint64, duplicate bool, err error) {
	if err := checkWrite(ctx, userID, sourceID); err != nil {
		return 0, false, err
	}
	if err := checkPlanID(planID); err != nil {
		return 0, false, err
	}
	nonce := newNonce()
	err = s.run(ctx, true, func(t *etx) error {
		replay := func(first etcdSourceRec, mine bool) error {
			seq, duplicate = first.Seq, !mine
			return nil
		}
		return s.once(t, sourceID, kind, nonce, replay, func() (sourceRec, error) {
			ck := s.svKey(planID, kind, "-seq")
			v, ok, err := t.get(ck)
			if err != nil {
				return sourceRec{}, err
			}
			var n uint64
			if ok {
				if n, err = strconv.ParseUint(string(v), 10, 64); err != nil {
					return sourceRec{}, corrupt(kind+" counter", []byte(ck), err)
				}
			}
			n++
			t.put(ck, []byte(strconv.FormatUint(n, 10)))
			t.put(s.svKey(planID, kind, "/", seqStr(n)), encode(rec))
			seq, duplicate = n, false
			return sourceRec{Seq: n}, nil
		})
	})
	return seq, duplicate, err
}

// records calls fn with the number, key and value of every record of the
// kind for the plan, in order, read at one revision.
func (s *EtcdStore) records(ctx context.Context, kind, planID string, fn func(seq uint64, key, v []byte) error) error {
	if err := checkPlanID(planID); err != nil {
		return err
	}
	return s.run(ctx, false, func(t *etx) error {
		keys, vals, err := t.scanKVs(s.svKey(planID, kind, "/"))
		if err != nil {
			return err
		}
		for i, k := range keys {
			n, err := seqSuffix(k)
			if err != nil {
				return err
			}
			if err := fn(n, []byte(k), vals[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddDeadline records that the office set (or, with a zero Date, cleared)
// the deadline of an item of the plan. The same source id again stores
// nothing and returns the first change with duplicate set.
func (s *EtcdStore) AddDeadline(ctx context.Context, planID string, c duban.DeadlineChange) (duban.DeadlineChange, bool, error) {
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
		c.Time = s.now()
	}
	rec := deadlineRec{Item: c.Item, Agency: c.Agency, ByID: c.ByID, ByName: c.ByName, Time: c.Time.Round(0), SourceID: c.SourceID}
	if !c.Date.IsZero() {
		rec.Date = c.Date.In(duban.ChinaTime()).Format(time.DateOnly)
	}
	seq, dup, err := s.appendRecord(ctx, kindDeadline, planID, c.ByID, c.SourceID, rec)
	if err != nil {
		return duban.DeadlineChange{}, false, err
	}
	if dup {
		all, err := s.Deadlines(ctx, planID)
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

// Deadlines returns every deadline change of the plan, oldest first.
func (s *EtcdStore) Deadlines(ctx context.Context, planID string) ([]duban.DeadlineChange, error) {
	var out []duban.DeadlineChange
	err := s.records(ctx, kindDeadline, planID, func(seq uint64, k, v []byte) error {
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

// AddReview records a review step on a report of 已完成. The same source
// id again stores nothing and returns the first step with duplicate set.
func (s *EtcdStore) AddReview(ctx context.Context, planID string, st duban.ReviewStep) (duban.ReviewStep, bool, error) {
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
		st.Time = s.now()
	}
	rec := reviewRec{Item: st.Item, Agency: st.Agency, Report: st.Report, Decision: int(st.Decision), Reason: st.Reason,
		ByID: st.ByID, ByName: st.ByName, Time: st.Time.Round(0), SourceID: st.SourceID}
	seq, dup, err := s.appendRecord(ctx, kindReview, planID, st.ByID, st.SourceID, rec)
	if err != nil {
		return duban.ReviewStep{}, false, err
	}
	if dup {
		all, err := s.Reviews(ctx, planID)
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

// Reviews returns every review step of the plan, oldest first.
func (s *EtcdStore) Reviews(ctx context.Context, planID string) ([]duban.ReviewStep, error) {
	var out []duban.ReviewStep
	err := s.records(ctx, kindReview, planID, func(seq uint64, k, v []byte) error {
		var r reviewRec
		if err := decode("review", k, v, &r); err != nil {
			return err
		}
		d := duban.Decision(r.Decision)
		if d != duban.DecisionPass && d != duban.DecisionReturn {
			return corrupt("review", k, nil)
		}
		out = append(out, duban.ReviewStep{Seq: seq, Item: r.Item, Agency: r.Agency, Report: r.Report, Decision: d,
			Reason: r.Reason, ByID: r.ByID, ByName: r.ByName, Time: r.Time, SourceID: r.SourceID})
		return nil
	})
	return out, err
}

// AddSetting records a change of a supervision setting of the plan. The
// same source id again stores nothing and reports duplicate.
func (s *EtcdStore) AddSetting(ctx context.Context, planID string, c duban.SettingChange) (duban.SettingChange, bool, error) {
	if c.Name != duban.SettingCadence && c.Name != duban.SettingReview {
		return duban.SettingChange{}, false, duban.Errorf(duban.CodeInvalid, "未知的设置项“%s”(setting)", c.Name)
	}
	for _, f := range []struct{ what, v string }{{"设置值", c.Value}, {"设置人名称", c.ByName}} {
		if err := checkText(f.what, f.v, maxNameLen); err != nil {
			return duban.SettingChange{}, false, err
		}
	}
	if c.Time.IsZero() {
		c.Time = s.now()
	}
	rec := settingRec{Name: c.Name, Value: c.Value, ByID: c.ByID, ByName: c.ByName, Time: c.Time.Round(0), SourceID: c.SourceID}
	seq, dup, err := s.appendRecord(ctx, kindSetting, planID, c.ByID, c.SourceID, rec)
	if err != nil {
		return duban.SettingChange{}, false, err
	}
	c.Seq, c.Time = seq, rec.Time
	return c, dup, nil
}

// Settings returns every setting change of the plan, oldest first.
func (s *EtcdStore) Settings(ctx context.Context, planID string) ([]duban.SettingChange, error) {
	var out []duban.SettingChange
	err := s.records(ctx, kindSetting, planID, func(seq uint64, k, v []byte) error {
		var r settingRec
		if err := decode("setting", k, v, &r); err != nil {
			return err
		}
		out = append(out, duban.SettingChange{Seq: seq, Name: r.Name, Value: r.Value, ByID: r.ByID, ByName: r.ByName, Time: r.Time, SourceID: r.SourceID})
		return nil
	})
	return out, err
}

// CountReminders adds one to the reminder count of each agency in the
// round of the plan and returns the counts after it, in one transaction.
// The same source id again adds nothing and returns the counts as they
// are.
func (s *EtcdStore) CountReminders(ctx context.Context, planID, roundID string, agencies []string, userID, sourceID string) (map[string]int, error) {
	if err := checkWrite(ctx, userID, sourceID); err != nil {
		return nil, err
	}
	if err := checkPlanID(planID); err != nil {
		return nil, err
	}
	if err := checkText("轮次", roundID, maxIDLen); err != nil {
		return nil, err
	}
	for _, a := range agencies {
		if a == "" {
			return nil, duban.Errorf(duban.CodeInvalid, "缺少单位 (no agency)")
		}
		if err := checkText("单位名称", a, maxNameLen); err != nil {
			return nil, err
		}
	}
	nonce := newNonce()
	var out map[string]int
	err := s.run(ctx, true, func(t *etx) error {
		out = map[string]int{}
		add := true
		err := s.once(t, sourceID, kindRemind, nonce, func(_ etcdSourceRec, mine bool) error {
			add = false
			return nil
		}, func() (sourceRec, error) { return sourceRec{}, nil })
		if err != nil {
			return err
		}
		for _, a := range agencies {
			k := s.svKey(planID, "remind/", roundID, "\x00", a)
			n := 0
			if v, ok, err := t.get(k); err != nil {
				return err
			} else if ok {
				if n, err = strconv.Atoi(string(v)); err != nil {
					return corrupt("reminder count", []byte(k), err)
				}
			}
			if add {
				n++
				t.put(k, []byte(strconv.Itoa(n)))
			}
			out[a] = n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReminderCounts returns how many times each agency was reminded in the
// round of the plan.
func (s *EtcdStore) ReminderCounts(ctx context.Context, planID, roundID string) (map[string]int, error) {
	if err := checkPlanID(planID); err != nil {
		return nil, err
	}
	out := map[string]int{}
	err := s.run(ctx, false, func(t *etx) error {
		prefix := s.svKey(planID, "remind/", roundID, "\x00")
		keys, vals, err := t.scanKVs(prefix)
		if err != nil {
			return err
		}
		for i, k := range keys {
			n, err := strconv.Atoi(string(vals[i]))
			if err != nil {
				return corrupt("reminder count", []byte(k), err)
			}
			out[strings.TrimPrefix(k, prefix)] = n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ClaimRun records that the plan's scheduled job runs for the slot and
// reports whether it should: false when a run for this slot or a later
// one was recorded. With several replicas, Leader.ClaimRun also checks
// that the claimant leads.
func (s *EtcdStore) ClaimRun(ctx context.Context, planID, job string, slot time.Time) (bool, error) {
	if err := checkPlanID(planID); err != nil {
		return false, err
	}
	if err := checkText("任务名", job, maxIDLen); err != nil {
		return false, err
	}
	claimed := false
	err := s.run(ctx, true, func(t *etx) error {
		var err error
		claimed, err = s.claimRun(t, planID, job, slot)
		return err
	})
	return claimed, err
}

// claimRun stages the claim of a slot in a transaction.
func (s *EtcdStore) claimRun(t *etx, planID, job string, slot time.Time) (bool, error) {
	rk := s.prefix + "p/" + planID + "/run/" + job
	if v, ok, err := t.get(rk); err != nil {
		return false, err
	} else if ok {
		var last runRec
		if err := decode("last run", []byte(rk), v, &last); err != nil {
			return false, err
		}
		if !slot.After(last.Slot) {
			return false, nil
		}
	}
	t.put(rk, encode(runRec{Slot: slot, By: s.instance, Claim: s.now()}))
	return true, nil
}

// LastRun returns the slot of the plan's scheduled job's last run, if any.
func (s *EtcdStore) LastRun(ctx context.Context, planID, job string) (time.Time, bool, error) {
	var (
		at time.Time
		ok bool
	)
	err := s.run(ctx, false, func(t *etx) error {
		rk := s.prefix + "p/" + planID + "/run/" + job
		v, found, err := t.get(rk)
		if err != nil || !found {
			return err
		}
		var last runRec
		if err := decode("last run", []byte(rk), v, &last); err != nil {
			return err
		}
		at, ok = last.Slot, true
		return nil
	})
	return at, ok, err
}
