package virtual

import "sync"

// maxJobs bounds the reactions waiting for the worker. Past it, a
// reaction is dropped rather than letting a flood hold ever more memory,
// as a client that cannot keep up would miss them.
const maxJobs = 10000

// worker runs the reactions of a manager's contacts one at a time, apart
// from the routing that delivered what they react to.
type worker struct {
	mu     sync.Mutex
	jobs   []func()
	closed bool
	wake   chan struct{}
	done   chan struct{}
}

func newWorker() *worker {
	w := &worker{wake: make(chan struct{}, 1), done: make(chan struct{})}
	go w.run()
	return w
}

// do queues job; it reports false when the job was dropped.
func (w *worker) do(job func()) bool {
	w.mu.Lock()
	ok := !w.closed && len(w.jobs) < maxJobs
	if ok {
		w.jobs = append(w.jobs, job)
	}
	w.mu.Unlock()
	if ok {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
	return ok
}

func (w *worker) run() {
	defer close(w.done)
	for range w.wake {
		w.mu.Lock()
		jobs, closed := w.jobs, w.closed
		w.jobs = nil
		w.mu.Unlock()
		if closed {
			return
		}
		for _, job := range jobs {
			job()
		}
	}
}

// close drops what is queued and waits for the job running, if any.
func (w *worker) close() {
	w.mu.Lock()
	w.closed, w.jobs = true, nil
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	<-w.done
}
