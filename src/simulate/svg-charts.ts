/**
 * Inline SVG charts for the HTML report, generated here so the page needs no network and no library:
 * line charts (utilisation over time, wait CDFs; several series overlay for --compare) and grouped bar
 * charts (share target vs attained). Every chart has a title, axis labels, ticks and a legend.
 */

/** A named series of (x, y) points. */
export interface Series {
  name: string;
  points: [number, number][];
}

/** Options of a line chart. */
export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Format of x tick labels. */
  xFormat?: (x: number) => string;
  yFormat?: (y: number) => string;
  /** Fixed y range, e.g. [0, 1] for utilisation. */
  yRange?: [number, number];
  /** x axis on log10(1 + x), for waits spanning seconds to days. */
  logX?: boolean;
  /** Draw steps instead of straight segments (CDFs). */
  step?: boolean;
}

/** Colours distinguishable in print and for common colour-vision deficiencies (Okabe–Ito). */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

const W = 720;
const H = 300;
const M = { left: 64, right: 16, top: 46, bottom: 64 };

/** Escape text for XML/HTML. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** A line chart as an SVG element string. */
export function lineChart(o: LineChartOptions): string {
  const tx = (x: number): number => (o.logX ? Math.log10(1 + Math.max(0, x)) : x);
  const xs = o.series.flatMap((s) => s.points.map((p) => tx(p[0])));
  const ys = o.series.flatMap((s) => s.points.map((p) => p[1]));
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs, xMin + 1e-9) : 1;
  const [yMin, yMax] = o.yRange ?? [0, ys.length ? Math.max(...ys, 1e-9) * 1.05 : 1];
  const px = (x: number): number => M.left + ((tx(x) - xMin) / (xMax - xMin || 1)) * (W - M.left - M.right);
  const py = (y: number): number => H - M.bottom - ((y - yMin) / (yMax - yMin || 1)) * (H - M.top - M.bottom);
  const parts: string[] = [];
  const yTicks = niceTicks(yMin, yMax);
  for (const t of yTicks) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${f(py(t))}" y2="${f(py(t))}" stroke="#ddd"/>`);
    parts.push(`<text x="${M.left - 6}" y="${f(py(t) + 4)}" text-anchor="end">${esc((o.yFormat ?? String)(t))}</text>`);
  }
  const xTicks = o.logX ? logTicks(xMax) : niceTicks(xMin, xMax, 6);
  for (const t of xTicks) {
    const x = o.logX ? px(t) : M.left + ((t - xMin) / (xMax - xMin || 1)) * (W - M.left - M.right);
    parts.push(`<line x1="${f(x)}" x2="${f(x)}" y1="${H - M.bottom}" y2="${H - M.bottom + 5}" stroke="#333"/>`);
    parts.push(`<text x="${f(x)}" y="${H - M.bottom + 18}" text-anchor="middle">${esc((o.xFormat ?? String)(t))}</text>`);
  }
  o.series.forEach((s, i) => {
    const d = s.points.map((p, k) => {
      const x = f(px(p[0]));
      const y = f(py(p[1]));
      if (k === 0) return `M${x},${y}`;
      return o.step ? `H${x}V${y}` : `L${x},${y}`;
    }).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="1.8"/>`);
  });
  return frame(o.title, o.xLabel, o.yLabel, parts.join(''), o.series.map((s) => s.name));
}

/** A grouped bar chart: for each category, one bar per group (e.g. target and attained per institution). */
export function barChart(o: { title: string; yLabel: string; xLabel: string; categories: string[]; groups: { name: string; values: number[] }[]; yFormat?: (y: number) => string }): string {
  const max = Math.max(1e-9, ...o.groups.flatMap((g) => g.values)) * 1.05;
  const ticks = niceTicks(0, max);
  const py = (y: number): number => H - M.bottom - (y / max) * (H - M.top - M.bottom);
  const slot = (W - M.left - M.right) / Math.max(1, o.categories.length);
  const bar = (slot * 0.8) / Math.max(1, o.groups.length);
  const parts: string[] = [];
  for (const t of ticks) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${f(py(t))}" y2="${f(py(t))}" stroke="#ddd"/>`);
    parts.push(`<text x="${M.left - 6}" y="${f(py(t) + 4)}" text-anchor="end">${esc((o.yFormat ?? String)(t))}</text>`);
  }
  o.categories.forEach((c, ci) => {
    const x0 = M.left + ci * slot + slot * 0.1;
    o.groups.forEach((g, gi) => {
      const v = g.values[ci] ?? 0;
      parts.push(`<rect x="${f(x0 + gi * bar)}" y="${f(py(v))}" width="${f(Math.max(1, bar - 1))}" height="${f(H - M.bottom - py(v))}" fill="${PALETTE[gi % PALETTE.length]}"><title>${esc(`${c} — ${g.name}: ${v}`)}</title></rect>`);
    });
    const lx = x0 + slot * 0.4;
    parts.push(`<text transform="translate(${f(lx)},${H - M.bottom + 10}) rotate(45)" font-size="9">${esc(c.length > 14 ? `${c.slice(0, 13)}…` : c)}</text>`);
  });
  return frame(o.title, o.xLabel, o.yLabel, parts.join(''), o.groups.map((g) => g.name));
}

function frame(title: string, xLabel: string, yLabel: string, body: string, legend: string[]): string {
  const items = legend.map((name, i) => `<g transform="translate(${M.left + 8 + i * 170},${M.top - 14})"><rect width="12" height="4" y="-4" fill="${PALETTE[i % PALETTE.length]}"/><text x="16" y="0">${esc(name)}</text></g>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="11" role="img" aria-label="${esc(title)}">`
    + `<text x="${W / 2}" y="16" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`
    + `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#333"/><line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`
    + body + items
    + `<text x="${(M.left + W - M.right) / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)}</text>`
    + `<text transform="translate(14,${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text></svg>`;
}

/** Tick values for a log10(1 + x) axis: 0, 1 min, 10 min, 1 h, 10 h, 1 d, 10 d … up to the max. */
function logTicks(maxLog: number): number[] {
  return [0, 60, 600, 3600, 36000, 86400, 864000, 8640000].filter((t) => Math.log10(1 + t) <= maxLog + 1e-9);
}

function f(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}
