// The dashboard's only door to the server: /v1 with the token kept in session storage.
const KEY = 'ncg.token';

/** The stored token, or null. */
export function token() {
  return sessionStorage.getItem(KEY);
}

/** Keep a token for this tab. */
export function setToken(t) {
  sessionStorage.setItem(KEY, t);
}

/** Forget the token. */
export function signOut() {
  sessionStorage.removeItem(KEY);
}

/** An API error with the server's code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** GET a /v1 path as JSON. */
export async function get(path) {
  const res = await fetch(`/v1${path}`, { headers: { authorization: `Bearer ${token() ?? ''}`, accept: 'application/json' } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? 'error', body?.error?.message ?? `HTTP ${res.status}`);
  return body;
}
