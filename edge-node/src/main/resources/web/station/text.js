// Reading the server's JSON defensively, and making text fit to be shown. Pure: no page, no state.

/** Raw (possibly garbage) input is shortened to this before it is displayed. */
const SHOWN_TEXT_MAX = 40;

export function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function numberOrNull(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function stringOrNull(value) {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Server text for a longer line than a scan's: control characters shown, length capped. */
export function shortText(raw, max) {
  const visible = String(raw).replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
  return visible.length > max ? `${visible.slice(0, max)}…` : visible;
}

/** Raw input as it may be shown: control characters made visible, length capped. */
export function displayText(raw) {
  return shortText(raw, SHOWN_TEXT_MAX);
}

export function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** "12 s", "5 min", "3 h", "2 days": how long ago, or how old, at a glance. */
export function ageText(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return '';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} days`;
}

/** "5 min ago" for an ISO time, or null when it does not parse. */
export function sinceText(iso, now = Date.now()) {
  const at = typeof iso === 'string' ? Date.parse(iso) : NaN;
  return Number.isNaN(at) ? null : `${ageText(Math.max(0, now - at))} ago`;
}
