package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is one `joinedup serve` process on loopback.
type server struct {
	bin, dataDir, databaseURL string
	addr                      string // 127.0.0.1:PORT, kept across restarts
	token                     string // the metrics token
	cmd                       *exec.Cmd
	exited                    chan error
	log                       *os.File
}

// build compiles joinedup into dir and returns the binary's path.
func build(dir string) (string, error) {
	bin := filepath.Join(dir, "joinedup")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/joinedup")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/joinedup (run from the repository's root): %w", err)
	}
	return bin, nil
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func newServer(bin, dataDir, databaseURL string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return &server{bin: bin, dataDir: dataDir, databaseURL: databaseURL, addr: addr, token: hex.EncodeToString(b)}, nil
}

func (s *server) url() string { return "http://" + s.addr }

// env is the environment of the server's commands: secrets go there, not
// on the command line.
func (s *server) env() []string {
	env := append(os.Environ(), "JOINEDUP_DATA_DIR="+s.dataDir, "JOINEDUP_METRICS_TOKEN="+s.token)
	if s.databaseURL != "" {
		env = append(env, "DATABASE_URL="+s.databaseURL)
	}
	return env
}

// start runs the server and waits until /healthz answers 200. Loopback is
// its trusted proxy, so that the load can present each resident's write as
// coming from its own address (X-Forwarded-For) and stay within the
// per-client limits of residents' forms, which are left as they ship.
func (s *server) start() error {
	logf, err := os.OpenFile(filepath.Join(s.dataDir, "..", "server.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	s.log = logf
	s.cmd = exec.Command(s.bin, "serve", "--addr", s.addr, "--trusted-proxies", "127.0.0.1")
	s.cmd.Env = s.env()
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start joinedup: %w", err)
	}
	s.exited = make(chan error, 1)
	go func() { s.exited <- s.cmd.Wait() }()
	deadline := time.Now().Add(2 * time.Minute)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		select {
		case err := <-s.exited:
			return fmt.Errorf("joinedup exited during start (%v); see %s", err, logf.Name())
		default:
		}
		res, err := client.Get(s.url() + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			s.kill()
			return fmt.Errorf("joinedup did not answer /healthz within 2 minutes; see %s", logf.Name())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill stops the server with SIGKILL, as a power cut or the OOM killer
// would, and waits for it to be gone.
func (s *server) kill() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
	s.cmd = nil
	s.log.Close()
}

// stop asks the server to shut down gracefully and waits for it.
func (s *server) stop() error {
	if s.cmd == nil {
		return nil
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	var err error
	select {
	case err = <-s.exited:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.exited
		err = errors.New("did not stop within 30 s of SIGTERM")
	}
	s.cmd = nil
	s.log.Close()
	return err
}

// rss returns the server's resident memory in bytes.
func (s *server) rss() (int64, error) {
	if s.cmd == nil {
		return 0, errors.New("not running")
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmRSS")
}

// addUser adds an administrator with the joinedup command, as an operator
// would.
func (s *server) addUser(ctx context.Context, email, password string) error {
	cmd := exec.CommandContext(ctx, s.bin, "user", "add", "--email", email, "--role", "administrator", "--name", "Load test", "--password-stdin")
	cmd.Env = s.env()
	cmd.Stdin = strings.NewReader(password + "\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("joinedup user add: %v\n%s", err, out)
	}
	return nil
}

// setUp builds joinedup into a temp dir, starts it on a data dir there
// (or on databaseURL) with an administrator, and prepares the site for
// residents' writes. done stops the server and removes the temp dir
// unless keep.
func setUp(ctx context.Context, prefix, databaseURL string, conns int, keep bool) (*server, *site, func(), error) {
	tmp, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, nil, nil, err
	}
	done := func() {
		if !keep {
			os.RemoveAll(tmp)
		}
	}
	if keep {
		fmt.Println("temp dir:", tmp)
	}
	fail := func(err error) (*server, *site, func(), error) {
		done()
		return nil, nil, nil, err
	}
	bin, err := build(tmp)
	if err != nil {
		return fail(err)
	}
	srv, err := newServer(bin, filepath.Join(tmp, "data"), databaseURL)
	if err != nil {
		return fail(err)
	}
	if err := srv.addUser(ctx, adminEmail, adminPassword); err != nil {
		return fail(err)
	}
	if err := srv.start(); err != nil {
		return fail(err)
	}
	s := &site{base: srv.url(), client: newClient(conns), run: fmt.Sprint(time.Now().Unix())}
	if err := s.prepare(ctx, adminEmail, adminPassword); err != nil {
		srv.kill()
		return fail(err)
	}
	return srv, s, func() { srv.kill(); done() }, nil
}
