// The console shell: sign-in, the session (role, what it may do, idle logoff), the hash
// router and the live alert stream. Pages render into <main> and take focus on arrival so
// keyboard and screen-reader users land at the page's heading.
import { get, post, setCsrf, onUnauthenticated, lastActivity } from './api.js';
import { h, field, message } from './dom.js';
import { alertsPage, alertDetailPage } from './pages/alerts.js';
import { overviewPage } from './pages/overview.js';
import { policiesPage } from './pages/policies.js';
import { auditPage } from './pages/audit.js';

const main = document.getElementById('main');
const live = document.getElementById('live');
const listeners = new Set();
let session = null;
let stream = null;

export const app = {
  get session() {
    return session;
  },
  // Whether the server's RBAC table lets this role call the gRPC method (for showing
  // buttons; the server checks again on every call).
  can(method) {
    return Boolean(session?.allowed?.[`/sluice.v1.${method}`]);
  },
  onAlert(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  announce(text) {
    live.textContent = text;
  },
};

function signedOut(reason) {
  session = null;
  stream?.close();
  stream = null;
  document.getElementById('topbar').hidden = true;
  renderLogin(reason);
}
onUnauthenticated(signedOut);

function startSession(data) {
  session = data;
  setCsrf(data.csrf);
  document.getElementById('topbar').hidden = false;
  document.getElementById('whoami').textContent = `${data.user} (${data.role})`;
  if (app.can('AlertService/ListAlerts')) {
    stream = new EventSource('/api/events');
    stream.addEventListener('alert', (e) => {
      const alert = JSON.parse(e.data);
      app.announce(`New ${alert.severity} alert: ${alert.vendor} from ${alert.process}`);
      for (const l of listeners) l(alert);
    });
    stream.addEventListener('expired', () => signedOut('Your session ended after inactivity.'));
  }
}

function renderLogin(reason) {
  const token = h('input', {
    type: 'password', name: 'token', autocomplete: 'off', required: true, spellcheck: 'false',
  });
  const totp = h('input', {
    type: 'text', name: 'totp', inputmode: 'numeric', autocomplete: 'one-time-code',
    pattern: '[0-9]{6}', maxlength: 6, required: true,
  });
  const status = h('div');
  const form = h(
    'form',
    { class: 'login card', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Sign in to Sluice'),
    reason ? message(reason, 'info') : null,
    field('API token', token),
    field('TOTP code', totp),
    status,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    status.replaceChildren();
    try {
      startSession(await post('/api/login', { token: token.value.trim(), totp: totp.value.trim() }));
      if (!location.hash || location.hash === '#/login') location.hash = '#/overview';
      else route();
    } catch (err) {
      status.replaceChildren(message(err.message));
      totp.value = '';
      totp.focus();
    }
  });
  main.replaceChildren(form);
  token.focus();
}

const routes = [
  [/^#\/alerts\/([^/]+)$/, (m) => alertDetailPage(app, decodeURIComponent(m[1]))],
  [/^#\/alerts(?:\?(.*))?$/, (m) => alertsPage(app, new URLSearchParams(m[1] || ''))],
  [/^#\/policies$/, () => policiesPage(app)],
  [/^#\/audit$/, () => auditPage(app)],
  [/^#\/overview$/, () => overviewPage(app)],
];

let cleanup = null;
async function route() {
  if (!session) return;
  cleanup?.();
  cleanup = null;
  const hash = location.hash || '#/overview';
  for (const link of document.querySelectorAll('[data-nav]')) {
    const current = hash.startsWith(`#/${link.dataset.nav}`);
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const match = routes.map(([re, page]) => [hash.match(re), page]).find(([m]) => m);
  if (!match) {
    location.hash = '#/overview';
    return;
  }
  main.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
  try {
    const page = await match[1](match[0]);
    main.replaceChildren(page.node);
    cleanup = page.cleanup || null;
  } catch (err) {
    if (err.status === 401) return;
    main.replaceChildren(h('h1', {}, 'Something went wrong'), message(err.message));
  }
  const heading = main.querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

// Automatic logoff on the page too: once the server's idle time has passed without a request,
// the page signs out rather than showing data until the next click.
setInterval(() => {
  if (!session) return;
  const idleMs = session.idle_timeout_seconds * 1000;
  if (Date.now() - lastActivity() > idleMs) {
    post('/api/logout').catch(() => {});
    const idle = idleMs < 120000 ? `${idleMs / 1000} s` : `${Math.round(idleMs / 60000)} min`;
    signedOut(`You were signed out after ${idle} without activity.`);
  }
}, 5000);

window.addEventListener('hashchange', route);
// The skip link moves focus without touching the hash, which is the router's.
document.querySelector('.skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});
document.getElementById('signout').addEventListener('click', async () => {
  await post('/api/logout').catch(() => {});
  signedOut('You signed out.');
});

get('/api/session')
  .then((data) => {
    startSession(data);
    route();
  })
  .catch(() => signedOut());
