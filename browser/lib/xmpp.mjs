// A tiny XMPP client over plain TCP, enough for the tests: open a stream,
// authenticate with SASL PLAIN (RFC 6120 §6; STARTTLS is optional on the
// sandbox's loopback listener), bind a resource, send stanzas and wait
// for what the server writes. It matches text, not a parsed tree: the
// tests look for distinctive strings.

import net from 'node:net';

const WAIT_MS = 5000;
// A wait rescans only this much of what it already searched, so a flood
// of stanzas costs linear time; every pattern here matches far less.
const LOOKBACK = 64 * 1024;

const FEATURES = /<(?:stream:)?features[\s\S]*?<\/(?:stream:)?features>|<(?:stream:)?features[^>]*\/>/;

export function escapeXML(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);
}

export class XMPPClient {
  constructor(socket) {
    this.socket = socket;
    this.received = '';
    this.from = 0; // where the next wait starts looking
    this.waiters = new Set();
    this.closed = false;
    socket.setEncoding('utf8');
    socket.on('data', (d) => {
      this.received += d;
      this.waiters.forEach((w) => w());
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiters.forEach((w) => w());
    });
  }

  // connect opens a TCP connection to host:port.
  static connect(address) {
    const i = address.lastIndexOf(':');
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: address.slice(0, i), port: Number(address.slice(i + 1)) });
      socket.once('connect', () => resolve(new XMPPClient(socket)));
      socket.once('error', reject);
    });
  }

  send(xml) {
    this.socket.write(xml);
  }

  // waitFor resolves with the first match of re in what arrived since the
  // last match, or rejects after ms naming what it waited for.
  waitFor(re, what, ms = WAIT_MS) {
    return new Promise((resolve, reject) => {
      let start = this.from;
      const check = () => {
        const m = re.exec(this.received.slice(start));
        if (m) {
          done();
          this.from = start + m.index + m[0].length;
          resolve(m);
          return;
        }
        start = Math.max(start, this.received.length - LOOKBACK);
        if (this.closed) {
          done();
          reject(new Error(`stream closed while waiting for ${what}; received last:\n${this.received.slice(this.from).slice(-2000)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} within ${ms} ms; received last:\n${this.received.slice(this.from).slice(-2000)}`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  openStream(domain) {
    this.send(`<?xml version='1.0'?><stream:stream to='${escapeXML(domain)}' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`);
    return this.waitFor(FEATURES, 'stream features');
  }

  async authenticate(user, password) {
    const creds = Buffer.from(`\0${user}\0${password}`).toString('base64');
    this.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${creds}</auth>`);
    const [answer] = await this.waitFor(/<success[\s\S]*?(?:\/>|<\/success>)|<failure[\s\S]*?<\/failure>/, 'SASL success');
    if (answer.startsWith('<failure')) throw new Error(`authentication failed: ${answer}`);
  }

  async bind(resource) {
    this.send(`<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${escapeXML(resource)}</resource></bind></iq>`);
    const [answer] = await this.waitFor(/<iq[^>]*id=['"]bind1['"][\s\S]*?<\/iq>/, 'the bind result');
    if (!/type=['"]result['"]/.test(answer)) throw new Error(`bind failed: ${answer}`);
    return answer.match(/<jid>([^<]+)<\/jid>/)?.[1];
  }

  close() {
    if (!this.closed) this.socket.end('</stream:stream>');
    this.socket.destroy();
  }
}

// login connects, authenticates, binds resource and sends initial
// presence, so the session is available.
export async function login(address, { domain, user, password, resource }) {
  const c = await XMPPClient.connect(address);
  try {
    const [features] = await c.openStream(domain);
    if (!features.includes('PLAIN')) throw new Error(`no PLAIN mechanism offered: ${features}`);
    await c.authenticate(user, password);
    await c.openStream(domain);
    c.jid = await c.bind(resource);
    c.send('<presence/>');
    return c;
  } catch (err) {
    c.close();
    throw err;
  }
}
