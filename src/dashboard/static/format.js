// Number and time formatting, and a tiny safe HTML builder (every interpolated value is escaped).

/** Escape text for HTML. */
export function esc(v) {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** Tagged template: values escaped unless wrapped with raw(). */
export function html(strings, ...values) {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? (values[i] && values[i].__raw !== undefined ? values[i].__raw : Array.isArray(values[i]) ? values[i].map((v) => (v && v.__raw !== undefined ? v.__raw : esc(v))).join('') : esc(values[i])) : ''), '');
}

/** Mark HTML as already safe. */
export function raw(s) {
  return { __raw: s };
}

/** 12,345 (or — for null). */
export function num(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return Number(n).toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** 12.3 % (or —). */
export function pct(x, digits = 1) {
  return x === null || x === undefined ? '—' : `${num(x * 100, digits)} %`;
}

/** 45 s, 3.2 min, 1.5 h (or —). */
export function dur(s) {
  if (s === null || s === undefined) return '—';
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} d`;
}

/** 14:05 or 3 Nov 14:05 (UTC). */
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  // The year only when it is not this one (projected exhaustion can be years away).
  const year = d.getUTCFullYear() !== new Date().getUTCFullYear() ? { year: 'numeric' } : {};
  return d.toLocaleString('en-GB', { day: 'numeric', month: 'short', ...year, hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }) + ' UTC';
}

/** A number with its raw value for machines (tests read data-value). */
export function kpi(name, value, text) {
  return raw(`<span data-kpi="${esc(name)}" data-value="${esc(value ?? '')}">${esc(text)}</span>`);
}
