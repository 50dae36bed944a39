package store

import (
	"context"
	"strconv"
	"time"

	"duban"
)

// The etcd forms of the writes and reads of reports by reference (see
// progress.go): several reports in one transaction, a record by number, a
// user's own records, retracting and correcting a given record, pending
// confirmations and a roster bound at once. Their keys:
//
//	P p/PLAN/c/SEQ   -> SEQ of the report that corrected report SEQ
//	P pend/USER      -> the action waiting for the user's confirmation (pendingRec JSON)

// AddUpdates appends several reports in one transaction: all are stored
// or none. When the first one's source id was processed before, nothing is
// written and the reports stored the first time are returned with
// duplicate set.
func (s *EtcdStore) AddUpdates(ctx context.Context, us []duban.Update) (stored []duban.Update, duplicate bool, err error) {
	if len(us) == 0 {
		return nil, false, duban.Errorf(duban.CodeInvalid, "没有要记录的进展 (no reports)")
	}
	for i := range us {
		if err := checkWrite(ctx, us[i].AuthorID, us[i].SourceID); err != nil {
			return nil, false, err
		}
		if err := checkUpdate(us[i]); err != nil {
			return nil, false, err
		}
		if us[i].Time.IsZero() {
			us[i].Time = s.now()
		}
		us[i].Time = us[i].Time.Round(0)
	}
	nonce := newNonce()
	err = s.runCounted(ctx, func(t *etx) error {
		stored, duplicate = nil, false
		for i, u := range us {
			one, dup, err := s.addUpdate(t, u, nonce)
			if err != nil {
				return err
			}
			if i == 0 {
				duplicate = dup
			} else if dup != duplicate {
				return duban.Errorf(duban.CodeInvalid, "这条消息的部分内容已记录过，未重复记录 (source ids partly used)")
			}
			stored = append(stored, one)
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return stored, duplicate, nil
}

// Record returns report seq with its retraction and correction, if any.
func (s *EtcdStore) Record(ctx context.Context, seq uint64) (u duban.Update, found bool, err error) {
	err = s.run(ctx, false, func(t *etx) error {
		found = false
		if seq == 0 {
			return nil
		}
		if _, ok, err := s.locate(t, seq); err != nil || !ok {
			return err
		}
		u, err = s.loadUpdate(t, seq)
		found = err == nil
		return err
	})
	return u, found, err
}

// ByAuthor returns up to limit reports by the author, newest first,
// retracted and corrected ones included.
func (s *EtcdStore) ByAuthor(ctx context.Context, authorID string, limit int) ([]duban.Update, error) {
	var out []duban.Update
	if limit <= 0 {
		return nil, ctxErr(ctx)
	}
	err := s.run(ctx, false, func(t *etx) error {
		keys, err := s.authorKeys(t, authorID, int64(limit))
		if err != nil {
			return err
		}
		out, err = s.loadRefs(t, keys)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// liveRecord loads report seq and checks that it is neither retracted nor
// corrected.
func (s *EtcdStore) liveRecord(t *etx, seq uint64) (duban.Update, error) {
	if seq == 0 {
		return duban.Update{}, duban.Errorf(duban.CodeNotFound, "没有记录%d (no such record)", seq)
	}
	if _, ok, err := s.locate(t, seq); err != nil {
		return duban.Update{}, err
	} else if !ok {
		return duban.Update{}, duban.Errorf(duban.CodeNotFound, "没有记录%d (no such record)", seq)
	}
	u, err := s.loadUpdate(t, seq)
	if err != nil {
		return duban.Update{}, err
	}
	switch {
	case u.Retracted:
		return duban.Update{}, duban.Errorf(duban.CodeInvalid, "记录%d已经撤回 (already retracted)", seq)
	case u.CorrectedBy != 0:
		return duban.Update{}, duban.Errorf(duban.CodeInvalid, "记录%d已由记录%d更正 (already corrected)", seq, u.CorrectedBy)
	}
	return u, nil
}

// RetractRecord marks report seq as retracted by the user (by) and
// returns it. It refuses a record that does not exist (CodeNotFound) or is
// already retracted or corrected (CodeInvalid). The same sourceID again
// retracts nothing more and returns the same report.
func (s *EtcdStore) RetractRecord(ctx context.Context, seq uint64, by, sourceID string, at time.Time) (duban.Update, error) {
	if err := checkWrite(ctx, by, sourceID); err != nil {
		return duban.Update{}, err
	}
	if at.IsZero() {
		at = s.now()
	}
	at = at.Round(0)
	nonce := newNonce()
	var out duban.Update
	err := s.runCounted(ctx, func(t *etx) error {
		replay := func(first etcdSourceRec, _ bool) (err error) {
			out, err = s.loadUpdate(t, first.Seq)
			return err
		}
		return s.once(t, sourceID, kindRetract, nonce, replay, func() (sourceRec, error) {
			if _, _, err := t.get(s.k("seq")); err != nil {
				return sourceRec{}, err
			}
			u, err := s.liveRecord(t, seq)
			if err != nil {
				return sourceRec{}, err
			}
			if u, err = s.retractSeq(t, u.Seq, by, sourceID, at); err != nil {
				return sourceRec{}, err
			}
			out = u
			return sourceRec{Seq: u.Seq}, nil
		})
	})
	if err != nil {
		return duban.Update{}, err
	}
	return out, nil
}

// Correct appends u as a correction of report u.Corrects in one
// transaction: u becomes the latest report of its pair and the corrected
// one stays, marked. The corrected report must be live and the latest of
// its pair, on the same item and agency. The same source id again stores
// nothing and returns the correction stored the first time, with
// duplicate set.
func (s *EtcdStore) Correct(ctx context.Context, u duban.Update) (stored duban.Update, duplicate bool, err error) {
	if err := checkWrite(ctx, u.AuthorID, u.SourceID); err != nil {
		return duban.Update{}, false, err
	}
	if err := checkUpdate(u); err != nil {
		return duban.Update{}, false, err
	}
	if u.Corrects == 0 {
		return duban.Update{}, false, duban.Errorf(duban.CodeInvalid, "没有写明更正哪条记录 (no record to correct)")
	}
	if u.Time.IsZero() {
		u.Time = s.now()
	}
	u.Time = u.Time.Round(0)
	nonce := newNonce()
	err = s.runCounted(ctx, func(t *etx) error {
		if first, ok, err := s.getSource(t, u.SourceID); err != nil {
			return err
		} else if ok {
			if first.Kind != kindUpdate {
				return sourceConflict(u.SourceID)
			}
			stored, duplicate, err = s.addUpdate(t, u, nonce) // a replay: returns the first
			return err
		}
		old, err := s.liveRecord(t, u.Corrects)
		if err != nil {
			return err
		}
		if old.Plan != u.Plan || old.Item != u.Item || old.Agency != u.Agency {
			return duban.Errorf(duban.CodeInvalid, "更正必须针对同一计划、条目和单位 (plan, item or agency differs)")
		}
		cur, _, err := t.get(s.planKey(old.Plan, "l/", itemStr(old.Item), "/", old.Agency))
		if err != nil {
			return err
		}
		if string(cur) != seqStr(old.Seq) {
			return duban.Errorf(duban.CodeInvalid, "记录%d不是第%d条%s的最新记录，只能更正最新的记录 (not the latest)", old.Seq, old.Item, old.Agency)
		}
		if stored, duplicate, err = s.addUpdate(t, u, nonce); err != nil {
			return err
		}
		t.put(s.planKey(old.Plan, "c/", seqStr(old.Seq)), []byte(seqStr(stored.Seq)))
		return nil
	})
	if err != nil {
		return duban.Update{}, false, err
	}
	return stored, duplicate, nil
}

// PutPending keeps an action waiting for the user's confirmation,
// replacing one the user had before.
func (s *EtcdStore) PutPending(ctx context.Context, p duban.Pending) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	if err := checkID("用户标识", p.UserID); err != nil {
		return err
	}
	if err := checkID("确认标识", p.ID); err != nil {
		return err
	}
	if len(p.Data) > 4*maxTextLen {
		return duban.Errorf(duban.CodeInvalid, "待确认的内容过长 (pending action too large)")
	}
	if p.Time.IsZero() {
		p.Time = s.now()
	}
	return s.run(ctx, true, func(t *etx) error {
		t.put(s.k("pend/", p.UserID), encode(pendingRec{ID: p.ID, Kind: p.Kind, Data: p.Data, Time: p.Time.Round(0)}))
		return nil
	})
}

// Pending returns the action waiting for the user's confirmation, if any.
func (s *EtcdStore) Pending(ctx context.Context, userID string) (duban.Pending, bool, error) {
	var (
		out   duban.Pending
		found bool
	)
	err := s.run(ctx, false, func(t *etx) error {
		key := s.k("pend/", userID)
		v, ok, err := t.get(key)
		if err != nil || !ok {
			return err
		}
		var rec pendingRec
		if err := decode("pending action", []byte(key), v, &rec); err != nil {
			return err
		}
		out = duban.Pending{ID: rec.ID, UserID: userID, Kind: rec.Kind, Data: rec.Data, Time: rec.Time}
		found = true
		return nil
	})
	return out, found, err
}

// DropPending removes the user's waiting action when its id is id (any id
// when id is ""), and reports whether it did.
func (s *EtcdStore) DropPending(ctx context.Context, userID, id string) (bool, error) {
	dropped := false
	err := s.run(ctx, true, func(t *etx) error {
		dropped = false
		key := s.k("pend/", userID)
		v, ok, err := t.get(key)
		if err != nil || !ok {
			return err
		}
		var rec pendingRec
		if err := decode("pending action", []byte(key), v, &rec); err == nil && id != "" && rec.ID != id {
			return nil
		}
		dropped = true
		t.del(key)
		return nil
	})
	return dropped, err
}

// BindAll binds every user of the roster in one transaction: all or none.
// The same sourceID again changes nothing.
func (s *EtcdStore) BindAll(ctx context.Context, bs []duban.Binding, sourceID string) error {
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
		if b.Agency == "" || len(b.Agency) > maxNameLen || len(b.BoundBy) > maxIDLen {
			return duban.Errorf(duban.CodeInvalid, "绑定的单位无效 (invalid agency)")
		}
	}
	if len(bs) > 10000 {
		return duban.Errorf(duban.CodeInvalid, "名单过长，一次最多绑定 10000 人 (roster too long)")
	}
	nonce := newNonce()
	return s.run(ctx, true, func(t *etx) error {
		now := s.now()
		return s.once(t, sourceID, kindBindAll, nonce, nil, func() (sourceRec, error) {
			for _, b := range bs {
				if b.Time.IsZero() {
					b.Time = now
				}
				t.put(s.k("b/", b.UserID), encode(bindingRec{Agency: b.Agency, BoundBy: b.BoundBy, Time: b.Time.Round(0)}))
			}
			return sourceRec{}, nil
		})
	})
}

// correctedBys reads the corrections of reports of a plan, at the
// transaction's revision: the record that corrected each, or 0.
func (s *EtcdStore) correctedBys(t *etx, plan string, seqs []uint64) ([]uint64, error) {
	keys := make([]string, len(seqs))
	for i, seq := range seqs {
		keys[i] = s.planKey(plan, "c/", seqStr(seq))
	}
	return s.corrections(t, keys)
}

// corrections reads correction keys: the record that corrected each
// report, or 0.
func (s *EtcdStore) corrections(t *etx, keys []string) ([]uint64, error) {
	vs, err := t.getMany(keys)
	if err != nil {
		return nil, err
	}
	out := make([]uint64, len(keys))
	for i, v := range vs {
		if v == nil {
			continue
		}
		n, err := strconv.ParseUint(string(v), 10, 64)
		if err != nil {
			return nil, corrupt("correction", []byte(keys[i]), err)
		}
		out[i] = n
	}
	return out, nil
}
