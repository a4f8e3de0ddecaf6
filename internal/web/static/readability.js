// readability.js measures a form's text again as an editor types, for the
// reading age panels the server draws (data-readability-fields). It asks
// the server (POST /admin/readability), so the figure shown while typing
// is the one shown on saving. Without it the panels show the text as last
// saved or previewed.
(function () {
  'use strict';
  if (window.joinedupReadability || !window.fetch || !window.URLSearchParams || !document.querySelectorAll) {
    return;
  }
  window.joinedupReadability = true;

  function start(panel) {
    var form = panel.closest('form');
    var result = panel.querySelector('[data-readability-result]');
    var status = panel.querySelector('[data-readability-status]');
    if (!form || !result) {
      return;
    }
    var names = panel.getAttribute('data-readability-fields').split(' ');
    var fields = [];
    // A name ending ":lines" is a list of one item a line.
    names.forEach(function (name) {
      var parts = name.split(':');
      var f = form.elements.namedItem(parts[0]);
      if (f && typeof f.value === 'string') {
        fields.push({input: f, kind: parts[1] === 'lines' ? 'lines' : 'text'});
      }
    });
    var timer = null;
    var sent = 0;
    var first = result.querySelector('[data-readability-age]');
    var lastAge = first ? first.getAttribute('data-readability-age') : null;
    function measure() {
      var body = new URLSearchParams();
      fields.forEach(function (f) {
        body.append(f.kind, f.input.value);
      });
      var n = ++sent;
      fetch('/admin/readability', {method: 'POST', body: body, credentials: 'same-origin', headers: {'Accept': 'text/html'}})
        .then(function (res) {
          return res.ok ? res.text() : null;
        })
        .then(function (html) {
          // An older answer arriving late must not replace a newer one.
          if (html === null || n !== sent) {
            return;
          }
          result.innerHTML = html;
          var age = result.querySelector('[data-readability-age]');
          var now = age ? age.getAttribute('data-readability-age') : '';
          if (status && now !== lastAge) {
            status.textContent = now ? 'Reading age now ' + now + '.' : '';
          }
          lastAge = now;
        })
        .catch(function () {
          // Offline or signed out: the panel keeps its last figure.
        });
    }
    fields.forEach(function (f) {
      f.input.addEventListener('input', function () {
        clearTimeout(timer);
        timer = setTimeout(measure, 700);
      });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-readability-fields]'), start);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
