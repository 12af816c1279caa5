// Small helpers shared by the inspector's modules.

export const $ = (id) => document.getElementById(id);

// el builds an element with a class and text content.
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null && text !== '') e.textContent = String(text);
  return e;
}

// withToken adds the admin token the page was opened with (?token=…),
// which a sandbox listening off loopback requires; on loopback there is
// none and paths are unchanged.
export function withToken(path) {
  const token = new URLSearchParams(location.search).get('token');
  if (!token) return path;
  return path + (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token);
}

// api calls the admin API on this origin and returns its JSON answer, or
// throws the server's one-line error.
export async function api(path, options = {}) {
  const res = await fetch(withToken(path), { cache: 'no-store', ...options });
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) throw new Error(body && body.error ? body.error : `${res.status} ${res.statusText}`);
  return body;
}

// throttle runs fn at most once per ms, trailing calls included.
export function throttle(fn, ms) {
  let timer = null;
  let again = false;
  const run = () => {
    timer = null;
    if (again) {
      again = false;
      fn();
      timer = setTimeout(run, ms);
    }
  };
  return () => {
    again = true;
    if (!timer) run();
  };
}

// every calls fn now and then ms after each run ends, so slow answers
// never pile up.
export function every(ms, fn) {
  const tick = async () => {
    await fn();
    setTimeout(tick, ms);
  };
  tick();
}

export const plural = (n, word) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
