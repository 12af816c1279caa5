// support holds what every step of the WebSocket check shares: the failure
// type, the log of frames and deadlines.

import { createWriteStream } from "node:fs";

// Failure is an expectation that did not hold; its message says which.
export class Failure extends Error {}

// openLog returns log(tag, text), which appends a timestamped entry to the
// file at path (nothing when path is empty), and log.close().
export function openLog(path) {
  if (!path) {
    const log = () => {};
    log.close = async () => {};
    return log;
  }
  const out = createWriteStream(path, { flags: "w" });
  const log = (tag, text = "") => {
    out.write(`${new Date().toISOString()} ${tag} ${text}\n`);
  };
  log.close = () => new Promise((resolve) => out.end(resolve));
  return log;
}

// withTimeout settles as promise does, or fails naming what it waited for
// once ms have passed; what may be a function, read when time runs out.
export function withTimeout(promise, ms, what) {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => {
      const name = typeof what === "function" ? what() : what;
      reject(new Failure(`timed out after ${ms / 1000}s waiting for ${name}`));
    }, ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

// Watch keeps what arrived so far (stanzas, lines) and lets a step wait
// until one of them matches, however early it came.
export class Watch {
  #items = [];
  #waiters = new Set();

  // push records item and wakes the waiters it matches.
  push(item) {
    this.#items.push(item);
    for (const waiter of this.#waiters) waiter(item);
  }

  // fail makes every current and later wait reject with err.
  fail(err) {
    this.failed = err;
    for (const waiter of this.#waiters) waiter(undefined, err);
  }

  // until resolves with the first item that predicate accepts; after ms it
  // fails naming what, and what describe() makes of the items seen.
  until(what, predicate, ms, describe = (items) => `${items.length} other(s)`) {
    const found = this.#items.find(predicate);
    if (found) return Promise.resolve(found);
    if (this.failed) return Promise.reject(this.failed);
    let waiter;
    const match = new Promise((resolve, reject) => {
      waiter = (item, err) => (err ? reject(err) : predicate(item) && resolve(item));
      this.#waiters.add(waiter);
    });
    const named = () => `${what}; saw ${describe(this.#items)}`;
    return withTimeout(match, ms, named).finally(() => this.#waiters.delete(waiter));
  }
}
