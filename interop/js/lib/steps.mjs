// steps are the parts of the check that drive @xmpp/client: log in, fetch
// the roster, send initial presence and chat with the TCP side.

import { client, jid, xml } from "@xmpp/client";

import { Failure, Watch, withTimeout } from "./support.mjs";

const WAIT_MS = 10_000;
const NS_ROSTER = "jabber:iq:roster";
// RFC 6121 §2.1.2.5: the states a roster item in a result can be in.
const SUBSCRIPTIONS = new Set(["none", "to", "from", "both"]);

function sameJID(text, want) {
  return Boolean(text) && jid(text).equals(want);
}

function lastStanzas(items) {
  return items.length ? items.slice(-3).map(String).join(" ") : "no stanza";
}

// trace writes every frame received and every element sent to log, so a
// failure can be read against what went over the wire.
function trace(xmpp, log) {
  xmpp.on("status", (status) => {
    log("STATUS", status);
    if (status === "connect") xmpp.socket.on("data", (data) => log("IN", String(data)));
  });
  xmpp.on("send", (element) => log("OUT", String(element)));
}

// newSession makes mine's client, which never reconnects on its own: a
// dropped stream must fail the check. stanzas collects what it receives;
// an error the client reports fails every wait on them.
function newSession(opts, log) {
  const xmpp = client({
    service: opts.url,
    domain: opts.domain,
    username: "mine",
    password: "mine",
    resource: "js",
  });
  xmpp.reconnect.stop();
  trace(xmpp, log);
  const stanzas = new Watch();
  xmpp.on("stanza", (stanza) => stanzas.push(stanza));
  xmpp.on("error", (err) => {
    log("ERROR", err.stack ?? String(err));
    stanzas.fail(new Failure(`@xmpp/client reported: ${err.condition ?? err.message}`));
  });
  return { xmpp, stanzas };
}

// checkSession checks the subprotocol and the bound JID.
function checkSession(xmpp, domain) {
  // RFC 7395 §3.1: the server answers the handshake with the "xmpp"
  // subprotocol the client asked for.
  const protocol = xmpp.socket?.socket?.protocol;
  if (protocol !== "xmpp") throw new Failure(`WebSocket subprotocol is '${protocol}', want 'xmpp'`);
  const bare = `mine@${domain}`;
  if (!xmpp.jid?.resource || xmpp.jid.bare().toString() !== bare) {
    throw new Failure(`bound JID is ${xmpp.jid}, want ${bare}/RESOURCE`);
  }
}

// login connects mine over WebSocket, authenticates and binds a resource.
// It resolves with the session: the client and the stanzas it receives.
export async function login(opts, log) {
  if (typeof globalThis.WebSocket !== "function") {
    throw new Failure("this Node has no global WebSocket: run it with --experimental-websocket");
  }
  const session = newSession(opts, log);
  try {
    await withTimeout(session.xmpp.start(), WAIT_MS, "mine to log in over WebSocket");
  } catch (err) {
    if (err instanceof Failure) throw err;
    throw new Failure(`login over ${opts.url} failed: ${err.condition ?? err.message}`);
  }
  checkSession(session.xmpp, opts.domain);
  return session;
}

// fetchRoster asks for mine's roster (RFC 6121 §2.1.3), checks the result
// and resolves with its items.
export async function fetchRoster({ xmpp }) {
  const get = xml("iq", { type: "get" }, xml("query", { xmlns: NS_ROSTER }));
  let reply;
  try {
    reply = await xmpp.iqCaller.request(get, WAIT_MS);
  } catch (err) {
    throw new Failure(`roster get failed: ${err.condition ?? err.message}`);
  }
  // The result comes from mine's own account: no 'from', or its bare JID.
  if (reply.attrs.from && !sameJID(reply.attrs.from, xmpp.jid.bare())) {
    throw new Failure(`roster result from ${reply.attrs.from}: ${reply}`);
  }
  const query = reply.getChild("query", NS_ROSTER);
  if (!query) throw new Failure(`roster result without <query xmlns='${NS_ROSTER}'/>: ${reply}`);
  const items = query.getChildren("item");
  for (const item of items) checkRosterItem(item);
  return items;
}

function checkRosterItem(item) {
  const { jid: contact, subscription = "none" } = item.attrs;
  if (!contact) throw new Failure(`roster item without a jid: ${item}`);
  if (!SUBSCRIPTIONS.has(subscription)) {
    throw new Failure(`roster item ${contact} has subscription '${subscription}'`);
  }
}

// announcePresence sends initial presence and waits for the server to
// broadcast it back to the resource that sent it (RFC 6121 §4.2.2).
export async function announcePresence({ xmpp, stanzas }) {
  await xmpp.send(xml("presence"));
  const reflected = (el) => el.is("presence") && !el.attrs.type && sameJID(el.attrs.from, xmpp.jid);
  await stanzas.until(`presence from ${xmpp.jid}`, reflected, WAIT_MS, lastStanzas);
}

// chat sends texts.body to admin's bare JID (RFC 6121 §8.5.2.1.1 delivers
// it to admin's resource over TCP) and waits for texts.reply, which admin
// sends to mine's full JID. It resolves with the JID the answer came from.
export async function chat({ xmpp, stanzas }, peer, domain, texts) {
  const admin = `admin@${domain}`;
  await xmpp.send(xml("message", { to: admin, type: "chat" }, xml("body", {}, texts.body)));
  const seenFrom = await peer.replied();
  if (!sameJID(seenFrom, xmpp.jid)) {
    throw new Failure(`admin got the message from ${seenFrom}, want ${xmpp.jid}`);
  }
  const isAnswer = (el) => el.is("message") && el.getChildText("body") === texts.reply;
  const answer = await stanzas.until("admin's answer", isAnswer, WAIT_MS, lastStanzas);
  const from = answer.attrs.from ?? "";
  const fromResource = Boolean(from) && jid(from).bare().equals(jid(admin)) && jid(from).resource;
  if (!fromResource || answer.attrs.type !== "chat") {
    throw new Failure(`answer should be a chat from ${admin}/RESOURCE: ${answer}`);
  }
  return from;
}
