// ws_client checks @xmpp/client over WebSocket (RFC 7395) against
// xmppsandbox, with a slixmpp client over TCP at the other end.
//
// mine logs in over WebSocket, fetches its roster (RFC 6121 §2.1.3), sends
// initial presence and must get it back (RFC 6121 §4.2.2). admin, logged in
// over TCP by tcp_peer.py, then gets a chat message from mine at its bare
// JID and answers it at mine's full JID, so the message crosses between the
// two transports both ways.
//
// Usage:
//   node --experimental-websocket ws_client.mjs --url ws://HOST:PORT/xmpp-websocket \
//     --host C2S_HOST --port C2S_PORT [--domain D] [--python P] [--timeout S] [--log FILE]
//
// It prints one line per step and exits 1 with the reason on the first
// expectation that does not hold, or when --timeout seconds run out.

import { parseArgs } from "node:util";

import { Failure, openLog, withTimeout } from "./lib/support.mjs";
import { startPeer } from "./lib/peer.mjs";
import { login, fetchRoster, announcePresence, chat } from "./lib/steps.mjs";

const NAME = "js websocket";
const CLOSE_MS = 3000;

function options() {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string" },
      domain: { type: "string", default: "localhost" },
      python: { type: "string", default: "python3" },
      timeout: { type: "string", default: "15" },
      log: { type: "string" },
    },
  });
  if (!values.url || !values.port) {
    throw new Failure("--url and --port are required");
  }
  return { ...values, timeout: Number(values.timeout) };
}

// run is the check itself; progress names the step under way, so a
// timeout can tell what it was waiting for.
async function run(opts, log, progress, held) {
  const body = `hello admin, @xmpp/client here (${Date.now().toString(36)})`;
  const reply = `hello mine, slixmpp here: ${body}`;
  progress("the tcp peer (slixmpp) to start");
  held.peer = startPeer(opts, log, { expect: body, reply });
  progress("mine to log in over WebSocket");
  const session = await login(opts, log);
  held.xmpp = session.xmpp;
  console.log(`${NAME}: logged in as ${session.xmpp.jid} over ${opts.url}`);
  progress("mine's roster result");
  const items = await fetchRoster(session);
  console.log(`${NAME}: roster result with ${items.length} item(s)`);
  progress("mine's initial presence to come back");
  await announcePresence(session);
  console.log(`${NAME}: initial presence sent and broadcast back`);
  progress("admin (slixmpp) to log in over TCP");
  await held.peer.ready();
  progress("the chat exchange with admin");
  const from = await chat(session, held.peer, opts.domain, { body, reply });
  console.log(`${NAME}: admin got mine's message over TCP; its answer came from ${from}`);
  progress("both sessions to close");
  await withTimeout(session.xmpp.stop(), CLOSE_MS, "mine's stream to close");
  held.xmpp = null;
  await held.peer.finish();
}

// shutDown stops whatever a failed run left behind, within CLOSE_MS.
async function shutDown(held) {
  held.peer?.kill();
  if (held.xmpp) {
    await withTimeout(held.xmpp.stop(), CLOSE_MS, "mine's stream to close").catch(() => {});
  }
}

async function main() {
  const held = { peer: null, xmpp: null };
  let step = "starting";
  let opts, log;
  try {
    opts = options();
    log = openLog(opts.log);
    const progress = (what) => {
      step = what;
      log("STEP", what);
    };
    await withTimeout(run(opts, log, progress, held), opts.timeout * 1000, () => step);
    console.log(`${NAME}: PASS`);
    return 0;
  } catch (err) {
    const reason = err instanceof Failure ? err.message : `${step}: ${err.stack ?? err}`;
    console.error(`${NAME}: FAIL: ${reason}`);
    log?.("FAIL", reason);
    return 1;
  } finally {
    await shutDown(held);
    await log?.close();
  }
}

process.exit(await main());
