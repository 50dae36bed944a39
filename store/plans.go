package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"duban"
)

// This file keeps the plans: the plans the office adds (their documents
// and what came with them), which plan each user, channel and the office
// use, and the migration of a version 1 file, whose reports were keyed by
// item alone, to version 2, where every key starts with the plan's id.

// kindPlan and kindChoice are the kinds of write a source id stands for.
const (
	kindPlan   = "plan"
	kindChoice = "plan-choice"
)

// planRec is a plan the office added; its document is in bPlanDocs.
type planRec struct {
	Title    string    `json:"t,omitempty"`
	Year     int       `json:"y,omitempty"`
	Agencies []byte    `json:"ag,omitempty"` // the plan's own agency file
	Terms    []string  `json:"terms,omitempty"`
	AddedBy  string    `json:"by"`
	AddedAt  time.Time `json:"at"`
	Order    uint64    `json:"n"` // the order plans were added in
}

// AddPlan keeps a plan's document and what came with it, in one
// transaction. A plan id already stored is refused (CodeInvalid); the
// same sourceID again stores nothing and reports duplicate.
func (s *Store) AddPlan(ctx context.Context, p duban.PlanSource, sourceID string) (duplicate bool, err error) {
	if err := checkPlanSource(ctx, p, sourceID); err != nil {
		return false, err
	}
	if p.AddedAt.IsZero() {
		p.AddedAt = s.now()
	}
	err = s.update(func(tx *bolt.Tx) error {
		replay := func(sourceRec) error {
			duplicate = true
			return nil
		}
		return once(tx, s.now(), sourceID, kindPlan, replay, func() (sourceRec, error) {
			plans := tx.Bucket(bPlans)
			if plans.Get([]byte(p.ID)) != nil {
				return sourceRec{}, duban.Errorf(duban.CodeInvalid, "计划编号“%s”已存在 (plan id taken)", p.ID)
			}
			n, err := plans.NextSequence()
			if err != nil {
				return sourceRec{}, err
			}
			rec := planRec{Title: p.Title, Year: p.Year, Agencies: p.Agencies, Terms: p.Terms, AddedBy: p.AddedBy, AddedAt: p.AddedAt.Round(0), Order: n}
			if err := plans.Put([]byte(p.ID), encode(rec)); err != nil {
				return sourceRec{}, err
			}
			return sourceRec{}, tx.Bucket(bPlanDocs).Put([]byte(p.ID), p.Document)
		})
	})
	return duplicate, err
}

// checkPlanSource validates a plan to store, for both backends.
func checkPlanSource(ctx context.Context, p duban.PlanSource, sourceID string) error {
	if err := checkWrite(ctx, p.AddedBy, sourceID); err != nil {
		return err
	}
	if err := duban.CheckPlanID(p.ID); err != nil {
		return err
	}
	switch {
	case len(p.Document) == 0 || len(p.Document) > duban.MaxDocumentBytes:
		return duban.Errorf(duban.CodeInvalid, "计划文档为空或过大 (invalid document)")
	case len(p.Title) > maxNameLen || len(p.Agencies) > maxTextLen*64:
		return duban.Errorf(duban.CodeInvalid, "计划标题或单位别名文件过长 (too long)")
	}
	return nil
}

// checkChoice validates a plan choice, for both backends.
func checkChoice(ctx context.Context, scope, planID, sourceID string) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	if err := checkID("范围", scope); err != nil {
		return err
	}
	if err := checkID("消息标识", sourceID); err != nil {
		return err
	}
	if planID != "" {
		return duban.CheckPlanID(planID)
	}
	return nil
}

// StoredPlans returns the plans the office added, in the order added,
// each with its document.
func (s *Store) StoredPlans(ctx context.Context) ([]duban.PlanSource, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	var all []orderedPlan
	err := s.view(func(tx *bolt.Tx) error {
		docs := tx.Bucket(bPlanDocs)
		return tx.Bucket(bPlans).ForEach(func(k, v []byte) error {
			var rec planRec
			if err := decode("plan", k, v, &rec); err != nil {
				return err
			}
			doc := docs.Get(k)
			if doc == nil {
				return corrupt("plan document", k, nil)
			}
			all = append(all, rec.plan(string(k), bytes.Clone(doc)))
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return inOrder(all), nil
}

// SetPlanChoice records which plan a scope uses: "user:ID", "channel:ID"
// or "global" (bot.ScopeUser …); an empty planID clears the choice.
func (s *Store) SetPlanChoice(ctx context.Context, scope, planID, sourceID string) error {
	if err := checkChoice(ctx, scope, planID, sourceID); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		return once(tx, s.now(), sourceID, kindChoice, nil, func() (sourceRec, error) {
			b := tx.Bucket(bPlanChoice)
			if planID == "" {
				return sourceRec{}, b.Delete([]byte(scope))
			}
			return sourceRec{}, b.Put([]byte(scope), []byte(planID))
		})
	})
}

// PlanChoice returns the plan a scope uses, if one was chosen.
func (s *Store) PlanChoice(ctx context.Context, scope string) (string, bool, error) {
	if err := ctxErr(ctx); err != nil {
		return "", false, err
	}
	var (
		id    string
		found bool
	)
	err := s.view(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bPlanChoice).Get([]byte(scope)); v != nil {
			id, found = string(v), true
		}
		return nil
	})
	return id, found, err
}

// V1Copy is the name of the copy of a version 1 file that Open keeps, in
// the data directory, before it migrates the file to version 2.
const V1Copy = FileName + ".v1"

// keepV1 writes a copy of a version 1 file beside it (V1Copy) before the
// migration changes it: written to a temporary name, synced and renamed.
func (s *Store) keepV1(tx *bolt.Tx) error {
	f, err := os.CreateTemp(s.dir, ".duban-v1-*")
	if err != nil {
		return duban.Errorf(duban.CodeInternal, "升级数据文件前无法保存副本 (cannot copy version 1 file): %w", err)
	}
	tmp := f.Name()
	_, err = tx.WriteTo(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(s.dir, V1Copy))
	}
	if err != nil {
		os.Remove(tmp)
		return duban.Errorf(duban.CodeInternal, "升级数据文件前无法保存副本 (cannot copy version 1 file): %w", err)
	}
	return nil
}

// migrateV1 turns a version 1 file into version 2 inside the open
// transaction: every report gets the legacy plan's id, the item index and
// the latest statuses are keyed by it, and the plan buckets are created.
// Nothing else changes: record numbers, retractions, corrections,
// bindings and the rest stay as they are. The transaction commits all of
// it or none.
func (s *Store) migrateV1(tx *bolt.Tx) error {
	plan := s.legacy
	for _, name := range [][]byte{bReports, bByItem, bLatest} {
		if tx.Bucket(name) == nil {
			return duban.Errorf(duban.CodeInternal, "数据文件 %s 缺少 %s 分区，文件可能已损坏 (missing bucket)", s.path, name)
		}
	}
	// The reports: each record gains its plan. Read first, then written:
	// a bucket is not changed while a cursor walks it.
	type kv struct{ k, v []byte }
	var recs []kv
	err := tx.Bucket(bReports).ForEach(func(k, v []byte) error {
		var rec updateRec
		if err := decode("report", k, v, &rec); err != nil {
			return err
		}
		rec.Plan = plan
		recs = append(recs, kv{bytes.Clone(k), encode(rec)})
		return nil
	})
	if err != nil {
		return err
	}
	reports := tx.Bucket(bReports)
	for _, r := range recs {
		if err := reports.Put(r.k, r.v); err != nil {
			return fmt.Errorf("migrate report %x: %w", r.k, err)
		}
	}
	// The item index and the latest statuses: the same keys, behind the
	// plan's prefix, in buckets made anew.
	rekey := func(name []byte, check func(k []byte) bool) error {
		var keys []kv
		err := tx.Bucket(name).ForEach(func(k, v []byte) error {
			if !check(k) {
				return corrupt(string(name), k, nil)
			}
			keys = append(keys, kv{append(planPrefix(plan), k...), bytes.Clone(v)})
			return nil
		})
		if err != nil {
			return err
		}
		if err := tx.DeleteBucket(name); err != nil {
			return err
		}
		b, err := tx.CreateBucket(name)
		if err != nil {
			return err
		}
		b.FillPercent = appendFill
		for _, e := range keys {
			if err := b.Put(e.k, e.v); err != nil {
				return err
			}
		}
		return nil
	}
	if err := rekey(bByItem, func(k []byte) bool { return len(k) == 12 }); err != nil {
		return fmt.Errorf("migrate item index: %w", err)
	}
	if err := rekey(bLatest, func(k []byte) bool { return len(k) > 4 && binary.BigEndian.Uint32(k) > 0 }); err != nil {
		return fmt.Errorf("migrate latest statuses: %w", err)
	}
	for _, name := range [][]byte{bPlans, bPlanDocs, bPlanChoice} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return tx.Bucket(bMeta).Put(keySchema, fmt.Appendf(nil, "%d", SchemaVersion))
}
