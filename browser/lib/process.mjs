// Stops processes the tests started, by their process id, including when
// the test run itself is interrupted.

const GRACE_MS = 3000;

// started maps the process ids still running to whether each leads its
// own process group.
const started = new Map();

// alive reports whether target, a process id or a negated process group
// id, still names a running process.
function alive(target) {
  try {
    process.kill(target, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(target, ms) {
  const deadline = Date.now() + ms;
  while (alive(target) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(target);
}

function signal(target, sig) {
  try {
    process.kill(target, sig);
  } catch {
    // Already gone.
  }
}

// track remembers pid, so that an exit of the test process, however it
// happens, kills it (and its group when group is true).
export function track(pid, group) {
  if (pid) started.set(pid, group);
}

process.on('exit', () => {
  for (const [pid, group] of started) signal(group ? -pid : pid, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => process.exit(130));
}

// stopProcess sends SIGTERM to pid (to its whole process group when group
// is true, for a browser and the helpers it forked), then SIGKILL to
// whatever is left after a grace period, and waits until all are gone.
export async function stopProcess(pid, group) {
  if (!pid) return;
  const target = group ? -pid : pid;
  signal(target, 'SIGTERM');
  if (!(await waitGone(target, GRACE_MS))) {
    signal(target, 'SIGKILL');
    await waitGone(target, GRACE_MS);
  }
  started.delete(pid);
}
