// The inject forms: presence, message and raw XML, posted to
// /api/inject/* with the server's answer or error shown beside them.

import { $, api, plural } from './util.js';

// injectBody turns a form into the API's request body: the raw form sends
// its XML as is, the others their non-empty fields as JSON.
function injectBody(form) {
  if (form.dataset.endpoint === 'raw') {
    return { body: form.elements.xml.value, type: 'application/xml' };
  }
  const fields = {};
  for (const [k, v] of new FormData(form)) {
    if (v !== '') fields[k] = k === 'priority' ? Number(v) : v;
  }
  return { body: JSON.stringify(fields), type: 'application/json' };
}

function showResult(text, ok) {
  const out = $('inject-result');
  out.className = `result ${ok ? 'ok' : 'error'}`;
  out.textContent = text;
}

async function inject(form) {
  const button = form.querySelector('button[type=submit]');
  const { body, type } = injectBody(form);
  button.disabled = true;
  showResult('Sending…', true);
  try {
    const r = await api(`/api/inject/${form.dataset.endpoint}`, { method: 'POST', headers: { 'Content-Type': type }, body });
    showResult(`Routed ${plural(r.routed, 'stanza')}.`, true);
  } catch (err) {
    showResult(err.message, false);
  } finally {
    button.disabled = false;
  }
}

export function setupInject() {
  const forms = document.querySelectorAll('form.inject');
  for (const radio of document.querySelectorAll('input[name=inject-kind]')) {
    radio.addEventListener('change', () => {
      forms.forEach((f) => (f.hidden = f.dataset.endpoint !== radio.value));
      showResult('', true);
    });
  }
  forms.forEach((f) =>
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      inject(f);
    }),
  );
}
