package store

// The etcd backend. Several duban processes (replicas) share one etcd
// cluster, so that none of them is a single point between the office and
// its reports. It keeps exactly what the bbolt backend keeps, under one key
// prefix (Options.Prefix, "duban/" by default), in this layout:
//
//	P schema                               -> decimal schema version
//	P seq                                  -> last report number, across plans (decimal)
//	P pu/PLAN                              -> "" : a plan that has reports
//	P p/PLAN/r/SEQ                         -> report (updateRec JSON); append-only, never rewritten
//	P p/PLAN/x/SEQ                         -> its retraction (retractionRec JSON)
//	P p/PLAN/c/SEQ                         -> SEQ of the report that corrected it
//	P p/PLAN/i/ITEM/SEQ                    -> "" : the reports on an item (history)
//	P p/PLAN/a/AUTHOR 0x00 SEQ             -> "" : the reports by an author
//	P p/PLAN/l/ITEM/AGENCY                 -> SEQ of the latest live report of the pair
//	P p/PLAN/run/JOB                       -> the last slot of a scheduled job claimed (runRec JSON)
//	P b/USER                               -> binding (bindingRec JSON)
//	P adm/USER                             -> admin (adminRec JSON)
//	P pend/USER                            -> the action waiting for the user's confirmation (pendingRec JSON)
//	P plan/ID                              -> a plan the office added (etcdPlanRec JSON)
//	P plandoc/ID/NONCE/N                   -> its document, in pieces of at most 1 MiB
//	P choice/SCOPE                         -> the plan a user, channel or the office uses
//	P src/ID                               -> what the write with source id ID did (etcdSourceRec JSON)
//	P ev/ID                                -> event ID processed at (unix nanos, decimal)
//	P evc/ID                               -> claim on event ID (claimRec JSON)
//	P elect/NAME/LEASE                     -> the election of the replica that runs scheduled work NAME
//
// SEQ is the report number in 20 decimal digits and ITEM the item number
// in 10, so that keys sort by number. PLAN is the id of the report's plan
// (duban.Update.Plan); report numbers count across plans, so a record is
// found by its number among the plans that have reports (pu/). Schema 1
// kept one plan's counter under p/PLAN/seq; Open moves it to seq.
//
// Every write is one etcd transaction: the report, its indexes, the latest
// pointer of its pair, the report counter and its source id succeed or fail
// together. A transaction reads what it needs at one revision and commits
// only if none of the keys it read has changed since (a compare on each
// key's mod revision), else it is run again: so a report number is the
// counter read plus one only if no other writer took that number in
// between, and two replicas never give two reports one number, nor store
// one source id twice. A source or event id that exists makes the write a
// no-op that returns the stored record. A write whose outcome was lost in
// transit (the leader died after the commit) is run again and finds its
// own source id, recognised by a nonce, and returns its first result.
//
// Reads of several keys (History, Latest) are made at one revision, so a
// summary never mixes two states. Source and event ids are kept with an
// etcd lease of a little more than SourceTTL, so etcd forgets them itself;
// the time in each value makes them expire exactly at SourceTTL for the
// store's clock.
//
// When etcd cannot be reached (a partition, no leader), each operation is
// retried until Options.OpTimeout and then fails with code
// duban.CodeUnavailable and a message that says plainly that nothing was
// saved, which the bot shows in chat instead of a confirmation.

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"duban"
)

// DefaultPrefix is the key prefix of duban's keys in etcd.
const DefaultPrefix = "duban/"

// DefaultPlan is the plan of the reports a schema 1 prefix holds (one
// plan then): the shipped 2021 plan (LegacyPlanID).
const DefaultPlan = LegacyPlanID

// DefaultOpTimeout bounds one store operation against etcd, retries
// included: longer than an etcd leader election (about a second or two),
// shorter than a chat user's patience.
const DefaultOpTimeout = 8 * time.Second

// EtcdOptions configure OpenEtcd.
type EtcdOptions struct {
	// Endpoints are the etcd members' client URLs or host:port pairs.
	Endpoints []string
	// CAFile, CertFile and KeyFile turn on TLS: the CA that signed the
	// members' certificates, and the client certificate and key when the
	// cluster asks for one.
	CAFile, CertFile, KeyFile string
	// Username and Password authenticate to etcd when its auth is on.
	Username, Password string
	// Prefix is the key prefix of duban's keys (empty: DefaultPrefix).
	Prefix string
	// Plan is the plan of a schema 1 prefix's reports, which kept one
	// plan (empty: DefaultPlan); reports carry their own plan since.
	Plan string
	// DialTimeout bounds the first connection (0: 5 seconds).
	DialTimeout time.Duration
	// OpTimeout bounds every operation, retries included (0:
	// DefaultOpTimeout).
	OpTimeout time.Duration
	// Now is the clock for record times and id expiry (nil: time.Now).
	Now func() time.Time
}

// EtcdStore is the etcd-backed store. It is safe for concurrent use, by
// any number of processes on the same cluster and prefix.
type EtcdStore struct {
	cli       *clientv3.Client
	prefix    string
	legacy    string // the plan of a schema 1 prefix's reports
	endpoints []string
	opTimeout time.Duration
	now       func() time.Time
	instance  string // owner of this value's event claims and run claims

	counted chan struct{} // one counter-moving write at a time in this process

	leaseMu    sync.Mutex
	lease      clientv3.LeaseID
	leaseUntil time.Time
}

// etcdSourceRec is a sourceRec with the nonce of the write that made it,
// so that a write retried after a lost answer knows its own record.
type etcdSourceRec struct {
	sourceRec
	Nonce string `json:"nonce,omitempty"`
}

// claimRec is a claim on an event being processed.
type claimRec struct {
	Until time.Time `json:"until"`
	Owner string    `json:"owner"` // the claiming store value
	Nonce string    `json:"nonce"` // the claiming call
}

// OpenEtcd connects to the etcd cluster, checks that it answers and that
// duban's keys there are of this schema version (laying out a new prefix),
// and returns the store. An unreachable cluster is an error of code
// duban.CodeUnavailable that names the endpoints.
func OpenEtcd(ctx context.Context, opts EtcdOptions) (*EtcdStore, error) {
	var eps []string
	for _, e := range opts.Endpoints {
		if e = strings.TrimSpace(e); e != "" {
			eps = append(eps, e)
		}
	}
	if len(eps) == 0 {
		return nil, duban.Errorf(duban.CodeInvalid, "请用 --etcd-endpoints 或 DUBAN_ETCD_ENDPOINTS 指定 etcd 地址 (no etcd endpoints)")
	}
	cfg := clientv3.Config{
		Endpoints:   eps,
		DialTimeout: opts.DialTimeout,
		Username:    opts.Username,
		Password:    opts.Password,
		Logger:      zap.NewNop(),
		// Without keepalives a client cut off from its member notices only
		// when a request times out.
		DialKeepAliveTime:    5 * time.Second,
		DialKeepAliveTimeout: 3 * time.Second,
		// Requests of up to etcd's own limit (1.5 MiB).
		MaxCallSendMsgSize: 2 << 20,
	}
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = 5 * time.Second
	}
	if opts.CAFile != "" || opts.CertFile != "" || opts.KeyFile != "" {
		tc, err := tlsConfig(opts.CAFile, opts.CertFile, opts.KeyFile)
		if err != nil {
			return nil, err
		}
		cfg.TLS = tc
	}
	cli, err := clientv3.New(cfg)
	if err != nil {
		if permanent(err) {
			return nil, refused(err)
		}
		return nil, unreachable(eps, err)
	}
	s := &EtcdStore{
		cli: cli, prefix: opts.Prefix, legacy: opts.Plan, endpoints: eps,
		opTimeout: opts.OpTimeout, now: opts.Now, instance: newInstanceID(), counted: make(chan struct{}, 1),
	}
	if s.prefix == "" {
		s.prefix = DefaultPrefix
	}
	if s.legacy == "" {
		s.legacy = DefaultPlan
	}
	if s.opTimeout <= 0 {
		s.opTimeout = DefaultOpTimeout
	}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.init(ctx, cfg.DialTimeout); err != nil {
		cli.Close()
		return nil, err
	}
	return s, nil
}

// tlsConfig builds the client's TLS configuration from PEM files.
func tlsConfig(caFile, certFile, keyFile string) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, duban.Errorf(duban.CodeInvalid, "无法读取 etcd CA 证书 %s (--etcd-ca): %w", caFile, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, duban.Errorf(duban.CodeInvalid, "etcd CA 证书 %s 不是 PEM 格式 (--etcd-ca)", caFile)
		}
		tc.RootCAs = pool
	}
	if (certFile == "") != (keyFile == "") {
		return nil, duban.Errorf(duban.CodeInvalid, "客户端证书和私钥须同时指定 (--etcd-cert and --etcd-key go together)")
	}
	if certFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, duban.Errorf(duban.CodeInvalid, "无法读取 etcd 客户端证书 (--etcd-cert/--etcd-key): %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

// unreachable is the error of a cluster that does not answer at start.
func unreachable(eps []string, err error) error {
	return duban.Errorf(duban.CodeUnavailable, "无法连接 etcd（%s）：请确认地址、端口、TLS 与账号设置，且集群多数成员在运行 (etcd unreachable): %w",
		strings.Join(eps, ","), err)
}

// refused is the error of a cluster that turns duban's credentials down.
func refused(err error) error {
	return duban.Errorf(duban.CodeInvalid, "etcd 拒绝了访问，请检查用户名、密码和该用户对 duban 键的读写权限 (etcd refused access): %w", err)
}

// init checks the schema version, writing it into a new prefix, and
// moves a schema 1 prefix to schema 2.
func (s *EtcdStore) init(ctx context.Context, timeout time.Duration) error {
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	key := s.prefix + "schema"
	want := strconv.Itoa(SchemaVersion)
	resp, err := s.cli.Txn(cctx).
		If(clientv3.Compare(clientv3.CreateRevision(key), "=", 0)).
		Then(clientv3.OpPut(key, want)).
		Else(clientv3.OpGet(key)).Commit()
	if err != nil {
		if permanent(err) {
			return refused(err)
		}
		return unreachable(s.endpoints, err)
	}
	if resp.Succeeded {
		return nil
	}
	kvs := resp.Responses[0].GetResponseRange().Kvs
	if len(kvs) == 1 && string(kvs[0].Value) == want {
		return nil
	}
	if len(kvs) == 1 && string(kvs[0].Value) == "1" {
		return s.migrateV1(cctx, kvs[0].ModRevision)
	}
	got := ""
	if len(kvs) == 1 {
		got = string(kvs[0].Value)
	}
	return duban.Errorf(duban.CodeInternal, "etcd 中 %s 下的 duban 数据格式版本为 %q，本程序只支持版本 %d (schema version mismatch)", s.prefix, got, SchemaVersion)
}

// Close closes the connection to etcd. It is safe to call more than once.
func (s *EtcdStore) Close() error {
	if err := s.cli.Close(); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("close etcd client: %w", err)
	}
	return nil
}

// Endpoints returns the etcd endpoints the store was opened with.
func (s *EtcdStore) Endpoints() []string { return s.endpoints }

// Prefix returns the key prefix of duban's keys.
func (s *EtcdStore) Prefix() string { return s.prefix }

// Client returns the etcd client, for elections.
func (s *EtcdStore) Client() *clientv3.Client { return s.cli }

// permanent reports whether an etcd error will not go away by retrying:
// a refusal of the credentials or the request itself.
func permanent(err error) bool {
	code := status.Code(err)
	var ee rpctypes.EtcdError
	if errors.As(err, &ee) {
		code = ee.Code()
	}
	switch code {
	case codes.PermissionDenied, codes.Unauthenticated, codes.InvalidArgument, codes.FailedPrecondition:
		return true
	}
	return false
}

// Messages of an operation that ran out of time against etcd.
const (
	unavailableWrite = "暂时无法保存：数据存储 (etcd) 暂时连不上，这条消息没有记录，请稍后再发一次 (store unavailable, nothing was saved)"
	unavailableRead  = "暂时无法读取数据：数据存储 (etcd) 暂时连不上，请稍后再试 (store unavailable)"
	// unavailableUnsure: the write was sent but its answer was lost.
	unavailableUnsure = "数据存储 (etcd) 暂时连不上，无法确认这条消息是否已记录；请稍后查看该条目的进展记录，如果没有再重发 (store unavailable, outcome unknown)"
)

// keys under the prefix.
func (s *EtcdStore) k(parts ...string) string { return s.prefix + strings.Join(parts, "") }

func (s *EtcdStore) planKey(plan string, parts ...string) string {
	return s.prefix + "p/" + plan + "/" + strings.Join(parts, "")
}

// keyPlan returns the plan id of a key under p/PLAN/.
func (s *EtcdStore) keyPlan(key string) string {
	rest := strings.TrimPrefix(key, s.prefix+"p/")
	plan, _, _ := strings.Cut(rest, "/")
	return plan
}

// migrateV1 moves a schema 1 prefix (one plan, its report counter under
// p/PLAN/seq) to schema 2 in one transaction: the counter becomes the
// counter across plans, the plan is registered as one with reports, and
// the schema says 2. It runs only if the schema key is still the one read
// (another replica may be migrating); the reports stay where they are.
func (s *EtcdStore) migrateV1(ctx context.Context, schemaRev int64) error {
	old := s.planKey(s.legacy, "seq")
	resp, err := s.cli.Get(ctx, old)
	if err != nil {
		return unreachable(s.endpoints, err)
	}
	ops := []clientv3.Op{clientv3.OpPut(s.k("schema"), strconv.Itoa(SchemaVersion))}
	if len(resp.Kvs) == 1 {
		ops = append(ops, clientv3.OpPut(s.k("seq"), string(resp.Kvs[0].Value)), clientv3.OpPut(s.k("pu/", s.legacy), ""), clientv3.OpDelete(old))
	}
	tr, err := s.cli.Txn(ctx).If(clientv3.Compare(clientv3.ModRevision(s.k("schema")), "=", schemaRev)).Then(ops...).Commit()
	if err != nil {
		return unreachable(s.endpoints, err)
	}
	if !tr.Succeeded {
		return s.init(ctx, s.opTimeout) // another replica moved it: check again
	}
	return nil
}

// usedPlans returns the plans that have reports, read in the transaction.
func (s *EtcdStore) usedPlans(t *etx) ([]string, error) {
	keys, err := t.scan(s.k("pu/"), false, 0)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, strings.TrimPrefix(k, s.k("pu/")))
	}
	return out, nil
}

// locate returns the plan of report seq: the one of the plans with
// reports that holds it.
func (s *EtcdStore) locate(t *etx, seq uint64) (string, bool, error) {
	if seq == 0 {
		return "", false, nil
	}
	plans, err := s.usedPlans(t)
	if err != nil {
		return "", false, err
	}
	keys := make([]string, len(plans))
	for i, p := range plans {
		keys[i] = s.planKey(p, "r/", seqStr(seq))
	}
	vs, err := t.getMany(keys)
	if err != nil {
		return "", false, err
	}
	for i, v := range vs {
		if v != nil {
			return plans[i], true, nil
		}
	}
	return "", false, nil
}

func seqStr(seq uint64) string { return fmt.Sprintf("%020d", seq) }
func itemStr(item int) string  { return fmt.Sprintf("%010d", item) }

// staged is a write waiting for commit.
type staged struct {
	val   []byte
	del   bool
	lease bool // attach the store's id lease
}

// etx is one optimistic transaction: reads at one revision, each tracked
// with the mod revision seen, and staged writes that commit only if none
// of those keys changed.
type etx struct {
	s      *EtcdStore
	ctx    context.Context
	rev    int64
	reads  map[string]int64
	order  []string
	writes map[string]staged
}

// get reads one key (a staged write first).
func (t *etx) get(key string) ([]byte, bool, error) {
	if w, ok := t.writes[key]; ok {
		return w.val, !w.del, nil
	}
	vs, err := t.getMany([]string{key})
	if err != nil {
		return nil, false, err
	}
	return vs[0], vs[0] != nil, nil
}

// getMany reads keys at the transaction's revision, in batches; a missing
// key is nil.
func (t *etx) getMany(keys []string) ([][]byte, error) {
	out := make([][]byte, len(keys))
	const batch = 100 // etcd allows 128 operations in a transaction
	for lo := 0; lo < len(keys); lo += batch {
		hi := min(lo+batch, len(keys))
		var ops []clientv3.Op
		for _, k := range keys[lo:hi] {
			var o []clientv3.OpOption
			if t.rev > 0 {
				o = append(o, clientv3.WithRev(t.rev))
			}
			ops = append(ops, clientv3.OpGet(k, o...))
		}
		resp, err := t.s.cli.Txn(t.ctx).Then(ops...).Commit()
		if err != nil {
			return nil, err
		}
		if t.rev == 0 {
			t.rev = resp.Header.Revision
		}
		for i, r := range resp.Responses {
			k := keys[lo+i]
			kvs := r.GetResponseRange().Kvs
			if len(kvs) == 0 {
				t.track(k, 0)
				continue
			}
			t.track(k, kvs[0].ModRevision)
			out[lo+i] = kvs[0].Value
		}
	}
	for i, k := range keys {
		if w, ok := t.writes[k]; ok {
			out[i] = nil
			if !w.del {
				out[i] = w.val
			}
		}
	}
	return out, nil
}

func (t *etx) track(key string, modRev int64) {
	if _, ok := t.reads[key]; !ok {
		t.reads[key] = modRev
	}
}

// scan returns the keys under prefix at the transaction's revision,
// ascending or descending, at most limit (0: all). Scans are not tracked:
// a transaction guards what it scanned by a key it read (the report
// counter, which every new report moves).
func (t *etx) scan(prefix string, descending bool, limit int64) ([]string, error) {
	o := []clientv3.OpOption{clientv3.WithPrefix(), clientv3.WithKeysOnly()}
	if t.rev > 0 {
		o = append(o, clientv3.WithRev(t.rev))
	}
	if descending {
		o = append(o, clientv3.WithSort(clientv3.SortByKey, clientv3.SortDescend))
	}
	if limit > 0 {
		o = append(o, clientv3.WithLimit(limit))
	}
	resp, err := t.s.cli.Get(t.ctx, prefix, o...)
	if err != nil {
		return nil, err
	}
	if t.rev == 0 {
		t.rev = resp.Header.Revision
	}
	out := make([]string, 0, len(resp.Kvs))
	for _, kv := range resp.Kvs {
		out = append(out, string(kv.Key))
	}
	return out, nil
}

// scanKVs returns keys and values under prefix at the transaction's
// revision, ascending by key.
func (t *etx) scanKVs(prefix string) (keys []string, vals [][]byte, err error) {
	o := []clientv3.OpOption{clientv3.WithPrefix()}
	if t.rev > 0 {
		o = append(o, clientv3.WithRev(t.rev))
	}
	resp, err := t.s.cli.Get(t.ctx, prefix, o...)
	if err != nil {
		return nil, nil, err
	}
	if t.rev == 0 {
		t.rev = resp.Header.Revision
	}
	for _, kv := range resp.Kvs {
		keys = append(keys, string(kv.Key))
		vals = append(vals, kv.Value)
	}
	return keys, vals, nil
}

func (t *etx) put(key string, val []byte) { t.stage(key, staged{val: val}) }

func (t *etx) putLeased(key string, val []byte) { t.stage(key, staged{val: val, lease: true}) }

func (t *etx) del(key string) { t.stage(key, staged{del: true}) }

func (t *etx) stage(key string, w staged) {
	if _, ok := t.writes[key]; !ok {
		t.order = append(t.order, key)
	}
	t.writes[key] = w
}

// errConflict says the transaction lost a race and runs again.
var errConflict = errors.New("etcd transaction conflict")

// commit writes the staged writes if no key read has changed.
func (t *etx) commit() error {
	if len(t.writes) == 0 {
		return nil
	}
	var cmps []clientv3.Cmp
	for k, rev := range t.reads {
		cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(k), "=", rev))
	}
	var lease clientv3.LeaseID
	var ops []clientv3.Op
	for _, k := range t.order {
		w := t.writes[k]
		switch {
		case w.del:
			ops = append(ops, clientv3.OpDelete(k))
		case w.lease:
			if lease == 0 {
				var err error
				if lease, err = t.s.idLease(t.ctx); err != nil {
					return err
				}
			}
			ops = append(ops, clientv3.OpPut(k, string(w.val), clientv3.WithLease(lease)))
		default:
			ops = append(ops, clientv3.OpPut(k, string(w.val)))
		}
	}
	resp, err := t.s.cli.Txn(t.ctx).If(cmps...).Then(ops...).Commit()
	if err != nil {
		if isLeaseGone(err) {
			t.s.dropLease(lease)
		}
		return err
	}
	if !resp.Succeeded {
		return errConflict
	}
	return nil
}

func isLeaseGone(err error) bool { return strings.Contains(err.Error(), "requested lease not found") }

// idLease returns a lease that outlives SourceTTL by at least an hour,
// granting a new one every hour, for source and event ids.
func (s *EtcdStore) idLease(ctx context.Context) (clientv3.LeaseID, error) {
	s.leaseMu.Lock()
	defer s.leaseMu.Unlock()
	now := time.Now()
	if s.lease != 0 && now.Before(s.leaseUntil) {
		return s.lease, nil
	}
	resp, err := s.cli.Grant(ctx, int64((SourceTTL + 2*time.Hour).Seconds()))
	if err != nil {
		return 0, err
	}
	s.lease, s.leaseUntil = resp.ID, now.Add(time.Hour)
	return s.lease, nil
}

func (s *EtcdStore) dropLease(id clientv3.LeaseID) {
	s.leaseMu.Lock()
	if s.lease == id {
		s.lease = 0
	}
	s.leaseMu.Unlock()
}

// run runs fn as an optimistic transaction until it commits, fn fails with
// a duban error, or the operation's time is up; write says which message a
// timeout gets.
func (s *EtcdStore) run(ctx context.Context, write bool, fn func(t *etx) error) error {
	return s.runTx(ctx, write, false, fn)
}

// runCounted is run for the writes that move the report counter. They go
// one at a time in this process, so that a burst of reports does not make
// them all lose the race for the counter again and again; replicas still
// race each other, and the transaction keeps that right. Waiting for the
// turn counts against the operation's time.
func (s *EtcdStore) runCounted(ctx context.Context, fn func(t *etx) error) error {
	return s.runTx(ctx, true, true, fn)
}

func (s *EtcdStore) runTx(ctx context.Context, write, counted bool, fn func(t *etx) error) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	octx, cancel := context.WithTimeout(ctx, s.opTimeout)
	defer cancel()
	unavailable := func(msg string, err error) error {
		return &duban.Error{Code: duban.CodeUnavailable, Msg: msg, Err: fmt.Errorf("etcd %s: %w", strings.Join(s.endpoints, ","), err)}
	}
	if counted {
		select {
		case s.counted <- struct{}{}:
			defer func() { <-s.counted }()
		case <-octx.Done():
			if ctx.Err() != nil {
				return ctxErr(ctx)
			}
			return unavailable(unavailableWrite, errors.New("waited too long for the previous write"))
		}
	}
	attempt := func(c context.Context) (unknown bool, err error) {
		t := &etx{s: s, ctx: c, reads: map[string]int64{}, writes: map[string]staged{}}
		if err := fn(t); err != nil {
			return false, err
		}
		err = t.commit()
		// An error from the commit itself leaves its outcome unknown: the
		// leader may have applied it before the answer was lost.
		return err != nil && !errors.Is(err, errConflict), err
	}
	backoff := 20 * time.Millisecond
	var last error
	uncertain := false
	for {
		unknown, err := attempt(octx)
		if err == nil {
			return nil
		}
		uncertain = uncertain || unknown
		var de *duban.Error
		if errors.As(err, &de) {
			return err
		}
		if errors.Is(err, errConflict) {
			continue // another writer got there first: read again
		}
		if permanent(err) {
			return duban.Errorf(duban.CodeInternal, "etcd 拒绝了请求 (etcd refused the request): %w", err)
		}
		last = err
		if ctx.Err() != nil {
			return ctxErr(ctx)
		}
		select {
		case <-octx.Done():
			if !write {
				return unavailable(unavailableRead, last)
			}
			if !uncertain {
				return unavailable(unavailableWrite, last)
			}
			// A commit may have gone through: one last look, which finds
			// the write's own record if it did.
			c, cancel := context.WithTimeout(ctx, 2*time.Second)
			_, err := attempt(c)
			cancel()
			if err == nil {
				return nil
			}
			if errors.As(err, &de) {
				return err
			}
			return unavailable(unavailableUnsure, last)
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 500*time.Millisecond)
	}
}

func newNonce() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// getSource returns what the write with this source id did, if it is
// still remembered (within SourceTTL of the store's clock).
func (s *EtcdStore) getSource(t *etx, id string) (etcdSourceRec, bool, error) {
	key := s.k("src/", id)
	v, ok, err := t.get(key)
	if err != nil || !ok {
		return etcdSourceRec{}, false, err
	}
	var rec etcdSourceRec
	if err := decode("source id", []byte(key), v, &rec); err != nil {
		return etcdSourceRec{}, false, err
	}
	if s.now().Sub(rec.Time) >= SourceTTL {
		return etcdSourceRec{}, false, nil
	}
	return rec, true, nil
}

// once is the etcd form of the bbolt once: when sourceID was processed
// (and not by this very call, nonce), it writes nothing and calls replay
// (a different kind of write is a conflict); otherwise it calls write and
// stages the source record. mine reports that the record found was made by
// an earlier attempt of this call, whose answer was lost.
func (s *EtcdStore) once(t *etx, sourceID, kind, nonce string, replay func(first etcdSourceRec, mine bool) error, write func() (sourceRec, error)) error {
	if first, ok, err := s.getSource(t, sourceID); err != nil {
		return err
	} else if ok {
		if first.Kind != kind {
			return sourceConflict(sourceID)
		}
		if replay == nil {
			return nil
		}
		return replay(first, first.Nonce == nonce)
	}
	rec, err := write()
	if err != nil {
		return err
	}
	rec.Kind, rec.Time = kind, s.now()
	t.putLeased(s.k("src/", sourceID), encode(etcdSourceRec{sourceRec: rec, Nonce: nonce}))
	return nil
}

// loadUpdate reads report seq with its retraction, on whichever plan it
// is.
func (s *EtcdStore) loadUpdate(t *etx, seq uint64) (duban.Update, error) {
	plan, ok, err := s.locate(t, seq)
	if err != nil {
		return duban.Update{}, err
	}
	if !ok {
		return duban.Update{}, corrupt("report", []byte(seqStr(seq)), errors.New("missing record"))
	}
	us, err := s.loadUpdates(t, plan, []uint64{seq})
	if err != nil {
		return duban.Update{}, err
	}
	return us[0], nil
}

// loadUpdates reads reports of a plan with their retractions, at the
// transaction's revision. A record written before records carried their
// plan takes it from its key.
func (s *EtcdStore) loadUpdates(t *etx, plan string, seqs []uint64) ([]duban.Update, error) {
	keys := make([]string, 0, 2*len(seqs))
	for _, seq := range seqs {
		keys = append(keys, s.planKey(plan, "r/", seqStr(seq)), s.planKey(plan, "x/", seqStr(seq)))
	}
	vs, err := t.getMany(keys)
	if err != nil {
		return nil, err
	}
	out := make([]duban.Update, len(seqs))
	for i, seq := range seqs {
		var rec updateRec
		if err := decode("report", []byte(keys[2*i]), vs[2*i], &rec); err != nil {
			return nil, err
		}
		if rec.Plan == "" {
			rec.Plan = plan
		}
		if rec.Plan != plan {
			return nil, corrupt("report", []byte(keys[2*i]), fmt.Errorf("plan %q under %q", rec.Plan, plan))
		}
		u, err := rec.toUpdate(seq)
		if err != nil {
			return nil, err
		}
		if v := vs[2*i+1]; v != nil {
			var r retractionRec
			if err := decode("retraction", []byte(keys[2*i+1]), v, &r); err != nil {
				return nil, err
			}
			u.Retracted, u.RetractedAt = true, r.Time
		}
		out[i] = u
	}
	cs, err := s.correctedBys(t, plan, seqs)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].CorrectedBy = cs[i]
	}
	return out, nil
}

// loadRefs reads reports of several plans (keys of indexes under p/PLAN/,
// ending in the report number), in the order of the keys.
func (s *EtcdStore) loadRefs(t *etx, keys []string) ([]duban.Update, error) {
	byPlan := map[string][]uint64{}
	var order []string
	type at struct {
		plan string
		i    int
	}
	where := make([]at, len(keys))
	for i, k := range keys {
		seq, err := seqSuffix(k)
		if err != nil {
			return nil, err
		}
		plan := s.keyPlan(k)
		if _, ok := byPlan[plan]; !ok {
			order = append(order, plan)
		}
		where[i] = at{plan, len(byPlan[plan])}
		byPlan[plan] = append(byPlan[plan], seq)
	}
	loaded := map[string][]duban.Update{}
	for _, plan := range order {
		us, err := s.loadUpdates(t, plan, byPlan[plan])
		if err != nil {
			return nil, err
		}
		loaded[plan] = us
	}
	out := make([]duban.Update, len(keys))
	for i, w := range where {
		out[i] = loaded[w.plan][w.i]
	}
	return out, nil
}

// seqSuffix reads the report number at the end of an index key.
func seqSuffix(key string) (uint64, error) {
	if len(key) < 20 {
		return 0, corrupt("index", []byte(key), nil)
	}
	n, err := strconv.ParseUint(key[len(key)-20:], 10, 64)
	if err != nil {
		return 0, corrupt("index", []byte(key), err)
	}
	return n, nil
}

// nextSeq stages the report counter (across plans) moved on by one and
// returns the new number. The counter is read in the transaction, so the
// commit fails (and runs again) if another writer moved it meanwhile.
func (s *EtcdStore) nextSeq(t *etx) (uint64, error) {
	key := s.k("seq")
	v, ok, err := t.get(key)
	if err != nil {
		return 0, err
	}
	var n uint64
	if ok {
		if n, err = strconv.ParseUint(string(v), 10, 64); err != nil {
			return 0, corrupt("report counter", []byte(key), err)
		}
	}
	n++
	t.put(key, []byte(strconv.FormatUint(n, 10)))
	return n, nil
}

// AddUpdate appends a report in one transaction with its indexes, the
// latest status of its pair and its source id, and returns it with Seq
// set. When u.SourceID was processed before (within SourceTTL), nothing is
// written and the report stored the first time is returned with duplicate
// set; another author's id is refused with CodeInvalid.
func (s *EtcdStore) AddUpdate(ctx context.Context, u duban.Update) (stored duban.Update, duplicate bool, err error) {
	if err := prepareUpdate(ctx, &u, s.now); err != nil {
		return duban.Update{}, false, err
	}
	nonce := newNonce()
	err = s.runCounted(ctx, func(t *etx) error {
		var err error
		stored, duplicate, err = s.addUpdate(t, u, nonce)
		return err
	})
	if err != nil {
		return duban.Update{}, false, err
	}
	return stored, duplicate, nil
}

// addUpdate is AddUpdate inside a transaction.
func (s *EtcdStore) addUpdate(t *etx, u duban.Update, nonce string) (duban.Update, bool, error) {
	var (
		stored    duban.Update
		duplicate bool
	)
	replay := func(first etcdSourceRec, mine bool) error {
		prev, err := s.loadUpdate(t, first.Seq)
		if err != nil {
			return err
		}
		if prev.AuthorID != u.AuthorID {
			return sourceOwned(u.SourceID)
		}
		stored, duplicate = prev, !mine
		return nil
	}
	err := s.once(t, u.SourceID, kindUpdate, nonce, replay, func() (sourceRec, error) {
		seq, err := s.nextSeq(t)
		if err != nil {
			return sourceRec{}, err
		}
		rec := newUpdateRec(u)
		sk := seqStr(seq)
		if _, ok, err := t.get(s.k("pu/", u.Plan)); err != nil {
			return sourceRec{}, err
		} else if !ok {
			t.put(s.k("pu/", u.Plan), nil)
		}
		t.put(s.planKey(u.Plan, "r/", sk), encode(rec))
		t.put(s.planKey(u.Plan, "i/", itemStr(u.Item), "/", sk), nil)
		t.put(s.planKey(u.Plan, "a/", u.AuthorID, "\x00", sk), nil)
		t.put(s.planKey(u.Plan, "l/", itemStr(u.Item), "/", u.Agency), []byte(sk))
		stored = storedUpdate(u, seq)
		return sourceRec{Seq: seq}, nil
	})
	return stored, duplicate, err
}

// Retract marks the author's latest live report as retracted, at the given
// time (zero: now), and returns it; its pair falls back to the newest live
// report before it, or to none. The same sourceID again retracts nothing
// more and returns the same report.
func (s *EtcdStore) Retract(ctx context.Context, authorID, sourceID string, at time.Time) (duban.Update, error) {
	at, err := prepareRetract(ctx, authorID, sourceID, at, s.now)
	if err != nil {
		return duban.Update{}, err
	}
	nonce := newNonce()
	var out duban.Update
	err = s.runCounted(ctx, func(t *etx) error {
		replay := func(first etcdSourceRec, _ bool) error {
			prev, err := s.loadUpdate(t, first.Seq)
			if err != nil {
				return err
			}
			if prev.AuthorID != authorID {
				return sourceOwned(sourceID)
			}
			out = prev
			return nil
		}
		return s.once(t, sourceID, kindRetract, nonce, replay, func() (sourceRec, error) {
			// The counter guards the scans below: a report added meanwhile
			// makes the commit fail and the retraction run again.
			if _, _, err := t.get(s.k("seq")); err != nil {
				return sourceRec{}, err
			}
			seq, found, err := s.latestLiveBy(t, authorID)
			if err != nil {
				return sourceRec{}, err
			}
			if !found {
				return sourceRec{}, duban.Errorf(duban.CodeNotFound, "您还没有可以撤回的进展记录 (nothing to retract)")
			}
			u, err := s.retractSeq(t, seq, authorID, sourceID, at)
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

// retractSeq stages the retraction of report seq and moves the latest
// pointer of its pair back if it pointed at it.
func (s *EtcdStore) retractSeq(t *etx, seq uint64, by, sourceID string, at time.Time) (duban.Update, error) {
	u, err := s.loadUpdate(t, seq)
	if err != nil {
		return duban.Update{}, err
	}
	sk := seqStr(seq)
	t.put(s.planKey(u.Plan, "x/", sk), encode(retractionRec{Time: at, By: by, SourceID: sourceID}))
	lk := s.planKey(u.Plan, "l/", itemStr(u.Item), "/", u.Agency)
	cur, _, err := t.get(lk)
	if err != nil {
		return duban.Update{}, err
	}
	if string(cur) == sk {
		prev, ok, err := s.previousLive(t, u.Plan, u.Item, u.Agency, seq)
		if err != nil {
			return duban.Update{}, err
		}
		if ok {
			t.put(lk, []byte(seqStr(prev)))
		} else {
			t.del(lk)
		}
	}
	u.Retracted, u.RetractedAt = true, at
	return u, nil
}

// latestLiveBy finds the newest report by the author that is not
// retracted, on any plan, reading the author's reports newest first in
// pages.
func (s *EtcdStore) latestLiveBy(t *etx, authorID string) (uint64, bool, error) {
	keys, err := s.authorKeys(t, authorID, 0)
	if err != nil {
		return 0, false, err
	}
	return s.firstLive(t, keys, func(uint64) (bool, error) { return true, nil })
}

// authorKeys returns the index keys of the author's reports on every
// plan, newest first, at most limit of them (0: all).
func (s *EtcdStore) authorKeys(t *etx, authorID string, limit int64) ([]string, error) {
	plans, err := s.usedPlans(t)
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, p := range plans {
		ks, err := t.scan(s.planKey(p, "a/", authorID, "\x00"), true, limit)
		if err != nil {
			return nil, err
		}
		keys = append(keys, ks...)
	}
	sort.SliceStable(keys, func(i, j int) bool { return keys[i][len(keys[i])-20:] > keys[j][len(keys[j])-20:] })
	if limit > 0 && int64(len(keys)) > limit {
		keys = keys[:limit]
	}
	return keys, nil
}

// firstLive returns the first report among index keys (in their order)
// that is not retracted and that accept takes.
func (s *EtcdStore) firstLive(t *etx, keys []string, accept func(seq uint64) (bool, error)) (uint64, bool, error) {
	const page = 50
	for lo := 0; lo < len(keys); lo += page {
		hi := min(lo+page, len(keys))
		var seqs []uint64
		var xkeys, ckeys []string
		for _, k := range keys[lo:hi] {
			seq, err := seqSuffix(k)
			if err != nil {
				return 0, false, err
			}
			seqs = append(seqs, seq)
			plan := s.keyPlan(k)
			xkeys = append(xkeys, s.planKey(plan, "x/", seqStr(seq)))
			ckeys = append(ckeys, s.planKey(plan, "c/", seqStr(seq)))
		}
		xs, err := t.getMany(xkeys)
		if err != nil {
			return 0, false, err
		}
		cs, err := s.corrections(t, ckeys)
		if err != nil {
			return 0, false, err
		}
		for i, seq := range seqs {
			if xs[i] != nil || cs[i] != 0 {
				continue // retracted or corrected
			}
			ok, err := accept(seq)
			if err != nil {
				return 0, false, err
			}
			if ok {
				return seq, true, nil
			}
		}
	}
	return 0, false, nil
}

// previousLive finds the newest live report of the plan's (item, agency)
// older than seq.
func (s *EtcdStore) previousLive(t *etx, plan string, item int, agency string, seq uint64) (uint64, bool, error) {
	keys, err := t.scan(s.planKey(plan, "i/", itemStr(item), "/"), true, 0)
	if err != nil {
		return 0, false, err
	}
	var older []string
	for _, k := range keys {
		n, err := seqSuffix(k)
		if err != nil {
			return 0, false, err
		}
		if n < seq {
			older = append(older, k)
		}
	}
	return s.firstLive(t, older, func(n uint64) (bool, error) {
		us, err := s.loadUpdates(t, plan, []uint64{n})
		return err == nil && us[0].Agency == agency, err
	})
}

// History returns the reports on an item of a plan, newest first,
// retracted ones included and marked, read at one revision.
func (s *EtcdStore) History(ctx context.Context, plan string, item int) ([]duban.Update, error) {
	if err := checkPlanID(plan); err != nil {
		return nil, err
	}
	var out []duban.Update
	err := s.run(ctx, false, func(t *etx) error {
		keys, err := t.scan(s.planKey(plan, "i/", itemStr(item), "/"), true, 0)
		if err != nil {
			return err
		}
		seqs := make([]uint64, 0, len(keys))
		for _, k := range keys {
			n, err := seqSuffix(k)
			if err != nil {
				return err
			}
			seqs = append(seqs, n)
		}
		out, err = s.loadUpdates(t, plan, seqs)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Latest returns the latest live report of every (item, agency) pair of a
// plan that has one, by item and then agency, read at one revision from
// the latest pointers, never the history.
func (s *EtcdStore) Latest(ctx context.Context, plan string) ([]duban.Update, error) {
	if err := checkPlanID(plan); err != nil {
		return nil, err
	}
	var out []duban.Update
	err := s.run(ctx, false, func(t *etx) error {
		prefix := s.planKey(plan, "l/")
		keys, vals, err := t.scanKVs(prefix)
		if err != nil {
			return err
		}
		seqs := make([]uint64, len(keys))
		for i, v := range vals {
			n, err := strconv.ParseUint(string(v), 10, 64)
			if err != nil {
				return corrupt("latest status", []byte(keys[i]), err)
			}
			seqs[i] = n
		}
		us, err := s.loadUpdates(t, plan, seqs)
		if err != nil {
			return err
		}
		for i, u := range us {
			rest := strings.TrimPrefix(keys[i], prefix)
			item, agency, _ := strings.Cut(rest, "/")
			if itemStr(u.Item) != item || u.Agency != agency || u.Retracted {
				return corrupt("latest status", []byte(keys[i]), nil)
			}
		}
		sort.SliceStable(us, func(a, b int) bool {
			if us[a].Item != us[b].Item {
				return us[a].Item < us[b].Item
			}
			return us[a].Agency < us[b].Agency
		})
		out = us
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Count returns the number of reports stored, retracted ones included.
func (s *EtcdStore) Count(ctx context.Context) (int, error) {
	n := 0
	err := s.run(ctx, false, func(t *etx) error {
		v, ok, err := t.get(s.k("seq"))
		if err != nil || !ok {
			return err
		}
		c, err := strconv.Atoi(string(v))
		if err != nil {
			return corrupt("report counter", []byte(s.k("seq")), err)
		}
		n = c
		return nil
	})
	return n, err
}

// Bind ties a user to an agency, replacing an earlier binding. The same
// sourceID again changes nothing.
func (s *EtcdStore) Bind(ctx context.Context, b duban.Binding, sourceID string) error {
	if err := checkWrite(ctx, b.UserID, sourceID); err != nil {
		return err
	}
	if err := checkBinding(b); err != nil {
		return err
	}
	rec := bindingRecOf(b, s.now())
	nonce := newNonce()
	return s.run(ctx, true, func(t *etx) error {
		return s.once(t, sourceID, kindBind, nonce, nil, func() (sourceRec, error) {
			t.put(s.k("b/", b.UserID), encode(rec))
			return sourceRec{}, nil
		})
	})
}

// Unbind removes the user's binding and reports whether there was one.
func (s *EtcdStore) Unbind(ctx context.Context, userID, sourceID string) (bool, error) {
	return s.removeKey(ctx, "b/", kindUnbind, userID, sourceID)
}

// removeKey deletes a user's record, once per source id.
func (s *EtcdStore) removeKey(ctx context.Context, space, kind, userID, sourceID string) (bool, error) {
	if err := checkWrite(ctx, userID, sourceID); err != nil {
		return false, err
	}
	nonce := newNonce()
	existed := false
	err := s.run(ctx, true, func(t *etx) error {
		replay := func(first etcdSourceRec, _ bool) error {
			existed = first.OK
			return nil
		}
		return s.once(t, sourceID, kind, nonce, replay, func() (sourceRec, error) {
			key := s.k(space, userID)
			_, ok, err := t.get(key)
			if err != nil {
				return sourceRec{}, err
			}
			existed = ok
			if ok {
				t.del(key)
			}
			return sourceRec{OK: ok}, nil
		})
	})
	return existed, err
}

// Binding returns the user's binding, if any.
func (s *EtcdStore) Binding(ctx context.Context, userID string) (duban.Binding, bool, error) {
	var (
		out   duban.Binding
		found bool
	)
	err := s.run(ctx, false, func(t *etx) error {
		v, ok, err := t.get(s.k("b/", userID))
		if err != nil || !ok {
			return err
		}
		out, err = decodeBinding([]byte(userID), v)
		found = err == nil
		return err
	})
	return out, found, err
}

// Bindings returns every binding, by user id.
func (s *EtcdStore) Bindings(ctx context.Context) ([]duban.Binding, error) {
	var out []duban.Binding
	err := s.run(ctx, false, func(t *etx) error {
		out = nil
		prefix := s.k("b/")
		keys, vals, err := t.scanKVs(prefix)
		if err != nil {
			return err
		}
		for i, k := range keys {
			b, err := decodeBinding([]byte(strings.TrimPrefix(k, prefix)), vals[i])
			if err != nil {
				return err
			}
			out = append(out, b)
		}
		return nil
	})
	return out, err
}

// AddAdmin makes a user an admin of the store. The same sourceID again
// changes nothing.
func (s *EtcdStore) AddAdmin(ctx context.Context, userID, by, sourceID string) error {
	if err := checkWrite(ctx, userID, sourceID); err != nil {
		return err
	}
	if len(by) > maxIDLen {
		return duban.Errorf(duban.CodeInvalid, "操作人标识过长 (id too long)")
	}
	nonce := newNonce()
	return s.run(ctx, true, func(t *etx) error {
		return s.once(t, sourceID, kindAdmin, nonce, nil, func() (sourceRec, error) {
			t.put(s.k("adm/", userID), encode(adminRec{By: by, Time: s.now().Round(0)}))
			return sourceRec{}, nil
		})
	})
}

// RemoveAdmin takes a user's admin rights in the store away and reports
// whether they had them.
func (s *EtcdStore) RemoveAdmin(ctx context.Context, userID, sourceID string) (bool, error) {
	return s.removeKey(ctx, "adm/", kindUnadmin, userID, sourceID)
}

// IsAdmin reports whether the user was made an admin in the store.
func (s *EtcdStore) IsAdmin(ctx context.Context, userID string) (bool, error) {
	ok := false
	err := s.run(ctx, false, func(t *etx) error {
		var err error
		_, ok, err = t.get(s.k("adm/", userID))
		return err
	})
	return ok, err
}

// Admins returns the user ids made admins in the store, sorted.
func (s *EtcdStore) Admins(ctx context.Context) ([]string, error) {
	var out []string
	err := s.run(ctx, false, func(t *etx) error {
		prefix := s.k("adm/")
		keys, err := t.scan(prefix, false, 0)
		out = nil
		for _, k := range keys {
			out = append(out, strings.TrimPrefix(k, prefix))
		}
		return err
	})
	return out, err
}

// eventTime reads when an event was marked processed.
func (s *EtcdStore) eventTime(t *etx, id string) (time.Time, bool, error) {
	key := s.k("ev/", id)
	v, ok, err := t.get(key)
	if err != nil || !ok {
		return time.Time{}, false, err
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return time.Time{}, false, corrupt("event id", []byte(key), err)
	}
	return time.Unix(0, n), true, nil
}

// MarkEvent records that the chat adapter has handled the event and
// reports whether this is the first time (within SourceTTL); a claim on it
// ends.
func (s *EtcdStore) MarkEvent(ctx context.Context, id string) (first bool, err error) {
	if err := ctxErr(ctx); err != nil {
		return false, err
	}
	if err := checkID("事件标识", id); err != nil {
		return false, err
	}
	// The usual case in one round trip: the id was never seen.
	if ok, err := s.fastPut(ctx, []string{s.k("ev/", id)}, s.k("ev/", id), []byte(strconv.FormatInt(s.now().UnixNano(), 10)), s.k("evc/", id)); err == nil && ok {
		return true, nil
	}
	err = s.run(ctx, true, func(t *etx) error {
		first = false
		now := s.now()
		if at, ok, err := s.eventTime(t, id); err != nil {
			return err
		} else if ok && now.Sub(at) < SourceTTL {
			return nil
		}
		first = true
		t.del(s.k("evc/", id))
		t.putLeased(s.k("ev/", id), []byte(strconv.FormatInt(now.UnixNano(), 10)))
		return nil
	})
	return first, err
}

// EventSeen reports whether MarkEvent recorded the id within SourceTTL.
func (s *EtcdStore) EventSeen(ctx context.Context, id string) (bool, error) {
	if err := checkID("事件标识", id); err != nil {
		return false, err
	}
	seen := false
	err := s.run(ctx, false, func(t *etx) error {
		at, ok, err := s.eventTime(t, id)
		seen = ok && s.now().Sub(at) < SourceTTL
		return err
	})
	return seen, err
}

// ClaimEvent claims the event id for this store for hold: one transaction
// that fails for every other replica. It reports false when the id was
// processed within SourceTTL or another claim on it has not lapsed.
func (s *EtcdStore) ClaimEvent(ctx context.Context, id string, hold time.Duration) (bool, error) {
	if err := ctxErr(ctx); err != nil {
		return false, err
	}
	if err := checkID("事件标识", id); err != nil {
		return false, err
	}
	claimed := false
	nonce := newNonce()
	// The usual case in one round trip: nobody saw or claimed the id.
	evKey, claimKey := s.k("ev/", id), s.k("evc/", id)
	claim := encode(claimRec{Until: s.now().Add(hold), Owner: s.instance, Nonce: nonce})
	if ok, err := s.fastPut(ctx, []string{evKey, claimKey}, claimKey, claim, ""); err == nil && ok {
		return true, nil
	}
	err := s.run(ctx, true, func(t *etx) error {
		claimed = false
		now := s.now()
		if at, ok, err := s.eventTime(t, id); err != nil {
			return err
		} else if ok && now.Sub(at) < SourceTTL {
			return nil
		}
		key := s.k("evc/", id)
		if v, ok, err := t.get(key); err != nil {
			return err
		} else if ok {
			var c claimRec
			if err := decode("event claim", []byte(key), v, &c); err != nil {
				return err
			}
			if now.Before(c.Until) {
				// Taken, unless by an earlier attempt of this very call
				// whose answer was lost.
				claimed = c.Nonce == nonce
				return nil
			}
		}
		claimed = true
		t.putLeased(key, encode(claimRec{Until: now.Add(hold), Owner: s.instance, Nonce: nonce}))
		return nil
	})
	return claimed, err
}

// fastPut puts key (under the id lease), and deletes del when not empty,
// in one transaction if none of absent exists; it reports whether it did.
// A false or an error sends the caller to the general path, which also
// finds a put whose answer was lost.
func (s *EtcdStore) fastPut(ctx context.Context, absent []string, key string, val []byte, del string) (bool, error) {
	octx, cancel := context.WithTimeout(ctx, s.opTimeout/2)
	defer cancel()
	lease, err := s.idLease(octx)
	if err != nil {
		return false, err
	}
	var cmps []clientv3.Cmp
	for _, k := range absent {
		cmps = append(cmps, clientv3.Compare(clientv3.CreateRevision(k), "=", 0))
	}
	ops := []clientv3.Op{clientv3.OpPut(key, string(val), clientv3.WithLease(lease))}
	if del != "" {
		ops = append(ops, clientv3.OpDelete(del))
	}
	resp, err := s.cli.Txn(octx).If(cmps...).Then(ops...).Commit()
	if err != nil {
		if isLeaseGone(err) {
			s.dropLease(lease)
		}
		return false, err
	}
	return resp.Succeeded, nil
}

// ReleaseEvent deletes this store's claim on an event id, if it holds one.
func (s *EtcdStore) ReleaseEvent(ctx context.Context, id string) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	if err := checkID("事件标识", id); err != nil {
		return err
	}
	return s.run(ctx, true, func(t *etx) error {
		key := s.k("evc/", id)
		v, ok, err := t.get(key)
		if err != nil || !ok {
			return err
		}
		var c claimRec
		if err := decode("event claim", []byte(key), v, &c); err != nil {
			return err
		}
		if c.Owner == s.instance {
			t.del(key)
		}
		return nil
	})
}
