// The results pages: plain DOM over the JSON API, no libraries. Every value from the API is set as text, never as HTML.
const Portal = (() => {
  const final = s => s === 'Completed' || s === 'Failed';
  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') e.className = v; else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
    return e;
  };
  const svg = (tag, attrs = {}, text) => {
    const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const pct = c => (c * 100).toFixed(1) + ' %';
  const seconds = s => s === undefined || s === null ? '' : s.toFixed(1) + ' s';
  const when = t => t ? new Date(t).toLocaleString() : '';
  const statusOf = v => {
    const badge = el('span', { class: 'status ' + v.status }, v.status);
    return v.progress ? el('span', {}, badge, ' ' + v.progress.stage + ' ' + v.progress.percent + ' %') : badge;
  };
  const answer = v => v.label ?? (v.labels && v.labels.length ? v.labels[0].label : '');
  // Behind function keys (the Functions app), the page is opened with ?code=KEY and passes it on to every API call.
  const key = new URLSearchParams(location.search).get('code');
  const withKey = path => key ? path + (path.includes('?') ? '&' : '?') + 'code=' + encodeURIComponent(key) : path;
  async function get(path) {
    const r = await fetch(withKey(path), { headers: { accept: 'application/json' } });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(body.message || body.error || ('HTTP ' + r.status));
    return body;
  }
  function showError(e) {
    const p = document.getElementById('error');
    p.textContent = String(e.message || e);
    p.hidden = false;
  }

  // A label's colour: the same label is the same colour on every chart.
  // FNV-1a of the label, spread round the colour wheel by the golden angle so near names get far hues.
  const hue = label => { let h = 2166136261; for (const ch of label) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0; return (h % 97) * 137.508 % 360; };
  const colourOf = label => label === 'unknown' ? '#8a94a6' : `hsl(${hue(label)} 62% 46%)`;

  function bars(scores) {
    const box = el('div', { class: 'bars' });
    for (const s of scores) {
      box.append(el('span', {}, s.label),
        el('div', { class: 'bar' }, el('span', { style: `width:${Math.max(0, Math.min(1, s.confidence)) * 100}%;background:${colourOf(s.label)}` })),
        el('span', { class: 'num' }, pct(s.confidence)));
    }
    return box;
  }

  // Rows of segments across the video's duration, one per named track.
  function track(duration, rows) {
    const width = 1000, rowHeight = 30, left = 90, top = 8, axis = 22;
    const height = top + rows.length * (rowHeight + 6) + axis;
    const x = t => left + (t / duration) * (width - left - 10);
    const chart = svg('svg', { class: 'track', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'labels over time' });
    rows.forEach((row, i) => {
      const y = top + i * (rowHeight + 6);
      chart.append(svg('text', { x: 4, y: y + 19, class: 'name' }, row.name));
      for (const s of row.segments) {
        const label = s.labels && s.labels.length ? s.labels[0].label : '';
        const g = svg('g', { class: 'segment', 'data-label': label, 'data-start': s.start, 'data-end': s.end });
        g.append(svg('rect', { x: x(s.start), y, width: Math.max(1, x(s.end) - x(s.start) - 1), height: rowHeight, rx: 4, fill: colourOf(label) }));
        g.append(svg('title', {}, `${label} ${s.start.toFixed(2)}–${s.end.toFixed(2)} s`));
        if (x(s.end) - x(s.start) > 60) g.append(svg('text', { x: x(s.start) + 6, y: y + 19 }, label));
        chart.append(g);
      }
    });
    const ticks = Math.min(10, Math.max(1, Math.floor(duration)));
    for (let k = 0; k <= ticks; k++) {
      const t = duration * k / ticks;
      chart.append(svg('text', { x: x(t) - 8, y: height - 6, class: 'axis' }, t.toFixed(t < 10 ? 1 : 0) + 's'));
    }
    return chart;
  }

  // The key-frame strip cut into its tiles (one image, each tile a window onto it), each captioned with its time.
  function keyFrames(strip) {
    const height = 96, scale = height / strip.tileHeight, width = Math.round(strip.tileWidth * scale);
    const url = withKey(strip.href);
    return el('div', { class: 'frames' }, ...strip.times.map((t, i) => el('figure', { class: 'frame', 'data-time': t },
      el('div', { class: 'tile', role: 'img', 'aria-label': 'frame at ' + seconds(t),
        style: `width:${width}px;height:${height}px;background-image:url("${url}");background-size:${width * strip.times.length}px ${height}px;background-position:${-i * width}px 0` }),
      el('figcaption', {}, t.toFixed(2) + ' s'))));
  }

  function flowPictures(flows) {
    return el('div', { class: 'flows' }, ...flows.map(f => el('figure', { class: 'flow', 'data-flow': f.flow },
      el('img', { src: withKey(f.href), alt: `${f.flow} at ${f.time.toFixed(2)} s` }),
      el('figcaption', {}, `${f.flow} from ${f.time.toFixed(2)} s to the next frame; read by ${f.models.join(', ')}`))));
  }

  async function list() {
    const form = document.getElementById('filters');
    const params = new URLSearchParams(location.search);
    for (const name of ['status', 'label']) if (params.get(name)) form.elements[name].value = params.get(name);
    form.addEventListener('submit', e => {
      e.preventDefault();
      const q = new URLSearchParams();
      for (const name of ['status', 'label']) if (form.elements[name].value) q.set(name, form.elements[name].value);
      location.search = q.toString();
    });
    const refresh = async () => {
      try {
        const q = new URLSearchParams(params);
        const page = await get('/api/videos?' + q.toString());
        const body = document.querySelector('#videos tbody');
        body.replaceChildren(...page.items.map(v => {
          const top = v.labels && v.labels.length ? v.labels[0] : null;
          return el('tr', { 'data-id': v.id, 'data-status': v.status },
            el('td', {}, el('a', { class: 'id', href: withKey('/videos/' + encodeURIComponent(v.id)) }, v.id), el('br'), el('small', {}, (v.blob || '').split('/').pop())),
            el('td', {}, statusOf(v)),
            el('td', { class: 'label' }, top ? answer(v) : (v.reasonCode || '')),
            el('td', { class: 'num' }, top ? pct(top.confidence) : ''),
            el('td', { class: 'num' }, seconds(v.media && v.media.durationSeconds)),
            el('td', {}, when(v.submittedAt)));
        }));
        document.getElementById('empty').hidden = page.items.length > 0;
        const next = document.getElementById('next');
        next.hidden = !page.next;
        if (page.next) { const q2 = new URLSearchParams(params); q2.set('cursor', page.next); next.href = '?' + q2.toString(); }
        if (page.items.some(v => !final(v.status))) setTimeout(refresh, 2000);
      } catch (e) { showError(e); setTimeout(refresh, 5000); }
    };
    await refresh();
  }

  async function video(id) {
    document.getElementById('title').textContent = id;
    document.title = id + ' · ServerlessVideo';
    let v;
    try { v = await get('/api/videos/' + encodeURIComponent(id)); } catch (e) { showError(e); return; }
    const summary = document.getElementById('summary');
    const add = (k, value) => summary.append(el('dt', {}, k), el('dd', {}, value));
    summary.replaceChildren();
    add('Status', statusOf(v));
    if (v.reasonCode) add('Reason', v.reasonCode + ': ' + (v.message || ''));
    add('Upload', v.blob || '');
    if (v.media) add('Media', `${v.media.width}×${v.media.height}, ${seconds(v.media.durationSeconds)}, ${v.media.fps?.toFixed(2)} fps, ${v.media.codec}`);
    if (v.labels && v.labels.length) add('Answer', answer(v) + (v.label === 'unknown' ? ' (below the open-set threshold)' : ''));
    if (v.failedModels) add('Failed models', v.failedModels.map(m => `${m.id}: ${m.message}`).join('; '));
    if (!final(v.status)) { setTimeout(() => video(id), 1500); return; }
    if (v.status !== 'Completed') return;

    const consensus = document.getElementById('consensus');
    consensus.replaceChildren(...(v.consensus || []).map(block =>
      el('div', { class: 'space', 'data-space': block.labelSpace }, el('p', {}, `${block.labelSpace} · agreement ${pct(block.agreement)} of ${block.models.length} model(s)`), bars(block.labels))));
    document.getElementById('answer').hidden = false;

    const models = document.getElementById('models');
    models.replaceChildren(...(v.models || []).map(m => el('div', { class: 'model', 'data-model': m.id },
      el('h3', {}, m.id + ' ', el('span', { class: 'family' }, m.family + (m.status === 'Failed' ? ' · failed: ' + (m.message || '') : ''))),
      m.status === 'Failed' ? '' : bars(m.labels.slice(0, 3)))));
    document.getElementById('per-model').hidden = false;

    try {
      const [timeline, shots] = await Promise.all([get(`/api/videos/${encodeURIComponent(id)}/timeline`), get(`/api/videos/${encodeURIComponent(id)}/shots`)]);
      const rows = [{ name: 'consensus', segments: timeline.segments }];
      if (shots.detected) rows.push({ name: 'shots', segments: shots.shots });
      for (const m of timeline.models) rows.push({ name: m.id.replace(/-synthmotion$/, ''), segments: m.clips });
      document.getElementById('timeline').replaceChildren(track(timeline.durationSeconds || 1, rows));
      document.getElementById('over-time').hidden = false;
      if (timeline.keyFrames) {
        document.getElementById('key-frames').replaceChildren(keyFrames(timeline.keyFrames));
        document.getElementById('frames').hidden = false;
      }
      if (timeline.flows && timeline.flows.length) {
        document.getElementById('flow-pictures').replaceChildren(flowPictures(timeline.flows));
        document.getElementById('motion').hidden = false;
      }
    } catch (e) { showError(e); }
  }

  // The header's home link keeps the key too.
  const home = document.querySelector('a.home');
  if (home) home.href = withKey('/');

  return { list, video };
})();

// Each page names itself on <body data-page>: no inline script, so the pages run under a strict content policy.
if (document.body.dataset.page === 'list') Portal.list();
if (document.body.dataset.page === 'video') Portal.video(decodeURIComponent(location.pathname.split('/').pop()));
