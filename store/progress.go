package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"time"

	bolt "go.etcd.io/bbolt"

	"duban"
)

// This file holds the writes and reads that reports by reference need:
// several reports in one transaction, a record by its number, a user's
// own records, retracting and correcting a given record, the actions
// waiting for a user's confirmation, and binding a roster at once.
//
// The buckets they add are created on first use, so a file written before
// them opens as it is (SchemaVersion stays 1); a read finds such a bucket
// missing and sees it empty.
var (
	bCorrections = []byte("corrections") // seq(8) of a corrected report -> seq(8) of its correction
	bPending     = []byte("pending")     // user id -> pendingRec (JSON)
)

// More kinds of write a source id can stand for.
const (
	kindCorrect = "correct"
	kindBindAll = "bind-all"
)

// maxPendingBytes bounds an action waiting for confirmation: a plan
// document an admin imports waits whole (duban.MaxDocumentBytes, in JSON's
// base64), every other action is a few hundred bytes.
const maxPendingBytes = duban.MaxDocumentBytes/3*4 + 1<<20

// pendingRec is an action waiting for a user's confirmation.
type pendingRec struct {
	ID   string    `json:"id"`
	Kind string    `json:"k"`
	Data []byte    `json:"d"`
	Time time.Time `json:"at"`
}

// isCorrected reports whether report sk was corrected by a later one.
func isCorrected(tx *bolt.Tx, sk []byte) bool { return correctedBy(tx, sk) != 0 }

// correctedBy returns the record that corrected report sk, or 0.
func correctedBy(tx *bolt.Tx, sk []byte) uint64 {
	b := tx.Bucket(bCorrections)
	if b == nil {
		return 0
	}
	v := b.Get(sk)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

// AddUpdates appends several reports (one message about several items) in
// one transaction: all are stored or none. Each needs its own source id;
// when the first one's was processed before, nothing is written and the
// reports stored the first time are returned with duplicate set.
func (s *Store) AddUpdates(ctx context.Context, us []duban.Update) (stored []duban.Update, duplicate bool, err error) {
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
	err = s.update(func(tx *bolt.Tx) error {
		stored, duplicate = nil, false
		now := s.now()
		for i, u := range us {
			one, dup, err := addUpdate(tx, u, now)
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

// Record returns report seq with its retraction and correction, if any;
// found is false when there is no such record.
func (s *Store) Record(ctx context.Context, seq uint64) (u duban.Update, found bool, err error) {
	if err := ctxErr(ctx); err != nil {
		return duban.Update{}, false, err
	}
	err = s.view(func(tx *bolt.Tx) error {
		if seq == 0 || tx.Bucket(bReports).Get(seqKey(seq)) == nil {
			return nil
		}
		var err error
		u, err = loadUpdate(tx, seq)
		found = err == nil
		return err
	})
	return u, found, err
}

// ByAuthor returns up to limit reports by the author, newest first,
// retracted and corrected ones included.
func (s *Store) ByAuthor(ctx context.Context, authorID string, limit int) ([]duban.Update, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	var out []duban.Update
	err := s.view(func(tx *bolt.Tx) error {
		prefix := authorPrefix(authorID)
		c := tx.Bucket(bByAuthor).Cursor()
		for k := seekLast(c, authorSeqKey(authorID, math.MaxUint64)); k != nil && bytes.HasPrefix(k, prefix) && len(out) < limit; k, _ = c.Prev() {
			if len(k) != len(prefix)+8 {
				return corrupt("author index", k, nil)
			}
			u, err := loadUpdate(tx, binary.BigEndian.Uint64(k[len(prefix):]))
			if err != nil {
				return err
			}
			out = append(out, u)
		}
		return nil
	})
	return out, err
}

// RetractRecord marks report seq as retracted by the user (by), at the
// given time (zero: now), and returns it. Who may retract which record is
// the caller's rule; the store refuses a record that does not exist
// (CodeNotFound) or is already retracted or corrected (CodeInvalid). The
// same sourceID again retracts nothing more and returns the same report.
func (s *Store) RetractRecord(ctx context.Context, seq uint64, by, sourceID string, at time.Time) (duban.Update, error) {
	if err := checkWrite(ctx, by, sourceID); err != nil {
		return duban.Update{}, err
	}
	if at.IsZero() {
		at = s.now()
	}
	at = at.Round(0)
	var out duban.Update
	err := s.update(func(tx *bolt.Tx) error {
		replay := func(first sourceRec) error {
			if retractedBy(tx, first.Seq) != by {
				return sourceOwned(sourceID) // the id is another user's
			}
			var err error
			out, err = loadUpdate(tx, first.Seq)
			return err
		}
		return once(tx, s.now(), sourceID, kindRetract, replay, func() (sourceRec, error) {
			u, err := liveRecord(tx, seq)
			if err != nil {
				return sourceRec{}, err
			}
			if u, err = retractSeq(tx, u.Seq, by, sourceID, at); err != nil {
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

// liveRecord loads report seq and checks that it is neither retracted nor
// corrected.
func liveRecord(tx *bolt.Tx, seq uint64) (duban.Update, error) {
	if seq == 0 || tx.Bucket(bReports).Get(seqKey(seq)) == nil {
		return duban.Update{}, duban.Errorf(duban.CodeNotFound, "没有记录%d (no such record)", seq)
	}
	u, err := loadUpdate(tx, seq)
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

// Correct appends u as a correction of report u.Corrects, in one
// transaction: u becomes the latest report of its (item, agency) pair and
// the corrected one stays in the history, marked as corrected by u. The
// corrected report must be live and the latest of its pair, and u must be
// on the same item and agency. The same source id again stores nothing
// and returns the correction stored the first time, with duplicate set.
func (s *Store) Correct(ctx context.Context, u duban.Update) (stored duban.Update, duplicate bool, err error) {
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
	err = s.update(func(tx *bolt.Tx) error {
		now := s.now()
		if first, ok, err := getSource(tx, u.SourceID); err != nil {
			return err
		} else if ok {
			if first.Kind != kindUpdate {
				return sourceConflict(u.SourceID)
			}
			stored, duplicate, err = addUpdate(tx, u, now) // a replay: returns the first
			return err
		}
		old, err := liveRecord(tx, u.Corrects)
		if err != nil {
			return err
		}
		if old.Plan != u.Plan || old.Item != u.Item || old.Agency != u.Agency {
			return duban.Errorf(duban.CodeInvalid, "更正必须针对同一计划、条目和单位 (plan, item or agency differs)")
		}
		if !bytes.Equal(tx.Bucket(bLatest).Get(latestKey(old.Plan, old.Item, old.Agency)), seqKey(old.Seq)) {
			return duban.Errorf(duban.CodeInvalid, "记录%d不是第%d条%s的最新记录，只能更正最新的记录 (not the latest)", old.Seq, old.Item, old.Agency)
		}
		if stored, duplicate, err = addUpdate(tx, u, now); err != nil {
			return err
		}
		b, err := tx.CreateBucketIfNotExists(bCorrections)
		if err != nil {
			return err
		}
		return b.Put(seqKey(old.Seq), seqKey(stored.Seq))
	})
	if err != nil {
		return duban.Update{}, false, err
	}
	return stored, duplicate, nil
}

// PutPending keeps an action waiting for the user's confirmation,
// replacing one the user had before.
func (s *Store) PutPending(ctx context.Context, p duban.Pending) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	if err := checkID("用户标识", p.UserID); err != nil {
		return err
	}
	if err := checkID("确认标识", p.ID); err != nil {
		return err
	}
	if len(p.Data) > maxPendingBytes {
		return duban.Errorf(duban.CodeInvalid, "待确认的内容过长 (pending action too large)")
	}
	if p.Time.IsZero() {
		p.Time = s.now()
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bPending)
		if err != nil {
			return err
		}
		return b.Put([]byte(p.UserID), encode(pendingRec{ID: p.ID, Kind: p.Kind, Data: p.Data, Time: p.Time.Round(0)}))
	})
}

// Pending returns the action waiting for the user's confirmation, if any.
func (s *Store) Pending(ctx context.Context, userID string) (duban.Pending, bool, error) {
	if err := ctxErr(ctx); err != nil {
		return duban.Pending{}, false, err
	}
	var (
		out   duban.Pending
		found bool
	)
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bPending)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(userID))
		if v == nil {
			return nil
		}
		var rec pendingRec
		if err := decode("pending action", []byte(userID), v, &rec); err != nil {
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
func (s *Store) DropPending(ctx context.Context, userID, id string) (bool, error) {
	if err := ctxErr(ctx); err != nil {
		return false, err
	}
	dropped := false
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bPending)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(userID))
		if v == nil {
			return nil
		}
		var rec pendingRec
		if err := decode("pending action", []byte(userID), v, &rec); err == nil && id != "" && rec.ID != id {
			return nil
		}
		dropped = true
		return b.Delete([]byte(userID))
	})
	return dropped, err
}

// BindAll binds every user of the roster in one transaction: all or none.
// The same sourceID again changes nothing.
func (s *Store) BindAll(ctx context.Context, bs []duban.Binding, sourceID string) error {
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
	return s.update(func(tx *bolt.Tx) error {
		now := s.now()
		return once(tx, now, sourceID, kindBindAll, nil, func() (sourceRec, error) {
			for _, b := range bs {
				if b.Time.IsZero() {
					b.Time = now
				}
				rec := bindingRec{Agency: b.Agency, BoundBy: b.BoundBy, Time: b.Time.Round(0)}
				if err := tx.Bucket(bBindings).Put([]byte(b.UserID), encode(rec)); err != nil {
					return sourceRec{}, err
				}
			}
			return sourceRec{}, nil
		})
	})
}
