package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"duban"
)

// This file keeps what supervision (督办) writes: the deadlines the office
// sets, its review steps on completions, its settings (the reporting
// cadence, review on or off), how many times each agency was reminded in a
// round, and when a scheduled job last ran. Everything is keyed by plan
// id first, so that several plans share one file.
//
// The buckets are created on first use, so a file written before them
// opens as it is (SchemaVersion stays 1); a read finds such a bucket
// missing and sees it empty. Deadline changes, review steps and setting
// changes are append-only: nothing is overwritten.
var (
	bDeadlines = []byte("sv_deadlines") // plan 0x00 seq(8) -> deadlineRec (JSON)
	bReviews   = []byte("sv_reviews")   // plan 0x00 seq(8) -> reviewRec (JSON)
	bSettings  = []byte("sv_settings")  // plan 0x00 seq(8) -> settingRec (JSON)
	bReminders = []byte("sv_reminders") // plan 0x00 round 0x00 agency -> count(8)
	bRuns      = []byte("sv_runs")      // plan 0x00 job -> unix nanos(8) of the last slot run
)

// Kinds of write a source id can stand for.
const (
	kindDeadline = "deadline"
	kindReview   = "review"
	kindSetting  = "setting"
	kindRemind   = "remind"
)

// deadlineRec is a deadline change as stored.
type deadlineRec struct {
	Item     int       `json:"i"`
	Agency   string    `json:"a,omitempty"`
	Date     string    `json:"d,omitempty"` // yyyy-mm-dd; empty: back to the plan's
	ByID     string    `json:"u"`
	ByName   string    `json:"n,omitempty"`
	Time     time.Time `json:"at"`
	SourceID string    `json:"src"`
}

// reviewRec is a review step as stored.
type reviewRec struct {
	Item     int       `json:"i"`
	Agency   string    `json:"a"`
	Report   uint64    `json:"r"`
	Decision int       `json:"d"`
	Reason   string    `json:"why,omitempty"`
	ByID     string    `json:"u"`
	ByName   string    `json:"n,omitempty"`
	Time     time.Time `json:"at"`
	SourceID string    `json:"src"`
}

// settingRec is a setting change as stored.
type settingRec struct {
	Name     string    `json:"k"`
	Value    string    `json:"v"`
	ByID     string    `json:"u"`
	ByName   string    `json:"n,omitempty"`
	Time     time.Time `json:"at"`
	SourceID string    `json:"src"`
}

// planPrefix is the key prefix of a plan's records.
func planPrefix(planID string) []byte { return append([]byte(planID), 0) }

// planSeqKey is the key of a plan's record seq.
func planSeqKey(planID string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(planPrefix(planID), seq)
}

// checkPlanID validates a plan id.
func checkPlanID(planID string) error {
	switch {
	case planID == "" || len(planID) > maxIDLen:
		return duban.Errorf(duban.CodeInvalid, "计划标识无效 (invalid plan id)")
	case !utf8.ValidString(planID) || bytes.IndexByte([]byte(planID), 0) >= 0:
		return duban.Errorf(duban.CodeInvalid, "计划标识含有无效字符 (invalid plan id)")
	}
	return nil
}

// checkName validates an agency or display name, a reason or a value.
func checkText(what, s string, limit int) error {
	if len(s) > limit || !utf8.ValidString(s) || bytes.IndexByte([]byte(s), 0) >= 0 {
		return duban.Errorf(duban.CodeInvalid, "%s无效或过长 (invalid %s)", what, what)
	}
	return nil
}

// svBuckets is the bucket of each kind of supervision record.
var svBuckets = map[string][]byte{kindDeadline: bDeadlines, kindReview: bReviews, kindSetting: bSettings}

// clock returns the store's time now.
func (s *Store) clock() time.Time { return s.now() }

// appendRecord stores rec under the plan with the next sequence of the
// kind's bucket, once per source id, and returns the sequence (the first
// one's when the source id was seen: duplicate is then set).
func (s *Store) appendRecord(ctx context.Context, kind, planID, userID, sourceID string, rec any) (seq uint64, duplicate bool, err error) {
	name := svBuckets[kind]
	if err := checkWrite(ctx, userID, sourceID); err != nil {
		return 0, false, err
	}
	if err := checkPlanID(planID); err != nil {
		return 0, false, err
	}
	err = s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(name)
		if err != nil {
			return err
		}
		replay := func(first sourceRec) error {
			seq, duplicate = first.Seq, true
			return nil
		}
		return once(tx, s.now(), sourceID, kind, replay, func() (sourceRec, error) {
			n, err := b.NextSequence()
			if err != nil {
				return sourceRec{}, err
			}
			b.FillPercent = appendFill
			if err := b.Put(planSeqKey(planID, n), encode(rec)); err != nil {
				return sourceRec{}, err
			}
			seq = n
			return sourceRec{Seq: n}, nil
		})
	})
	return seq, duplicate, err
}

// records calls fn with the sequence, key and value of every record of
// the kind for the plan, in order.
func (s *Store) records(ctx context.Context, kind, planID string, fn func(seq uint64, key, v []byte) error) error {
	name := svBuckets[kind]
	if err := ctxErr(ctx); err != nil {
		return err
	}
	if err := checkPlanID(planID); err != nil {
		return err
	}
	return s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(name)
		if b == nil {
			return nil
		}
		prefix := planPrefix(planID)
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(k) != len(prefix)+8 {
				return corrupt(string(name), k, fmt.Errorf("key of %d bytes", len(k)))
			}
			if err := fn(binary.BigEndian.Uint64(k[len(prefix):]), k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddDeadline records that the office set (or, with a zero Date, cleared)
// the deadline of an item of the plan, for one agency or (Agency "") for
// all. It returns the change with Seq set; the same source id again stores
// nothing and returns the first change with duplicate set.
func (s *Store) AddDeadline(ctx context.Context, planID string, c duban.DeadlineChange) (duban.DeadlineChange, bool, error) {
	return addDeadline(ctx, s, planID, c)
}

// Deadlines returns every deadline change of the plan, oldest first.
func (s *Store) Deadlines(ctx context.Context, planID string) ([]duban.DeadlineChange, error) {
	return deadlines(ctx, s, planID)
}

// AddReview records a review step on a report of 已完成 (通过 or 退回). It
// returns the step with Seq set; the same source id again stores nothing
// and returns the first step with duplicate set.
func (s *Store) AddReview(ctx context.Context, planID string, st duban.ReviewStep) (duban.ReviewStep, bool, error) {
	return addReview(ctx, s, planID, st)
}

// Reviews returns every review step of the plan, oldest first.
func (s *Store) Reviews(ctx context.Context, planID string) ([]duban.ReviewStep, error) {
	return reviews(ctx, s, planID)
}

// AddSetting records a change of a supervision setting of the plan. The
// same source id again stores nothing and reports duplicate.
func (s *Store) AddSetting(ctx context.Context, planID string, c duban.SettingChange) (duban.SettingChange, bool, error) {
	return addSetting(ctx, s, planID, c)
}

// Settings returns every setting change of the plan, oldest first.
func (s *Store) Settings(ctx context.Context, planID string) ([]duban.SettingChange, error) {
	return settings(ctx, s, planID)
}

// reminderKey is the key of an agency's reminder count in a round.
func reminderKey(planID, roundID, agency string) []byte {
	k := append(planPrefix(planID), roundID...)
	return append(append(k, 0), agency...)
}

// CountReminders adds one to the reminder count of each agency in the
// round of the plan and returns the counts after it. The same source id
// again adds nothing (a retried 提醒 is one reminder) and returns the
// counts as they are.
func (s *Store) CountReminders(ctx context.Context, planID, roundID string, agencies []string, userID, sourceID string) (map[string]int, error) {
	if err := checkReminders(ctx, planID, roundID, agencies, userID, sourceID); err != nil {
		return nil, err
	}
	out := map[string]int{}
	err := s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bReminders)
		if err != nil {
			return err
		}
		add := true
		err = once(tx, s.now(), sourceID, kindRemind, func(sourceRec) error { add = false; return nil }, func() (sourceRec, error) {
			return sourceRec{}, nil
		})
		if err != nil {
			return err
		}
		for _, a := range agencies {
			k := reminderKey(planID, roundID, a)
			n := uint64(0)
			if v := b.Get(k); v != nil {
				if n, err = decodeSeq("reminder count", k, v); err != nil {
					return err
				}
			}
			if add {
				n++
				if err := b.Put(k, binary.BigEndian.AppendUint64(nil, n)); err != nil {
					return err
				}
			}
			out[a] = int(n)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReminderCounts returns how many times each agency was reminded in the
// round of the plan (agencies never reminded are absent).
func (s *Store) ReminderCounts(ctx context.Context, planID, roundID string) (map[string]int, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	if err := checkPlanID(planID); err != nil {
		return nil, err
	}
	out := map[string]int{}
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bReminders)
		if b == nil {
			return nil
		}
		prefix := append(append(planPrefix(planID), roundID...), 0)
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			n, err := decodeSeq("reminder count", k, v)
			if err != nil {
				return err
			}
			out[string(k[len(prefix):])] = int(n)
		}
		return nil
	})
	return out, err
}

// ClaimRun records that the plan's scheduled job (the 通报, say) runs for
// the slot, the instant its schedule fired, and reports whether it should:
// false when a run for this slot or a later one was recorded (a restart
// within the minute, or another process that got there first). The claim
// is committed before the job runs.
func (s *Store) ClaimRun(ctx context.Context, planID, job string, slot time.Time) (bool, error) {
	if err := ctxErr(ctx); err != nil {
		return false, err
	}
	if err := checkPlanID(planID); err != nil {
		return false, err
	}
	if err := checkText("任务名", job, maxIDLen); err != nil {
		return false, err
	}
	claimed := false
	err := s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bRuns)
		if err != nil {
			return err
		}
		k := append(planPrefix(planID), job...)
		if v := b.Get(k); v != nil {
			last, err := decodeSeq("last run", k, v)
			if err != nil {
				return err
			}
			if !slot.After(time.Unix(0, int64(last))) {
				return nil
			}
		}
		claimed = true
		return b.Put(k, binary.BigEndian.AppendUint64(nil, uint64(slot.UnixNano())))
	})
	return claimed, err
}

// LastRun returns the slot of the plan's scheduled job's last run, if any.
func (s *Store) LastRun(ctx context.Context, planID, job string) (time.Time, bool, error) {
	if err := ctxErr(ctx); err != nil {
		return time.Time{}, false, err
	}
	if err := checkPlanID(planID); err != nil {
		return time.Time{}, false, err
	}
	var (
		t  time.Time
		ok bool
	)
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bRuns)
		if b == nil {
			return nil
		}
		k := append(planPrefix(planID), job...)
		v := b.Get(k)
		if v == nil {
			return nil
		}
		n, err := decodeSeq("last run", k, v)
		if err != nil {
			return err
		}
		t, ok = time.Unix(0, int64(n)), true
		return nil
	})
	return t, ok, err
}
