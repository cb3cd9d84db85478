// Translate-as-you-type for the two-panel page. Plain browser JavaScript, no dependencies.
// Output is always set with textContent, never as HTML.
'use strict';
(function () {
  const DEBOUNCE_MS = 350;
  const source = document.getElementById('source');
  const target = document.getElementById('target');
  const copy = document.getElementById('copy');
  const error = document.getElementById('error');
  const status = document.getElementById('status');
  let timer = 0;
  let inFlight = null;
  let sequence = 0;

  function showError(message) {
    error.textContent = message;
    error.hidden = false;
  }

  function clearError() {
    error.textContent = '';
    error.hidden = true;
  }

  async function translate() {
    const text = source.value;
    const mine = ++sequence;
    if (inFlight) inFlight.abort();
    if (text.trim() === '') {
      target.textContent = '';
      copy.disabled = true;
      clearError();
      status.textContent = '';
      return;
    }
    inFlight = new AbortController();
    status.textContent = 'Translating…';
    try {
      const res = await fetch('translate', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: text }),
        signal: inFlight.signal,
      });
      const body = await res.json().catch(function () { return null; });
      if (mine !== sequence) return;
      if (!res.ok || !body || typeof body.translation !== 'string') {
        const message = body && body.error && body.error.message ? body.error.message : 'HTTP ' + res.status;
        showError('Translation failed: ' + message);
        status.textContent = '';
        return;
      }
      clearError();
      target.textContent = body.translation;
      copy.disabled = body.translation === '';
      status.textContent = Math.round(body.elapsed_ms) + ' ms';
    } catch (e) {
      if (e && e.name === 'AbortError') return;
      if (mine !== sequence) return;
      showError('Translation failed: ' + (e && e.message ? e.message : String(e)));
      status.textContent = '';
    }
  }

  source.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(translate, DEBOUNCE_MS);
  });

  copy.addEventListener('click', async function () {
    const text = target.textContent || '';
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      // Clipboard API needs a secure context or permission; fall back to a selection copy.
      const range = document.createRange();
      range.selectNodeContents(target);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      document.execCommand('copy');
      selection.removeAllRanges();
    }
    copy.textContent = 'Copied';
    setTimeout(function () { copy.textContent = 'Copy'; }, 1200);
  });

  if (source.value.trim() !== '') translate();
})();
