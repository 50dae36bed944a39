package slack

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"duban"
	"duban/store"
	"duban/store/etcdtest"
)

func TestMain(m *testing.M) { etcdtest.Main(m) }

// TestEtcdWithoutMajoritySaysSoInChat: a replica on etcd whose majority
// is down answers a report in the thread with the message that it could
// not be saved, never a confirmation.
func TestEtcdWithoutMajoritySaysSoInChat(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an etcd cluster")
	}
	h := start(t, false)
	c := etcdtest.Start(t, 3, etcdtest.Options{})
	es, err := store.OpenEtcd(context.Background(), store.EtcdOptions{Endpoints: c.Endpoints(), OpTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { es.Close() })
	if err := es.Bind(context.Background(), duban.Binding{UserID: "UA", Agency: "省林业局", BoundBy: adminUser}, "bind-UA"); err != nil {
		t.Fatal(err)
	}
	url := startReplicaOn(t, h, es)
	c.Members[1].Kill()
	c.Members[2].Kill()
	body := eventBody("EvNoQuorum", mention("UA", "进展 #3 进行中 已完成造林10万亩", "1700000900.000100"))
	req, _ := http.NewRequest(http.MethodPost, url+"/slack/events", strings.NewReader(string(body)))
	stamp, sig := sign(testSecret, time.Now(), body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	waitForUpTo(t, 30*time.Second, "the answer", func() bool { return len(h.slack.postsSnapshot()) > 0 })
	posts := h.slack.postsSnapshot()
	if len(posts) != 1 {
		t.Fatalf("%d answers, want 1: %+v", len(posts), posts)
	}
	if text := posts[0].Text; !strings.Contains(text, "暂时无法保存") || strings.Contains(text, "已记录第") {
		t.Errorf("answer without a majority = %q; want that it could not be saved", text)
	}
}
