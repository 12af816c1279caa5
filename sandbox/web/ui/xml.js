// The XML pretty printer of the stanza stream. It works on the text the
// server serialised and builds nodes whose content is set as text, so
// markup in a stanza is shown, never interpreted.

import { el } from './util.js';

const TOKEN = /<!--[\s\S]*?-->|<(?:[^>"']|"[^"]*"|'[^']*')*>|[^<]+/g;
const TAG = /^(<\/?)([^\s/>]+)([\s\S]*?)(\/?>)$/;
const ATTR = /([^\s=]+)(\s*=\s*)("[^"]*"|'[^']*')/g;

function tokenKind(t) {
  if (t === undefined) return 'end';
  if (t[0] !== '<') return 'text';
  if (t.startsWith('</')) return 'close';
  if (t.startsWith('<!') || t.startsWith('<?')) return 'misc';
  return t.endsWith('/>') ? 'empty' : 'open';
}

// xmlLines splits serialised XML into [depth, tokens] lines. An element
// that holds only text stays on one line, as <body>hi</body>.
function xmlLines(xml) {
  const toks = xml.match(TOKEN) || [];
  const lines = [];
  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const kind = tokenKind(t);
    if (kind === 'open' && tokenKind(toks[i + 1]) === 'text' && tokenKind(toks[i + 2]) === 'close') {
      lines.push([depth, [t, toks[i + 1], toks[i + 2]]]);
      i += 2;
    } else if (kind === 'open' && tokenKind(toks[i + 1]) === 'close') {
      lines.push([depth, [t, toks[i + 1]]]);
      i += 1;
    } else if (kind === 'text') {
      if (t.trim() !== '') lines.push([depth, [t.trim()]]);
    } else {
      if (kind === 'close') depth = Math.max(0, depth - 1);
      lines.push([depth, [t]]);
      if (kind === 'open') depth += 1;
    }
  }
  return lines;
}

// appendTag adds one tag to pre, with its name and attributes marked for
// colour.
function appendTag(pre, tag) {
  const m = TAG.exec(tag);
  if (!m) {
    pre.append(tag);
    return;
  }
  pre.append(el('span', 'xt', m[1] + m[2]));
  let last = 0;
  for (const a of m[3].matchAll(ATTR)) {
    pre.append(m[3].slice(last, a.index), el('span', 'xa', a[1]), a[2], el('span', 'xv', a[3]));
    last = a.index + a[0].length;
  }
  if (last < m[3].length) pre.append(m[3].slice(last));
  pre.append(el('span', 'xt', m[4]));
}

// prettyXML returns a <pre> showing xml indented and coloured.
export function prettyXML(xml) {
  const pre = el('pre', 'xml');
  const lines = xmlLines(xml);
  lines.forEach(([depth, toks], n) => {
    if (depth) pre.append('  '.repeat(depth));
    for (const t of toks) {
      if (t[0] === '<') appendTag(pre, t);
      else pre.append(t);
    }
    if (n < lines.length - 1) pre.append('\n');
  });
  return pre;
}
