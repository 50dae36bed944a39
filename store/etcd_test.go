package store

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"duban"
	"duban/store/etcdtest"
	"duban/store/storetest"
)

// testPrefixes keeps the tests apart on the shared cluster.
var testPrefixes atomic.Int64

// openEtcd opens an etcd store on the package's shared three-member
// cluster, under a prefix of its own.
func openEtcd(t testing.TB, opts EtcdOptions) *EtcdStore {
	t.Helper()
	c := etcdtest.Shared(t)
	opts.Endpoints = c.Endpoints()
	if opts.Prefix == "" {
		opts.Prefix = fmt.Sprintf("test/%d/%d/", time.Now().UnixNano(), testPrefixes.Add(1))
	}
	s, err := OpenEtcd(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestEtcdContract runs the store contract against the etcd backend on a
// real three-member cluster.
func TestEtcdContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) storetest.Store {
		return openEtcd(t, EtcdOptions{Now: now})
	})
}

// TestEtcdUnreachableAtStart: a cluster that does not answer is a clear
// error naming the endpoints, quickly.
func TestEtcdUnreachableAtStart(t *testing.T) {
	began := time.Now()
	_, err := OpenEtcd(context.Background(), EtcdOptions{Endpoints: []string{"127.0.0.1:1"}, DialTimeout: time.Second})
	if duban.ErrorCode(err) != duban.CodeUnavailable || !strings.Contains(duban.UserMessage(err), "无法连接 etcd") ||
		!strings.Contains(duban.UserMessage(err), "127.0.0.1:1") {
		t.Errorf("OpenEtcd of nothing = %v; want unavailable naming the endpoint", err)
	}
	if d := time.Since(began); d > 10*time.Second {
		t.Errorf("OpenEtcd took %v to fail", d)
	}
	if _, err := OpenEtcd(context.Background(), EtcdOptions{}); duban.ErrorCode(err) != duban.CodeInvalid {
		t.Errorf("OpenEtcd without endpoints = %v, want invalid", err)
	}
}

// TestEtcdSchemaVersion: a prefix written by another schema version is
// refused; the same version opens.
func TestEtcdSchemaVersion(t *testing.T) {
	s := openEtcd(t, EtcdOptions{})
	if _, err := s.Client().Put(context.Background(), s.Prefix()+"schema", "99"); err != nil {
		t.Fatal(err)
	}
	_, err := OpenEtcd(context.Background(), EtcdOptions{Endpoints: s.Endpoints(), Prefix: s.Prefix()})
	if err == nil || !strings.Contains(duban.UserMessage(err), "格式版本") {
		t.Errorf("OpenEtcd of schema 99 = %v, want a version mismatch", err)
	}
	s2 := openEtcd(t, EtcdOptions{})
	s3, err := OpenEtcd(context.Background(), EtcdOptions{Endpoints: s2.Endpoints(), Prefix: s2.Prefix()})
	if err != nil {
		t.Fatalf("reopen of the same version: %v", err)
	}
	s3.Close()
}

// TestEtcdWithoutQuorumSaysNothingWasSaved: with two of three members
// down, a report fails within the operation timeout with a message that
// says it was not saved, and nothing is stored; with a majority back, the
// same report is stored once.
func TestEtcdWithoutQuorumSaysNothingWasSaved(t *testing.T) {
	c := etcdtest.Start(t, 3, etcdtest.Options{})
	s, err := OpenEtcd(context.Background(), EtcdOptions{Endpoints: c.Endpoints(), OpTimeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u := storetest.Report(3, "省林业局", "U1", "q1", "第一次", duban.StatusInProgress)
	if _, _, err := s.AddUpdate(ctx, u); err != nil {
		t.Fatal(err)
	}
	c.Members[1].Kill()
	c.Members[2].Kill()
	u2 := storetest.Report(3, "省林业局", "U1", "q2", "没有多数派时", duban.StatusInProgress)
	began := time.Now()
	_, _, err = s.AddUpdate(ctx, u2)
	if duban.ErrorCode(err) != duban.CodeUnavailable || !strings.Contains(duban.UserMessage(err), "没有记录") {
		t.Errorf("AddUpdate without quorum = %v; want unavailable, saying nothing was saved", err)
	}
	if d := time.Since(began); d > 10*time.Second {
		t.Errorf("AddUpdate without quorum took %v", d)
	}
	if _, err := s.Latest(ctx, LegacyPlanID); duban.ErrorCode(err) != duban.CodeUnavailable {
		t.Errorf("Latest without quorum = %v, want unavailable", err)
	}
	for _, i := range []int{1, 2} {
		if err := c.Members[i].Restart(); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.WaitHealthy(60 * time.Second); err != nil {
		t.Fatal(err)
	}
	got, dup, err := s.AddUpdate(ctx, u2)
	if err != nil || dup || got.Seq != 2 {
		t.Fatalf("AddUpdate after recovery = %+v, %v, %v; want stored as record 2", got, dup, err)
	}
	if h, _ := s.History(ctx, LegacyPlanID, 3); len(h) != 2 {
		t.Errorf("History has %d reports, want 2", len(h))
	}
}

// TestElectionOneLeaderAndTakeover: of two replicas campaigning, one
// leads; it claims each slot once, the other claims none; when the leader
// steps down the other takes over and a slot already claimed stays
// claimed.
func TestElectionOneLeaderAndTakeover(t *testing.T) {
	a := openEtcd(t, EtcdOptions{})
	b := openEtcd(t, EtcdOptions{Endpoints: a.Endpoints(), Prefix: a.Prefix()})
	la := a.Campaign(ctx, "remind", DefaultPlan, 2*time.Second, nil)
	defer la.Close()
	deadline := time.Now().Add(20 * time.Second)
	for !la.IsLeader() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !la.IsLeader() {
		t.Fatal("the only campaigner never led")
	}
	lb := b.Campaign(ctx, "remind", DefaultPlan, 2*time.Second, nil)
	defer lb.Close()
	time.Sleep(500 * time.Millisecond)
	if lb.IsLeader() {
		t.Fatal("two leaders at once")
	}
	slot := time.Date(2021, 5, 10, 9, 0, 0, 0, time.UTC)
	if ok, err := lb.ClaimRun(ctx, "remind", slot); ok || err != nil {
		t.Errorf("ClaimRun by the follower = %v, %v; want refused", ok, err)
	}
	if ok, err := la.ClaimRun(ctx, "remind", slot); !ok || err != nil {
		t.Errorf("ClaimRun by the leader = %v, %v; want claimed", ok, err)
	}
	if ok, _ := la.ClaimRun(ctx, "remind", slot); ok {
		t.Error("the same slot was claimed twice")
	}
	la.Close()
	deadline = time.Now().Add(20 * time.Second)
	for !lb.IsLeader() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !lb.IsLeader() {
		t.Fatal("no takeover after the leader stepped down")
	}
	if ok, _ := lb.ClaimRun(ctx, "remind", slot); ok {
		t.Error("the new leader claimed a slot the old one had run")
	}
	if ok, err := lb.ClaimRun(ctx, "remind", slot.Add(time.Minute)); !ok || err != nil {
		t.Errorf("the new leader's next slot = %v, %v; want claimed", ok, err)
	}
	if last, ok, _ := a.LastRun(ctx, DefaultPlan, "remind"); !ok || !last.Equal(slot.Add(time.Minute)) {
		t.Errorf("LastRun = %v %v", last, ok)
	}
}

// TestEtcdSchema1Prefix: a prefix of schema 1 (one plan: its report
// counter under p/PLAN/seq, records without their plan) opens as schema 2
// with every report on that plan, found by number, and new reports go on
// numbering after it.
func TestEtcdSchema1Prefix(t *testing.T) {
	s := openEtcd(t, EtcdOptions{})
	cli, p := s.Client(), s.Prefix()
	old := func(seq uint64, item int, text string) {
		t.Helper()
		rec := encode(updateRec{Item: item, Agency: "省林业局", AuthorID: "U1", Status: int(duban.StatusInProgress), Percent: duban.NoPercent,
			Text: text, Time: time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC), SourceID: fmt.Sprint("old", seq)})
		sk := seqStr(seq)
		for k, v := range map[string]string{
			"p/" + LegacyPlanID + "/r/" + sk: string(rec), "p/" + LegacyPlanID + "/i/" + itemStr(item) + "/" + sk: "",
			"p/" + LegacyPlanID + "/a/U1\x00" + sk: "", "p/" + LegacyPlanID + "/l/" + itemStr(item) + "/省林业局": sk,
		} {
			if _, err := cli.Put(ctx, p+k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := cli.Delete(ctx, p+"pu/", clientv3.WithPrefix()); err != nil {
		t.Fatal(err)
	}
	old(1, 3, "旧的第3条")
	old(2, 53, "旧的第53条")
	for k, v := range map[string]string{"schema": "1", "p/" + LegacyPlanID + "/seq": "2"} {
		if _, err := cli.Put(ctx, p+k, v); err != nil {
			t.Fatal(err)
		}
	}
	s2, err := OpenEtcd(context.Background(), EtcdOptions{Endpoints: s.Endpoints(), Prefix: p})
	if err != nil {
		t.Fatalf("open a schema 1 prefix: %v", err)
	}
	defer s2.Close()
	if v, _ := cli.Get(ctx, p+"schema"); len(v.Kvs) != 1 || string(v.Kvs[0].Value) != "2" {
		t.Errorf("schema after opening: %v", v.Kvs)
	}
	if h, err := s2.History(ctx, LegacyPlanID, 3); err != nil || len(h) != 1 || h[0].Text != "旧的第3条" || h[0].Plan != LegacyPlanID {
		t.Errorf("the old history of item 3: %+v %v", h, err)
	}
	if u, ok, err := s2.Record(ctx, 2); err != nil || !ok || u.Plan != LegacyPlanID || u.Item != 53 {
		t.Errorf("Record(2) = %+v %v %v", u, ok, err)
	}
	u, _, err := s2.AddUpdate(ctx, storetest.Report(3, "省林业局", "U1", "new", "新的", duban.StatusDone))
	if err != nil || u.Seq != 3 {
		t.Errorf("a new report: seq %d %v, want 3", u.Seq, err)
	}
	if l, _ := s2.Latest(ctx, LegacyPlanID); len(l) != 2 {
		t.Errorf("latest: %+v", l)
	}
}
