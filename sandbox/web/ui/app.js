// The inspector page. It polls the admin API for the server's state,
// streams stanzas from /api/trace and injects stanzas through
// /api/inject/*. Whatever came from a client or the server is inserted as
// text (textContent), never parsed as HTML.

const MAX_ROWS = 2000; // stanza rows kept in the page
const KEEP = 5000; // stanzas kept in memory, for filters and pause
const BATCH = 250; // rows added per animation frame
const STATUS_EVERY = 2000; // ms between status and session polls
const STATE_EVERY = 5000; // ms between user and roster polls
const OPEN_ROSTERS_UP_TO = 6; // users whose rosters start open

const $ = (id) => document.getElementById(id);

// el builds an element with a class and text content.
function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null && text !== '') e.textContent = String(text);
  return e;
}

// api calls the admin API on this origin and returns its JSON answer, or
// throws the server's one-line error.
async function api(path, options = {}) {
  const res = await fetch(path, { cache: 'no-store', ...options });
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) throw new Error(body && body.error ? body.error : `${res.status} ${res.statusText}`);
  return body;
}

// throttle runs fn at most once per ms, trailing calls included.
function throttle(fn, ms) {
  let timer = null;
  let again = false;
  const run = () => {
    timer = null;
    if (again) {
      again = false;
      fn();
      timer = setTimeout(run, ms);
    }
  };
  return () => {
    again = true;
    if (!timer) run();
  };
}

// every calls fn now and then ms after each run ends, so slow answers
// never pile up.
function every(ms, fn) {
  const tick = async () => {
    await fn();
    setTimeout(tick, ms);
  };
  tick();
}

const plural = (n, word) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

// ---- XML pretty printer ------------------------------------------------

const TOKEN = /<!--[\s\S]*?-->|<(?:[^>"']|"[^"]*"|'[^']*')*>|[^<]+/g;
const TAG = /^(<\/?)([^\s/>]+)([\s\S]*?)(\/?>)$/;
const ATTR = /([^\s=]+)(\s*=\s*)("[^"]*"|'[^']*')/g;

function tokenKind(t) {
  if (t === undefined) return 'end';
  if (t[0] !== '<') return 'text';
  if (t.startsWith('</')) return 'close';
  if (t.startsWith('<!') || t.startsWith('<?')) return 'misc';
  return t.endsWith('/>') ? 'empty' : 'open';
}

// xmlLines splits serialised XML into [depth, tokens] lines. An element
// that holds only text stays on one line, as <body>hi</body>.
function xmlLines(xml) {
  const toks = xml.match(TOKEN) || [];
  const lines = [];
  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const kind = tokenKind(t);
    if (kind === 'open' && tokenKind(toks[i + 1]) === 'text' && tokenKind(toks[i + 2]) === 'close') {
      lines.push([depth, [t, toks[i + 1], toks[i + 2]]]);
      i += 2;
    } else if (kind === 'open' && tokenKind(toks[i + 1]) === 'close') {
      lines.push([depth, [t, toks[i + 1]]]);
      i += 1;
    } else if (kind === 'text') {
      if (t.trim() !== '') lines.push([depth, [t.trim()]]);
    } else {
      if (kind === 'close') depth = Math.max(0, depth - 1);
      lines.push([depth, [t]]);
      if (kind === 'open') depth += 1;
    }
  }
  return lines;
}

// appendTag adds one tag to pre, with its name and attributes marked for
// colour.
function appendTag(pre, tag) {
  const m = TAG.exec(tag);
  if (!m) {
    pre.append(tag);
    return;
  }
  pre.append(el('span', 'xt', m[1] + m[2]));
  let last = 0;
  for (const a of m[3].matchAll(ATTR)) {
    pre.append(m[3].slice(last, a.index), el('span', 'xa', a[1]), a[2], el('span', 'xv', a[3]));
    last = a.index + a[0].length;
  }
  pre.append(m[3].slice(last), el('span', 'xt', m[4]));
}

// prettyXML returns a <pre> showing xml indented and coloured.
function prettyXML(xml) {
  const pre = el('pre', 'xml');
  const lines = xmlLines(xml);
  lines.forEach(([depth, toks], n) => {
    pre.append('  '.repeat(depth));
    for (const t of toks) {
      if (t[0] === '<') appendTag(pre, t);
      else pre.append(t);
    }
    if (n < lines.length - 1) pre.append('\n');
  });
  return pre;
}

// ---- the stanza stream -------------------------------------------------

const KINDS = ['message', 'presence', 'iq'];

function clock(iso) {
  const d = new Date(iso);
  const two = (n) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

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

// createStream keeps the received stanzas and renders the matching ones
// in batches, one per animation frame, never more than MAX_ROWS in the
// page. While paused, new stanzas are kept (up to KEEP) but not shown.
function createStream(onEvent) {
  const list = $('stanzas');
  const s = { events: [], queue: [], shown: 0, total: 0, missed: 0, lastSeq: 0, pausedAt: null, scheduled: false, filter: readFilter() };

  const visible = (e) => s.pausedAt === null || e.seq <= s.pausedAt;

  function counts() {
    const missed = s.missed ? ` · ${s.missed.toLocaleString('en')} missed` : '';
    $('stream-count').textContent = s.total ? `${s.shown.toLocaleString('en')} shown of ${s.total.toLocaleString('en')}${missed}` : '';
    $('stream-count').title = s.missed ? 'the server skips a stream that falls behind; reload to fetch what it still keeps' : '';
    $('stream-empty').hidden = s.shown > 0;
    const note = $('paused-note');
    note.hidden = s.pausedAt === null;
    if (s.pausedAt !== null) {
      const held = s.events.filter((e) => e.seq > s.pausedAt).length;
      note.textContent = `Paused: ${plural(held, 'new stanza')} held back, shown when you resume (the newest ${KEEP.toLocaleString('en')} are kept, older ones dropped).`;
    }
  }

  function schedule() {
    if (s.scheduled) return;
    s.scheduled = true;
    requestAnimationFrame(flush);
  }

  // flush renders one batch: one layout read before the writes, one
  // bulk removal of the oldest rows.
  function flush() {
    s.scheduled = false;
    if (s.queue.length > MAX_ROWS) s.queue.splice(0, s.queue.length - MAX_ROWS);
    const batch = s.queue.splice(0, BATCH);
    const follow = list.scrollHeight - list.scrollTop - list.clientHeight < 48;
    const frag = document.createDocumentFragment();
    for (const e of batch) frag.append(stanzaRow(e));
    list.append(frag);
    s.shown += batch.length;
    trim();
    if (follow) list.scrollTop = list.scrollHeight;
    counts();
    if (s.queue.length) schedule();
  }

  function trim() {
    const excess = s.shown - MAX_ROWS;
    if (excess <= 0) return;
    const r = document.createRange();
    r.setStartBefore(list.firstElementChild);
    r.setEndAfter(list.children[excess - 1]);
    r.deleteContents();
    s.shown = MAX_ROWS;
  }

  function rerender() {
    list.replaceChildren();
    s.shown = 0;
    s.queue = s.events.filter((e) => visible(e) && matches(e, s.filter)).slice(-MAX_ROWS);
    counts();
    schedule();
  }

  function receive(e) {
    if (e.seq <= s.lastSeq) return;
    // Numbers are consecutive; a jump means the server skipped this page
    // while it fell behind.
    if (s.lastSeq && e.seq > s.lastSeq + 1) s.missed += e.seq - s.lastSeq - 1;
    s.lastSeq = e.seq;
    s.total += 1;
    s.events.push(e);
    // Trimming in steps keeps the cost of the copy off most events.
    if (s.events.length > KEEP + 500) s.events.splice(0, s.events.length - KEEP);
    if (visible(e) && matches(e, s.filter)) {
      s.queue.push(e);
      schedule();
    } else if (s.pausedAt !== null) {
      counts();
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
        s.pausedAt = s.lastSeq;
        counts();
        return true;
      }
      const from = s.pausedAt;
      s.pausedAt = null;
      s.queue.push(...s.events.filter((e) => e.seq > from && matches(e, s.filter)));
      counts();
      schedule();
      return false;
    },
    clear() {
      s.events = [];
      s.queue = [];
      s.total = 0;
      s.missed = 0;
      if (s.pausedAt !== null) s.pausedAt = s.lastSeq;
      rerender();
    },
    // restarted forgets the sequence numbers of a server that is gone.
    restarted() {
      s.lastSeq = 0;
      if (s.pausedAt !== null) s.pausedAt = 0;
    },
  };
}

// ---- connection state --------------------------------------------------

// createLink shows in the header whether the API answers and the trace
// stream is live.
function createLink() {
  const pill = $('link');
  const state = { api: null, trace: false };
  function render() {
    if (state.api !== null) {
      pill.className = 'pill pill-down';
      pill.textContent = 'server unreachable';
      pill.title = state.api;
    } else if (!state.trace) {
      pill.className = 'pill pill-wait';
      pill.textContent = 'reconnecting…';
      pill.title = 'the stanza stream is reconnecting';
    } else {
      pill.className = 'pill pill-live';
      pill.textContent = 'live';
      pill.title = 'stanzas stream in as they pass';
    }
  }
  return {
    apiError(msg) {
      state.api = msg;
      render();
    },
    traceLive(live) {
      state.trace = live;
      render();
    },
  };
}

// connectTrace follows /api/trace, resuming after the last stanza seen
// when the connection drops (the native retry would replay the backlog).
function connectTrace(stream, link) {
  let source = null;
  let retries = 0;
  const open = () => {
    source = new EventSource(`/api/trace?since=${stream.lastSeq()}`);
    source.onopen = () => {
      retries = 0;
      link.traceLive(true);
    };
    source.onmessage = (m) => stream.receive(JSON.parse(m.data));
    source.onerror = () => {
      source.close();
      link.traceLive(false);
      setTimeout(open, Math.min(5000, 250 * 2 ** retries++));
    };
  };
  open();
  return {
    reopen() {
      source.close();
      open();
    },
  };
}

// ---- status, sessions, users -------------------------------------------

// seconds reads a Go duration such as "1h2m3s".
function seconds(d) {
  let total = 0;
  for (const [, n, unit] of String(d).matchAll(/([\d.]+)(h|m|s)/g)) total += Number(n) * { h: 3600, m: 60, s: 1 }[unit];
  return total;
}

function renderStatus(st) {
  $('f-domain').textContent = st.domain;
  $('f-version').textContent = st.version;
  $('f-c2s').textContent = st.listeners.c2s;
  $('f-http').textContent = st.listeners.http;
  $('f-users').textContent = st.users;
  $('f-sessions').textContent = st.sessions;
  $('f-uptime').textContent = st.uptime;
  document.title = `${st.domain} · xmppsandbox inspector`;
  $('fixture-error').hidden = !st.fixture_error;
  $('fixture-error-text').textContent = st.fixture_error || '';
}

function presenceCell(s) {
  const td = el('td', 'presence');
  const show = s.available ? s.show || 'available' : 'unavailable';
  td.append(el('span', `dot dot-${s.available ? s.show || 'on' : 'off'}`), el('span', 'show', show));
  if (s.status) td.append(el('span', 'status', s.status));
  if (!s.available) td.title = 'bound, but has sent no available presence';
  return td;
}

function renderSessions(sessions) {
  const body = $('sessions').tBodies[0];
  const rows = sessions.map((s) => {
    const tr = el('tr');
    tr.dataset.jid = s.jid;
    const who = el('td', 'who');
    who.append(el('span', 'user', `${s.jid.split('/')[0]}/`), el('strong', '', s.resource));
    who.title = s.interested ? `${s.jid} (has asked for its roster)` : s.jid;
    tr.append(who, presenceCell(s), el('td', 'num', s.priority));
    return tr;
  });
  body.replaceChildren(...rows);
  $('sessions').hidden = sessions.length === 0;
  $('sessions-empty').hidden = sessions.length > 0;
  $('sessions-count').textContent = sessions.length ? String(sessions.length) : '';
}

function badge(text, kind, title) {
  const b = el('span', `badge b-${kind}`, text);
  if (title) b.title = title;
  return b;
}

function rosterTable(roster) {
  if (!roster.items.length) return el('p', 'empty', 'Empty roster.');
  const table = el('table', 'grid roster');
  const head = table.createTHead().insertRow();
  for (const h of ['Contact', 'Groups', 'Subscription']) head.append(Object.assign(el('th', '', h), { scope: 'col' }));
  const body = table.createTBody();
  for (const it of roster.items) {
    const tr = body.insertRow();
    tr.dataset.jid = it.jid;
    const contact = el('td', 'contact');
    contact.append(el('span', 'name', it.name || it.jid), it.name ? el('span', 'jid', it.jid) : '');
    const state = el('td', 'state');
    state.append(badge(it.subscription, `sub-${it.subscription}`, 'subscription'));
    if (it.ask) state.append(badge('pending out', 'pending', `ask="${it.ask}": our request awaits an answer`));
    if (it.pending_in) state.append(badge('pending in', 'pending', 'the contact asked to subscribe; no answer yet'));
    if (it.approved) state.append(badge('pre-approved', 'approved', 'a request from the contact will be approved at once'));
    tr.append(contact, el('td', 'groups', (it.groups || []).join(', ')), state);
  }
  return table;
}

function userSummary(u) {
  const sum = el('summary');
  sum.append(el('strong', 'name', u.name), el('span', 'jid', u.jid));
  if (u.online) sum.append(badge(`${u.online} online`, 'online'));
  if (u.auto_accept) sum.append(badge('auto-accept', 'plain', 'approves every subscription request and subscribes back'));
  if (!u.fixture) sum.append(badge('runtime', 'plain', 'created while running, not by a fixture file'));
  return sum;
}

// createUsers shows the users, each with its roster behind a disclosure;
// rosters load when opened and refresh while open.
function createUsers() {
  const list = $('users');
  const open = new Set();
  const rosters = new Map(); // jid → {json, node}
  let usersJSON = '';
  let first = true;

  async function loadRoster(jid, box) {
    try {
      const r = await api(`/api/rosters/${encodeURIComponent(jid)}`);
      const json = JSON.stringify(r);
      if (rosters.get(jid)?.json === json && box.firstChild) return;
      const node = rosterTable(r);
      rosters.set(jid, { json, node });
      box.replaceChildren(node);
    } catch (err) {
      box.replaceChildren(el('p', 'error', err.message));
    }
  }

  function userItem(u) {
    const li = el('li');
    const d = el('details');
    d.dataset.jid = u.jid;
    d.open = open.has(u.jid);
    const box = el('div', 'roster-box');
    box.append(rosters.get(u.jid)?.node || el('p', 'empty', 'Loading…'));
    d.append(userSummary(u), box);
    d.addEventListener('toggle', () => {
      if (d.open) open.add(u.jid);
      else open.delete(u.jid);
      if (d.open) loadRoster(u.jid, box);
    });
    li.append(d);
    return li;
  }

  async function refresh() {
    const users = (await api('/api/users')) || [];
    if (first && users.length <= OPEN_ROSTERS_UP_TO) users.forEach((u) => open.add(u.jid));
    first = false;
    const json = JSON.stringify(users);
    if (json !== usersJSON) {
      usersJSON = json;
      list.replaceChildren(...users.map(userItem));
      $('users-count').textContent = users.length ? String(users.length) : '';
    }
    const boxes = list.querySelectorAll('details[open]');
    await Promise.all([...boxes].map((d) => loadRoster(d.dataset.jid, d.querySelector('.roster-box'))));
    return users;
  }
  return { refresh };
}

// setJIDChoices offers the known JIDs to every JID input.
function setJIDChoices(users, sessions) {
  const jids = [...new Set([...users.map((u) => u.jid), ...sessions.map((s) => s.jid)])].sort();
  const list = $('jids');
  if (list.dataset.jids === jids.join(' ')) return;
  list.dataset.jids = jids.join(' ');
  list.replaceChildren(...jids.map((j) => Object.assign(el('option'), { value: j })));
}

// ---- inject ------------------------------------------------------------

// injectBody turns a form into the API's request body: the raw form sends
// its XML as is, the others their non-empty fields as JSON.
function injectBody(form) {
  if (form.dataset.endpoint === 'raw') {
    return { body: form.elements.xml.value, type: 'application/xml' };
  }
  const fields = {};
  for (const [k, v] of new FormData(form)) {
    if (v !== '') fields[k] = k === 'priority' ? Number(v) : v;
  }
  return { body: JSON.stringify(fields), type: 'application/json' };
}

function showResult(text, ok) {
  const out = $('inject-result');
  out.className = `result ${ok ? 'ok' : 'error'}`;
  out.textContent = text;
}

async function inject(form) {
  const button = form.querySelector('button[type=submit]');
  const { body, type } = injectBody(form);
  button.disabled = true;
  showResult('Sending…', true);
  try {
    const r = await api(`/api/inject/${form.dataset.endpoint}`, { method: 'POST', headers: { 'Content-Type': type }, body });
    showResult(`Routed ${plural(r.routed, 'stanza')}.`, true);
  } catch (err) {
    showResult(err.message, false);
  } finally {
    button.disabled = false;
  }
}

function setupInject() {
  const forms = document.querySelectorAll('form.inject');
  for (const radio of document.querySelectorAll('input[name=inject-kind]')) {
    radio.addEventListener('change', () => {
      forms.forEach((f) => (f.hidden = f.dataset.endpoint !== radio.value));
      showResult('', true);
    });
  }
  forms.forEach((f) =>
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      inject(f);
    }),
  );
}

// ---- wiring ------------------------------------------------------------

function setupFilters(stream) {
  const refilter = throttle(() => stream.refilter(), 150);
  $('filters').addEventListener('input', refilter);
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  $('pause').addEventListener('click', (e) => {
    const paused = stream.togglePause();
    e.currentTarget.textContent = paused ? 'Resume' : 'Pause';
    e.currentTarget.setAttribute('aria-pressed', String(paused));
  });
  $('clear').addEventListener('click', () => stream.clear());
}

// touchesRoster tells the stanzas after which rosters may have changed.
function touchesRoster(e) {
  return (e.kind === 'presence' && /subscri/.test(e.type || '')) || (e.kind === 'iq' && e.xml.includes('jabber:iq:roster'));
}

function main() {
  const link = createLink();
  const users = createUsers();
  const known = { users: [], sessions: [], uptime: null };

  const refreshSessions = throttle(async () => {
    try {
      known.sessions = (await api('/api/sessions')) || [];
      renderSessions(known.sessions);
      setJIDChoices(known.users, known.sessions);
    } catch {
      // The status poll reports an unreachable server.
    }
  }, 400);
  const refreshUsers = throttle(async () => {
    try {
      known.users = await users.refresh();
      setJIDChoices(known.users, known.sessions);
    } catch {
      // As above.
    }
  }, 1000);

  const stream = createStream((e) => {
    refreshSessions();
    if (touchesRoster(e)) refreshUsers();
  });
  const trace = connectTrace(stream, link);

  every(STATUS_EVERY, async () => {
    try {
      const st = await api('/api/status');
      link.apiError(null);
      const up = seconds(st.uptime);
      if (known.uptime !== null && up < known.uptime) {
        stream.restarted();
        trace.reopen();
      }
      known.uptime = up;
      renderStatus(st);
      refreshSessions();
    } catch (err) {
      link.apiError(err.message);
    }
  });
  every(STATE_EVERY, refreshUsers);
  setupFilters(stream);
  setupInject();
}

main();
