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
  function agentSection(agent) {
    var sec = el('section', 'agent');
    sec.dataset.agent = agent.id;
    var h = el('h3', null, agent.id);
    sec.appendChild(h);
    if (agent.error) {
      sec.appendChild(el('p', 'error', agent.error));
      return sec;
    }
    sec.appendChild(el('p', 'order', orderText(agent)));
    var rows = visibleProfiles(agent);
    var table = el('table', 'profiles');
    var head = el('thead');
    var hr = el('tr');
    ['Profile', 'Type', 'Account', 'Secret', 'State', 'Reason', 'Windows', 'Expires', 'Last used'].forEach(function (t) { hr.appendChild(el('th', null, t)); });
    head.appendChild(hr);
    table.appendChild(head);
    var body = el('tbody');
    rows.forEach(function (p) {
      var tr = el('tr');
      tr.dataset.agent = agent.id;
      tr.dataset.profile = p.id;
      tr.dataset.state = p.state;
      tr.appendChild(cell('Profile', el('span', 'pid', p.id)));
      tr.appendChild(cell('Type', el('span', null, p.type)));
      tr.appendChild(cell('Account', el('span', null, p.account || '—')));
      tr.appendChild(cell('Secret', el('code', null, p.secret)));
      tr.appendChild(cell('State', el('span', 'badge s-' + p.state, p.state)));
      tr.appendChild(cell('Reason', el('span', null, p.reason || '')));
      var w = el('span');
      [windowText(p.cooldown, 'cooldown ends'), windowText(p.disabled, 'disabled ends')].forEach(function (t) {
        if (t) { w.appendChild(el('span', 'window', t)); }
      });
      tr.appendChild(cell('Windows', w));
      tr.appendChild(cell('Expires', p.expiresAt == null ? el('span', null, 'never') : time(p.expiresAt)));
      tr.appendChild(cell('Last used', time(p.lastUsed)));
      body.appendChild(tr);
    });
    table.appendChild(body);
    sec.appendChild(table);
    if (!rows.length) { sec.appendChild(el('p', 'quiet', 'No profile matches the filters.')); }
    return sec;
  }
  function cell(label, child) {
    var td = el('td');
    td.dataset.label = label;
    td.appendChild(child);
    return td;
  }

  // --- timeline ----------------------------------------------------------------------------------
  var ROW = 22, LABEL = 190, PAD = 6;
  function timelineWidth() {
    var w = $('timeline').clientWidth || 1000;
    return Math.max(300, w);
  }
  function agentTimeline(agent, width) {
    var rows = visibleProfiles(agent);
    var wrap = el('div', 'tl-agent');
    wrap.dataset.agent = agent.id;
    if (!rows.length) { return wrap; }
    var label = width < 600 ? 120 : LABEL;
    var plot = width - label - PAD;
    var start = serverNow();
    var span = state.hours * HOUR;
    var x = function (ms) { return label + Math.max(0, Math.min(plot, (ms - start) / span * plot)); };
    var height = (rows.length + 1) * ROW + 4;
    var s = svg('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img' });
    s.appendChild(svg('title', {})).textContent = 'Timeline of agent ' + agent.id + ', next ' + state.hours + ' h';
    var title = svg('text', { x: 0, y: 14, 'class': 'tl-agent-name' });
    title.textContent = agent.id;
    s.appendChild(title);
    // hour ticks
    var step = state.hours <= 1 ? HOUR / 6 : state.hours <= 6 ? HOUR : 3 * HOUR;
    for (var t = step; t < span; t += step) {
      var tx = x(start + t);
      s.appendChild(svg('line', { x1: tx, x2: tx, y1: ROW - 4, y2: height, 'class': 'tick' }));
      var tl = svg('text', { x: tx + 2, y: 14, 'class': 'tick-label' });
      tl.textContent = '+' + (t >= HOUR ? (t / HOUR) + ' h' : (t / 60e3) + ' min');
      s.appendChild(tl);
    }
    rows.forEach(function (p, i) {
      var y = (i + 1) * ROW;
      var g = svg('g', { 'class': 'tl-row s-' + p.state, 'data-profile': p.id, 'data-agent': agent.id });
      var name = svg('text', { x: 0, y: y + 15, 'class': 'tl-label' });
      name.textContent = p.id;
      g.appendChild(name);
      // the token's lifetime (or a plain bar for a credential that does not expire): one per profile
      var from = p.issuedAt != null ? p.issuedAt : start;
      var to = p.expiresAt != null ? p.expiresAt : start + span;
      var x1 = x(from), x2 = Math.max(x(to), x1 + 1);
      var bar = svg('rect', { x: x1, y: y + 4, width: x2 - x1, height: ROW - 8, rx: 3,
        'class': 'bar' + (p.expiresAt == null ? ' no-expiry' : '') + (p.expiresAt != null && p.expiresAt <= start ? ' gone' : '') });
      var bt = svg('title', {});
      bt.textContent = p.id + ': ' + (p.expiresAt == null ? 'does not expire' : 'expires ' + iso(p.expiresAt));
      bar.appendChild(bt);
      g.appendChild(bar);
      [['cooldown', p.cooldown], ['disabled', p.disabled]].forEach(function (w) {
        if (!w[1]) { return; }
        var bx = x(start), bw = Math.max(2, x(w[1].until) - bx);
        var band = svg('rect', { x: bx, y: y + 1, width: bw, height: ROW - 2, 'class': 'band ' + w[0] });
        var t = svg('title', {});
        t.textContent = w[0] + ' until ' + iso(w[1].until) + (w[1].model ? ' (model ' + w[1].model + ')' : '') + (w[1].reason ? ', ' + w[1].reason : '');
        band.appendChild(t);
        g.appendChild(band);
      });
      if (p.refreshAt != null && p.refreshAt >= start && p.refreshAt <= start + span) {
        var rx = x(p.refreshAt);
        var m = svg('path', { d: 'M' + (rx - 5) + ' ' + (y + 1) + 'h10l-5 7z', 'class': 'refresh-mark' });
        var mt = svg('title', {});
        mt.textContent = 'scheduled refresh ' + iso(p.refreshAt);
        m.appendChild(mt);
        g.appendChild(m);
      }
      s.appendChild(g);
    });
    s.appendChild(svg('line', { x1: label, x2: label, y1: ROW - 4, y2: height, 'class': 'now' }));
    wrap.appendChild(s);
    return wrap;
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
    var agentsBox = $('agents'), tl = $('timeline');
    var width = timelineWidth();
    var fa = document.createDocumentFragment(), ft = document.createDocumentFragment();
    var shown = 0, total = 0;
    sortedAgents().forEach(function (a) {
      total += (a.profiles || []).length;
      if (state.filter.agent && state.filter.agent !== a.id) { return; }
      if (!a.error && !visibleProfiles(a).length && (state.filter.provider || state.filter.state)) { return; }
      shown += visibleProfiles(a).length;
      fa.appendChild(agentSection(a));
      ft.appendChild(agentTimeline(a, width));
    });
    agentsBox.textContent = '';
    agentsBox.appendChild(fa);
    tl.textContent = '';
    tl.appendChild(ft);
    problems();
    $('counts').textContent = shown + ' of ' + total + ' profiles';
    void document.body.offsetHeight; // layout included in the measurement
    document.body.dataset.renderMs = (performance.now() - t0).toFixed(1);
    document.body.dataset.profiles = String(total);
  }
  function renderAgent(id) {
    var a = state.agents.get(id);
    var oldSec = document.querySelector('#agents section.agent[data-agent="' + cssEscape(id) + '"]');
    var oldTl = document.querySelector('#timeline div.tl-agent[data-agent="' + cssEscape(id) + '"]');
    if (!a || !oldSec || !oldTl) { renderAll(); return; }
    oldSec.replaceWith(agentSection(a));
    oldTl.replaceWith(agentTimeline(a, timelineWidth()));
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
