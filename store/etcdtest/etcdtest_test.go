package etcdtest

import (
	"context"
	"testing"
	"time"
)

func TestMain(m *testing.M) { Main(m) }

// TestClusterSurvivesLeaderKill: a three-member cluster answers, loses its
// leader to SIGKILL, elects another, keeps what was written, and takes the
// killed member back.
func TestClusterSurvivesLeaderKill(t *testing.T) {
	c := Start(t, 3, Options{})
	cli, err := c.Client()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := cli.Put(ctx, "k", "v1"); err != nil {
		t.Fatal(err)
	}
	lead, err := c.Leader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.Members[lead].Kill()
	if err := c.WaitHealthy(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	if now, err := c.Leader(ctx); err != nil || now == lead {
		t.Fatalf("leader after the kill = %d, %v; want another member than %d", now, err, lead)
	}
	if _, err := cli.Put(ctx, "k", "v2"); err != nil {
		t.Fatal(err)
	}
	if err := c.Members[lead].Restart(); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitHealthy(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	resp, err := cli.Get(ctx, "k")
	if err != nil || len(resp.Kvs) != 1 || string(resp.Kvs[0].Value) != "v2" {
		t.Fatalf("get k = %v, %v; want v2", resp, err)
	}
}
