// The stanza stream: keeps the stanzas from /api/trace, filters them by
// JID and kind, and pauses.

import { $, plural } from './util.js';
import { KINDS, createRows } from './rows.js';

const KEEP = 5000; // stanzas kept in memory, for filters and pause

// involves reports whether e concerns jid, as the server's own filter
// does: the JID itself, its resources, or a local name's JIDs.
function involves(e, jid) {
  if (!jid) return true;
  return [e.session, e.from, e.to].some((a) => {
    a = (a || '').toLowerCase();
    return a === jid || a.startsWith(`${jid}/`) || a.startsWith(`${jid}@`);
  });
}

function readFilter() {
  const kinds = new Set([...document.querySelectorAll('#filters input[name=kind]:checked')].map((i) => i.value));
  return { jid: $('filter-jid').value.trim().toLowerCase(), kinds };
}

function matches(e, f) {
  const kind = KINDS.includes(e.kind) ? e.kind : 'other';
  return f.kinds.has(kind) && involves(e, f.jid);
}

// createStream keeps the received stanzas and shows the matching ones.
// While paused, new stanzas are kept (up to KEEP) but not shown.
// onEvent hears every stanza; onRestart is told when the numbering shows
// that the server restarted.
export function createStream(onEvent, onRestart) {
  const list = $('stanzas');
  const s = { events: [], total: 0, missed: 0, held: 0, lastSeq: 0, pausedAt: null, filter: readFilter() };
  const rows = createRows(list, counts);

  function counts() {
    const shown = rows.shown();
    const missed = s.missed ? ` · ${s.missed.toLocaleString('en')} missed` : '';
    $('stream-count').textContent = s.total ? `${shown.toLocaleString('en')} shown of ${s.total.toLocaleString('en')}${missed}` : '';
    $('stream-count').title = s.missed ? 'the server skips a stream that falls behind; reload to fetch what it still keeps' : '';
    $('stream-empty').hidden = shown > 0;
    list.hidden = shown === 0;
    const note = $('paused-note');
    note.hidden = s.pausedAt === null;
    if (s.pausedAt !== null) {
      note.textContent = `Paused: ${plural(s.held, 'new stanza')} held back, shown when you resume (the newest ${KEEP.toLocaleString('en')} are kept, older ones dropped).`;
    }
  }

  const shows = (e) => (s.pausedAt === null || e.seq <= s.pausedAt) && matches(e, s.filter);

  function rerender() {
    rows.replace(s.events.filter(shows));
  }

  // restarted forgets the stanzas and sequence numbers of a server that
  // is gone; the rows already shown stay until the next filter.
  function restarted() {
    s.lastSeq = 0;
    s.events = [];
    s.held = 0;
    if (s.pausedAt !== null) s.pausedAt = 0;
  }

  function receive(e) {
    // The stream resumes after the last number seen, so a number not
    // above it can only come from a server that restarted and counts
    // from 1 again.
    if (e.seq <= s.lastSeq) {
      restarted();
      onRestart();
      return;
    }
    // Numbers are consecutive; a jump means the server skipped this page
    // while it fell behind.
    if (s.lastSeq && e.seq > s.lastSeq + 1) s.missed += e.seq - s.lastSeq - 1;
    s.lastSeq = e.seq;
    s.total += 1;
    s.events.push(e);
    // Trimming in steps keeps the cost of the copy off most events.
    if (s.events.length > KEEP + 500) s.events.splice(0, s.events.length - KEEP);
    if (s.pausedAt !== null) {
      s.held = Math.min(s.held + 1, s.events.length);
      rows.refresh(); // for the paused note, once per frame
    } else if (matches(e, s.filter)) {
      rows.add([e]);
    }
    onEvent(e);
  }

  return {
    receive,
    lastSeq: () => s.lastSeq,
    refilter() {
      s.filter = readFilter();
      rerender();
    },
    togglePause() {
      if (s.pausedAt === null) {
        [s.pausedAt, s.held] = [s.lastSeq, 0];
        counts();
        return true;
      }
      const from = s.pausedAt;
      s.pausedAt = null;
      rows.add(s.events.filter((e) => e.seq > from && matches(e, s.filter)));
      return false;
    },
    clear() {
      [s.events, s.total, s.missed, s.held] = [[], 0, 0, 0];
      if (s.pausedAt !== null) s.pausedAt = s.lastSeq;
      rerender();
    },
  };
}
