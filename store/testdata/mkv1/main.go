// Command mkv1 wrote testdata/duban-v1.db with the store of schema version 1
// (duban at commit 77ac859, before plans were keyed): two users, an admin,
// seven reports on items 2, 3 and 53 of the 2021 plan, one retracted and
// one corrected, and a deadline set by the office. It builds only against
// that commit (testdata is not built with the module):
//
//	mkdir /tmp/v1 && git archive 77ac859 | tar -x -C /tmp/v1
//	cp -r store/testdata/mkv1 /tmp/v1/cmd/ && (cd /tmp/v1 && go run ./cmd/mkv1 DIR)
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"duban"
	"duban/store"
)

func main() {
	dir := os.Args[1]
	clock := time.Date(2021, 6, 1, 9, 0, 0, 0, duban.ChinaTime())
	now := func() time.Time { return clock }
	st, err := store.Open(dir, store.Options{NoSocket: true, Now: now})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(st.Bind(ctx, duban.Binding{UserID: "U1", Agency: "省林业局", BoundBy: "local", Time: clock}, "b1"))
	must(st.Bind(ctx, duban.Binding{UserID: "U2", Agency: "福州海关", BoundBy: "local", Time: clock}, "b2"))
	must(st.AddAdmin(ctx, "UADMIN", "local", "a1"))
	add := func(item int, agency, author string, status duban.Status, pct int, text, src string, day int) duban.Update {
		u, _, err := st.AddUpdate(ctx, duban.Update{Item: item, Agency: agency, AuthorID: author, AuthorName: "名" + author,
			Status: status, Percent: pct, Text: text, Time: clock.AddDate(0, 0, day), Channel: "console", SourceID: src})
		must(err)
		return u
	}
	add(3, "省林业局", "U1", duban.StatusInProgress, 20, "开展林产品质量安全监测", "s1", 0)
	add(53, "省林业局", "U1", duban.StatusInProgress, duban.NoPercent, "扶持林业龙头企业", "s2", 1)
	add(3, "省林业局", "U1", duban.StatusInProgress, 40, "完成林木种苗抽查", "s3", 2)
	add(2, "福州海关", "U2", duban.StatusDone, 100, "完成出口水产品风险评估", "s4", 3)
	add(2, "福州海关", "U2", duban.StatusDelayed, duban.NoPercent, "境外疫情影响抽检", "s5", 4)
	_, err = st.Retract(ctx, "U2", "r1", clock.AddDate(0, 0, 5))
	must(err)
	u6 := add(53, "省林业局", "U1", duban.StatusInProgress, 50, "推进笋竹精深加工", "s6", 6)
	_, _, err = st.Correct(ctx, duban.Update{Item: 53, Agency: "省林业局", AuthorID: "U1", AuthorName: "名U1", Status: duban.StatusInProgress,
		Percent: 60, Text: "推进笋竹精深加工，新增示范基地3个", Time: clock.AddDate(0, 0, 7), Channel: "console", SourceID: "c1", Corrects: u6.Seq})
	must(err)
	_, _, err = st.AddDeadline(ctx, "fujian-2021-quality", duban.DeadlineChange{Item: 3, Date: time.Date(2021, 10, 31, 0, 0, 0, 0, duban.ChinaTime()), ByID: "UADMIN", Time: clock, SourceID: "d1"})
	must(err)
	n, _ := st.Count(ctx)
	fmt.Println("reports", n)
	must(st.Close())
}
