/*
 * Progressive enhancement of the unit's report form: drafts saved as the user types and when the
 * page is left, a live character counter, and focus moved to errors. Nothing here is required:
 * without it every button is a plain form post. ES5 on purpose, for old office PCs; no inline
 * script anywhere, so the content security policy can forbid it.
 */
(function () {
  'use strict';

  var SAVE_AFTER_MS = 1500;  // after the user pauses typing
  var RETRY_AFTER_MS = 10000; // after a failed save

  function closest(el, tag) {
    while (el && el.nodeType === 1) {
      if (el.tagName.toLowerCase() === tag) return el;
      el = el.parentNode;
    }
    return null;
  }

  // An error summary takes focus, so a screen reader announces it and a keyboard user starts there;
  // its links move focus into the field itself, not only scroll to it.
  var summary = document.querySelector('.error-summary');
  if (summary) {
    summary.focus();
    summary.addEventListener('click', function (e) {
      var a = closest(e.target, 'a');
      var href = a && a.getAttribute('href');
      if (!href || href.charAt(0) !== '#') return;
      var field = document.getElementById(href.substring(1));
      if (!field) return;
      e.preventDefault();
      field.focus();
      if (field.scrollIntoView) field.scrollIntoView({ block: 'center' });
    });
  }

  // Character counters: "{n}" and "{max}" in the counter's template.
  function updateCounter(textarea) {
    var counter = document.getElementById(textarea.id + '-count');
    var max = parseInt(textarea.getAttribute('maxlength'), 10);
    if (!counter || !max) return;
    var n = textarea.value.length;
    counter.textContent = counter.getAttribute('data-template').replace('{n}', n).replace('{max}', max);
    counter.className = n > max ? 'counter over' : 'counter';
  }
  var textareas = document.getElementsByTagName('textarea');
  for (var i = 0; i < textareas.length; i++) updateCounter(textareas[i]);

  var form = document.getElementById('report-form');
  var status = document.getElementById('draft-status');
  var url = form && form.getAttribute('data-draft-url');
  if (!form || !status || !url || !window.XMLHttpRequest) return;

  var dirty = false;
  var timer = null;
  var inFlight = false;
  var leaving = false;

  // The text fields as application/x-www-form-urlencoded, with the anti-forgery token; never the
  // file. "autosave" tells the server this is not a button press: a save from a page older than the
  // latest submission is refused rather than taken as the newest work.
  function encode() {
    var parts = ['autosave=1'];
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      var type = (el.type || '').toLowerCase();
      if (!el.name || el.disabled || type === 'file' || type === 'submit' || type === 'button') continue;
      if ((type === 'radio' || type === 'checkbox') && !el.checked) continue;
      parts.push(encodeURIComponent(el.name) + '=' + encodeURIComponent(el.value));
    }
    return parts.join('&');
  }

  function schedule(ms) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, ms);
  }

  function save() {
    timer = null;
    if (!dirty) return;
    if (inFlight) { schedule(SAVE_AFTER_MS); return; }
    dirty = false;
    inFlight = true;
    status.textContent = status.getAttribute('data-saving');
    var xhr = new XMLHttpRequest();
    xhr.open('POST', url, true);
    xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) return;
      inFlight = false;
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
      if (xhr.status === 200 && answer && answer.status) {
        status.textContent = answer.status;
        return;
      }
      dirty = true;
      status.textContent = (answer && answer.status) || status.getAttribute('data-failed');
      // A refusal of the content itself (stale page, locked period) will not pass by retrying.
      if (xhr.status === 0 || xhr.status === 429 || xhr.status >= 500) schedule(RETRY_AFTER_MS);
    };
    xhr.send(encode());
  }

  function changed(e) {
    if (e.target && e.target.tagName && e.target.tagName.toLowerCase() === 'textarea') updateCounter(e.target);
    if (e.target && (e.target.type || '').toLowerCase() === 'file') return;
    dirty = true;
    schedule(SAVE_AFTER_MS);
  }
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);

  // A file over the limit is refused here, before a long upload that the server would refuse anyway.
  var file = document.getElementById('attachment-file');
  var tooLarge = document.getElementById('attachment-file-too-large');
  function fileTooLarge() {
    var max = file && parseInt(file.getAttribute('data-max-bytes'), 10);
    return !!(max && file.files && file.files.length && file.files[0].size > max);
  }
  if (file && tooLarge) {
    file.addEventListener('change', function () {
      var show = fileTooLarge();
      tooLarge.hidden = !show;
      if (show) file.setAttribute('aria-invalid', 'true'); else file.removeAttribute('aria-invalid');
    });
  }

  // A button post carries every field and saves the draft itself.
  form.addEventListener('submit', function (e) {
    if (fileTooLarge()) {
      e.preventDefault();
      if (tooLarge) tooLarge.hidden = false;
      file.focus();
      return;
    }
    leaving = true;
  });
  window.addEventListener('pageshow', function () { leaving = false; });

  // Leaving the page (closing the tab, switching app on a phone): send what is unsaved.
  function flush() {
    if (!dirty || leaving) return;
    var data = encode();
    if (navigator.sendBeacon && window.Blob) {
      dirty = !navigator.sendBeacon(url, new Blob([data], { type: 'application/x-www-form-urlencoded' }));
    } else {
      save();
    }
  }
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') flush();
  });
  window.addEventListener('pagehide', flush);
}());
