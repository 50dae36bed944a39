package store

import (
	"bytes"
	"context"
	"encoding/binary"
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
	if err := prepareUpdates(ctx, us, s.now); err != nil {
		return nil, false, err
	}
	err = s.update(func(tx *bolt.Tx) error {
		now := s.now()
		var err error
		stored, duplicate, err = addEach(us, func(u duban.Update) (duban.Update, bool, error) { return addUpdate(tx, u, now) })
		return err
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
	err := s.view(func(tx *bolt.Tx) (err error) {
		out, err = newestFirst(tx, bByAuthor, "author index", authorPrefix(authorID), limit)
		return err
	})
	return out, err
}

// RetractRecord marks report seq as retracted by the user (by), at the
// given time (zero: now), and returns it. Who may retract which record is
// the caller's rule; the store refuses a record that does not exist
// (CodeNotFound) or is already retracted or corrected (CodeInvalid). The
// same sourceID again retracts nothing more and returns the same report.
func (s *Store) RetractRecord(ctx context.Context, seq uint64, by, sourceID string, at time.Time) (duban.Update, error) {
	at, err := prepareRetract(ctx, by, sourceID, at, s.now)
	if err != nil {
		return duban.Update{}, err
	}
	var out duban.Update
	err = s.update(func(tx *bolt.Tx) error {
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
		return duban.Update{}, noRecord(seq)
	}
	u, err := loadUpdate(tx, seq)
	if err != nil {
		return duban.Update{}, err
	}
	if err := checkLive(u, seq); err != nil {
		return duban.Update{}, err
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
	if err := prepareCorrection(ctx, &u, s.now); err != nil {
		return duban.Update{}, false, err
	}
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
		latest := bytes.Equal(tx.Bucket(bLatest).Get(latestKey(old.Plan, old.Item, old.Agency)), seqKey(old.Seq))
		if err := checkCorrects(old, u, latest); err != nil {
			return err
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
	if err := preparePending(ctx, &p, maxPendingBytes, s.now); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bPending)
		if err != nil {
			return err
		}
		return b.Put([]byte(p.UserID), encode(pendingRecOf(p)))
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
		var err error
		out, err = decodePending(userID, []byte(userID), v)
		found = err == nil
		return err
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
		if !dropsPending([]byte(userID), v, id) {
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
	if err := checkBindAll(ctx, bs, sourceID); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		now := s.now()
		return once(tx, now, sourceID, kindBindAll, nil, func() (sourceRec, error) {
			for _, b := range bs {
				if err := tx.Bucket(bBindings).Put([]byte(b.UserID), encode(bindingRecOf(b, now))); err != nil {
					return sourceRec{}, err
				}
			}
			return sourceRec{}, nil
		})
	})
}
