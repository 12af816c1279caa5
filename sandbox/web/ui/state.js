// The server's state: the header's facts and fixture error, the sessions
// with their presence, and the users with their rosters.

import { $, api, el } from './util.js';

const OPEN_ROSTERS_UP_TO = 6; // users whose rosters start open

// renderStatus fills the header from /api/status and shows the fixture
// error banner while the last fixture load failed.
export function renderStatus(st) {
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

// presenceCell shows a session's presence: a bound resource that has not
// sent available presence is unavailable (RFC 6121 §4.2).
function presenceCell(s) {
  const td = el('td');
  const box = el('div', 'presence');
  const show = s.available ? s.show || 'available' : 'unavailable';
  box.append(el('span', `dot dot-${s.available ? s.show || 'on' : 'off'}`), el('span', 'show', show));
  if (s.status) box.append(el('span', 'status', s.status));
  if (!s.available) td.title = 'bound, but has sent no available presence';
  td.append(box);
  return td;
}

// renderSessions lists the bound resources with their presence.
export function renderSessions(sessions) {
  const body = $('sessions').tBodies[0];
  const rows = sessions.map((s) => {
    const tr = el('tr');
    tr.dataset.jid = s.jid;
    const who = el('td', 'who');
    who.append(el('span', 'user', `${s.jid.split('/')[0]}/`), el('wbr'), el('strong', '', s.resource));
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

// rosterTable shows a roster's items with their subscription state:
// ask (our pending request), pending in (theirs) and pre-approval.
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
    const state = el('div', 'state');
    state.append(badge(it.subscription, `sub-${it.subscription}`, 'subscription'));
    if (it.ask) state.append(badge('pending out', 'pending', `ask="${it.ask}": our request awaits an answer`));
    if (it.pending_in) state.append(badge('pending in', 'pending', 'the contact asked to subscribe; no answer yet'));
    if (it.approved) state.append(badge('pre-approved', 'approved', 'a request from the contact will be approved at once'));
    const stateCell = el('td');
    stateCell.append(state);
    tr.append(contact, el('td', 'groups', (it.groups || []).join(', ')), stateCell);
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
export function createUsers() {
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
export function setJIDChoices(users, sessions) {
  const jids = [...new Set([...users.map((u) => u.jid), ...sessions.map((s) => s.jid)])].sort();
  const list = $('jids');
  if (list.dataset.jids === jids.join(' ')) return;
  list.dataset.jids = jids.join(' ');
  list.replaceChildren(...jids.map((j) => Object.assign(el('option'), { value: j })));
}
