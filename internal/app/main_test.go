package app

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/config"
)

// lockedBuffer is a bytes.Buffer safe to read while a server writes to it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func noEnv(string) string { return "" }

func TestMainCommands(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"no command", nil, 2, "", "Usage:"},
		{"help", []string{"--help"}, 0, "joinedup serve [flags]", ""},
		{"version", []string{"version"}, 0, "joinedup ", ""},
		{"unknown command", []string{"serv"}, 2, "", `unknown command "serv"`},
		{"serve help", []string{"serve", "--help"}, 0, "", "JOINEDUP_DATA_DIR"},
		{"unknown flag", []string{"serve", "--colour", "blue"}, 2, "", "flag provided but not defined: -colour"},
		{"bad addr", []string{"serve", "--addr", "8080"}, 2, "", `invalid --addr "8080"`},
		{"bad base url", []string{"serve", "--base-url", "ftp://x"}, 2, "", "invalid --base-url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), tt.args, &stdout, &stderr, noEnv)
			if code != tt.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.stdout) {
				t.Errorf("stdout %q does not contain %q", stdout.String(), tt.stdout)
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), tt.stderr)
			}
		})
	}
}

func TestServeFailsFastOnUnusableDataDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	code := Main(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(file, "data")}, &bytes.Buffer{}, &stderr, noEnv)
	if code != 1 || !strings.Contains(stderr.String(), "cannot be created") {
		t.Fatalf("code %d, stderr %q: want 1 and a data dir error", code, stderr.String())
	}
}

func TestServeFailsFastWhenPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stderr bytes.Buffer
	code := Main(context.Background(), []string{"serve", "--addr", ln.Addr().String(), "--data-dir", t.TempDir()}, &bytes.Buffer{}, &stderr, noEnv)
	if code != 1 || !strings.Contains(stderr.String(), "already in use") {
		t.Fatalf("code %d, stderr %q: want 1 and 'already in use'", code, stderr.String())
	}
}

// serve starts and answers; on cancellation (what SIGINT and SIGTERM do in
// main) it finishes in-flight work and exits cleanly.
func TestServeAndGracefulShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var stderr lockedBuffer
	dir := t.TempDir()
	database := onTestEngine(t, config.Config{DataDir: dir}).DatabaseURL
	done := make(chan int)
	env := func(k string) string {
		return map[string]string{"JOINEDUP_ADDR": addr, "JOINEDUP_DATA_DIR": dir, "DATABASE_URL": database}[k]
	}
	go func() { done <- Main(ctx, []string{"serve"}, &bytes.Buffer{}, &stderr, env) }()

	var res *http.Response
	for i := 0; i < 200; i++ {
		if res, err = http.Get("http://" + addr + "/in-your-area/southwark"); err == nil {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if err != nil {
		cancel()
		t.Fatalf("server never answered: %v\n%s", err, stderr.String())
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("status %d", res.StatusCode)
	}
	if !strings.Contains(stderr.String(), "url=http://"+addr) {
		t.Errorf("the log does not give the URL served: %s", stderr.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit code %d after shutdown: %s", code, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("server did not shut down")
	}
	if !strings.Contains(stderr.String(), "msg=stopped") {
		t.Errorf("no clean stop logged: %s", stderr.String())
	}
}

// A request in flight when the server is told to stop (SIGINT or SIGTERM)
// is answered before it exits: here a sign-in whose form is still being
// sent when the shutdown begins, and whose end arrives after.
func TestShutdownFinishesRequestsInFlight(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr lockedBuffer
	dir := t.TempDir()
	database := onTestEngine(t, config.Config{DataDir: dir}).DatabaseURL
	env := func(k string) string {
		return map[string]string{"JOINEDUP_ADDR": addr, "JOINEDUP_DATA_DIR": dir, "DATABASE_URL": database}[k]
	}
	done := make(chan int)
	go func() { done <- Main(ctx, []string{"serve"}, &bytes.Buffer{}, &stderr, env) }()
	for i := 0; i < 400; i++ {
		var res *http.Response
		if res, err = http.Get("http://" + addr + "/healthz"); err == nil {
			res.Body.Close()
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server never answered: %v\n%s", err, stderr.String())
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	form := "email=ed%40example.org&password=not+the+password"
	head := "POST /admin/login HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
		"Content-Length: " + strconv.Itoa(len(form)) + "\r\n\r\n"
	if _, err := conn.Write([]byte(head + form[:10])); err != nil {
		t.Fatal(err)
	}
	// The handler waits for the rest of the form: no answer yet.
	_ = conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if n, err := conn.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Fatalf("answered before the form was sent whole (%v)", err)
	}
	_ = conn.SetReadDeadline(time.Time{})
	cancel()
	// The shutdown has begun once the server takes no new connections.
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := conn.Write([]byte(form[10:])); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v\n%s", err, stderr.String())
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusOK {
		t.Errorf("the sign-in in flight: status %d, want the form again with its error", res.StatusCode)
	}
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(stderr.String(), "msg=stopped") {
			t.Errorf("exit code %d after shutdown: %s", code, stderr.String())
		}
	case <-time.After(40 * time.Second):
		t.Fatal("server did not shut down")
	}
}
