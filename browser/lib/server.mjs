// Runs the xmppsandbox binary on free loopback ports for a test.

import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { stopProcess, track } from './process.mjs';

const START_DEADLINE_MS = 10_000;

// buildBinary returns the binary to test: XMPPSANDBOX_BIN when set,
// otherwise a fresh build of the repository at root.
export function buildBinary(root) {
  if (process.env.XMPPSANDBOX_BIN) return process.env.XMPPSANDBOX_BIN;
  const out = join(root, 'bin', 'xmppsandbox');
  execFileSync('go', ['build', '-o', out, '.'], { cwd: root, stdio: 'inherit', env: { ...process.env, CGO_ENABLED: '0' } });
  if (!existsSync(out)) throw new Error(`go build did not produce ${out}`);
  return out;
}

// startServer serves the fixtures in dir and resolves once the binary
// prints both listening lines, with their addresses. Ports are free ones
// unless c2s and http name others.
export function startServer(binary, dir, { watch = false, c2s = '127.0.0.1:0', http = '127.0.0.1:0' } = {}) {
  const args = ['serve', '--fixtures', dir, '--c2s', c2s, '--http', http];
  if (!watch) args.push('--no-watch');
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child.pid, false);
  const server = { pid: child.pid, c2s: null, http: null, stdout: '', stderr: '' };
  server.stop = () => stopProcess(child.pid, false);
  child.stderr.on('data', (d) => (server.stderr += d));
  return new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer);
      server.stop();
      reject(new Error(`${why}\n--- server stderr:\n${server.stderr}`));
    };
    const timer = setTimeout(() => fail(`no listening lines within ${START_DEADLINE_MS} ms`), START_DEADLINE_MS);
    child.on('error', (err) => fail(`cannot run ${binary}: ${err.message}`));
    child.on('exit', (code) => fail(`the server exited with ${code} before listening`));
    child.stdout.on('data', (d) => {
      server.stdout += d;
      server.c2s ??= server.stdout.match(/^c2s listening on (\S+)$/m)?.[1] ?? null;
      server.http ??= server.stdout.match(/^http listening on (\S+)$/m)?.[1] ?? null;
      if (server.c2s && server.http) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(server);
      }
    });
  });
}

// freeAddress returns a loopback address whose port was free a moment
// ago, for a server that must come back on the same ports.
export function freeAddress() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(`127.0.0.1:${port}`));
    });
  });
}
