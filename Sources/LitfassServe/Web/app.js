// Litfass service desk page: asks /api/report for an address and shows the answer as `litfass query` says it,
// with the building, the fibre route and the serving links on a map drawn from /api/basemap (no online tiles).
'use strict';

const $ = (id) => document.getElementById(id);
let map = null;
let answerLayer = null;
let coverageLayer = null;

function esc(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
// Mbit/s as the CLI writes them: whole numbers from 10 up, one decimal below.
function mbps(x) { return x >= 10 ? Math.round(x).toString() : x.toFixed(1); }
function range(cautious, median) { return `${mbps(cautious)}–${mbps(median)}`; }
function eur(x) { return Math.round(x).toLocaleString('en-GB') + ' EUR'; }

async function getJSON(url) {
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) {
    const error = new Error(body.error ? body.error.message : response.statusText);
    error.body = body;
    throw error;
  }
  return body;
}

function setupMap(health) {
  // No zoom animation: the printed report and headless browsers get the final picture, not a frame of it.
  map = L.map('map', { preferCanvas: true, zoomAnimation: false, fadeAnimation: false });
  // The coverage overlay above the base map's vectors, the answer above both.
  map.createPane('coverage').style.zIndex = 450;
  map.createPane('answer').style.zIndex = 460;
  map.attributionControl.setPrefix('<a href="vendor/leaflet/LICENSE">Leaflet</a>');
  map.attributionControl.addAttribution('© OpenStreetMap contributors, ODbL');
  const [w, s, e, n] = health.extent;
  map.fitBounds([[s, w], [n, e]]);
}

const streetWidth = { primary: 5, secondary: 4, tertiary: 3.5, residential: 2.5, service: 1.5, footway: 1, path: 1 };

function drawBasemap(collection) {
  L.geoJSON(collection, {
    style: (f) => {
      const p = f.properties;
      if (p.kind === 'building') return { color: '#9a948c', weight: 0.5, fillColor: '#d9d0c4', fillOpacity: 1 };
      if (p.kind === 'street') return { color: '#ffffff', weight: streetWidth[p.class] || 2, opacity: 1 };
      if (p.kind === 'fibre') return { color: '#d98c1a', weight: 1.5, dashArray: '4 4', opacity: 0.8 };
      return {};
    },
    pointToLayer: (f, latlng) => {
      const kind = f.properties.kind;
      if (kind === 'site') return L.circleMarker(latlng, { radius: 4, color: '#2b5797', fillColor: '#2b5797', fillOpacity: 1, weight: 1 });
      if (kind === 'candidate') return L.circleMarker(latlng, { radius: 3.5, color: '#7a3e9d', fillColor: '#ffffff', fillOpacity: 1, weight: 1.5 });
      return L.circleMarker(latlng, { radius: 1.5, color: '#d98c1a', weight: 1 });
    },
    onEachFeature: (f, layer) => {
      const p = f.properties;
      if (p.kind === 'site' || p.kind === 'candidate') layer.bindTooltip(`${p.kind === 'site' ? 'site' : 'candidate'} ${esc(p.id)}`);
      if (p.kind === 'street' && p.name) layer.bindTooltip(esc(p.name));
    },
  }).addTo(map);
}

function drawAnswer(collection) {
  if (answerLayer) answerLayer.remove();
  answerLayer = L.geoJSON(collection, {
    pane: 'answer',
    style: (f) => {
      const kind = f.properties.kind;
      if (kind === 'answer-building') return { color: '#c0392b', weight: 2, fillColor: '#e74c3c', fillOpacity: 0.55 };
      if (kind === 'fibre-route') return { color: '#e67e22', weight: 5, opacity: 0.95 };
      if (kind === 'link') return { color: '#2b5797', weight: 2, dashArray: '6 4' };
      return {};
    },
    pointToLayer: (f, latlng) => {
      const kind = f.properties.kind;
      if (kind === 'improvement') return L.circleMarker(latlng, { radius: 7, color: '#7a3e9d', fillColor: '#b07cc6', fillOpacity: 1, weight: 2 });
      if (kind === 'access-point') return L.circleMarker(latlng, { radius: 5, color: '#e67e22', fillColor: '#ffffff', fillOpacity: 1, weight: 3 });
      return L.circleMarker(latlng, { radius: 4, color: '#c0392b', fillColor: '#c0392b', fillOpacity: 1 });
    },
    onEachFeature: (f, layer) => {
      const p = f.properties;
      if (p.kind === 'link') layer.bindTooltip(`${esc(p.operator)} via ${esc(p.band)} ${esc(p.site)}`);
      if (p.kind === 'fibre-route') layer.bindTooltip(`fibre route ${p.routeMeters} m, about ${eur(p.estimatedCostEUR)}`);
      if (p.kind === 'improvement') layer.bindTooltip(`would improve ${esc(p.operator)}: ${esc(p.id)}`);
    },
  }).addTo(map);
  const focus = answerLayer.getLayers().filter((l) => ['answer-building', 'fibre-route', 'location', 'access-point'].includes(l.feature.properties.kind));
  const bounds = L.featureGroup(focus.length ? focus : answerLayer.getLayers()).getBounds();
  if (bounds.isValid()) map.fitBounds(bounds.pad(0.6), { maxZoom: 18 });
}

// The RSRP maps of `litfass serve --coverage DIR`: one radio button per operator (and none), a legend, the GeoTIFF link.
function setupCoverage(listing) {
  const box = $('coverage');
  if (!listing.loaded) {
    box.innerHTML = '<p id="coverage-status" class="hint">No coverage map is loaded: start the server with '
      + '<code>litfass serve --coverage DIR</code>, DIR a folder written by <code>litfass coverage</code> '
      + '(or without <code>--no-coverage</code>, to compute coarse maps at start).</p>';
    return;
  }
  const g = listing.legend;
  let html = '<fieldset id="coverage-layers"><legend>Coverage map: RSRP, strongest carrier</legend>'
    + '<label><input type="radio" name="coverage" value="" checked> none</label>';
  listing.layers.forEach((l, k) => {
    html += ` <label><input type="radio" name="coverage" value="${k}" data-operator="${esc(l.operator)}"> ${esc(l.operator)}</label>`
      + ` <a class="cog" href="${esc(l.cog)}" title="the Cloud-Optimised GeoTIFF for GIS tools (all carriers as bands)">GeoTIFF</a>`;
  });
  html += '</fieldset>';
  const stops = g.stops.map((c, i) => `${c} ${(100 * i / (g.stops.length - 1)).toFixed(1)}%`).join(', ');
  html += `<div id="coverage-legend" class="ramp-legend" hidden><div class="ramp" style="background: linear-gradient(to right, ${stops})"></div>`
    + '<div class="ticks">' + g.ticks.map((t) => `<span style="left: ${(100 * (t - g.minimum) / (g.maximum - g.minimum)).toFixed(1)}%">${t}</span>`).join('') + '</div>'
    + `<p class="hint">RSRP [dBm per resource element], clamped at ${g.minimum} and ${g.maximum}; no colour: no service.`
    + (listing.missingOperators.length ? ` No map of ${listing.missingOperators.map(esc).join(', ')}.` : '')
    + `<br><span id="coverage-source">Maps: ${esc(listing.source)}.</span></p></div>`;
  box.innerHTML = html;
  box.querySelectorAll('input[name=coverage]').forEach((input) => input.addEventListener('change', () => {
    showCoverage(input.value === '' ? null : listing.layers[Number(input.value)]);
  }));
  // The first operator's map is shown at start.
  const first = box.querySelector('input[name=coverage][value="0"]');
  first.checked = true;
  showCoverage(listing.layers[0]);
}

function showCoverage(layer) {
  if (coverageLayer) { coverageLayer.remove(); coverageLayer = null; }
  $('coverage-legend').hidden = !layer;
  if (!layer) return;
  const [w, s, e, n] = layer.bounds;
  coverageLayer = L.imageOverlay(layer.png, [[s, w], [n, e]], { pane: 'coverage', opacity: 0.55, className: 'coverage-overlay',
    alt: `RSRP map of ${layer.operator}`, attribution: 'coverage: Litfass (operator sites are assumptions)' }).addTo(map);
  coverageLayer.getElement().dataset.operator = layer.operator;
}

function figures(f) {
  if (!f) return '<td colspan="4">no service</td>';
  return `<td>${range(f.downlinkMbpsCautious, f.downlinkMbps)}</td><td>${range(f.uplinkMbpsCautious, f.uplinkMbps)}</td>`
    + `<td>${Math.round(f.rsrpDBm)} dBm</td><td>${Math.round(f.sinrDB)} dB</td>`;
}

function renderAnswer(report) {
  const a = report.answer;
  const lines = report.text.split('\n');
  const title = lines[0];
  const place = a.building ? `indoor, floor ${a.floor}` : 'outdoor';
  let html = `<h2 id="title">${esc(title)}</h2>`;
  // Fibre: the CLI's two lines.
  const fibreLines = lines.filter((l) => l.startsWith('Fibre') || l.startsWith('  → '));
  html += '<h3>Fibre</h3>';
  html += `<p class="fibre">${fibreLines.map(esc).join('<br>')}</p>`;
  // Mobile: a table of the same figures.
  html += `<h3>Mobile <small>(${place}; download and upload in Mbit/s, cautious–median)</small></h3>`;
  html += '<table class="mobile"><thead><tr><th>operator</th><th></th><th>download Mbit/s</th><th>upload Mbit/s</th><th>RSRP</th><th>SINR</th><th>via</th></tr></thead><tbody>';
  for (const op of a.mobile) {
    const via = op.band ? `${esc(op.band)} ${esc(op.site)}` : '–';
    const primary = a.building ? op.indoor : op.outdoor;
    html += `<tr class="primary"><th>${esc(op.operator)}</th><td>${a.building ? 'indoor' : 'outdoor'}</td>${figures(primary)}<td class="via">${via}</td></tr>`;
    if (a.building) html += `<tr class="secondary"><th></th><td>outdoor</td>${figures(op.outdoor)}<td class="via"></td></tr>`;
  }
  html += '</tbody></table>';
  const why = lines.filter((l) => l.startsWith('Why:'));
  const better = lines.filter((l) => l.startsWith('Better:') || l.startsWith('Improve') || l.startsWith('What would'));
  if (why.length) html += `<h3>Why</h3><p class="why">${why.map((l) => esc(l.replace(/^Why:\s*/, ''))).join('<br>')}</p>`;
  html += '<h3>What would improve it</h3>';
  if (a.improvement) {
    const i = a.improvement;
    html += `<p class="improvement">A small cell on the candidate Litfaßsäule ${esc(i.candidateSite)}, ${Math.round(i.distanceMeters)} m away, `
      + `would raise ${esc(i.operator)}'s indoor download from ${mbps(i.indoorDownlinkMbpsBefore)} to ${mbps(i.indoorDownlinkMbpsAfter)} Mbit/s.</p>`;
  } else if (better.length) {
    html += `<p class="improvement">${better.map(esc).join('<br>')}</p>`;
  } else {
    html += '<p class="improvement">No candidate Litfaßsäule nearby would raise the indoor download.</p>';
  }
  html += '<h3>Notes</h3><ul class="notes">' + a.assumptions.map((n) => `<li>${esc(n)}</li>`).join('') + '</ul>';
  html += `<p class="attribution">Data: ${esc(a.attribution)}</p>`;
  html += `<details class="cli"><summary>As <code>litfass query</code> prints it</summary><pre>${esc(report.text)}</pre></details>`;
  $('answer').innerHTML = html;
  $('answer').hidden = false;
  $('status').textContent = '';
  document.title = `${title.split(' — ')[0]} — Litfass`;
}

function renderError(error) {
  const e = error.body && error.body.error;
  let html = `<p class="error">${esc(error.message)}</p>`;
  if (e && e.choices) {
    html += '<p>Which one?</p><ul class="choices">' + e.choices.map((c) => `<li><a href="?address=${encodeURIComponent(c.label)}">${esc(c.label)}</a></li>`).join('') + '</ul>';
  }
  $('answer').innerHTML = html;
  $('answer').hidden = false;
  $('status').textContent = '';
}

async function ask(address, floor) {
  $('status').textContent = `Asking for ${address} …`;
  const params = new URLSearchParams({ address, floor: String(floor) });
  history.replaceState(null, '', `?${params}`);
  try {
    const report = await getJSON(`/api/report?${params}`);
    renderAnswer(report);
    if (map) drawAnswer(report.map);
  } catch (error) {
    renderError(error);
  }
}

let suggestTimer = null;
function suggestSoon() {
  clearTimeout(suggestTimer);
  const q = $('address').value.trim();
  if (q.length < 2) return;
  suggestTimer = setTimeout(async () => {
    try {
      const result = await getJSON(`/api/suggest?q=${encodeURIComponent(q)}`);
      $('suggestions').innerHTML = result.suggestions.map((s) => `<option value="${esc(s.label)}">`).join('');
    } catch (_) { /* no suggestions */ }
  }, 150);
}

async function start() {
  $('address').addEventListener('input', suggestSoon);
  $('ask').addEventListener('submit', (event) => {
    event.preventDefault();
    ask($('address').value.trim(), Number($('floor').value) || 0);
  });
  $('print').addEventListener('click', () => window.print());
  const params = new URLSearchParams(location.search);
  const address = params.get('address');
  const floor = Number(params.get('floor')) || 0;
  if (address) { $('address').value = address; $('floor').value = floor; }
  try {
    const health = await getJSON('/api/health');
    $('scenario').textContent = `Scenario: ${health.buildings} buildings, ${health.addresses} addresses; operators ${health.operators.join(', ')}.`;
    if (window.L) {
      setupMap(health);
      getJSON('/api/basemap').then(drawBasemap).catch(() => {});
      getJSON('/api/coverage').then(setupCoverage).catch(() => {});
    }
  } catch (_) { /* the answer still works without the map */ }
  if (address) await ask(address, floor);
}

start();
