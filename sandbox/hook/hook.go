// Package hook lets features plug into the server at named points, as
// ejabberd's hooks do: the stage that owns a point runs it, and modules
// such as roster, presence or offline storage add handlers to it without
// the stage knowing them.
package hook

import (
	"sort"
	"sync"
)

// Fold is a hook point that threads a value through its handlers in
// priority order (lower first), like ejabberd_hooks:run_fold. A handler
// returns the new value and whether the remaining handlers should still
// run.
type Fold[T any] struct {
	Name string

	mu       sync.RWMutex
	handlers []entry[T]
}

type entry[T any] struct {
	prio int
	fn   func(T) (T, bool)
}

// Add registers fn at priority prio.
func (f *Fold[T]) Add(prio int, fn func(acc T) (T, bool)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers = append(f.handlers, entry[T]{prio, fn})
	sort.SliceStable(f.handlers, func(i, j int) bool { return f.handlers[i].prio < f.handlers[j].prio })
}

// Run passes acc through the handlers and returns the final value.
func (f *Fold[T]) Run(acc T) T {
	f.mu.RLock()
	hs := f.handlers
	f.mu.RUnlock()
	for _, h := range hs {
		var more bool
		if acc, more = h.fn(acc); !more {
			break
		}
	}
	return acc
}

// Empty reports whether no handler is registered.
func (f *Fold[T]) Empty() bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return len(f.handlers) == 0
}

// Run is a hook point whose handlers are all called with the same
// argument and return nothing, like ejabberd_hooks:run.
type Run[T any] struct {
	Name string
	fold Fold[T]
}

// Add registers fn at priority prio.
func (r *Run[T]) Add(prio int, fn func(T)) {
	r.fold.Add(prio, func(v T) (T, bool) { fn(v); return v, true })
}

// Run calls every handler with v.
func (r *Run[T]) Run(v T) { r.fold.Run(v) }

// Empty reports whether no handler is registered, so a caller can skip
// building the argument.
func (r *Run[T]) Empty() bool { return r.fold.Empty() }
