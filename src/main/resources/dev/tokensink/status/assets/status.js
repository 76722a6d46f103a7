'use strict';
// tokensink status page: one server-sent event stream (/status/events) gives a snapshot, then
// agent updates, live events and refresh history. No polling; EventSource reconnects by itself and
// the page says so. Plain DOM and SVG, no inline script or style (the CSP forbids both).
(function () {
  var SVG = 'http://www.w3.org/2000/svg';
  var HOUR = 3600 * 1000;
  var state = {
    agents: new Map(),   // id -> agent object from the server
    history: [],         // newest last
    historySeq: new Set(),
    historySize: 500,
    states: [],
    clockOffset: 0,      // server clock - browser clock
    hours: 24,
    filter: { agent: '', provider: '', state: '' }
  };
  var $ = function (id) { return document.getElementById(id); };

  function serverNow() { return Date.now() + state.clockOffset; }
  function syncClock(now) { if (typeof now === 'number') { state.clockOffset = now - Date.now(); } }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) { e.setAttribute(k, attrs[k]); } }
    return e;
  }
  function iso(ms) { return ms == null ? '' : new Date(ms).toISOString().replace('.000Z', 'Z'); }
  function rel(ms) {
    if (ms == null) { return ''; }
    var d = ms - serverNow();
    var a = Math.abs(d);
    var t;
    if (a < 60e3) { t = Math.round(a / 1e3) + ' s'; }
    else if (a < HOUR) { t = Math.round(a / 60e3) + ' min'; }
    else if (a < 48 * HOUR) { t = (a / HOUR).toFixed(a < 10 * HOUR ? 1 : 0) + ' h'; }
    else { t = Math.round(a / (24 * HOUR)) + ' d'; }
    return d >= 0 ? 'in ' + t : t + ' ago';
  }
  function time(ms) {
    var t = el('time', null, ms == null ? '—' : rel(ms));
    if (ms != null) { t.setAttribute('datetime', iso(ms)); t.title = iso(ms); t.dataset.ms = ms; }
    return t;
  }

  // --- filters -----------------------------------------------------------------------------------
  function visibleProfiles(agent) {
    var f = state.filter;
    if (f.agent && agent.id !== f.agent) { return []; }
    return (agent.profiles || []).filter(function (p) {
      return (!f.provider || p.provider === f.provider) && (!f.state || p.state === f.state);
    });
  }
  function sortedAgents() {
    return Array.from(state.agents.values()).sort(function (a, b) { return a.id < b.id ? -1 : a.id > b.id ? 1 : 0; });
  }
  function fillSelect(sel, values, current) {
    var keep = sel.value || current;
    while (sel.options.length > 1) { sel.remove(1); }
    values.forEach(function (v) { var o = el('option', null, v); o.value = v; sel.appendChild(o); });
    sel.value = values.indexOf(keep) >= 0 ? keep : '';
  }
  function refreshFilterOptions() {
    var agents = [], providers = new Set();
    sortedAgents().forEach(function (a) {
      agents.push(a.id);
      (a.profiles || []).forEach(function (p) { providers.add(p.provider); });
    });
    fillSelect($('f-agent'), agents, state.filter.agent);
    fillSelect($('f-provider'), Array.from(providers).sort(), state.filter.provider);
    if ($('f-state').options.length <= 1) { fillSelect($('f-state'), state.states, state.filter.state); }
  }

  // --- agents and profiles -----------------------------------------------------------------------
  // Sections and timelines are built as HTML text and parsed once (far faster than thousands of
  // createElement calls for 100 agents x 20 profiles); every value goes through esc().
  function esc(v) {
    return String(v).replace(/[&<>"']/g, function (c) {
      return c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;';
    });
  }
  function timeHtml(ms) {
    if (ms == null) { return '<time>—</time>'; }
    return '<time datetime="' + iso(ms) + '" title="' + iso(ms) + '" data-ms="' + ms + '">' + esc(rel(ms)) + '</time>';
  }
  function windowText(w, label) {
    if (!w) { return null; }
    var s = label + ' ' + rel(w.until) + (w.reason ? ' (' + w.reason + ')' : '');
    if (w.model) { s += ' model ' + w.model; }
    return s;
  }
  function orderText(agent) {
    var parts = [];
    Object.keys(agent.order || {}).forEach(function (p) { parts.push(p + ': ' + agent.order[p].join(' → ')); });
    Object.keys(agent.configuredOrder || {}).forEach(function (p) {
      if (!agent.order || !agent.order[p]) { parts.push(p + ': ' + agent.configuredOrder[p].join(' → ') + ' (configured)'); }
    });
    return parts.length ? 'order ' + parts.join('; ') : 'order: default (oauth, token, api_key; least recently used first)';
  }
  var HEADS = ['Profile', 'Type', 'Account', 'Secret', 'State', 'Reason', 'Windows', 'Expires', 'Last used'];
  function td(label, html) { return '<td data-label="' + label + '">' + html + '</td>'; }
  function agentSection(agent) {
    var h = ['<section class="agent" data-agent="', esc(agent.id), '" data-rendered-at="', Date.now(), '"><h3>', esc(agent.id), '</h3>'];
    if (agent.error) {
      h.push('<p class="error">', esc(agent.error), '</p></section>');
      return h.join('');
    }
    h.push('<p class="order">', esc(orderText(agent)), '</p>');
    var rows = visibleProfiles(agent);
    h.push('<table class="profiles"><thead><tr>');
    HEADS.forEach(function (t) { h.push('<th>', t, '</th>'); });
    h.push('</tr></thead><tbody>');
    rows.forEach(function (p) {
      var w = [windowText(p.cooldown, 'cooldown ends'), windowText(p.disabled, 'disabled ends')]
        .filter(Boolean).map(function (t) { return '<span class="window">' + esc(t) + '</span>'; }).join('');
      h.push('<tr data-agent="', esc(agent.id), '" data-profile="', esc(p.id), '" data-state="', esc(p.state), '">',
        td('Profile', '<span class="pid">' + esc(p.id) + '</span>'),
        td('Type', esc(p.type)),
        td('Account', esc(p.account || '—')),
        td('Secret', '<code>' + esc(p.secret) + '</code>'),
        td('State', '<span class="badge s-' + esc(p.state) + '">' + esc(p.state) + '</span>'),
        td('Reason', esc(p.reason || '')),
        td('Windows', w),
        td('Expires', p.expiresAt == null ? 'never' : timeHtml(p.expiresAt)),
        td('Last used', timeHtml(p.lastUsed)),
        '</tr>');
    });
    h.push('</tbody></table>');
    if (!rows.length) { h.push('<p class="quiet">No profile matches the filters.</p>'); }
    h.push('</section>');
    return h.join('');
  }
  function cell(label, child) {
    var c = el('td');
    c.dataset.label = label;
    c.appendChild(child);
    return c;
  }

  // --- timeline ----------------------------------------------------------------------------------
  var ROW = 22, LABEL = 190, PAD = 6;
  function timelineWidth() {
    var w = $('timeline').clientWidth || 1000;
    return Math.max(300, w - 16);
  }
  function n1(v) { return Math.round(v * 10) / 10; }
  function agentTimeline(agent, width) {
    var rows = visibleProfiles(agent);
    if (!rows.length) { return '<div class="tl-agent" data-agent="' + esc(agent.id) + '"></div>'; }
    var label = width < 600 ? 120 : LABEL;
    var plot = width - label - PAD;
    var start = serverNow();
    var span = state.hours * HOUR;
    var x = function (ms) { return n1(label + Math.max(0, Math.min(plot, (ms - start) / span * plot))); };
    var height = (rows.length + 1) * ROW + 4;
    var h = ['<div class="tl-agent" data-agent="', esc(agent.id), '"><svg xmlns="', SVG, '" width="', width, '" height="', height,
      '" viewBox="0 0 ', width, ' ', height, '" role="img"><title>Timeline of agent ', esc(agent.id), ', next ', state.hours,
      ' h</title><text x="0" y="14" class="tl-agent-name">', esc(agent.id), '</text>'];
    var step = state.hours <= 1 ? HOUR / 6 : state.hours <= 6 ? HOUR : 3 * HOUR;
    for (var t = step; t < span; t += step) {
      var tx = x(start + t);
      h.push('<line x1="', tx, '" x2="', tx, '" y1="', ROW - 4, '" y2="', height, '" class="tick"/>',
        '<text x="', n1(tx + 2), '" y="14" class="tick-label">+', t >= HOUR ? (t / HOUR) + ' h' : (t / 60e3) + ' min', '</text>');
    }
    rows.forEach(function (p, i) {
      var y = (i + 1) * ROW;
      h.push('<g class="tl-row s-', esc(p.state), '" data-profile="', esc(p.id), '" data-agent="', esc(agent.id), '">',
        '<text x="0" y="', y + 15, '" class="tl-label">', esc(p.id), '</text>');
      // the token's lifetime (or a plain bar for a credential that does not expire): one per profile
      var from = p.issuedAt != null ? p.issuedAt : start;
      var to = p.expiresAt != null ? p.expiresAt : start + span;
      var x1 = x(from), x2 = Math.max(x(to), x1 + 1);
      var cls = 'bar' + (p.expiresAt == null ? ' no-expiry' : '') + (p.expiresAt != null && p.expiresAt <= start ? ' gone' : '');
      h.push('<rect x="', x1, '" y="', y + 4, '" width="', n1(x2 - x1), '" height="', ROW - 8, '" rx="3" class="', cls, '"><title>',
        esc(p.id + ': ' + (p.expiresAt == null ? 'does not expire' : 'expires ' + iso(p.expiresAt))), '</title></rect>');
      [['cooldown', p.cooldown], ['disabled', p.disabled]].forEach(function (w) {
        if (!w[1]) { return; }
        var bx = x(start), bw = Math.max(2, x(w[1].until) - bx);
        h.push('<rect x="', bx, '" y="', y + 1, '" width="', n1(bw), '" height="', ROW - 2, '" class="band ', w[0], '"><title>',
          esc(w[0] + ' until ' + iso(w[1].until) + (w[1].model ? ' (model ' + w[1].model + ')' : '') + (w[1].reason ? ', ' + w[1].reason : '')),
          '</title></rect>');
      });
      if (p.refreshAt != null && p.refreshAt >= start && p.refreshAt <= start + span) {
        var rx = x(p.refreshAt);
        h.push('<path d="M', n1(rx - 5), ' ', y + 1, 'h10l-5 7z" class="refresh-mark"><title>scheduled refresh ', iso(p.refreshAt), '</title></path>');
      }
      h.push('</g>');
    });
    h.push('<line x1="', label, '" x2="', label, '" y1="', ROW - 4, '" y2="', height, '" class="now"/></svg></div>');
    return h.join('');
  }
  function fromHtml(html) {
    var t = document.createElement('template');
    t.innerHTML = html;
    return t.content.firstElementChild;
  }

  // --- what to do --------------------------------------------------------------------------------
  function problems() {
    var list = $('problems');
    list.textContent = '';
    var n = 0;
    sortedAgents().forEach(function (a) {
      if (a.error && (!state.filter.agent || state.filter.agent === a.id)) {
        list.appendChild(problem(a.id, null, 'invalid', a.fix));
        n++;
        return;
      }
      visibleProfiles(a).forEach(function (p) {
        if (p.fix) { list.appendChild(problem(a.id, p.id, p.state, p.fix)); n++; }
      });
    });
    $('no-problems').hidden = n > 0;
  }
  function problem(agent, profile, st, fix) {
    var li = el('li', 'problem');
    li.dataset.agent = agent;
    if (profile) { li.dataset.profile = profile; }
    var head = el('div', 'p-head');
    head.appendChild(el('span', 'badge s-' + st, st));
    head.appendChild(el('strong', null, agent + (profile ? ' / ' + profile : '')));
    li.appendChild(head);
    li.appendChild(el('p', null, fix.text));
    if (fix.command) { li.appendChild(el('code', 'command', fix.command)); }
    return li;
  }

  // --- rendering ---------------------------------------------------------------------------------
  function renderAll() {
    var t0 = performance.now();
    refreshFilterOptions();
    var width = timelineWidth();
    var ha = [], ht = [];
    var shown = 0, total = 0;
    sortedAgents().forEach(function (a) {
      total += (a.profiles || []).length;
      if (state.filter.agent && state.filter.agent !== a.id) { return; }
      var n = visibleProfiles(a).length;
      if (!a.error && !n && (state.filter.provider || state.filter.state)) { return; }
      shown += n;
      ha.push(agentSection(a));
      ht.push(agentTimeline(a, width));
    });
    $('agents').innerHTML = ha.join('');
    $('timeline').innerHTML = ht.join('');
    problems();
    var byState = {};
    sortedAgents().forEach(function (a) { visibleProfiles(a).forEach(function (p) { byState[p.state] = (byState[p.state] || 0) + 1; }); });
    var parts = state.states.filter(function (k) { return byState[k]; }).map(function (k) { return byState[k] + ' ' + k; });
    $('counts').textContent = shown + ' of ' + total + ' profiles' + (parts.length ? ': ' + parts.join(', ') : '');
    void document.body.offsetHeight; // layout included in the measurement
    document.body.dataset.renderMs = (performance.now() - t0).toFixed(1);
    document.body.dataset.profiles = String(total);
  }
  function renderAgent(id) {
    var a = state.agents.get(id);
    var oldSec = document.querySelector('#agents section.agent[data-agent="' + cssEscape(id) + '"]');
    var oldTl = document.querySelector('#timeline div.tl-agent[data-agent="' + cssEscape(id) + '"]');
    if (!a || !oldSec || !oldTl) { renderAll(); return; }
    oldSec.replaceWith(fromHtml(agentSection(a)));
    oldTl.replaceWith(fromHtml(agentTimeline(a, timelineWidth())));
    problems();
  }
  function cssEscape(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, '\\$&'); }

  function renderHistory() {
    var body = document.querySelector('#history tbody');
    var f = document.createDocumentFragment();
    for (var i = state.history.length - 1; i >= 0; i--) {
      var h = state.history[i];
      if (state.filter.agent && h.agent !== state.filter.agent) { continue; }
      var tr = el('tr');
      tr.dataset.agent = h.agent;
      tr.dataset.profile = h.profile;
      tr.dataset.mode = h.mode;
      tr.dataset.result = h.result;
      tr.appendChild(cell('Time', time(h.at)));
      tr.appendChild(cell('Agent', el('span', null, h.agent)));
      tr.appendChild(cell('Profile', el('span', null, h.profile)));
      tr.appendChild(cell('Mode', el('span', null, h.mode)));
      tr.appendChild(cell('Result', el('span', 'result r-' + h.result, h.result)));
      tr.appendChild(cell('Duration', el('span', null, h.durationMs == null ? '—' : h.durationMs + ' ms')));
      tr.appendChild(cell('Replica', el('span', null, h.replica)));
      f.appendChild(tr);
    }
    body.textContent = '';
    body.appendChild(f);
    $('no-history').hidden = state.history.length > 0;
  }
  function addHistory(h) {
    if (state.historySeq.has(h.replica + '#' + h.seq)) { return false; }
    state.historySeq.add(h.replica + '#' + h.seq);
    state.history.push(h);
    while (state.history.length > state.historySize) {
      var old = state.history.shift();
      state.historySeq.delete(old.replica + '#' + old.seq);
    }
    return true;
  }
  function addEvent(e) {
    var list = $('events');
    var li = el('li');
    li.dataset.type = e.type;
    li.appendChild(time(e.at));
    li.appendChild(document.createTextNode(' '));
    li.appendChild(el('span', 'ev-type', e.type));
    li.appendChild(document.createTextNode(' ' + e.agent + ' / ' + e.profile + (e.reason ? ' — ' + e.reason : '')));
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 50) { list.removeChild(list.lastChild); }
  }

  // --- live stream -------------------------------------------------------------------------------
  var pending = new Set(), frame = 0, historyDirty = false, fullDirty = false;
  function schedule() {
    if (!frame) { frame = requestAnimationFrame(flush); }
  }
  function flush() {
    frame = 0;
    if (fullDirty) { fullDirty = false; pending.clear(); renderAll(); }
    else { pending.forEach(renderAgent); pending.clear(); }
    if (historyDirty) { historyDirty = false; renderHistory(); }
  }
  function conn(cls, text) {
    var c = $('conn');
    c.className = 'conn ' + cls;
    c.textContent = text;
  }
  var drops = 0, everOpen = false;
  function connect() {
    var es = new EventSource('/status/events');
    es.addEventListener('open', function () {
      conn('live', drops ? 'live (reconnected)' : 'live');
      everOpen = true;
    });
    es.addEventListener('error', function () {
      if (es.readyState === EventSource.CLOSED) {
        conn('lost', 'disconnected — retrying in 5 s (the session may have ended: reload to sign in)');
        setTimeout(connect, 5000);
      } else {
        drops++;
        conn('lost', everOpen ? 'connection lost — reconnecting…' : 'connecting…');
      }
    });
    es.addEventListener('snapshot', function (m) {
      var d = JSON.parse(m.data);
      syncClock(d.now);
      state.states = d.states || [];
      state.historySize = d.historySize || 500;
      state.agents = new Map();
      d.agents.forEach(function (a) { state.agents.set(a.id, a); });
      state.history = [];
      state.historySeq = new Set();
      d.history.forEach(addHistory);
      $('meta').textContent = 'replica ' + d.replica + ' · ' + d.store + ' store · signed in as ' + d.caller;
      $('logout').hidden = d.caller === 'local';
      fullDirty = true;
      historyDirty = true;
      if ($('f-state').options.length <= 1) { fillSelect($('f-state'), state.states, ''); }
      schedule();
    });
    es.addEventListener('agent', function (m) {
      var a = JSON.parse(m.data);
      syncClock(a.now);
      if (a.removed) { state.agents.delete(a.id); fullDirty = true; }
      else {
        if (!state.agents.has(a.id)) { fullDirty = true; }
        state.agents.set(a.id, a);
        pending.add(a.id);
      }
      schedule();
    });
    es.addEventListener('event', function (m) { addEvent(JSON.parse(m.data)); });
    es.addEventListener('refresh', function (m) {
      if (addHistory(JSON.parse(m.data))) { historyDirty = true; schedule(); }
    });
  }

  // --- controls ----------------------------------------------------------------------------------
  function init() {
    ['agent', 'provider', 'state'].forEach(function (k) {
      $('f-' + k).addEventListener('change', function (ev) {
        state.filter[k] = ev.target.value;
        fullDirty = true; historyDirty = true; schedule();
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll('#zoom button'), function (b) {
      b.addEventListener('click', function () {
        state.hours = Number(b.dataset.hours);
        Array.prototype.forEach.call(document.querySelectorAll('#zoom button'), function (o) { o.classList.toggle('on', o === b); });
        fullDirty = true; schedule();
      });
    });
    $('logout').addEventListener('click', function () {
      fetch('/status/session', { method: 'DELETE', credentials: 'same-origin' }).then(function () { window.location.reload(); });
    });
    var resizeTimer = 0;
    window.addEventListener('resize', function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () { fullDirty = true; schedule(); }, 150);
    });
    // relative times ("in 5 min") and the timeline's "now" move with the clock, from memory only
    setInterval(function () {
      Array.prototype.forEach.call(document.querySelectorAll('time[data-ms]'), function (t) { t.textContent = rel(Number(t.dataset.ms)); });
    }, 5000);
    setInterval(function () { fullDirty = true; historyDirty = true; schedule(); }, 60000);
    connect();
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
