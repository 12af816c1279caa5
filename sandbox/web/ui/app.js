// The inspector page. It polls the admin API for the server's state,
// streams stanzas from /api/trace and injects stanzas through
// /api/inject/*. Whatever came from a client or the server is inserted as
// text (textContent), never parsed as HTML.

import { $, api, every, throttle, withToken } from './util.js';
import { createStream } from './stream.js';
import { createUsers, renderSessions, renderStatus, setJIDChoices } from './state.js';
import { setupInject } from './inject.js';

const STATUS_EVERY = 2000; // ms between status and session polls
const STATE_EVERY = 5000; // ms between user and roster polls

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
    source = new EventSource(withToken(`/api/trace?since=${stream.lastSeq()}`));
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
  const known = { users: [], sessions: [] };

  const refreshUsers = throttle(async () => {
    try {
      known.users = await users.refresh();
      setJIDChoices(known.users, known.sessions);
    } catch {
      // The status poll reports an unreachable server.
    }
  }, 1000);

  const refreshSessions = throttle(async () => {
    try {
      const sessions = (await api('/api/sessions')) || [];
      const jids = (list) => list.map((s) => s.jid).join(' ');
      // Users show how many sessions each has online.
      if (jids(sessions) !== jids(known.sessions)) refreshUsers();
      known.sessions = sessions;
      renderSessions(sessions);
      setJIDChoices(known.users, known.sessions);
    } catch {
      // The status poll reports an unreachable server.
    }
  }, 400);
  let trace = null;
  const stream = createStream(
    (e) => {
      refreshSessions();
      if (touchesRoster(e)) refreshUsers();
    },
    () => trace.reopen(),
  );
  trace = connectTrace(stream, link);

  every(STATUS_EVERY, async () => {
    try {
      renderStatus(await api('/api/status'));
      link.apiError(null);
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
