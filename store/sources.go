package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"

	"duban"
)

// pruneBatch bounds how many expired ids one write transaction deletes, so
// that a write after a long pause stays quick; the rest go with the next
// writes.
const pruneBatch = 512

// appendFill is how full bbolt fills a page before splitting it, in
// buckets whose keys mostly arrive in ascending order (bbolt's default,
// 0.5, suits random inserts and would leave these pages half empty).
const appendFill = 0.9

// getSource returns what the first write with this source id did.
func getSource(tx *bolt.Tx, id string) (sourceRec, bool, error) {
	v := tx.Bucket(bSources).Get([]byte(id))
	if v == nil {
		return sourceRec{}, false, nil
	}
	var rec sourceRec
	if err := decode("source id", []byte(id), v, &rec); err != nil {
		return sourceRec{}, false, err
	}
	return rec, true, nil
}

// putSource remembers a processed source id until SourceTTL has passed.
func putSource(tx *bolt.Tx, id string, rec sourceRec) error {
	if err := tx.Bucket(bSources).Put([]byte(id), encode(rec)); err != nil {
		return err
	}
	byTime := tx.Bucket(bSourcesTime)
	byTime.FillPercent = appendFill
	return byTime.Put(timeKey(rec.Time, id), nil)
}

// pruneSources forgets source ids older than SourceTTL.
func pruneSources(tx *bolt.Tx, now time.Time) error {
	return pruneIDs(tx.Bucket(bSources), tx.Bucket(bSourcesTime), now)
}

// pruneEvents forgets event ids older than SourceTTL.
func pruneEvents(tx *bolt.Tx, now time.Time) error {
	return pruneIDs(tx.Bucket(bEvents), tx.Bucket(bEventsTime), now)
}

// pruneIDs deletes up to pruneBatch ids whose time key is older than
// SourceTTL, from the time index and from ids.
func pruneIDs(ids, byTime *bolt.Bucket, now time.Time) error {
	cutoff := binary.BigEndian.AppendUint64(nil, uint64(now.Add(-SourceTTL).UnixNano()))
	var old [][]byte
	c := byTime.Cursor()
	for k, _ := c.First(); k != nil && len(old) < pruneBatch; k, _ = c.Next() {
		if len(k) < 8 || bytes.Compare(k[:8], cutoff) >= 0 {
			break
		}
		old = append(old, bytes.Clone(k))
	}
	for _, k := range old {
		if err := byTime.Delete(k); err != nil {
			return err
		}
		// The id may have been recorded again later under a newer time;
		// delete it only when its record is this old one.
		id := k[8:]
		if t, ok := idTime(ids, id); !ok || !t.After(time.Unix(0, int64(binary.BigEndian.Uint64(k[:8])))) {
			if err := ids.Delete(id); err != nil {
				return err
			}
		}
	}
	return nil
}

// idTime returns when an id in a sources or events bucket was recorded.
func idTime(ids *bolt.Bucket, id []byte) (time.Time, bool) {
	v := ids.Get(id)
	switch {
	case v == nil:
		return time.Time{}, false
	case len(v) == 8: // events: the time itself
		return time.Unix(0, int64(binary.BigEndian.Uint64(v))), true
	}
	var rec sourceRec
	if decode("source id", id, v, &rec) != nil {
		return time.Time{}, false // corrupt: let it be pruned
	}
	return rec.Time, true
}

// sourceConflict is the error for a source id reused for another kind of
// write.
func sourceConflict(id string) error {
	return duban.Errorf(duban.CodeInvalid, "这条消息已按其他操作处理过，未重复执行 (source id %q already used)", id)
}

// sourceOwned is the error for a source id another user's write used: the
// duplicate check is tied to the author, so that a reused id never hands
// back someone else's report.
func sourceOwned(id string) error {
	return duban.Errorf(duban.CodeInvalid, "这条消息的标识已被其他用户的操作使用，未记录 (source id %q belongs to another user)", id)
}

// once makes a write happen at most once per source id (within SourceTTL),
// inside tx. It first forgets source ids older than SourceTTL. When sourceID
// was processed before, it writes nothing: a different kind of write is a
// sourceConflict; the same kind calls replay (if not nil) with what the
// first write recorded, so the caller can answer as it did then. Otherwise
// it calls write and remembers sourceID with the record write returns,
// stamped with kind and now.
func once(tx *bolt.Tx, now time.Time, sourceID, kind string, replay func(first sourceRec) error, write func() (sourceRec, error)) error {
	if err := pruneSources(tx, now); err != nil {
		return err
	}
	if first, ok, err := getSource(tx, sourceID); err != nil {
		return err
	} else if ok {
		if first.Kind != kind {
			return sourceConflict(sourceID)
		}
		if replay == nil {
			return nil
		}
		return replay(first)
	}
	rec, err := write()
	if err != nil {
		return err
	}
	rec.Kind, rec.Time = kind, now
	return putSource(tx, sourceID, rec)
}

// checkWrite checks what every user write takes: a live context, the
// acting user's id and the source id that makes the write happen once.
func checkWrite(ctx context.Context, userID, sourceID string) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	if err := checkID("用户标识", userID); err != nil {
		return err
	}
	return checkID("消息标识", sourceID)
}

// MarkEvent records that the chat adapter has handled the event with this
// id and reports whether this is the first time (within SourceTTL). Event
// ids are kept apart from the source ids of writes, so an adapter may use
// the same id as the Request.SourceID of the write it triggers.
func (s *Store) MarkEvent(ctx context.Context, id string) (first bool, err error) {
	if err := ctxErr(ctx); err != nil {
		return false, err
	}
	if err := checkID("事件标识", id); err != nil {
		return false, err
	}
	err = s.update(func(tx *bolt.Tx) error {
		now := s.now()
		if err := pruneEvents(tx, now); err != nil {
			return err
		}
		events := tx.Bucket(bEvents)
		if t, ok := idTime(events, []byte(id)); ok && now.Sub(t) < SourceTTL {
			return nil
		}
		first = true
		if err := dropClaim(tx, id); err != nil {
			return err
		}
		if err := events.Put([]byte(id), binary.BigEndian.AppendUint64(nil, uint64(now.UnixNano()))); err != nil {
			return err
		}
		return tx.Bucket(bEventsTime).Put(timeKey(now, id), nil)
	})
	if err != nil {
		return false, err
	}
	return first, nil
}

// EventSeen reports whether MarkEvent recorded the id within SourceTTL.
func (s *Store) EventSeen(ctx context.Context, id string) (bool, error) {
	if err := ctxErr(ctx); err != nil {
		return false, err
	}
	if err := checkID("事件标识", id); err != nil {
		return false, err
	}
	seen := false
	err := s.view(func(tx *bolt.Tx) error {
		t, ok := idTime(tx.Bucket(bEvents), []byte(id))
		seen = ok && s.now().Sub(t) < SourceTTL
		return nil
	})
	return seen, err
}

// Bind ties a user to an agency, replacing an earlier binding. The same
// sourceID again changes nothing.
func (s *Store) Bind(ctx context.Context, b duban.Binding, sourceID string) error {
	if err := checkWrite(ctx, b.UserID, sourceID); err != nil {
		return err
	}
	if err := checkBinding(b); err != nil {
		return err
	}
	rec := bindingRecOf(b, s.now())
	return s.update(func(tx *bolt.Tx) error {
		return once(tx, s.now(), sourceID, kindBind, nil, func() (sourceRec, error) {
			return sourceRec{}, tx.Bucket(bBindings).Put([]byte(b.UserID), encode(rec))
		})
	})
}

// Unbind removes the user's binding and reports whether there was one. The
// same sourceID again changes nothing and reports the first answer.
func (s *Store) Unbind(ctx context.Context, userID, sourceID string) (bool, error) {
	return s.removeKey(ctx, bBindings, kindUnbind, userID, sourceID)
}

// removeKey deletes a user's record from a bucket, once per source id.
func (s *Store) removeKey(ctx context.Context, bucket []byte, kind, userID, sourceID string) (bool, error) {
	if err := checkWrite(ctx, userID, sourceID); err != nil {
		return false, err
	}
	existed := false
	err := s.update(func(tx *bolt.Tx) error {
		replay := func(first sourceRec) error {
			existed = first.OK
			return nil
		}
		return once(tx, s.now(), sourceID, kind, replay, func() (sourceRec, error) {
			b := tx.Bucket(bucket)
			existed = b.Get([]byte(userID)) != nil
			return sourceRec{OK: existed}, b.Delete([]byte(userID))
		})
	})
	return existed, err
}

// Binding returns the user's binding, if any.
func (s *Store) Binding(ctx context.Context, userID string) (duban.Binding, bool, error) {
	if err := ctxErr(ctx); err != nil {
		return duban.Binding{}, false, err
	}
	var (
		out   duban.Binding
		found bool
	)
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bBindings).Get([]byte(userID))
		if v == nil {
			return nil
		}
		b, err := decodeBinding([]byte(userID), v)
		out, found = b, err == nil
		return err
	})
	return out, found, err
}

// Bindings returns every binding, by user id.
func (s *Store) Bindings(ctx context.Context) ([]duban.Binding, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	var out []duban.Binding
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bBindings).ForEach(func(k, v []byte) error {
			b, err := decodeBinding(k, v)
			out = append(out, b)
			return err
		})
	})
	return out, err
}

func decodeBinding(k, v []byte) (duban.Binding, error) {
	var rec bindingRec
	if err := decode("binding", k, v, &rec); err != nil {
		return duban.Binding{}, err
	}
	if rec.Agency == "" {
		return duban.Binding{}, corrupt("binding", k, nil)
	}
	return duban.Binding{UserID: string(k), Agency: rec.Agency, BoundBy: rec.BoundBy, Time: rec.Time}, nil
}

// AddAdmin makes a user an admin of the store. The same sourceID again
// changes nothing.
func (s *Store) AddAdmin(ctx context.Context, userID, by, sourceID string) error {
	if err := checkWrite(ctx, userID, sourceID); err != nil {
		return err
	}
	if len(by) > maxIDLen {
		return duban.Errorf(duban.CodeInvalid, "操作人标识过长 (id too long)")
	}
	return s.update(func(tx *bolt.Tx) error {
		now := s.now()
		return once(tx, now, sourceID, kindAdmin, nil, func() (sourceRec, error) {
			return sourceRec{}, tx.Bucket(bAdmins).Put([]byte(userID), encode(adminRec{By: by, Time: now.Round(0)}))
		})
	})
}

// RemoveAdmin takes a user's admin rights in the store away and reports
// whether they had them.
func (s *Store) RemoveAdmin(ctx context.Context, userID, sourceID string) (bool, error) {
	return s.removeKey(ctx, bAdmins, kindUnadmin, userID, sourceID)
}

// IsAdmin reports whether the user was made an admin in the store.
func (s *Store) IsAdmin(ctx context.Context, userID string) (bool, error) {
	if err := ctxErr(ctx); err != nil {
		return false, err
	}
	ok := false
	err := s.view(func(tx *bolt.Tx) error {
		ok = tx.Bucket(bAdmins).Get([]byte(userID)) != nil
		return nil
	})
	return ok, err
}

// Admins returns the user ids made admins in the store, sorted.
func (s *Store) Admins(ctx context.Context) ([]string, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bAdmins).ForEach(func(k, _ []byte) error {
			out = append(out, string(k))
			return nil
		})
	})
	return out, err
}
