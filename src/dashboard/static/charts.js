// Small accessible SVG charts: each is a <figure> with a caption, an SVG with role="img", a <title> and a
// <desc> that says what it shows, a legend, and the same numbers as a table under "Show data" for screen
// readers and keyboard users. No library, nothing fetched from elsewhere.
import { esc, num } from './format.js';

/** Series colours (all ≥ 4.5:1 against white). */
export const COLOURS = ['#0b6e4f', '#1f5fa8', '#8a3ffc', '#b35c00', '#007d79', '#9f1853', '#5a6872', '#3b6b00'];
let uid = 0;

function table(headers, rows) {
  return `<details class="data"><summary>Show data</summary><table><thead><tr>${headers.map((h, i) => `<th scope="col"${i ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => (i ? `<td class="num">${esc(c)}</td>` : `<th scope="row">${esc(c)}</th>`)).join('')}</tr>`)
    .join('')}</tbody></table></details>`;
}

function legend(names, colours = COLOURS) {
  return names.length > 1 ? `<ul class="legend">${names.map((n, i) => `<li><i data-bg="${colours[i % colours.length]}"></i>${esc(n)}</li>`).join('')}</ul>` : '';
}

/**
 * Horizontal bars, optionally stacked: rows [{label, values: {series: n}}]. `format` prints a value.
 */
export function barChart({ caption, hint = '', rows, series, format = (v) => num(v), unit = '', colours = COLOURS }) {
  const id = `c${++uid}`;
  if (rows.length === 0) return `<figure><figcaption>${esc(caption)}${hint ? `<span class="hint">${esc(hint)}</span>` : ''}</figcaption><p class="empty">Nothing to show.</p></figure>`;
  const width = 640;
  const rowH = 26;
  // Room for the longest label (about 6 px a character at 11 px), within reason.
  const left = Math.min(280, Math.max(70, 12 + 6.1 * Math.max(...rows.map((r) => String(r.label).length))));
  const height = Math.max(40, rows.length * rowH + 24);
  const totals = rows.map((r) => series.reduce((s, k) => s + (r.values[k] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const bars = rows
    .map((r, i) => {
      let x = left;
      const y = 8 + i * rowH;
      const segs = series
        .map((k, j) => {
          const w = ((r.values[k] ?? 0) / max) * (width - left - 70);
          const seg = w > 0 ? `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 8}" rx="3" fill="${colours[j % colours.length]}"><title>${esc(r.label)} · ${esc(k)}: ${esc(format(r.values[k] ?? 0))}</title></rect>` : '';
          x += w;
          return seg;
        })
        .join('');
      return `<text x="${left - 8}" y="${y + rowH / 2}" text-anchor="end">${esc(r.label)}</text>${segs}<text x="${x + 6}" y="${y + rowH / 2}">${esc(format(totals[i]))}</text>`;
    })
    .join('');
  const desc = rows.map((r, i) => `${r.label} ${format(totals[i])}${unit}`).join('; ');
  return `<figure><figcaption id="${id}-cap">${esc(caption)}${hint ? `<span class="hint">${esc(hint)}</span>` : ''}</figcaption>
<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-t" aria-describedby="${id}-d"><title id="${id}-t">${esc(caption)}</title><desc id="${id}-d">${esc(desc)}</desc>
<g dominant-baseline="middle">${bars}</g></svg>${legend(series, colours)}${table(['', ...series, 'total'], rows.map((r, i) => [r.label, ...series.map((k) => format(r.values[k] ?? 0)), format(totals[i])]))}</figure>`;
}

/**
 * A time series as lines (or one filled area): points [{t, values: {series: n}}], y from 0.
 */
export function lineChart({ caption, hint = '', points, series, format = (v) => num(v), yMax, area = series.length === 1 }) {
  const id = `c${++uid}`;
  const width = 640;
  const height = 220;
  const pad = { l: 52, r: 12, t: 10, b: 28 };
  if (points.length === 0) return `<figure><figcaption>${esc(caption)}</figcaption><p class="empty">No data yet for this window.</p></figure>`;
  const ts = points.map((p) => Date.parse(p.t));
  const t0 = Math.min(...ts);
  const t1 = Math.max(...ts, t0 + 1);
  const top = yMax ?? Math.max(1e-9, ...points.flatMap((p) => series.map((k) => p.values[k] ?? 0))) * 1.1;
  const X = (t) => (ts.length === 1 ? (pad.l + width - pad.r) / 2 : pad.l + ((t - t0) / (t1 - t0)) * (width - pad.l - pad.r));
  const Y = (v) => height - pad.b - (v / top) * (height - pad.t - pad.b);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => `<line class="grid-line" x1="${pad.l}" x2="${width - pad.r}" y1="${Y(top * f)}" y2="${Y(top * f)}"/><text x="${pad.l - 6}" y="${Y(top * f)}" text-anchor="end" dominant-baseline="middle">${esc(format(top * f))}</text>`).join('');
  const ticks = [t0, (t0 + t1) / 2, t1].map((t) => `<text x="${X(t)}" y="${height - 8}" text-anchor="middle">${esc(new Date(t).toISOString().slice(11, 16))}</text>`).join('');
  const lines = series
    .map((k, j) => {
      const c = COLOURS[j % COLOURS.length];
      const d = points.map((p, i) => `${i ? 'L' : 'M'}${X(ts[i]).toFixed(1)},${Y(p.values[k] ?? 0).toFixed(1)}`).join('');
      const fill = area ? `<path d="${d}L${X(ts[ts.length - 1]).toFixed(1)},${Y(0)}L${X(ts[0]).toFixed(1)},${Y(0)}Z" fill="${c}" fill-opacity="0.15"/>` : '';
      // Dots where points are few (a new grid has one or two buckets, and a lone point draws no line).
      const dots = points.length <= 40 ? points.map((p, i) => `<circle cx="${X(ts[i]).toFixed(1)}" cy="${Y(p.values[k] ?? 0).toFixed(1)}" r="3.2" fill="${c}"/>`).join('') : '';
      return `${fill}<path d="${d}" fill="none" stroke="${c}" stroke-width="2.2" stroke-linejoin="round"/>${dots}`;
    })
    .join('');
  const last = points[points.length - 1];
  const desc = `From ${new Date(t0).toISOString().slice(11, 16)} to ${new Date(t1).toISOString().slice(11, 16)} UTC; latest ${series.map((k) => `${k} ${format(last.values[k] ?? 0)}`).join(', ')}; peak ${format(Math.max(...points.flatMap((p) => series.map((k) => p.values[k] ?? 0))))}.`;
  return `<figure><figcaption>${esc(caption)}${hint ? `<span class="hint">${esc(hint)}</span>` : ''}</figcaption>
<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-t" aria-describedby="${id}-d"><title id="${id}-t">${esc(caption)}</title><desc id="${id}-d">${esc(desc)}</desc>
${grid}<line class="axis" x1="${pad.l}" x2="${width - pad.r}" y1="${Y(0)}" y2="${Y(0)}"/>${lines}${ticks}</svg>${legend(series)}${table(['time (UTC)', ...series], points.map((p) => [p.t.slice(11, 16), ...series.map((k) => format(p.values[k] ?? 0))]))}</figure>`;
}
