package roster

import "container/list"

// defaultMaxCached bounds the rosters kept for users who are offline; the
// rosters of users with a session stay whatever the bound, since their
// presence reads them all the time.
const defaultMaxCached = 10000

// recent orders the cached rosters by last use, so a store of 100,000
// users does not end up held in memory.
type recent struct {
	order *list.List // of owner names, most recent first
	at    map[string]*list.Element
}

// touch marks owner's roster as just used.
func (r *recent) touch(owner string) {
	if r.order == nil {
		r.order, r.at = list.New(), map[string]*list.Element{}
	}
	if e, ok := r.at[owner]; ok {
		r.order.MoveToFront(e)
		return
	}
	r.at[owner] = r.order.PushFront(owner)
}

// forget removes owner, or everyone when all is true.
func (r *recent) forget(owner string, all bool) {
	if all {
		r.order, r.at = nil, nil
		return
	}
	if e, ok := r.at[owner]; ok {
		r.order.Remove(e)
		delete(r.at, owner)
	}
}

// evict drops the least recently used rosters of offline users while
// more than max of theirs are cached. The caller holds s.mu. Online
// users' rosters do not count against max, so with more users online
// than max nothing is scanned; and one call looks at each roster at most
// once, never once per roster to drop.
func (s *Service) evict() {
	max := s.MaxCached
	if max <= 0 {
		max = defaultMaxCached
	}
	over := len(s.cache) - max
	if s.Router != nil {
		over -= s.Router.OnlineUsers()
	}
	for tries := s.recent.order.Len(); over > 0 && tries > 0; tries-- {
		e := s.recent.order.Back()
		owner := e.Value.(string)
		if s.online(owner) {
			s.recent.order.MoveToFront(e)
			continue
		}
		s.recent.forget(owner, false)
		delete(s.cache, owner)
		over--
	}
}

// online reports whether owner has a session bound.
func (s *Service) online(owner string) bool {
	return s.Router != nil && s.Router.Online(owner+"@"+s.Domain)
}
