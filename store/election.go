package store

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"go.etcd.io/etcd/client/v3/concurrency"
)

// DefaultLeaseTTL is the lease of a replica's leadership of scheduled
// work: when the leader dies, another replica takes over within it.
const DefaultLeaseTTL = 10 * time.Second

// Leader is one replica's place in the election for a kind of scheduled
// work (reminders, digests) among the replicas on one etcd prefix. It
// campaigns in the background (concurrency.Election on a session with a
// lease of the given TTL) for as long as its context lives; at any time at
// most one replica leads, and when the leader dies its lease lapses and
// another replica is elected within the TTL.
type Leader struct {
	s    *EtcdStore
	name string
	plan string // the plan whose scheduled jobs are claimed
	ttl  time.Duration
	log  *slog.Logger

	mu     sync.Mutex
	key    string // the election key while this replica leads
	value  string
	done   chan struct{}
	cancel context.CancelFunc
}

// Campaign starts campaigning for the leadership of the scheduled work
// called name, for the jobs of the plan planID, until Close or ctx ends.
// log (nil: slog.Default()) hears when leadership is won and lost.
func (s *EtcdStore) Campaign(ctx context.Context, name, planID string, ttl time.Duration, log *slog.Logger) *Leader {
	if ttl < 2*time.Second {
		ttl = DefaultLeaseTTL
	}
	if log == nil {
		log = slog.Default()
	}
	ctx, cancel := context.WithCancel(ctx)
	l := &Leader{s: s, name: name, plan: planID, ttl: ttl, log: log, done: make(chan struct{}), cancel: cancel}
	go l.loop(ctx)
	return l
}

// loop campaigns, leads until the session ends, and campaigns again.
func (l *Leader) loop(ctx context.Context) {
	defer close(l.done)
	for ctx.Err() == nil {
		sess, err := concurrency.NewSession(l.s.cli, concurrency.WithTTL(int(l.ttl.Seconds())), concurrency.WithContext(ctx))
		if err != nil {
			l.pause(ctx)
			continue
		}
		e := concurrency.NewElection(sess, l.s.prefix+"elect/"+l.name)
		value := l.s.instance + "/" + strconv.FormatInt(int64(sess.Lease()), 16)
		if err := e.Campaign(ctx, value); err != nil {
			sess.Close()
			l.pause(ctx)
			continue
		}
		l.mu.Lock()
		l.key, l.value = e.Key(), value
		l.mu.Unlock()
		l.log.Info("leading scheduled work", "job", l.name, "replica", l.s.instance)
		select {
		case <-ctx.Done():
		case <-sess.Done():
			l.log.Warn("lost the leadership of scheduled work (lease lapsed)", "job", l.name, "replica", l.s.instance)
		}
		l.mu.Lock()
		l.key, l.value = "", ""
		l.mu.Unlock()
		rctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		e.Resign(rctx)
		cancel()
		sess.Close()
	}
}

func (l *Leader) pause(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-time.After(500 * time.Millisecond):
	}
}

// IsLeader reports whether this replica leads now, as far as it knows.
func (l *Leader) IsLeader() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.key != ""
}

// Close stops campaigning and gives the leadership up, so that another
// replica takes over at once.
func (l *Leader) Close() {
	l.cancel()
	<-l.done
}

// runRec is the last slot of a scheduled job that was claimed.
type runRec struct {
	Slot  time.Time `json:"slot"`
	By    string    `json:"by"`
	Claim time.Time `json:"at"`
}

// ClaimRun records that this replica runs the plan's job for slot (the
// instant its schedule fired) and reports whether it should: only while it
// leads, and only once per slot whoever leads, so that a replica taking over
// after the leader died never sends a round again. The claim is one
// transaction that checks the leader's election key is still this
// replica's, and it is committed before the job runs.
func (l *Leader) ClaimRun(ctx context.Context, job string, slot time.Time) (bool, error) {
	if err := checkID("任务名", job); err != nil {
		return false, err
	}
	l.mu.Lock()
	key, value := l.key, l.value
	l.mu.Unlock()
	if key == "" {
		return false, nil
	}
	claimed := false
	err := l.s.run(ctx, true, func(t *etx) error {
		claimed = false
		v, ok, err := t.get(key)
		if err != nil {
			return err
		}
		if !ok || string(v) != value {
			return nil // no longer the leader
		}
		claimed, err = l.s.claimRun(t, l.plan, job, slot)
		return err
	})
	if err != nil {
		return false, err
	}
	return claimed, nil
}
