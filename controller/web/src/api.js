// The console's calls to its controller. Mutations carry the session's CSRF token; a 401
// (signed out, or idle logoff) sends the person back to the sign-in page.
let csrf = '';
let onSignedOut = () => {};
let lastCall = Date.now();

// When this page last asked the server anything (what the server's idle timer counts).
export function lastActivity() {
  return lastCall;
}

export function setCsrf(token) {
  csrf = token;
}

export function onUnauthenticated(handler) {
  onSignedOut = handler;
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function call(method, path, body) {
  lastCall = Date.now();
  const headers = {};
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    headers['X-CSRF-Token'] = csrf;
  }
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    if (res.status === 401 && !/^\/api\/(login|session)/.test(path)) onSignedOut(data.error);
    throw new ApiError(res.status, data.error || `HTTP ${res.status}`);
  }
  return data;
}

export const get = (path, params) => {
  const query = params ? new URLSearchParams(clean(params)).toString() : '';
  return call('GET', query ? `${path}?${query}` : path);
};
export const post = (path, body = {}) => call('POST', path, body);

function clean(params) {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== '' && v != null));
}
