package dbtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// cluster is the PostgreSQL server the tests of this process use.
type cluster struct {
	base         *url.URL // the server, with no database in its path
	prefix       string   // starts every database name, so processes sharing a server do not collide
	admin        *sql.DB  // connected to the maintenance database, for CREATE and DROP
	dir          string   // the throwaway cluster's directory; "" for TEST_DATABASE_URL
	server       *exec.Cmd
	serverExited chan struct{}
	// done stops the copying of templates ahead of need; background
	// counts the goroutines that copy and drop databases.
	done       chan struct{}
	background sync.WaitGroup
}

func (c *cluster) url(name string) string {
	u := *c.base
	u.Path = "/" + name
	return u.String()
}

// startCluster connects to TEST_DATABASE_URL, or else starts a throwaway
// cluster with the PostgreSQL binaries installed on the machine.
func startCluster() (*cluster, error) {
	if s := os.Getenv("TEST_DATABASE_URL"); s != "" {
		u, err := url.Parse(s)
		if err != nil {
			return nil, errors.New("TEST_DATABASE_URL is not a URL")
		}
		c := &cluster{base: u, prefix: fmt.Sprintf("joinedup_test_%d_", os.Getpid()), done: make(chan struct{})}
		if err := c.connect(0); err != nil {
			return nil, fmt.Errorf("TEST_DATABASE_URL: %w", err)
		}
		return c, nil
	}
	bin, err := findBinaries()
	if err != nil {
		return nil, err
	}
	return startLocal(bin)
}

// errNotInstalled is the one reason to skip the PostgreSQL pass rather
// than fail it: any other failure to start a cluster is a real error.
var errNotInstalled = errors.New("PostgreSQL's initdb is not installed (looked in /usr/lib/postgresql/*/bin and on PATH)")

// findBinaries returns the directory of initdb and postgres: Debian's
// newest /usr/lib/postgresql/N/bin, else the one on PATH.
func findBinaries() (string, error) {
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(found, func(i, j int) bool { return version(found[i]) > version(found[j]) })
	if len(found) > 0 {
		return filepath.Dir(found[0]), nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errNotInstalled
}

func version(initdb string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return n
}

// startLocal runs initdb in a temp dir and starts postgres on a free
// loopback port, tuned for throwaway data (no fsync). PostgreSQL refuses
// to run as root, so as root it runs as the postgres system user.
func startLocal(bin string) (*cluster, error) {
	removeStale()
	dir, err := os.MkdirTemp("", "joinedup-pg-")
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir, done: make(chan struct{})}
	fail := func(err error) (*cluster, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	// The owner's pid tells removeStale in other test processes whether
	// this cluster is still in use.
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return fail(err)
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return fail(errors.New("running as root and there is no postgres user to run PostgreSQL as"))
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			return fail(err)
		}
	}
	data, sock := filepath.Join(dir, "data"), filepath.Join(dir, "sock")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust",
		"--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		return fail(fmt.Errorf("initdb: %v: %s", err, out))
	}
	if err := os.Mkdir(sock, 0o700); err != nil {
		return fail(err)
	}
	if cred != nil {
		if err := os.Chown(sock, int(cred.Uid), int(cred.Gid)); err != nil {
			return fail(err)
		}
	}
	// A port is free when the kernel hands it out; another process could
	// take it before postgres does, so starting is tried a few times.
	var lastErr error
	for range 3 {
		port, err := freePort()
		if err != nil {
			return fail(err)
		}
		if err := c.startServer(bin, data, sock, port, cred); err != nil {
			lastErr = err
			continue
		}
		c.base = &url.URL{Scheme: "postgres", User: url.User("postgres"), Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
			RawQuery: "sslmode=disable"}
		if err := c.connect(30 * time.Second); err != nil {
			c.stop()
			return nil, err
		}
		return c, nil
	}
	return fail(lastErr)
}

func (c *cluster) startServer(bin, data, sock string, port int, cred *syscall.Credential) error {
	log, err := os.Create(filepath.Join(c.dir, "postgres.log"))
	if err != nil {
		return err
	}
	defer log.Close()
	cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(port), "-k", sock,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "shared_buffers=64MB")
	cmd.Stdout, cmd.Stderr = log, log
	// If the test process dies without stopping it, the server goes too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT, Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			out, _ := os.ReadFile(log.Name())
			return fmt.Errorf("postgres exited: %s", out)
		case <-time.After(50 * time.Millisecond):
		}
		conn, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
		if err == nil {
			conn.Close()
			c.server = cmd
			c.serverExited = exited
			return nil
		}
	}
	cmd.Process.Kill()
	<-exited
	return errors.New("postgres did not start within 30 seconds")
}

// connect opens the admin pool on the maintenance database, waiting up
// to wait for a server that is still starting up.
func (c *cluster) connect(wait time.Duration) error {
	cfg, err := pgx.ParseConfig(c.url("postgres"))
	if err != nil {
		return err
	}
	c.admin = stdlib.OpenDB(*cfg)
	c.admin.SetMaxOpenConns(4)
	deadline := time.Now().Add(wait)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = c.admin.PingContext(ctx)
		cancel()
		if err == nil || time.Now().After(deadline) {
			if err != nil {
				c.admin.Close()
			}
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop drops what the tests made on a shared server, or shuts the
// throwaway cluster down and removes it.
func (c *cluster) stop() error {
	var errs []error
	close(c.done)
	c.background.Wait()
	if c.dir == "" {
		rows, err := c.admin.Query(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, c.prefix)
		if err == nil {
			var names []string
			for rows.Next() {
				var n string
				if rows.Scan(&n) == nil {
					names = append(names, n)
				}
			}
			rows.Close()
			for _, n := range names {
				errs = append(errs, c.drop(context.Background(), n))
			}
		}
	}
	if c.admin != nil {
		errs = append(errs, c.admin.Close())
	}
	if c.server != nil {
		// SIGINT is PostgreSQL's fast shutdown: it ends the sessions and stops.
		_ = c.server.Process.Signal(syscall.SIGINT)
		select {
		case <-c.serverExited:
		case <-time.After(30 * time.Second):
			_ = c.server.Process.Kill()
			<-c.serverExited
		}
	}
	if c.dir != "" {
		errs = append(errs, os.RemoveAll(c.dir))
	}
	return errors.Join(errs...)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// ownerFile in a cluster's directory holds the pid of the test process
// that made it.
const ownerFile = "owner.pid"

// removeStale deletes the clusters of test processes that died without
// cleaning up (their servers die with them), leaving only files.
func removeStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "joinedup-pg-*"))
	for _, d := range dirs {
		owner, err := os.ReadFile(filepath.Join(d, ownerFile))
		if err != nil {
			// Being made just now, or left by a process killed while
			// making it.
			if info, err := os.Stat(d); err == nil && time.Since(info.ModTime()) > time.Hour {
				os.RemoveAll(d)
			}
			continue
		}
		if pid, err := strconv.Atoi(string(owner)); err == nil && errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
			os.RemoveAll(d)
		}
	}
}
