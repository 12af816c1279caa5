package load

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"slices"
	"syscall"
	"time"

	"github.com/xmppsandbox/xmppsandbox/sandbox/xclient"
)

// pollEvery is the pause between connection attempts while a server
// starts: short against the times measured, long enough not to take the
// CPU the starting server needs.
const pollEvery = time.Millisecond

// Ready starts command (a shell command line) repeat times and measures
// from the moment it is started to the first successful login of the
// first user, then stops it (SIGTERM to its process group, SIGKILL after
// a grace period) and waits for the port to be free again. Cancelling ctx
// stops the server being timed and ends the scenario.
func Ready(ctx context.Context, cfg Config, command string, repeat int) Result {
	cfg, r := cfg.begin("ready", refuse(command != "", "ready needs the command that starts the server (--exec)"),
		atLeast("repeat", repeat, 1))
	if r.Err != nil {
		return r
	}
	if err := cfg.portFree(0); err != nil {
		r.Err = err
		return r
	}
	var times []time.Duration
	m := startMeter(0)
	for range repeat {
		d, err := cfg.readyOnce(ctx, command)
		if err != nil {
			r.Err = err
			break
		}
		times = append(times, d)
	}
	r.add("runs", float64(len(times)))
	r.add("p50_ms", percentile(times, 50))
	if len(times) > 0 {
		r.add("min_ms", ms(slices.Min(times)))
		r.add("max_ms", ms(slices.Max(times)))
	}
	m.finish(&r)
	return r
}

// readyOnce starts the server once and times its first login.
func (cfg Config) readyOnce(ctx context.Context, command string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.loginTimeout())
	defer cancel()
	out := &tail{}
	cmd := exec.Command("sh", "-c", command)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	d, err := cfg.firstLogin(ctx, start, exited)
	stopErr := stop(cmd.Process.Pid, exited)
	if err != nil {
		return 0, fmt.Errorf("%w; its output ends: %s", err, out)
	}
	if stopErr != nil {
		return 0, stopErr
	}
	return d, cfg.portFree(gracePeriod)
}

// firstLogin tries to log in until it succeeds, the command exits or the
// deadline passes.
func (cfg Config) firstLogin(ctx context.Context, start time.Time, exited <-chan struct{}) (time.Duration, error) {
	name, password := cfg.user(0)
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	var last error
	for {
		err := cfg.listening()
		var c *xclient.Conn
		if err == nil {
			c, err = xclient.Dial(cfg.Addr, name, password, cfg.options(resource))
		}
		if err == nil {
			d := time.Since(start)
			c.Close()
			return d, nil
		}
		last = err
		select {
		case <-tick.C:
		case <-exited:
			return 0, errors.New("the command exited before a login succeeded")
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.Canceled) {
				return 0, ctx.Err()
			}
			return 0, fmt.Errorf("no login within %v, the last attempt: %v", cfg.loginTimeout(), last)
		}
	}
}

// listening checks that a server accepts connections. A port in the
// ephemeral range can be taken by a connection to itself (TCP's
// simultaneous open) while nothing listens yet, and that connection would
// keep the server from binding it: such a connection is closed at once.
func (cfg Config) listening() error {
	c, err := net.DialTimeout("tcp", cfg.Addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	if c.LocalAddr().String() == c.RemoteAddr().String() {
		return errors.New("connected to itself: nothing listens yet")
	}
	return nil
}

// gracePeriod is how long a server has to stop after SIGTERM.
const gracePeriod = 10 * time.Second

// stop ends the process group led by pid: SIGTERM, then SIGKILL to what
// is left after a grace period. A server's children (an Erlang VM under
// its control script) may outlive the leader and still hold the port, so
// it waits for the whole group.
func stop(pid int, exited <-chan struct{}) error {
	syscall.Kill(-pid, syscall.SIGTERM)
	if groupGone(pid, exited, gracePeriod) {
		return nil
	}
	syscall.Kill(-pid, syscall.SIGKILL)
	if groupGone(pid, exited, gracePeriod) {
		return nil
	}
	return errors.New("the server did not stop")
}

// groupGone waits until the leader has been reaped and no process of its
// group is left, or the time is up.
func groupGone(pid int, exited <-chan struct{}, wait time.Duration) bool {
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	reaped := false
	for {
		select {
		case <-exited:
			// Closed: stop selecting it.
			reaped, exited = true, nil
		case <-tick.C:
		case <-deadline.C:
			return false
		}
		if reaped && syscall.Kill(-pid, 0) == syscall.ESRCH {
			return true
		}
	}
}

// portFree waits, at most wait, until nothing accepts connections on the
// address.
func (cfg Config) portFree(wait time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if cfg.listening() != nil {
			return nil
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return fmt.Errorf("something already listens on %s", cfg.Addr)
		}
	}
}

// tail keeps the last bytes a command wrote, to explain a failure.
type tail struct{ buf []byte }

// tailSize is how much output tail keeps.
const tailSize = 2048

func (t *tail) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > tailSize {
		t.buf = t.buf[len(t.buf)-tailSize:]
	}
	return len(p), nil
}

func (t *tail) String() string { return string(t.buf) }
