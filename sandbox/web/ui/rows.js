// The rows of the stanza stream, newest on top. A reader at the top sees
// each stanza arrive; one scrolled down keeps their place, as the browser
// anchors the scroll position on what they are looking at. Rows are built
// a frame at a time within a budget and never number more than MAX_ROWS.
// Nothing here reads layout.

import { el } from './util.js';
import { prettyXML } from './xml.js';

export const MAX_ROWS = 2000; // stanza rows kept in the page
const FRAME_BUDGET_MS = 8; // time spent building rows per animation frame
const MIN_BATCH = 20; // rows built per frame however slow the machine

export const KINDS = ['message', 'presence', 'iq'];

function clock(iso) {
  const d = new Date(iso);
  const two = (n) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

// stanzaRow shows one trace event: direction, time, kind, session and
// the XML.
function stanzaRow(e) {
  const inbound = e.dir === 'in';
  const li = el('li', `row ${inbound ? 'in' : 'out'}`);
  li.dataset.seq = e.seq;
  li.dataset.kind = e.kind;
  const meta = el('div', 'meta');
  const dir = el('span', 'dir', inbound ? '→ in' : '← out');
  dir.title = inbound ? 'sent by the client to the server' : 'sent by the server to the client';
  const time = el('time', 'time', clock(e.time));
  time.dateTime = e.time;
  const kind = el('span', `kind k-${KINDS.includes(e.kind) ? e.kind : 'other'}`, e.type ? `${e.kind} · ${e.type}` : e.kind);
  meta.append(dir, time, kind, el('span', 'sess', e.session || '(no session)'));
  li.append(meta, prettyXML(e.xml));
  return li;
}

// createRows renders stanzas into list. A few new ones go on top, oldest
// first. A larger batch (a replay on load, a resumed pause, a new filter)
// becomes a pending segment, built from its newest end and slotted in
// above the row that was on top when it came, so the newest rows show in
// the first frame. Segments that come while others are pending are newer
// than all of them and are built first.
export function createRows(list, onRender) {
  const r = { queue: [], pending: [], shown: 0, scheduled: false };

  const hasTime = (n, deadline) => n < MIN_BATCH || performance.now() < deadline;

  function schedule() {
    if (r.scheduled) return;
    r.scheduled = true;
    requestAnimationFrame(flush);
  }

  // openSegment makes events (oldest first) pending. With no row shown
  // yet, nothing pending has been built either, so all of it is one
  // segment added at the end.
  function openSegment(events) {
    const top = list.firstElementChild;
    if (!top) {
      const all = r.pending.flatMap((p) => p.events).concat(events);
      r.pending = [{ events: all.slice(-MAX_ROWS), anchor: null }];
    } else {
      r.pending.push({ events: events.slice(-MAX_ROWS), anchor: top });
    }
  }

  function renderQueue(deadline) {
    const frag = document.createDocumentFragment();
    let n = 0;
    for (; n < r.queue.length && hasTime(n, deadline); n++) frag.prepend(stanzaRow(r.queue[n]));
    r.queue.splice(0, n);
    list.prepend(frag);
    r.shown += n;
    return n;
  }

  // renderPending builds the newest pending segment first. Rows added at
  // the end once the page is full would be the oldest, and go at once.
  function renderPending(n, deadline) {
    while (r.pending.length && hasTime(n, deadline)) {
      const seg = r.pending.at(-1);
      if (!seg.anchor && r.shown >= MAX_ROWS) seg.events = [];
      const frag = document.createDocumentFragment();
      let k = 0;
      for (; seg.events.length && hasTime(n + k, deadline); k++) frag.append(stanzaRow(seg.events.pop()));
      list.insertBefore(frag, seg.anchor);
      r.shown += k;
      n += k;
      if (!seg.events.length) r.pending.pop();
    }
  }

  // trim removes the oldest rows, at the bottom, past MAX_ROWS, and with
  // them the segments meant to go above a removed row: all they hold is
  // older still.
  function trim() {
    if (r.shown <= MAX_ROWS) return;
    const range = document.createRange();
    range.setStartBefore(list.children[MAX_ROWS]);
    range.setEndAfter(list.lastElementChild);
    range.deleteContents();
    r.shown = MAX_ROWS;
    const gone = r.pending.findLastIndex((p) => p.anchor && !p.anchor.isConnected);
    if (gone >= 0) r.pending = r.pending.slice(gone + 1);
  }

  function flush() {
    r.scheduled = false;
    const deadline = performance.now() + FRAME_BUDGET_MS;
    if (r.queue.length > MIN_BATCH) {
      openSegment(r.queue);
      r.queue = [];
    }
    renderPending(renderQueue(deadline), deadline);
    trim();
    onRender();
    if (r.queue.length || r.pending.length) schedule();
  }

  return {
    shown: () => r.shown,
    // add puts stanzas newer than all others on top.
    add(events) {
      r.queue.push(...events);
      schedule();
    },
    // replace shows events (oldest first) instead of the current rows.
    replace(events) {
      list.replaceChildren();
      [r.queue, r.pending, r.shown] = [[], [], 0];
      openSegment(events);
      schedule();
    },
    // refresh calls onRender in the next frame.
    refresh: schedule,
  };
}
