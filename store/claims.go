package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bEventClaims holds the claims on events being processed: event id ->
// unix nanos(8) until which the claim holds, then the claiming store's
// instance id. It is created on first use, so older files open unchanged.
// A claim is deleted when the event is marked processed or released; one
// left by a killed process lapses at its time.
var bEventClaims = []byte("event_claims")

// newInstanceID returns a random id for a Store value: the owner of its
// event claims.
func newInstanceID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ClaimEvent claims the event id for this store for hold. It reports
// false when the id was marked processed within SourceTTL or another claim
// on it has not lapsed.
func (s *Store) ClaimEvent(ctx context.Context, id string, hold time.Duration) (bool, error) {
	if err := ctxErr(ctx); err != nil {
		return false, err
	}
	if err := checkID("事件标识", id); err != nil {
		return false, err
	}
	claimed := false
	err := s.update(func(tx *bolt.Tx) error {
		now := s.now()
		if t, ok := idTime(tx.Bucket(bEvents), []byte(id)); ok && now.Sub(t) < SourceTTL {
			return nil
		}
		b, err := tx.CreateBucketIfNotExists(bEventClaims)
		if err != nil {
			return err
		}
		if v := b.Get([]byte(id)); len(v) >= 8 && now.UnixNano() < int64(binary.BigEndian.Uint64(v)) {
			return nil
		}
		claimed = true
		v := binary.BigEndian.AppendUint64(nil, uint64(now.Add(hold).UnixNano()))
		return b.Put([]byte(id), append(v, s.instance...))
	})
	if err != nil {
		return false, err
	}
	return claimed, nil
}

// ReleaseEvent deletes this store's claim on an event id, if it holds one.
func (s *Store) ReleaseEvent(ctx context.Context, id string) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	if err := checkID("事件标识", id); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bEventClaims)
		if b == nil {
			return nil
		}
		if v := b.Get([]byte(id)); len(v) >= 8 && bytes.Equal(v[8:], []byte(s.instance)) {
			return b.Delete([]byte(id))
		}
		return nil
	})
}

// dropClaim deletes the claim on an event id once it is processed.
func dropClaim(tx *bolt.Tx, id string) error {
	if b := tx.Bucket(bEventClaims); b != nil {
		return b.Delete([]byte(id))
	}
	return nil
}
