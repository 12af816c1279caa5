package main

import (
	"context"
	"runtime"
	"runtime/debug"
	"time"
)

// A sandbox spends most of its life idle on a developer's laptop, after
// bursts (a test suite logging in hundreds of clients, a seed). Go keeps
// the heap a burst grew, and the collector's headroom on top, until its
// background scavenger slowly gives pages back. trimWhenQuiet hands them
// back as soon as the server goes quiet instead: a tick that sees almost
// no allocation since the last one, after the heap grew noticeably since
// the last trim, runs one collection and returns the free memory.
const (
	trimTick      = 250 * time.Millisecond
	quietAllocs   = 256 << 10 // bytes allocated in a tick that still count as quiet
	trimAfterGrow = 4 << 20   // heap growth since the last trim worth a trim
)

// memSample reads the runtime's allocation counter and heap size.
type memSample struct {
	allocs, heap uint64
}

// readMem samples the runtime. ReadMemStats stops the world for a few
// microseconds, four times a second; runtime/metrics would not, but its
// package initialisation alone costs a millisecond of every start.
func readMem() memSample {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return memSample{allocs: m.TotalAlloc, heap: m.HeapAlloc}
}

// trimWhenQuiet runs until ctx ends.
func trimWhenQuiet(ctx context.Context) {
	t := time.NewTicker(trimTick)
	defer t.Stop()
	ticked := func() bool {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			return true
		}
	}
	// The first sample waits for the first tick: taken at once, it would
	// stop the world while the server takes its first connections.
	if !ticked() {
		return
	}
	last := readMem()
	trimmedAt := last.heap
	for ticked() {
		now := readMem()
		if shouldTrim(last, now, trimmedAt) {
			debug.FreeOSMemory()
			now = readMem()
			trimmedAt = now.heap
		}
		if now.heap < trimmedAt {
			trimmedAt = now.heap
		}
		last = now
	}
}

// shouldTrim is true once allocation has nearly stopped and the heap has
// grown by trimAfterGrow since the last trim (or its lowest point since).
func shouldTrim(last, now memSample, trimmedAt uint64) bool {
	quiet := now.allocs-last.allocs < quietAllocs
	grown := now.heap > trimmedAt+trimAfterGrow
	return quiet && grown
}
