// The alert list (filters and pages decided by the server) and one alert in detail, with its
// triage actions. Opening the detail reads the masked evidence, which the server audits.
import { get, post } from '../api.js';
import { h, add, field, select, formatTime, message } from '../dom.js';

const SEVERITIES = [['', 'Any'], ['low', 'Low or higher'], ['medium', 'Medium or higher'],
  ['high', 'High or higher'], ['critical', 'Critical']];
const STATUSES = [['', 'Any'], ['open', 'Open'], ['acknowledged', 'Acknowledged'],
  ['resolved', 'Resolved'], ['false-positive', 'False positive']];
const RANGES = [['', 'All time'], ['1', 'Last hour'], ['24', 'Last 24 hours'],
  ['168', 'Last 7 days'], ['720', 'Last 30 days']];
const TEXT_FILTERS = [['vendor', 'Vendor'], ['phi_type', 'PHI type'], ['process', 'Process'],
  ['assignee', 'Assignee']];

function severityBadge(sev) {
  return h('span', { class: `badge sev-${sev}` }, sev);
}

function statusBadge(status) {
  return h('span', { class: `badge status-${status}` }, status);
}

function destination(a) {
  return a.host || `${a.dest_ip}:${a.dest_port}`;
}

function alertRow(a, fresh = false) {
  return h(
    'tr',
    { class: fresh ? 'fresh' : null, dataset: { alertId: a.id } },
    h('td', {}, h('a', { href: `#/alerts/${encodeURIComponent(a.id)}` }, formatTime(a.time_ms))),
    h('td', {}, severityBadge(a.severity)),
    h('td', {}, statusBadge(a.status)),
    h('td', {}, a.vendor || '—'),
    h('td', {}, destination(a)),
    h('td', {}, a.phi_types.join(', ') || '—'),
    h('td', {}, a.process || '—'),
    h('td', {}, a.hostname || a.agent_id),
    h('td', {}, a.assignee || '—'),
  );
}

function matches(a, params) {
  const min = ['low', 'medium', 'high', 'critical'];
  if (params.get('status') && a.status !== params.get('status')) return false;
  if (params.get('severity') && min.indexOf(a.severity) < min.indexOf(params.get('severity'))) {
    return false;
  }
  if (params.get('agent') && a.agent_id !== params.get('agent')) return false;
  for (const [key] of TEXT_FILTERS) {
    const want = params.get(key);
    if (!want) continue;
    if (key === 'phi_type' ? !a.phi_types.includes(want) : a[key] !== want) return false;
  }
  return true;
}

export async function alertsPage(app, params) {
  const page = Number(params.get('page') || 1);
  const hours = params.get('hours') || '';
  const query = Object.fromEntries(params);
  delete query.hours;
  if (hours) query.since = Date.now() - Number(hours) * 3600 * 1000;
  const [data, agents] = await Promise.all([get('/api/alerts', query), get('/api/agents')]);

  const controls = {
    hours: select('hours', RANGES, hours),
    severity: select('severity', SEVERITIES, params.get('severity') || ''),
    status: select('status', STATUSES, params.get('status') || ''),
    agent: select('agent', [['', 'Any'], ...agents.agents.map((a) => [a.id, a.hostname])],
      params.get('agent') || ''),
  };
  for (const [key] of TEXT_FILTERS) {
    controls[key] = h('input', { type: 'text', name: key, value: params.get(key) || '' });
  }
  const labels = { hours: 'Time', severity: 'Severity', status: 'Status', agent: 'Agent' };
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter alerts' },
    Object.entries(controls).map(([key, control]) =>
      field(labels[key] || TEXT_FILTERS.find(([k]) => k === key)[1], control)),
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Apply filters'),
      h('a', { href: '#/alerts', class: 'button' }, 'Clear')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [key, control] of Object.entries(controls)) {
      if (control.value.trim()) next.set(key, control.value.trim());
    }
    location.hash = `#/alerts?${next}`;
  });

  const tbody = h('tbody', {}, data.alerts.map((a) => alertRow(a)));
  const pages = Math.max(1, Math.ceil(data.total / data.per_page));
  const pageLink = (n, text) => {
    const next = new URLSearchParams(params);
    next.set('page', n);
    return h('a', { class: 'button', href: `#/alerts?${next}` }, text);
  };
  const count = h('p', { class: 'count', id: 'alert-count' },
    `${data.total} alert${data.total === 1 ? '' : 's'} · page ${page} of ${pages}`);
  const node = h(
    'section',
    { 'aria-labelledby': 'alerts-title' },
    h('h1', { id: 'alerts-title' }, 'Alerts'),
    form,
    count,
    h('div', { class: 'table-wrap' },
      h('table', { class: 'alerts', 'aria-describedby': 'alert-count' },
        h('thead', {}, h('tr', {}, ['Time', 'Severity', 'Status', 'Vendor', 'Destination',
          'PHI types', 'Process', 'Host', 'Assignee'].map((c) => h('th', { scope: 'col' }, c)))),
        tbody)),
    data.alerts.length === 0 ? message('No alerts match these filters.', 'info') : null,
    h('nav', { class: 'pager', 'aria-label': 'Alert pages' },
      page > 1 ? pageLink(page - 1, 'Previous page') : null,
      page < pages ? pageLink(page + 1, 'Next page') : null),
  );
  // New alerts arrive over the live stream; page 1 shows the ones that match the filters.
  const cleanup = app.onAlert((a) => {
    if (page !== 1 || !matches(a, params)) return;
    tbody.prepend(alertRow(a, true));
    data.total += 1;
    count.textContent = `${data.total} alerts · new alerts appear live`;
  });
  return { node, cleanup };
}

function dl(pairs) {
  return h('dl', { class: 'facts' }, pairs.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function triageForm(app, alert, rerender) {
  const status = h('div', { class: 'triage-status' });
  const note = h('textarea', { name: 'note', rows: 3 });
  const assignee = h('input', { type: 'text', name: 'assignee', value: alert.assignee || '' });
  const act = (action, label, method, body) =>
    h('button', {
      type: 'button',
      disabled: !app.can(method),
      onclick: async () => {
        status.replaceChildren();
        try {
          const updated = await post(`/api/alerts/${encodeURIComponent(alert.id)}/${action}`, body());
          app.announce(`Alert ${label.toLowerCase()}: done`);
          rerender(updated, `${label}: done.`);
        } catch (err) {
          status.replaceChildren(message(err.message));
        }
      },
    }, label);
  if (!app.can('AlertService/AckAlert')) {
    return h('section', { 'aria-labelledby': 'triage-title' },
      h('h2', { id: 'triage-title' }, 'Triage'),
      message(`Your role (${app.session.role}) cannot triage alerts.`, 'info'));
  }
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'triage-title' },
    h('h2', { id: 'triage-title' }, 'Triage'),
    field('Note (goes into the audit log)', note),
    h('div', { class: 'row' },
      act('ack', 'Acknowledge', 'AlertService/AckAlert', () => ({ note: note.value })),
      act('resolve', 'Resolve', 'AlertService/ResolveAlert', () => ({ note: note.value })),
      act('false-positive', 'Mark false positive', 'AlertService/MarkFalsePositive',
        () => ({ note: note.value }))),
    h('div', { class: 'row' },
      field('Assignee', assignee),
      act('assign', 'Assign', 'AlertService/AssignAlert',
        () => ({ note: note.value, assignee: assignee.value.trim() }))),
    status,
  );
}

export async function alertDetailPage(app, id) {
  // Fetched once: reading the evidence is audited, so a triage action re-renders from its
  // answer (the new state and notes) instead of reading the evidence again.
  return { node: alertDetail(app, await get(`/api/alerts/${encodeURIComponent(id)}`)) };
}

function alertDetail(app, alert, done) {
  const container = h('section', { 'aria-labelledby': 'alert-title' });
  const rerender = (updated, text) => {
    const node = alertDetail(app, { ...alert, ...updated }, text);
    container.replaceWith(node);
    node.querySelector('h1').focus();
  };
  add(container,
    h('p', {}, h('a', { href: '#/alerts' }, '← All alerts')),
    h('h1', { id: 'alert-title', tabindex: -1 }, `Alert ${alert.id}`),
    done ? message(done, 'info') : null,
    h('p', {}, severityBadge(alert.severity), ' ', statusBadge(alert.status),
      alert.assignee ? ` · assigned to ${alert.assignee}` : ''),
    h('div', { class: 'grid2' },
      h('section', { class: 'card', 'aria-labelledby': 'proc-title' },
        h('h2', { id: 'proc-title' }, 'Process'),
        dl([['Process', alert.process || '—'], ['PID', alert.pid || '—'], ['Executable', alert.exe || '—'],
          ['Host', alert.hostname || alert.agent_id], ['Seen', formatTime(alert.time_ms)]])),
      h('section', { class: 'card', 'aria-labelledby': 'dest-title' },
        h('h2', { id: 'dest-title' }, 'Destination'),
        dl([['IP', `${alert.dest_ip || '—'}:${alert.dest_port}`], ['SNI / Host', alert.host || '—'],
          ['Vendor', alert.vendor || '—'], ['Region', alert.region || '—'],
          ['BAA', `${alert.baa.state} — ${alert.baa.detail}`]])),
      h('section', { class: 'card', 'aria-labelledby': 'rule-title' },
        h('h2', { id: 'rule-title' }, 'Decision'),
        dl([['Action', alert.action], ['Reason', alert.reason || '—'], ['Rule', alert.rule || '—'],
          ['Policy version', alert.policy_version]])),
      h('section', { class: 'card', 'aria-labelledby': 'phi-title' },
        h('h2', { id: 'phi-title' }, 'PHI found (masked)'),
        alert.evidence.length === 0 ? h('p', {}, 'No evidence recorded.') :
          h('table', { class: 'evidence' },
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Type'),
              h('th', { scope: 'col' }, 'Masked excerpt'), h('th', { scope: 'col' }, 'Offset'))),
            h('tbody', {}, alert.evidence.map((e) => h('tr', {}, h('td', {}, e.phi_type),
              h('td', {}, h('code', {}, e.masked_excerpt)), h('td', {}, e.offset))))),
        h('p', { class: 'hint' }, 'Viewing this evidence was recorded in the audit log.'))),
    triageForm(app, alert, rerender),
    h('section', { 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title' }, 'History'),
      alert.notes.length === 0 ? h('p', {}, 'No triage yet.') :
        h('ol', { class: 'notes' }, alert.notes.map((n) => h('li', {},
          `${formatTime(n.time * 1000)} · ${n.author} · ${n.action}${n.text ? `: ${n.text}` : ''}`)))),
  );
  return container;
}
