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

// clock returns the store's time now.
func (s *EtcdStore) clock() time.Time { return s.now() }

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
	return addDeadline(ctx, s, planID, c)
}

// Deadlines returns every deadline change of the plan, oldest first.
func (s *EtcdStore) Deadlines(ctx context.Context, planID string) ([]duban.DeadlineChange, error) {
	return deadlines(ctx, s, planID)
}

// AddReview records a review step on a report of 已完成. The same source
// id again stores nothing and returns the first step with duplicate set.
func (s *EtcdStore) AddReview(ctx context.Context, planID string, st duban.ReviewStep) (duban.ReviewStep, bool, error) {
	return addReview(ctx, s, planID, st)
}

// Reviews returns every review step of the plan, oldest first.
func (s *EtcdStore) Reviews(ctx context.Context, planID string) ([]duban.ReviewStep, error) {
	return reviews(ctx, s, planID)
}

// AddSetting records a change of a supervision setting of the plan. The
// same source id again stores nothing and reports duplicate.
func (s *EtcdStore) AddSetting(ctx context.Context, planID string, c duban.SettingChange) (duban.SettingChange, bool, error) {
	return addSetting(ctx, s, planID, c)
}

// Settings returns every setting change of the plan, oldest first.
func (s *EtcdStore) Settings(ctx context.Context, planID string) ([]duban.SettingChange, error) {
	return settings(ctx, s, planID)
}

// CountReminders adds one to the reminder count of each agency in the
// round of the plan and returns the counts after it, in one transaction.
// The same source id again adds nothing and returns the counts as they
// are.
func (s *EtcdStore) CountReminders(ctx context.Context, planID, roundID string, agencies []string, userID, sourceID string) (map[string]int, error) {
	if err := checkReminders(ctx, planID, roundID, agencies, userID, sourceID); err != nil {
		return nil, err
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
