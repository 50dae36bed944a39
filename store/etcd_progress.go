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
	if err := prepareUpdates(ctx, us, s.now); err != nil {
		return nil, false, err
	}
	nonce := newNonce()
	err = s.runCounted(ctx, func(t *etx) error {
		var err error
		stored, duplicate, err = addEach(us, func(u duban.Update) (duban.Update, bool, error) { return s.addUpdate(t, u, nonce) })
		return err
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
		return duban.Update{}, noRecord(seq)
	}
	if _, ok, err := s.locate(t, seq); err != nil {
		return duban.Update{}, err
	} else if !ok {
		return duban.Update{}, noRecord(seq)
	}
	u, err := s.loadUpdate(t, seq)
	if err != nil {
		return duban.Update{}, err
	}
	if err := checkLive(u, seq); err != nil {
		return duban.Update{}, err
	}
	return u, nil
}

// retractedBy returns who retracted report seq ("" when it is not
// retracted).
func (s *EtcdStore) retractedBy(t *etx, seq uint64) (string, error) {
	plan, ok, err := s.locate(t, seq)
	if err != nil || !ok {
		return "", err
	}
	key := s.planKey(plan, "x/", seqStr(seq))
	v, ok, err := t.get(key)
	if err != nil || !ok {
		return "", err
	}
	var r retractionRec
	if err := decode("retraction", []byte(key), v, &r); err != nil {
		return "", err
	}
	return r.By, nil
}

// RetractRecord marks report seq as retracted by the user (by) and
// returns it. It refuses a record that does not exist (CodeNotFound) or is
// already retracted or corrected (CodeInvalid). The same sourceID again
// retracts nothing more and returns the same report.
func (s *EtcdStore) RetractRecord(ctx context.Context, seq uint64, by, sourceID string, at time.Time) (duban.Update, error) {
	at, err := prepareRetract(ctx, by, sourceID, at, s.now)
	if err != nil {
		return duban.Update{}, err
	}
	nonce := newNonce()
	var out duban.Update
	err = s.runCounted(ctx, func(t *etx) error {
		replay := func(first etcdSourceRec, _ bool) (err error) {
			if who, err := s.retractedBy(t, first.Seq); err != nil {
				return err
			} else if who != by {
				return sourceOwned(sourceID) // the id is another user's
			}
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
	if err := prepareCorrection(ctx, &u, s.now); err != nil {
		return duban.Update{}, false, err
	}
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
		cur, _, err := t.get(s.planKey(old.Plan, "l/", itemStr(old.Item), "/", old.Agency))
		if err != nil {
			return err
		}
		if err := checkCorrects(old, u, string(cur) == seqStr(old.Seq)); err != nil {
			return err
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
	if err := preparePending(ctx, &p, 4*maxTextLen, s.now); err != nil {
		return err
	}
	return s.run(ctx, true, func(t *etx) error {
		t.put(s.k("pend/", p.UserID), encode(pendingRecOf(p)))
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
		out, err = decodePending(userID, []byte(key), v)
		found = err == nil
		return err
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
		if !dropsPending([]byte(key), v, id) {
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
	if err := checkBindAll(ctx, bs, sourceID); err != nil {
		return err
	}
	if len(bs) > 10000 {
		return duban.Errorf(duban.CodeInvalid, "名单过长，一次最多绑定 10000 人 (roster too long)")
	}
	nonce := newNonce()
	return s.run(ctx, true, func(t *etx) error {
		now := s.now()
		return s.once(t, sourceID, kindBindAll, nonce, nil, func() (sourceRec, error) {
			for _, b := range bs {
				t.put(s.k("b/", b.UserID), encode(bindingRecOf(b, now)))
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
