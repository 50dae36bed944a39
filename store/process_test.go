package store

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"duban"
	"duban/store/etcdtest"
)

// childEnv selects a child role when the test binary re-executes itself.
const childEnv = "DUBAN_STORE_TEST_CHILD"

func TestMain(m *testing.M) {
	etcdtest.BeMember()
	switch os.Getenv(childEnv) {
	case "writer":
		os.Exit(childWriter(os.Getenv("DUBAN_DATA"), os.Getenv("CHILD_PREFIX")))
	case "opener":
		os.Exit(childOpener(os.Getenv("DUBAN_DATA")))
	}
	code := m.Run()
	removeBigStore()
	stopBenchCluster()
	etcdtest.Cleanup()
	os.Exit(code)
}

// childWriter writes reports until it is killed, printing "ok SEQ SRC"
// after each commit: the confirmation a user would see.
func childWriter(dir, prefix string) int {
	s, err := Open(dir, Options{Timeout: 5 * time.Second})
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	for i := 0; ; i++ {
		src := fmt.Sprintf("%s-%d", prefix, i)
		u := report(i%71+1, "省林业局", "U1", src, "进展 "+src+strings.Repeat("内容", i%50), duban.StatusInProgress)
		got, _, err := s.AddUpdate(ctx, u)
		if err != nil {
			fmt.Println("error", err)
			return 1
		}
		fmt.Printf("ok %d %s\n", got.Seq, src)
	}
}

// childOpener tries to open the database and prints how long it took and
// the user-facing message.
func childOpener(dir string) int {
	start := time.Now()
	s, err := Open(dir, Options{NoSocket: true})
	if err == nil {
		s.Close()
		fmt.Println("opened")
		return 0
	}
	fmt.Printf("%d %s %s\n", time.Since(start).Milliseconds(), duban.ErrorCode(err), duban.UserMessage(err))
	return 0
}

func child(t *testing.T, role, dir string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+role, "DUBAN_DATA="+dir)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stderr = os.Stderr
	return cmd
}

func TestSecondProcessGetsLockedError(t *testing.T) {
	s := open(t, Options{NoSocket: true})
	out, err := child(t, "opener", s.Dir()).Output()
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	f := strings.SplitN(strings.TrimSpace(string(out)), " ", 3)
	if len(f) != 3 {
		t.Fatalf("child said %q", out)
	}
	ms, _ := strconv.Atoi(f[0])
	if f[1] != string(duban.CodeLocked) || f[2] != LockedMessage {
		t.Errorf("second process got %s %q, want %s %q", f[1], f[2], duban.CodeLocked, LockedMessage)
	}
	if ms < 500 || ms > 3000 {
		t.Errorf("second process gave up after %d ms, want about 1000", ms)
	}
}

// TestKilledWriterLosesNothingConfirmed SIGKILLs a process in the middle of
// a stream of writes, several times over the same file. Every report it
// confirmed must be there afterwards, and the file must open and check
// cleanly.
func TestKilledWriterLosesNothingConfirmed(t *testing.T) {
	dir := t.TempDir()
	rounds, perRound := 3, 150
	if testing.Short() {
		rounds, perRound = 1, 40
	}
	confirmed := map[uint64]string{}
	for round := range rounds {
		cmd := child(t, "writer", dir, fmt.Sprintf("CHILD_PREFIX=r%d", round))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		n := 0
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) != 3 || f[0] != "ok" {
				t.Fatalf("child said %q", sc.Text())
			}
			seq, _ := strconv.ParseUint(f[1], 10, 64)
			confirmed[seq] = f[2]
			if n++; n == perRound {
				// Kill while the child is writing its next report.
				cmd.Process.Signal(syscall.SIGKILL)
				break
			}
		}
		cmd.Wait()
		if n < perRound {
			t.Fatalf("round %d: child stopped after %d confirmations", round, n)
		}

		s, err := Open(dir, Options{Timeout: 5 * time.Second, NoSocket: true})
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		if err := s.Check(); err != nil {
			t.Errorf("round %d: %v", round, err)
		}
		found := map[uint64]string{}
		for item := 1; item <= 71; item++ {
			h, err := s.History(ctx, LegacyPlanID, item)
			if err != nil {
				t.Fatalf("round %d: History(%d): %v", round, item, err)
			}
			for _, u := range h {
				if _, dup := found[u.Seq]; dup {
					t.Errorf("seq %d listed twice", u.Seq)
				}
				found[u.Seq] = u.SourceID
			}
		}
		for seq, src := range confirmed {
			if found[seq] != src {
				t.Errorf("round %d: confirmed report %d (%s) is %q after the kill", round, seq, src, found[seq])
			}
		}
		// Reports committed after the last line read are stored unconfirmed;
		// sequence numbers have no holes.
		for seq := uint64(1); seq <= uint64(len(found)); seq++ {
			if _, ok := found[seq]; !ok {
				t.Errorf("round %d: %d reports stored but seq %d is missing", round, len(found), seq)
			}
		}
		if len(found) < len(confirmed) {
			t.Errorf("round %d: %d reports stored, %d confirmed", round, len(found), len(confirmed))
		}
		for seq, src := range found { // count it as confirmed for the next round
			confirmed[seq] = src
		}
		s.Close()
	}
}
