// peer runs tcp_peer.py, the slixmpp client on the TCP side of the check,
// and follows the lines it prints: READY once admin is online, REPLIED
// once it has answered mine's message.

import { spawn } from "node:child_process";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { Failure, Watch, withTimeout } from "./support.mjs";

const SCRIPT = fileURLToPath(new URL("../tcp_peer.py", import.meta.url));
// The peer imports the slixmpp helpers shared by all interop scripts.
const HELPERS = dirname(dirname(SCRIPT));
const WAIT_MS = 10_000;
const EXIT_WAIT_MS = 5_000;

// peerLogPath puts the peer's XML log beside the check's own.
function peerLogPath(log) {
  return log ? log.replace(/(\.log)?$/, "_tcp.log") : "";
}

function peerArgs(opts, texts) {
  const args = [SCRIPT, "--host", opts.host, "--port", opts.port, "--domain", opts.domain,
    "--timeout", String(opts.timeout), "--expect", texts.expect, "--reply", texts.reply];
  const log = peerLogPath(opts.log);
  return log ? [...args, "--log", log] : args;
}

// startPeer starts the peer expecting texts.expect from mine and answering
// texts.reply; log receives everything it prints.
export function startPeer(opts, log, texts) {
  const env = { ...process.env, PYTHONPATH: HELPERS, PYTHONDONTWRITEBYTECODE: "1" };
  const child = spawn(opts.python, peerArgs(opts, texts), { env, stdio: ["pipe", "pipe", "pipe"] });
  return new Peer(child, log);
}

class Peer {
  #child;
  #lines = new Watch();
  #stderr = [];
  #exited;

  constructor(child, log) {
    this.#child = child;
    createInterface({ input: child.stdout }).on("line", (line) => {
      log("PEER", line);
      this.#lines.push(line);
    });
    createInterface({ input: child.stderr }).on("line", (line) => {
      log("PEER-ERR", line);
      this.#stderr.push(line);
    });
    // A peer that already quit makes its pipe refuse the end of input;
    // its exit is what gets reported.
    child.stdin.on("error", () => {});
    this.#exited = new Promise((resolve) => {
      child.on("error", (err) => {
        this.#lines.fail(new Failure(`cannot run the tcp peer: ${err.message}`));
        resolve(null);
      });
      child.on("exit", (code, signal) => {
        this.#lines.fail(this.#failure(`exited (${signal ?? code})`));
        resolve(code);
      });
    });
  }

  #failure(what) {
    const last = this.#stderr.at(-1) ?? "no message";
    return new Failure(`tcp peer (slixmpp) ${what}: ${last}`);
  }

  // ready resolves once admin is logged in over TCP with initial presence.
  async ready() {
    return this.#lines.until("admin to log in over TCP", (l) => l.startsWith("READY "), WAIT_MS);
  }

  // replied resolves with the JID admin answered once it has answered.
  async replied() {
    const replied = (line) => line.startsWith("REPLIED ");
    const line = await this.#lines.until("admin to receive mine's message", replied, WAIT_MS);
    return line.slice("REPLIED ".length);
  }

  // finish lets the peer log out and checks that it exits cleanly.
  async finish() {
    this.#child.stdin.end();
    const code = await withTimeout(this.#exited, EXIT_WAIT_MS, "the tcp peer to exit");
    if (code !== 0) throw this.#failure(`exited ${code}`);
  }

  // kill stops the peer if it still runs.
  kill() {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill();
  }
}
