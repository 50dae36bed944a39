package store

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	clientv3 "go.etcd.io/etcd/client/v3"

	"duban"
)

// The plans the office adds and the plan choices, on etcd. A document may
// be larger than etcd takes in one request (1.5 MiB by default), so it is
// written first in pieces under a nonce of its own, and the plan's record,
// which names the nonce and the number of pieces, is written last, in one
// transaction with its source id: a plan is there whole or not at all.
// Pieces of an attempt that did not become the plan's are deleted.

// planPiece is the size of a piece of a plan's document.
const planPiece = 1 << 20

// etcdPlanRec is a planRec with where its document is.
type etcdPlanRec struct {
	planRec
	Nonce string `json:"nonce"`
	Parts int    `json:"parts"`
	Size  int    `json:"size"`
}

// AddPlan keeps a plan's document and what came with it. A plan id already
// stored is refused (CodeInvalid); the same sourceID again stores nothing
// and reports duplicate.
func (s *EtcdStore) AddPlan(ctx context.Context, p duban.PlanSource, sourceID string) (duplicate bool, err error) {
	if err := checkPlanSource(ctx, p, sourceID); err != nil {
		return false, err
	}
	if p.AddedAt.IsZero() {
		p.AddedAt = s.now()
	}
	nonce := newNonce()
	pieces := s.k("plandoc/", p.ID, "/", nonce, "/")
	parts := 0
	for off := 0; off < len(p.Document); off += planPiece {
		octx, cancel := context.WithTimeout(ctx, s.opTimeout)
		_, err := s.cli.Put(octx, fmt.Sprintf("%s%05d", pieces, parts), string(p.Document[off:min(off+planPiece, len(p.Document))]))
		cancel()
		if err != nil {
			s.dropPieces(pieces)
			return false, &duban.Error{Code: duban.CodeUnavailable, Msg: unavailableWrite, Err: err}
		}
		parts++
	}
	kept := false
	err = s.run(ctx, true, func(t *etx) error {
		kept = false
		return s.once(t, sourceID, kindPlan, nonce, func(_ etcdSourceRec, mine bool) error {
			duplicate, kept = !mine, mine
			return nil
		}, func() (sourceRec, error) {
			if _, ok, err := t.get(s.k("plan/", p.ID)); err != nil {
				return sourceRec{}, err
			} else if ok {
				return sourceRec{}, duban.Errorf(duban.CodeInvalid, "计划编号“%s”已存在 (plan id taken)", p.ID)
			}
			n, err := s.planCount(t)
			if err != nil {
				return sourceRec{}, err
			}
			rec := etcdPlanRec{planRec: planRec{Title: p.Title, Year: p.Year, Agencies: p.Agencies, Terms: p.Terms,
				AddedBy: p.AddedBy, AddedAt: p.AddedAt.Round(0), Order: n + 1}, Nonce: nonce, Parts: parts, Size: len(p.Document)}
			t.put(s.k("plan/", p.ID), encode(rec))
			kept = true
			return sourceRec{}, nil
		})
	})
	if err != nil || !kept {
		s.dropPieces(pieces)
	}
	return duplicate, err
}

// planCount is the number of plans added, read in the transaction.
func (s *EtcdStore) planCount(t *etx) (uint64, error) {
	keys, err := t.scan(s.k("plan/"), false, 0)
	return uint64(len(keys)), err
}

// dropPieces deletes the pieces of a document that did not become a plan.
func (s *EtcdStore) dropPieces(prefix string) {
	ctx, cancel := context.WithTimeout(context.Background(), s.opTimeout)
	defer cancel()
	_, _ = s.cli.Delete(ctx, prefix, clientv3.WithPrefix())
}

// StoredPlans returns the plans the office added, in the order added,
// each with its document.
func (s *EtcdStore) StoredPlans(ctx context.Context) ([]duban.PlanSource, error) {
	var all []orderedPlan
	err := s.run(ctx, false, func(t *etx) error {
		all = all[:0]
		keys, vals, err := t.scanKVs(s.k("plan/"))
		if err != nil {
			return err
		}
		for i, k := range keys {
			id := strings.TrimPrefix(k, s.k("plan/"))
			var rec etcdPlanRec
			if err := decode("plan", []byte(k), vals[i], &rec); err != nil {
				return err
			}
			pkeys, pvals, err := t.scanKVs(s.k("plandoc/", id, "/", rec.Nonce, "/"))
			if err != nil {
				return err
			}
			if len(pkeys) != rec.Parts {
				return corrupt("plan document", []byte(k), fmt.Errorf("%d of %d pieces", len(pkeys), rec.Parts))
			}
			doc := bytes.Join(pvals, nil)
			if len(doc) != rec.Size {
				return corrupt("plan document", []byte(k), fmt.Errorf("%d of %d bytes", len(doc), rec.Size))
			}
			all = append(all, rec.plan(id, doc))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return inOrder(all), nil
}

// SetPlanChoice records which plan a scope uses; an empty planID clears
// the choice.
func (s *EtcdStore) SetPlanChoice(ctx context.Context, scope, planID, sourceID string) error {
	if err := checkChoice(ctx, scope, planID, sourceID); err != nil {
		return err
	}
	nonce := newNonce()
	return s.run(ctx, true, func(t *etx) error {
		return s.once(t, sourceID, kindChoice, nonce, nil, func() (sourceRec, error) {
			if planID == "" {
				t.del(s.k("choice/", scope))
			} else {
				t.put(s.k("choice/", scope), []byte(planID))
			}
			return sourceRec{}, nil
		})
	})
}

// PlanChoice returns the plan a scope uses, if one was chosen.
func (s *EtcdStore) PlanChoice(ctx context.Context, scope string) (string, bool, error) {
	var (
		id    string
		found bool
	)
	err := s.run(ctx, false, func(t *etx) error {
		v, ok, err := t.get(s.k("choice/", scope))
		id, found = string(v), ok
		return err
	})
	return id, found, err
}
