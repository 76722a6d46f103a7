'use strict';
// Exchanges a caller's bearer token for the HttpOnly session cookie, then loads the page.
document.getElementById('login').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var input = document.getElementById('token');
  var out = document.getElementById('login-error');
  out.textContent = '';
  fetch('/status/session', {
    method: 'POST',
    headers: { 'Authorization': 'Bearer ' + input.value.trim() },
    credentials: 'same-origin'
  }).then(function (r) {
    input.value = '';
    if (r.ok) {
      window.location.replace('/status');
      return null;
    }
    return r.json().then(function (b) { out.textContent = b.error || ('refused (' + r.status + ')'); });
  }).catch(function (e) { out.textContent = 'cannot reach the service: ' + e.message; });
});
