// Package etcdtest starts real etcd clusters on loopback for tests: every
// member is the embedded etcd server (go.etcd.io/etcd/server/v3/embed) in a
// child process of the test binary, so that a test can kill a member the
// way a machine dies (SIGKILL, no leadership handed over) and start it
// again on the same data directory.
//
// A package that uses it calls Main from its TestMain: the test binary then
// serves as an etcd member when it is started as one, and runs the tests
// otherwise.
//
//	func TestMain(m *testing.M) { etcdtest.Main(m) }
//
// Only tests import it; it is the only importer of the etcd server.
package etcdtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/etcd/client/pkg/v3/transport"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

func nopLogger() *zap.Logger { return zap.NewNop() }

// memberEnv carries a member's configuration to the child process.
const memberEnv = "DUBAN_ETCDTEST_MEMBER"

// memberConfig is what a child process needs to run one member.
type memberConfig struct {
	Name       string `json:"name"`
	Dir        string `json:"dir"`
	ClientURL  string `json:"client"`
	PeerURL    string `json:"peer"`
	Cluster    string `json:"cluster"` // name=peerURL,...
	Token      string `json:"token"`
	State      string `json:"state"` // new or existing
	Log        string `json:"log"`
	NoFsync    bool   `json:"nofsync,omitempty"`
	TickMs     uint   `json:"tick,omitempty"`
	ElectionMs uint   `json:"election,omitempty"`
	// TLS of the client URL (the peers talk plain HTTP on loopback).
	CertFile string `json:"cert,omitempty"`
	KeyFile  string `json:"key,omitempty"`
	CAFile   string `json:"ca,omitempty"`
}

// Main runs the tests of a package, or, in a child process started by
// this package, one etcd member until it is killed. Call it from TestMain.
func Main(m *testing.M) {
	BeMember()
	code := m.Run()
	Cleanup()
	os.Exit(code)
}

// BeMember runs one etcd member and exits when the process was started as
// one by this package; otherwise it returns at once. A TestMain that does
// more than Main calls it first, and Cleanup after the tests.
func BeMember() {
	if cfg := os.Getenv(memberEnv); cfg != "" {
		os.Exit(runMember(cfg))
	}
}

// Cleanup stops the shared cluster, if one was started.
func Cleanup() { stopShared() }

// runMember runs the member described by cfg (JSON) until SIGTERM,
// SIGKILL or the server fails.
func runMember(raw string) int {
	var mc memberConfig
	if err := json.Unmarshal([]byte(raw), &mc); err != nil {
		fmt.Fprintln(os.Stderr, "etcdtest member:", err)
		return 2
	}
	cfg := embed.NewConfig()
	cfg.Name = mc.Name
	cfg.Dir = mc.Dir
	cu, _ := url.Parse(mc.ClientURL)
	pu, _ := url.Parse(mc.PeerURL)
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{*cu}, []url.URL{*cu}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{*pu}, []url.URL{*pu}
	cfg.InitialCluster = mc.Cluster
	cfg.InitialClusterToken = mc.Token
	cfg.ClusterState = mc.State
	cfg.LogLevel = "error"
	cfg.LogOutputs = []string{mc.Log}
	cfg.UnsafeNoFsync = mc.NoFsync
	if mc.TickMs > 0 {
		cfg.TickMs, cfg.ElectionMs = mc.TickMs, mc.ElectionMs
	}
	if mc.CertFile != "" {
		cfg.ClientTLSInfo = transport.TLSInfo{CertFile: mc.CertFile, KeyFile: mc.KeyFile, TrustedCAFile: mc.CAFile, ClientCertAuth: true}
	}
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "etcdtest member:", err)
		return 1
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		fmt.Fprintln(os.Stderr, "etcdtest member:", err)
		return 1
	case <-sig:
		e.Close()
		return 0
	}
	select {
	case err := <-e.Err():
		fmt.Fprintln(os.Stderr, "etcdtest member:", err)
		return 1
	case <-sig:
		e.Close()
		return 0
	}
}

// Options tune a cluster.
type Options struct {
	// NoFsync turns off fsync in the members (faster, never durable). The
	// fault and benchmark tests keep it off.
	NoFsync bool
	// TickMs and ElectionMs are the heartbeat and election timeouts (0:
	// etcd's defaults, 100 and 1000 ms).
	TickMs, ElectionMs uint
	// TLS, when set, makes the members serve clients over TLS with this
	// server certificate and demand a client certificate signed by CA.
	TLS *TLSFiles
}

// TLSFiles are PEM files for a cluster that serves clients over TLS.
type TLSFiles struct {
	CA                    string // the CA that signed both certificates
	ServerCert, ServerKey string // for 127.0.0.1
	ClientCert, ClientKey string // what a client presents
}

// Cluster is a running etcd cluster of child processes.
type Cluster struct {
	Members []*Member
	dir     string
	opts    Options
	token   string
	initial string
	cmu     sync.Mutex
	clients []*clientv3.Client
	admin   *clientv3.Client // for Leader and WaitHealthy

	user, password string // the root account once EnableAuth ran
}

// EnableAuth turns on etcd's authentication with a root user of the given
// password and a user duban with readwrite on every key, and returns a
// client that logs in as root. Clients made afterwards log in as root.
func (c *Cluster) EnableAuth(ctx context.Context, rootPassword, dubanPassword string) error {
	cli, err := c.Client()
	if err != nil {
		return err
	}
	steps := []func() error{
		func() error { _, err := cli.UserAdd(ctx, "root", rootPassword); return err },
		func() error { _, err := cli.UserGrantRole(ctx, "root", "root"); return err },
		func() error { _, err := cli.RoleAdd(ctx, "duban"); return err },
		func() error {
			_, err := cli.RoleGrantPermission(ctx, "duban", "\x00", "\x00", clientv3.PermissionType(clientv3.PermReadWrite))
			return err
		},
		func() error { _, err := cli.UserAdd(ctx, "duban", dubanPassword); return err },
		func() error { _, err := cli.UserGrantRole(ctx, "duban", "duban"); return err },
		func() error { _, err := cli.AuthEnable(ctx); return err },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("etcdtest: enable auth: %w", err)
		}
	}
	c.cmu.Lock()
	c.user, c.password = "root", rootPassword
	if c.admin != nil {
		c.admin.Close()
		c.admin = nil
	}
	c.cmu.Unlock()
	return nil
}

// Member is one etcd member of a Cluster.
type Member struct {
	Name      string
	ClientURL string
	PeerURL   string
	cfg       memberConfig
	mu        sync.Mutex
	cmd       *exec.Cmd
	done      chan struct{}
	stopped   bool // killed or stopped on purpose
}

// freePorts returns n distinct free loopback ports.
func freePorts(n int) ([]int, error) {
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	var ports []int
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// New starts a cluster of n members in dir and waits until it has a
// leader. The caller stops it with Stop.
func New(dir string, n int, opts Options) (*Cluster, error) {
	var lastErr error
	for attempt := range 3 {
		c, err := tryNew(filepath.Join(dir, fmt.Sprint("c", attempt)), n, opts)
		if err == nil {
			return c, nil
		}
		lastErr = err // a port taken between choosing and binding it: again
	}
	return nil, lastErr
}

func tryNew(dir string, n int, opts Options) (*Cluster, error) {
	ports, err := freePorts(2 * n)
	if err != nil {
		return nil, fmt.Errorf("etcdtest: ports: %w", err)
	}
	c := &Cluster{dir: dir, opts: opts, token: fmt.Sprintf("duban-test-%d-%d", os.Getpid(), time.Now().UnixNano())}
	var initial []string
	for i := range n {
		scheme := "http"
		if opts.TLS != nil {
			scheme = "https"
		}
		m := &Member{
			Name:      fmt.Sprintf("m%d", i),
			ClientURL: fmt.Sprintf("%s://127.0.0.1:%d", scheme, ports[2*i]),
			PeerURL:   fmt.Sprintf("http://127.0.0.1:%d", ports[2*i+1]),
		}
		initial = append(initial, m.Name+"="+m.PeerURL)
		c.Members = append(c.Members, m)
	}
	c.initial = strings.Join(initial, ",")
	for _, m := range c.Members {
		mdir := filepath.Join(dir, m.Name)
		if err := os.MkdirAll(mdir, 0o700); err != nil {
			return nil, err
		}
		m.cfg = memberConfig{
			Name: m.Name, Dir: filepath.Join(mdir, "data"), ClientURL: m.ClientURL, PeerURL: m.PeerURL,
			Cluster: c.initial, Token: c.token, State: "new", Log: filepath.Join(mdir, "etcd.log"),
			NoFsync: opts.NoFsync, TickMs: opts.TickMs, ElectionMs: opts.ElectionMs,
		}
		if opts.TLS != nil {
			m.cfg.CertFile, m.cfg.KeyFile, m.cfg.CAFile = opts.TLS.ServerCert, opts.TLS.ServerKey, opts.TLS.CA
		}
		if err := m.start(); err != nil {
			c.Stop()
			return nil, err
		}
	}
	if err := c.WaitHealthy(60 * time.Second); err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

// start runs the member's process.
func (m *Member) start() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("etcdtest: %w", err)
	}
	raw, _ := json.Marshal(m.cfg)
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), memberEnv+"="+string(raw))
	logf, err := os.OpenFile(m.cfg.Log+".stderr", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("etcdtest: %w", err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	// The member dies with the test binary, however that ends.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("etcdtest: start member %s: %w", m.Name, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); logf.Close(); close(done) }()
	m.mu.Lock()
	m.cmd, m.done, m.stopped = cmd, done, false
	m.mu.Unlock()
	return nil
}

// Running reports whether the member's process is running.
func (m *Member) Running() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cmd == nil {
		return false
	}
	select {
	case <-m.done:
		return false
	default:
		return true
	}
}

// Kill kills the member's process with SIGKILL and waits for it to end.
func (m *Member) Kill() {
	m.mu.Lock()
	cmd, done := m.cmd, m.done
	m.stopped = true
	m.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Kill()
	<-done
}

// stop ends the member's process with SIGTERM (SIGKILL after 10 s).
func (m *Member) stop() {
	m.mu.Lock()
	cmd, done := m.cmd, m.done
	m.stopped = true
	m.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// Restart starts a killed member again on its data directory.
func (m *Member) Restart() error {
	if m.Running() {
		return errors.New("etcdtest: member is running")
	}
	m.cfg.State = "existing"
	return m.start()
}

// Endpoints returns the client URLs of all members.
func (c *Cluster) Endpoints() []string {
	var out []string
	for _, m := range c.Members {
		out = append(out, m.ClientURL)
	}
	return out
}

// Client returns a client of the whole cluster, closed by Stop.
func (c *Cluster) Client() (*clientv3.Client, error) {
	cfg := clientv3.Config{Endpoints: c.Endpoints(), DialTimeout: 5 * time.Second, Logger: nopLogger(), Username: c.user, Password: c.password}
	if c.opts.TLS != nil {
		tc, err := (transport.TLSInfo{CertFile: c.opts.TLS.ClientCert, KeyFile: c.opts.TLS.ClientKey, TrustedCAFile: c.opts.TLS.CA}).ClientConfig()
		if err != nil {
			return nil, fmt.Errorf("etcdtest: client TLS: %w", err)
		}
		cfg.TLS = tc
	}
	cli, err := clientv3.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("etcdtest: client: %w", err)
	}
	c.cmu.Lock()
	c.clients = append(c.clients, cli)
	c.cmu.Unlock()
	return cli, nil
}

// Leader returns the index of the member that leads now, asking the
// running members.
func (c *Cluster) Leader(ctx context.Context) (int, error) {
	c.cmu.Lock()
	cli := c.admin
	c.cmu.Unlock()
	if cli == nil {
		var err error
		if cli, err = c.Client(); err != nil {
			return -1, err
		}
		c.cmu.Lock()
		c.admin = cli
		c.cmu.Unlock()
	}
	for _, m := range c.Members {
		if !m.Running() {
			continue
		}
		sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		st, err := cli.Status(sctx, m.ClientURL)
		cancel()
		if err != nil || st.Leader == 0 {
			continue
		}
		for i, o := range c.Members {
			sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			ost, err := cli.Status(sctx, o.ClientURL)
			cancel()
			if err == nil && ost.Header.MemberId == st.Leader {
				return i, nil
			}
		}
	}
	return -1, errors.New("etcdtest: no leader")
}

// WaitHealthy waits until every running member answers and a leader is
// elected.
func (c *Cluster) WaitHealthy(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var last error
	for ctx.Err() == nil {
		for _, m := range c.Members {
			m.mu.Lock()
			died := m.cmd != nil && !m.stopped
			m.mu.Unlock()
			if died && !m.Running() {
				return fmt.Errorf("etcdtest: member %s exited; see %s.stderr", m.Name, m.cfg.Log)
			}
		}
		if _, err := c.Leader(ctx); err != nil {
			last = err
		} else {
			c.cmu.Lock()
			cli := c.admin
			c.cmu.Unlock()
			pctx, pcancel := context.WithTimeout(ctx, 2*time.Second)
			_, err = cli.Get(pctx, "etcdtest-health")
			pcancel()
			if err == nil {
				return nil
			}
			last = err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("etcdtest: cluster not healthy after %v: %v", timeout, last)
}

// Stop closes the clients and stops every member.
func (c *Cluster) Stop() {
	c.cmu.Lock()
	for _, cli := range c.clients {
		cli.Close()
	}
	c.clients, c.admin = nil, nil
	c.cmu.Unlock()
	var wg sync.WaitGroup
	for _, m := range c.Members {
		wg.Add(1)
		go func() { defer wg.Done(); m.stop() }()
	}
	wg.Wait()
}

// Start starts a cluster of n members for one test and stops it when the
// test ends.
func Start(t testing.TB, n int, opts Options) *Cluster {
	t.Helper()
	c, err := New(t.TempDir(), n, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return c
}

var (
	sharedOnce sync.Once
	shared     *Cluster
	sharedDir  string
	sharedErr  error
)

// Shared returns a three-member cluster shared by the tests of the
// package, started on first use and stopped by Main. Tests keep apart by
// key prefix.
func Shared(t testing.TB) *Cluster {
	t.Helper()
	sharedOnce.Do(func() {
		sharedDir, sharedErr = os.MkdirTemp("", "duban-etcdtest-")
		if sharedErr == nil {
			shared, sharedErr = New(sharedDir, 3, Options{})
		}
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

func stopShared() {
	if shared != nil {
		shared.Stop()
	}
	if sharedDir != "" {
		os.RemoveAll(sharedDir)
	}
}
