// SecondGrid web UI: shared helpers (login token, API calls, header, formatting, charts).
const SG = (() => {
  const tokenKey = 'secondgrid.token';
  const token = () => sessionStorage.getItem(tokenKey);

  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json' };
    if (token()) headers['Authorization'] = 'Bearer ' + token();
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (res.status === 401 && path !== '/api/login') {
      sessionStorage.removeItem(tokenKey); location.href = '/ui/index.html'; throw new Error('logged out');
    }
    if (!res.ok) {
      const err = new Error(json && json.message ? json.message : ('HTTP ' + res.status));
      err.status = res.status; err.body = json; throw err;
    }
    return json;
  }

  async function login(participantId, password) {
    const r = await api('POST', '/api/login', { participantId, password });
    sessionStorage.setItem(tokenKey, r.token);
    return r;
  }

  // revokes the token on the server (POST /api/logout), then forgets it
  async function logout() {
    try { if (token()) await api('POST', '/api/logout'); } catch (e) { /* already invalid: forget it anyway */ }
    sessionStorage.removeItem(tokenKey); location.href = '/ui/index.html';
  }

  const pages = [
    { href: '/ui/energy.html', label: 'My energy', role: 'prosumer' },
    { href: '/ui/jobs.html', label: 'My jobs', role: 'ev-owner' },
    { href: '/ui/grid.html', label: 'Grid', role: 'operator' },
  ];

  function homeFor(roles) {
    for (const p of pages) if (roles.includes(p.role)) return p.href;
    if (roles.includes('admin')) return '/ui/grid.html';
    return '/ui/index.html';
  }

  // Renders the header; returns /api/me. Redirects to the login page without a token.
  async function page(active) {
    if (!token()) { location.href = '/ui/index.html'; return null; }
    const me = await api('GET', '/api/me');
    const h = document.createElement('header');
    const links = pages.filter(p => me.roles.includes(p.role) || (p.role === 'operator' && me.roles.includes('admin')))
      .map(p => `<a href="${p.href}" class="${p.href.endsWith(active) ? 'active' : ''}">${p.label}</a>`).join('');
    h.innerHTML = `<div class="brand">Second<span>Grid</span></div><nav>${links}</nav>
      <div class="who">${esc(me.displayName || me.participantId)} · ${me.roles.join(', ')}
      <button class="secondary" id="logout">Log out</button></div>`;
    document.body.prepend(h);
    document.getElementById('logout').onclick = logout;
    return me;
  }

  function esc(s) { return String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c])); }
  const kwh = v => (v ?? 0).toFixed(2);
  const jpy = v => '¥' + Math.round(v ?? 0).toLocaleString('en-US');
  function slotLabel(slot, slotMinutes = 30) {
    const m = slot * slotMinutes; return String(Math.floor(m / 60)).padStart(2, '0') + ':' + String(m % 60).padStart(2, '0');
  }
  const slotLabels = (n = 48, sm = 30) => Array.from({ length: n }, (_, i) => slotLabel(i, sm));

  // An ECharts chart in element id; series [{name, data, type?, stack?, color?}]; empty data shows a note.
  function chart(id, labels, series, opts = {}) {
    const el = document.getElementById(id);
    const c = echarts.getInstanceByDom(el) || echarts.init(el);
    const empty = series.every(s => !s.data || s.data.every(v => v === null || v === 0 || v === undefined));
    c.setOption({
      animation: false,
      grid: { left: 50, right: 16, top: 36, bottom: 28 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: labels, axisLabel: { interval: 5 } },
      yAxis: { type: 'value', name: opts.unit || 'kWh' },
      graphic: empty ? [{ type: 'text', left: 'center', top: 'middle', style: { text: opts.emptyText || 'no data yet', fill: '#8a96a3', fontSize: 14 } }] : [],
      series: series.map(s => ({ name: s.name, type: s.type || 'bar', stack: s.stack, data: s.data, itemStyle: s.color ? { color: s.color } : undefined, smooth: false, showSymbol: false, areaStyle: s.area ? {} : undefined })),
    }, true);
    return c;
  }

  // "My data": opt-in consents (checkboxes) and who read my data, when and why.
  async function privacy(containerId) {
    const box = document.getElementById(containerId);
    const [consents, log] = await Promise.all([api('GET', '/api/me/consents'), api('GET', '/api/me/data-access-log')]);
    const rows = log.entries.map(e => `<tr><td>${esc(new Date(e.at).toLocaleString())}</td><td>${esc(e.reader)}</td><td>${esc(e.readerRole)}</td><td>${esc(e.category)}</td><td>${esc(e.subject)}</td><td>${esc(e.purpose)}</td></tr>`).join('');
    box.innerHTML = `<h2>My data</h2>
      <div class="toolbar">
        <label><input type="checkbox" id="c-demand" ${consents.shareDemandData ? 'checked' : ''}> share my demand data with the grid operator</label>
        <label><input type="checkbox" id="c-location" ${consents.shareEvLocation ? 'checked' : ''}> share my EVs' location with the grid operator</label>
      </div>
      <div class="muted">Who read my data (anyone but me), when and why:</div>
      ${log.entries.length === 0 ? '<div class="empty">nobody has read your data</div>' :
        `<table id="access-log"><tr><th>when</th><th>who</th><th>role</th><th>what</th><th>of</th><th>why</th></tr>${rows}</table>`}`;
    const save = async () => api('PUT', '/api/me/consents', {
      shareDemandData: document.getElementById('c-demand').checked,
      shareEvLocation: document.getElementById('c-location').checked });
    document.getElementById('c-demand').onchange = save;
    document.getElementById('c-location').onchange = save;
  }

  return { api, login, logout, page, homeFor, esc, kwh, jpy, slotLabel, slotLabels, chart, token, privacy };
})();
