package load

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strconv"
	"syscall"
	"time"
)

// clockTicks is the kernel's USER_HZ, the unit of /proc/PID/stat times;
// 100 on every Linux architecture Go supports.
const clockTicks = 100

// meter measures the CPU the load generator and, if known, the server
// spend during a scenario.
type meter struct {
	pid       int
	client0   time.Duration
	server0   time.Duration
	serverErr error
}

// startMeter reads the CPU counters at the start of a scenario.
func startMeter(pid int) meter {
	m := meter{pid: pid, client0: ownCPU()}
	if pid > 0 {
		m.server0, m.serverErr = processCPU(pid)
	}
	return m
}

// finish adds the CPU used since the start to r.
func (m meter) finish(r *Result) {
	r.add("client_cpu_s", round3((ownCPU() - m.client0).Seconds()))
	if m.pid <= 0 || m.serverErr != nil {
		return
	}
	if cpu, err := processCPU(m.pid); err == nil {
		r.add("server_cpu_s", round3((cpu - m.server0).Seconds()))
	}
}

// ownCPU is the user and system time of this process so far.
func ownCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processCPU is the user and system time of a process and its waited-for
// children, from /proc/PID/stat (proc(5): fields 14 to 17).
func processCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name, field 2, may hold spaces: count from its ')'.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, errors.New("unreadable /proc stat")
	}
	fields := bytes.Fields(data[i+1:])
	if len(fields) < 15 {
		return 0, errors.New("short /proc stat")
	}
	var ticks int64
	for _, f := range fields[11:15] {
		n, err := strconv.ParseInt(string(f), 10, 64)
		if err != nil {
			return 0, err
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// residentKiB is a process's resident set size, VmRSS in
// /proc/PID/status.
func residentKiB(pid int) (int64, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for line := range bytes.Lines(data) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			f := bytes.Fields(rest)
			if len(f) == 0 {
				break
			}
			return strconv.ParseInt(string(f[0]), 10, 64)
		}
	}
	return 0, errors.New("no VmRSS in /proc/" + strconv.Itoa(pid) + "/status")
}

// percentile is the nearest-rank p-th percentile (0 < p ≤ 100) of
// durations, in milliseconds; it sorts its argument.
func percentile(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	rank := int(float64(len(d))*p/100+0.999999) - 1
	rank = max(0, min(rank, len(d)-1))
	return ms(d[rank])
}

// ms is a duration in milliseconds, to the microsecond.
func ms(d time.Duration) float64 { return round3(float64(d) / float64(time.Millisecond)) }

// round3 keeps three decimals, enough for every figure reported.
func round3(v float64) float64 { return float64(int64(v*1000+0.5)) / 1000 }

// perSecond is a rate, rounded to a whole number.
func perSecond(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(int64(float64(n)/d.Seconds() + 0.5))
}
