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

// AddUpdate appends a report in one transaction that also moves the latest
// status of its (item, agency) pair to it and remembers its source id. It
// returns after the commit, with Seq set. When u.SourceID was processed
// before (within SourceTTL), nothing is written and the report stored the
// first time is returned with duplicate set; when another author's write
// used that id, nothing is written or returned and the error has code
// CodeInvalid.
func (s *Store) AddUpdate(ctx context.Context, u duban.Update) (stored duban.Update, duplicate bool, err error) {
	if err := prepareUpdate(ctx, &u, s.now); err != nil {
		return duban.Update{}, false, err
	}
	err = s.update(func(tx *bolt.Tx) error {
		var err error
		stored, duplicate, err = addUpdate(tx, u, s.now())
		return err
	})
	if err != nil {
		return duban.Update{}, false, err
	}
	return stored, duplicate, nil
}

// addUpdate is AddUpdate inside a read-write transaction; u is valid.
func addUpdate(tx *bolt.Tx, u duban.Update, now time.Time) (duban.Update, bool, error) {
	var (
		stored    duban.Update
		duplicate bool
	)
	replay := func(first sourceRec) error {
		prev, err := loadUpdate(tx, first.Seq)
		if err != nil {
			return err
		}
		if prev.AuthorID != u.AuthorID {
			return sourceOwned(u.SourceID)
		}
		stored, duplicate = prev, true
		return nil
	}
	err := once(tx, now, u.SourceID, kindUpdate, replay, func() (sourceRec, error) {
		reports := tx.Bucket(bReports)
		seq, err := reports.NextSequence()
		if err != nil {
			return sourceRec{}, err
		}
		rec := newUpdateRec(u)
		sk := seqKey(seq)
		// Keys only grow in the report bucket and, per item and per author,
		// in the indexes: pages filled to 90% before a split waste little.
		reports.FillPercent = appendFill
		tx.Bucket(bByItem).FillPercent = appendFill
		tx.Bucket(bByAuthor).FillPercent = appendFill
		for _, put := range []struct {
			bucket, key, value []byte
		}{
			{bReports, sk, encode(rec)},
			{bByItem, itemSeqKey(u.Plan, u.Item, seq), nil},
			{bByAuthor, authorSeqKey(u.AuthorID, seq), nil},
			{bLatest, latestKey(u.Plan, u.Item, u.Agency), sk},
		} {
			if err := tx.Bucket(put.bucket).Put(put.key, put.value); err != nil {
				return sourceRec{}, err
			}
		}
		stored = storedUpdate(u, seq)
		return sourceRec{Seq: seq}, nil
	})
	if err != nil {
		return duban.Update{}, false, err
	}
	return stored, duplicate, nil
}

// Retract marks the latest report by authorID that is not yet retracted as
// retracted, at the given time (zero: now), and returns it. The report stays
// in the history. When it was the latest of its (item, agency) pair, the
// pair falls back to the newest live report before it, or to none. The same
// sourceID again retracts nothing more and returns the same report; used by
// another author, it is refused with CodeInvalid.
func (s *Store) Retract(ctx context.Context, authorID, sourceID string, at time.Time) (duban.Update, error) {
	at, err := prepareRetract(ctx, authorID, sourceID, at, s.now)
	if err != nil {
		return duban.Update{}, err
	}
	var out duban.Update
	err = s.update(func(tx *bolt.Tx) error {
		replay := func(first sourceRec) error {
			prev, err := loadUpdate(tx, first.Seq)
			if err != nil {
				return err
			}
			if prev.AuthorID != authorID {
				return sourceOwned(sourceID)
			}
			out = prev
			return nil
		}
		return once(tx, s.now(), sourceID, kindRetract, replay, func() (sourceRec, error) {
			u, err := retractLatest(tx, authorID, sourceID, at)
			if err != nil {
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

// retractLatest is the write of Retract inside a read-write transaction: it
// marks the author's latest live report as retracted at the given time,
// moves the latest status of its (item, agency) pair back if it pointed at
// it, and returns the report as retracted.
func retractLatest(tx *bolt.Tx, authorID, sourceID string, at time.Time) (duban.Update, error) {
	seq, found, err := latestLiveBy(tx, authorID)
	if err != nil {
		return duban.Update{}, err
	}
	if !found {
		return duban.Update{}, duban.Errorf(duban.CodeNotFound, "您还没有可以撤回的进展记录 (nothing to retract)")
	}
	return retractSeq(tx, seq, authorID, sourceID, at)
}

// retractSeq marks report seq as retracted by the user at the given time,
// moves the latest status of its (item, agency) pair back if it pointed at
// it, and returns the report as retracted. The report must exist and be
// live.
func retractSeq(tx *bolt.Tx, seq uint64, by, sourceID string, at time.Time) (duban.Update, error) {
	u, err := loadUpdate(tx, seq)
	if err != nil {
		return duban.Update{}, err
	}
	sk := seqKey(seq)
	if err := tx.Bucket(bRetractions).Put(sk, encode(retractionRec{Time: at, By: by, SourceID: sourceID})); err != nil {
		return duban.Update{}, err
	}
	latest := tx.Bucket(bLatest)
	lk := latestKey(u.Plan, u.Item, u.Agency)
	if bytes.Equal(latest.Get(lk), sk) {
		prev, ok, err := previousLive(tx, u.Plan, u.Item, u.Agency, seq)
		if err != nil {
			return duban.Update{}, err
		}
		if ok {
			err = latest.Put(lk, seqKey(prev))
		} else {
			err = latest.Delete(lk)
		}
		if err != nil {
			return duban.Update{}, err
		}
	}
	u.Retracted, u.RetractedAt = true, at
	return u, nil
}

// retractedBy returns who retracted report seq ("" when it is not
// retracted or its retraction cannot be read).
func retractedBy(tx *bolt.Tx, seq uint64) string {
	var r retractionRec
	if decode("retraction", seqKey(seq), tx.Bucket(bRetractions).Get(seqKey(seq)), &r) != nil {
		return ""
	}
	return r.By
}

// latestLiveBy finds the newest report by the author that is not retracted.
func latestLiveBy(tx *bolt.Tx, authorID string) (uint64, bool, error) {
	prefix := authorPrefix(authorID)
	retracted := tx.Bucket(bRetractions)
	c := tx.Bucket(bByAuthor).Cursor()
	for k := seekLast(c, authorSeqKey(authorID, math.MaxUint64)); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
		if len(k) != len(prefix)+8 {
			return 0, false, corrupt("author index", k, nil)
		}
		sk := k[len(prefix):]
		if retracted.Get(sk) == nil && !isCorrected(tx, sk) {
			return binary.BigEndian.Uint64(sk), true, nil
		}
	}
	return 0, false, nil
}

// previousLive finds the newest live report of the plan's (item, agency)
// older than seq.
func previousLive(tx *bolt.Tx, plan string, item int, agency string, seq uint64) (uint64, bool, error) {
	prefix := itemPrefix(plan, item)
	retracted := tx.Bucket(bRetractions)
	c := tx.Bucket(bByItem).Cursor()
	for k := seekLast(c, itemSeqKey(plan, item, seq-1)); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
		if len(k) != len(prefix)+8 {
			return 0, false, corrupt("item index", k, nil)
		}
		sk := k[len(prefix):]
		if retracted.Get(sk) != nil || isCorrected(tx, sk) {
			continue
		}
		s := binary.BigEndian.Uint64(sk)
		u, err := loadUpdate(tx, s)
		if err != nil {
			return 0, false, err
		}
		if u.Agency == agency {
			return s, true, nil
		}
	}
	return 0, false, nil
}

// seekLast positions c on the last key <= max and returns it.
func seekLast(c *bolt.Cursor, max []byte) []byte {
	k, _ := c.Seek(max)
	switch {
	case k == nil:
		k, _ = c.Last()
	case !bytes.Equal(k, max):
		k, _ = c.Prev()
	}
	return k
}

// loadUpdate reads report seq with its retraction, if any.
func loadUpdate(tx *bolt.Tx, seq uint64) (duban.Update, error) {
	sk := seqKey(seq)
	var rec updateRec
	if err := decode("report", sk, tx.Bucket(bReports).Get(sk), &rec); err != nil {
		return duban.Update{}, err
	}
	u, err := rec.toUpdate(seq)
	if err != nil {
		return duban.Update{}, err
	}
	if v := tx.Bucket(bRetractions).Get(sk); v != nil {
		var r retractionRec
		if err := decode("retraction", sk, v, &r); err != nil {
			return duban.Update{}, err
		}
		u.Retracted, u.RetractedAt = true, r.Time
	}
	u.CorrectedBy = correctedBy(tx, sk)
	return u, nil
}

// History returns the reports on an item of a plan, newest first,
// retracted ones included and marked.
func (s *Store) History(ctx context.Context, plan string, item int) ([]duban.Update, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	var out []duban.Update
	err := s.view(func(tx *bolt.Tx) (err error) {
		out, err = newestFirst(tx, bByItem, "item index", itemPrefix(plan, item), math.MaxInt)
		return err
	})
	return out, err
}

// newestFirst loads up to limit reports named by the keys of an index
// (prefix followed by seq(8)) under prefix, newest first.
func newestFirst(tx *bolt.Tx, index []byte, what string, prefix []byte, limit int) ([]duban.Update, error) {
	var out []duban.Update
	c := tx.Bucket(index).Cursor()
	last := binary.BigEndian.AppendUint64(bytes.Clone(prefix), math.MaxUint64)
	for k := seekLast(c, last); k != nil && bytes.HasPrefix(k, prefix) && len(out) < limit; k, _ = c.Prev() {
		if len(k) != len(prefix)+8 {
			return nil, corrupt(what, k, nil)
		}
		u, err := loadUpdate(tx, binary.BigEndian.Uint64(k[len(prefix):]))
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// Latest returns the latest live report of every (item, agency) pair of
// a plan that has one, by item and then agency. It reads the
// latest-status records of that plan only, never the history.
func (s *Store) Latest(ctx context.Context, plan string) ([]duban.Update, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	var out []duban.Update
	err := s.view(func(tx *bolt.Tx) error {
		prefix := planPrefix(plan)
		c := tx.Bucket(bLatest).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			seq, err := decodeSeq("latest status", k, v)
			if err != nil {
				return err
			}
			u, err := loadUpdate(tx, seq)
			if err != nil {
				return err
			}
			rest := k[len(prefix):]
			if len(rest) < 4 || u.Plan != plan || u.Item != int(binary.BigEndian.Uint32(rest)) || u.Agency != string(rest[4:]) || u.Retracted {
				return corrupt("latest status", k, nil)
			}
			out = append(out, u)
		}
		return nil
	})
	return out, err
}

// Count returns the number of reports stored, retracted ones included.
func (s *Store) Count(ctx context.Context) (int, error) {
	if err := ctxErr(ctx); err != nil {
		return 0, err
	}
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		// Reports are never deleted, so the sequence is the count.
		n = int(tx.Bucket(bReports).Sequence())
		return nil
	})
	return n, err
}
