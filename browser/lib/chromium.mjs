// Launches Debian's Chromium headless, with a fresh profile, and connects
// Playwright to it over the DevTools protocol. Launching it ourselves
// keeps its flags exact and its process id in hand.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { stopProcess, track } from './process.mjs';

const START_DEADLINE_MS = 20_000;

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function chromiumArgs(profile) {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--remote-debugging-address=127.0.0.1',
    '--remote-debugging-port=0',
    'about:blank',
  ];
}

// waitForDevTools resolves with the DevTools WebSocket URL Chromium
// prints on stderr once it listens.
function waitForDevTools(child) {
  let stderr = '';
  let found = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Chromium did not start in ${START_DEADLINE_MS} ms:\n${stderr}`)), START_DEADLINE_MS);
    child.on('error', (err) => reject(new Error(`cannot run ${CHROMIUM}: ${err.message}`)));
    child.on('exit', (code) => reject(new Error(`Chromium exited with ${code}:\n${stderr}`)));
    // Reading on after the URL keeps the pipe from filling up and
    // stalling the browser.
    child.stderr.on('data', (d) => {
      if (found) return;
      stderr += d;
      const ws = stderr.match(/DevTools listening on (ws:\/\/\S+)/)?.[1];
      if (ws) {
        found = true;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(ws);
      }
    });
  });
}

// launchChromium starts the browser in its own process group and returns
// it with a stop function that ends the group and removes the profile.
export async function launchChromium() {
  const profile = await mkdtemp(join(tmpdir(), 'xmppsandbox-chromium-'));
  const child = spawn(CHROMIUM, chromiumArgs(profile), { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  track(child.pid, true);
  const stop = async () => {
    await stopProcess(child.pid, true);
    await rm(profile, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const browser = await chromium.connectOverCDP(await waitForDevTools(child));
    return { pid: child.pid, browser, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
