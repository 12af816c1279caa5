// Headless Chromium checks of the inspector page against a real server
// and a real XMPP client. Run with: node --test browser/inspector.test.mjs
// (or make browser). Screenshots go to ARTIFACTS, bin/artifacts by default.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBinary, freeAddress, startServer } from './lib/server.mjs';
import { launchChromium } from './lib/chromium.mjs';
import { escapeXML, login } from './lib/xmpp.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ARTIFACTS = resolve(ROOT, process.env.ARTIFACTS || 'bin/artifacts');
// Conditions are polled every 100 ms: polling every frame would take
// the page's own rendering time during the flood.
const WAIT = { timeout: 8000, polling: 100 };
const SHOWN = { timeout: WAIT.timeout };
const DOMAIN = 'localhost';
const RESOURCE = 'browser';
const FLOOD = 3000;
const FLOOD_WAIT = { timeout: 30_000, polling: 100 };

const FIXTURES = `domain: ${DOMAIN}
users:
  mine:  {password: mine}
  mine1: {password: mine1, auto_accept: true}
  admin: {password: admin}
rosters:
  mine:
    - {jid: admin@${DOMAIN}, name: Admin, groups: [Friends], subscription: both}
    - {jid: mine1@${DOMAIN}, name: Mine One, groups: [Work], subscription: none, ask: subscribe}
`;

// A distinctive string per check, so each looks for its own stanza.
const mark = (what) => `${what}-${Math.random().toString(36).slice(2, 10)}`;

function message(to, body) {
  return `<message to='${escapeXML(to)}' type='chat' id='${mark('m')}'><body>${escapeXML(body)}</body></message>`;
}

// rowWith waits for a stanza row whose XML contains text.
function rowWith(page, text, wait = WAIT) {
  return page.waitForFunction((t) => [...document.querySelectorAll('#stanzas .xml')].some((x) => x.textContent.includes(t)), text, wait);
}

// assertNewestFirst checks that rows run from the newest stanza down.
async function assertNewestFirst(page) {
  const seqs = await page.$$eval('#stanzas li', (lis) => lis.map((li) => Number(li.dataset.seq)));
  const bad = seqs.findIndex((seq, i) => i > 0 && seq >= seqs[i - 1]);
  assert.equal(bad, -1, `row ${bad} (stanza ${seqs[bad]}) is not older than the one above it`);
}

function rowCount(page, text) {
  return page.evaluate((t) => [...document.querySelectorAll('#stanzas .xml')].filter((x) => x.textContent.includes(t)).length, text);
}

async function openInspector(browser, server, problems) {
  const context = browser.contexts()[0] ?? (await browser.newContext());
  const page = await context.newPage();
  await page.setViewportSize({ width: 1440, height: 900 });
  page.setDefaultTimeout(WAIT.timeout);
  // Failed requests are judged by their answers below: an injection the
  // server refuses is expected in one check, and Chromium logs it too.
  page.on('console', (m) => m.type() === 'error' && !/^Failed to load resource/.test(m.text()) && problems.push(`console: ${m.text()}`));
  page.on('response', (r) => r.status() >= 400 && !r.url().includes('/api/inject/') && problems.push(`${r.status()} ${r.url()}`));
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.goto(`http://${server.http}/`);
  await page.waitForFunction((d) => document.getElementById('f-domain').textContent === d, DOMAIN, WAIT);
  return page;
}

describe('inspector page', () => {
  const problems = [];
  let binary, work, server, chromium, page, client, phone;

  before(async () => {
    binary = buildBinary(ROOT);
    work = await mkdtemp(join(tmpdir(), 'xmppsandbox-browser-'));
    await writeFile(join(work, 'users.yaml'), FIXTURES);
    await mkdir(ARTIFACTS, { recursive: true });
    server = await startServer(binary, work);
    chromium = await launchChromium();
    page = await openInspector(chromium.browser, server, problems);
  });

  after(async () => {
    client?.close();
    phone?.close();
    await chromium?.browser.close().catch(() => {});
    await chromium?.stop();
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('serves the page with a strict Content-Security-Policy', async () => {
    const res = await fetch(`http://${server.http}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.match(res.headers.get('content-security-policy'), /default-src 'self'/);
    assert.doesNotMatch(res.headers.get('content-security-policy'), /unsafe-inline/);
    assert.equal(await page.locator('#f-c2s').textContent(), server.c2s);
  });

  it('lists users with their rosters', async () => {
    const mine = page.locator(`#users details[data-jid="mine@${DOMAIN}"]`);
    await mine.locator(`tr[data-jid="admin@${DOMAIN}"]`).waitFor(SHOWN);
    const admin = await mine.locator(`tr[data-jid="admin@${DOMAIN}"]`).innerText();
    assert.match(admin, /Admin/);
    assert.match(admin, /Friends/);
    assert.match(admin, /both/);
    const mine1 = await mine.locator(`tr[data-jid="mine1@${DOMAIN}"]`).innerText();
    assert.match(mine1, /pending out/);
    assert.match(mine1, /Work/);
  });

  it('shows the session when a client logs in', async () => {
    client = await login(server.c2s, { domain: DOMAIN, user: 'mine', password: 'mine', resource: RESOURCE });
    const row = page.locator(`#sessions tr[data-jid="mine@${DOMAIN}/${RESOURCE}"]`);
    await row.waitFor(SHOWN);
    await page.waitForFunction(() => document.querySelector('#sessions tbody').textContent.includes('available'), null, WAIT);
    await page.locator(`#users details[data-jid="mine@${DOMAIN}"] .b-online`).waitFor(SHOWN);
  });

  it('shows a second session and what it is sent', async () => {
    phone = await login(server.c2s, { domain: DOMAIN, user: 'mine1', password: 'mine1', resource: 'phone' });
    await page.locator(`#sessions tr[data-jid="mine1@${DOMAIN}/phone"]`).waitFor(SHOWN);
    phone.send("<iq type='get' id='roster1'><query xmlns='jabber:iq:roster'/></iq>");
    await phone.waitFor(/<iq[^>]*id=['"]roster1['"]/, 'the roster result');
    const body = mark('from-the-phone');
    phone.send(message(`mine@${DOMAIN}`, body));
    await client.waitFor(new RegExp(`<body>${body}</body>`), "mine1's message");
    await page.waitForFunction(
      (b) => [...document.querySelectorAll('#stanzas li.out')].some((li) => li.textContent.includes(b)),
      body,
      WAIT,
    );
  });

  it('shows presence changes of the session', async () => {
    const status = mark('brb');
    client.send(`<presence><show>away</show><status>${status}</status></presence>`);
    await page.waitForFunction((s) => document.querySelector('#sessions tbody').textContent.includes(s), status, WAIT);
    assert.match(await page.locator('#sessions tbody').innerText(), /away/);
  });

  it('shows a stanza the client sends, as text', async () => {
    const body = mark('hello <b>bold</b> & <img src=x>');
    client.send(message(`admin@${DOMAIN}`, body));
    await rowWith(page, escapeXML(body));
    const row = page.locator('#stanzas li', { hasText: escapeXML(body) }).first();
    assert.match(await row.getAttribute('class'), /\bin\b/, 'the row is not marked as sent by the client');
    assert.match(await row.locator('.dir').textContent(), /in/);
    assert.equal(await page.locator('#stanzas .xml b, #stanzas .xml img').count(), 0, 'stanza XML was inserted as HTML');
  });

  it('filters by kind and by JID', async () => {
    const messages = () => page.locator('#stanzas li[data-kind="message"]').count();
    assert.ok((await messages()) > 0);
    await page.getByLabel('message', { exact: true }).uncheck();
    await page.waitForFunction(() => !document.querySelector('#stanzas li[data-kind="message"]'), null, WAIT);
    await page.getByLabel('message', { exact: true }).check();
    await page.waitForFunction(() => document.querySelector('#stanzas li[data-kind="message"]'), null, WAIT);
    await page.locator('#filter-jid').fill('nobody@nowhere');
    await page.waitForFunction(() => !document.querySelector('#stanzas li'), null, WAIT);
    await page.locator('#filter-jid').fill(`mine@${DOMAIN}`);
    await page.waitForFunction(() => document.querySelector('#stanzas li'), null, WAIT);
    await page.locator('#filter-jid').fill('');
    await page.waitForFunction(() => document.querySelectorAll('#stanzas li[data-kind="iq"]').length > 0, null, WAIT);
    await assertNewestFirst(page);
  });

  it('holds stanzas back while paused and shows them on resume', async () => {
    await page.locator('#pause').click();
    const body = mark('while-paused');
    client.send(message(`admin@${DOMAIN}`, body));
    await page.waitForFunction(() => /Paused: [1-9]\d* new stanza/.test(document.getElementById('paused-note').textContent), null, WAIT);
    assert.equal(await rowCount(page, body), 0, 'a stanza was shown while paused');
    await page.locator('#pause').click();
    await rowWith(page, body);
    assert.equal(await page.locator('#paused-note').isHidden(), true);
    await assertNewestFirst(page);
  });

  it('injects a message that the client receives', async () => {
    const body = mark('injected');
    const form = page.locator('#inject-message');
    await form.getByLabel('From').fill('admin');
    await form.getByLabel('To').fill(`mine@${DOMAIN}/${RESOURCE}`);
    await form.getByLabel('Body').fill(body);
    await form.getByRole('button', { name: 'Send message' }).click();
    await page.waitForFunction(() => document.getElementById('inject-result').textContent === 'Routed 1 stanza.', null, WAIT);
    await client.waitFor(new RegExp(`<body>${body}</body>`), 'the injected message');
    await rowWith(page, body);
  });

  it("shows the server's error when an injection fails", async () => {
    const form = page.locator('#inject-message');
    await form.getByLabel('From').fill('nobody');
    await form.getByRole('button', { name: 'Send message' }).click();
    await page.waitForFunction(() => /unknown user/.test(document.getElementById('inject-result').textContent), null, WAIT);
    assert.match(await page.locator('#inject-result').getAttribute('class'), /error/);
  });

  it('injects raw XML', async () => {
    const body = mark('raw');
    await page.locator('.tabs label', { hasText: 'Raw XML' }).click();
    assert.equal(await page.locator('#inject-message').isHidden(), true, 'the message form stays visible');
    assert.equal(await page.locator('#inject-presence').isHidden(), true, 'the presence form is visible');
    await page.locator('#inject-raw textarea').fill(`<message from='admin@${DOMAIN}' to='mine@${DOMAIN}' type='chat'><body>${body}</body></message>`);
    await page.getByRole('button', { name: 'Send raw XML' }).click();
    await client.waitFor(new RegExp(`<body>${body}</body>`), 'the raw message');
    await rowWith(page, body);
    await page.locator('.tabs label', { hasText: 'Message' }).click();
    await page.locator('#inject-message').getByLabel('From').fill('admin');
    await page.evaluate(() => document.activeElement.blur());
    await page.screenshot({ path: join(ARTIFACTS, 'inspector.png') });
  });

  it('fits a narrow window', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-narrow.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than a 400px window`);
  });

  it(`keeps at most 2,000 rows when ${FLOOD} stanzas arrive`, async () => {
    const last = mark('flood-last');
    const stanzas = Array.from({ length: FLOOD }, (_, i) =>
      `<message from='admin@${DOMAIN}' to='mine@${DOMAIN}/${RESOURCE}' type='chat'><body>${i === FLOOD - 1 ? last : `flood ${i}`}</body></message>`,
    );
    // The page renders in short slices, so no task of its own should
    // hold the main thread for long while it catches up.
    await page.evaluate(() => {
      window.longestTask = 0;
      new PerformanceObserver((list) => {
        for (const t of list.getEntries()) window.longestTask = Math.max(window.longestTask, t.duration);
      }).observe({ type: 'longtask' });
    });
    const res = await fetch(`http://${server.http}/api/inject/raw`, { method: 'POST', body: stanzas.join('') });
    assert.equal(res.status, 200, await res.text());
    await client.waitFor(new RegExp(`<body>${last}</body>`), 'the last flood message', 20_000);
    // The server may skip a stream that falls behind, so the live page
    // may hold fewer than were sent; it must catch up with what it got,
    // within the cap.
    await page.waitForFunction(
      () => {
        const [shown, total] = document.getElementById('stream-count').textContent.replaceAll(',', '').match(/\d+/g).map(Number);
        return total > 2000 ? shown === 2000 : shown === total;
      },
      null,
      FLOOD_WAIT,
    );
    assert.ok((await page.locator('#stanzas li').count()) <= 2000);
    await assertNewestFirst(page);
    const longest = await page.evaluate(() => window.longestTask);
    assert.ok(longest < 2000, `the page blocked for ${Math.round(longest)} ms while stanzas poured in`);
    // A reload replays the server's whole trace, more than the page keeps:
    // unlike the live stream, which the server may skip ahead on, it
    // surely holds the newest stanza.
    await page.reload();
    await rowWith(page, last, FLOOD_WAIT);
    await page.waitForFunction(() => document.querySelectorAll('#stanzas li').length === 2000, null, FLOOD_WAIT);
    const top = await page.locator('#stanzas li').first().locator('.xml').textContent();
    assert.ok(top.includes(last), 'the newest stanza is not the top row');
    await assertNewestFirst(page);
  });

  it('logs no errors and no Content-Security-Policy violations', () => {
    assert.deepEqual(problems, []);
  });
});

describe('fixture error banner', () => {
  let work, server, chromium, page;

  before(async () => {
    const binary = buildBinary(ROOT);
    work = await mkdtemp(join(tmpdir(), 'xmppsandbox-browser-'));
    await writeFile(join(work, 'users.yaml'), FIXTURES);
    server = await startServer(binary, work, { watch: true });
    chromium = await launchChromium();
    page = await openInspector(chromium.browser, server, []);
  });

  after(async () => {
    await chromium?.browser.close().catch(() => {});
    await chromium?.stop();
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('appears with file:line when a fixture breaks and goes once it is fixed', async () => {
    const banner = page.locator('#fixture-error');
    assert.equal(await banner.isHidden(), true);
    await writeFile(join(work, 'users.yaml'), `${FIXTURES}  ghost:\n    - {jid: admin@${DOMAIN}}\n`);
    await banner.waitFor({ state: 'visible', ...SHOWN });
    assert.match(await banner.innerText(), /users\.yaml:\d+/);
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-fixture-error.png') });
    await writeFile(join(work, 'users.yaml'), FIXTURES);
    await banner.waitFor({ state: 'hidden', ...SHOWN });
  });
});

describe('server restart', () => {
  let binary, work, server, chromium, page, client;
  const logIn = () => login(server.c2s, { domain: DOMAIN, user: 'mine', password: 'mine', resource: RESOURCE });

  before(async () => {
    binary = buildBinary(ROOT);
    work = await mkdtemp(join(tmpdir(), 'xmppsandbox-browser-'));
    await writeFile(join(work, 'users.yaml'), FIXTURES);
    server = await startServer(binary, work, { c2s: await freeAddress(), http: await freeAddress() });
    chromium = await launchChromium();
    page = await openInspector(chromium.browser, server, []);
  });

  after(async () => {
    client?.close();
    await chromium?.browser.close().catch(() => {});
    await chromium?.stop();
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('follows a server restarted on the same ports', async () => {
    client = await logIn();
    // Enough stanzas that the new server's first ones have lower numbers
    // than the page saw last.
    const chatter = Array.from({ length: 50 }, (_, i) => message(`admin@${DOMAIN}`, `chatter ${i}`));
    client.send(chatter.join(''));
    const before = mark('before-restart');
    client.send(message(`admin@${DOMAIN}`, before));
    await rowWith(page, before);
    client.close();
    await server.stop();
    await page.locator('#link.pill-down').waitFor(SHOWN);
    server = await startServer(binary, work, { c2s: server.c2s, http: server.http });
    await page.locator('#link.pill-live').waitFor(SHOWN);
    // The new server numbers its stanzas from 1 again: the page must
    // not take them for ones it has already seen.
    client = await logIn();
    const afterRestart = mark('after-restart');
    client.send(message(`admin@${DOMAIN}`, afterRestart));
    await rowWith(page, afterRestart);
    await page.locator(`#sessions tr[data-jid="mine@${DOMAIN}/${RESOURCE}"]`).waitFor(SHOWN);
  });
});
