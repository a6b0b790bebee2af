// Blocked egress over time by vendor and by PHI type, the top processes and hosts, and the
// fleet's health. Each part is fetched with its own permission, so a role that may not read
// alerts still sees the fleet.
import { get } from '../api.js';
import { h, add, select, field, message } from '../dom.js';
import { stackedBars, barList } from '../charts.js';

export async function overviewPage(app) {
  const hours = sessionStorage.getItem('overview-hours') || '24';
  const range = select('hours', [['24', 'Last 24 hours'], ['168', 'Last 7 days'],
    ['720', 'Last 30 days']], hours);
  range.addEventListener('change', () => {
    sessionStorage.setItem('overview-hours', range.value);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
  const period = field('Period', range);
  period.classList.add('narrow');
  const node = h('section', { 'aria-labelledby': 'overview-title' },
    h('h1', { id: 'overview-title' }, 'Overview'), period);

  if (app.can('AlertService/ListAlerts')) {
    const o = await get('/api/overview', { hours });
    add(node,
      h('p', { class: 'count' }, `${o.blocked} blocked egress attempt${o.blocked === 1 ? '' : 's'}`,
        o.truncated ? ' (the newest 20,000 alerts are counted)' : ''),
      h('div', { class: 'grid2' },
        stackedBars('Blocked egress by vendor', o.by_vendor, o.since, o.bucket_ms, o.buckets),
        stackedBars('Blocked egress by PHI type', o.by_phi_type, o.since, o.bucket_ms, o.buckets),
        barList('Top processes', o.top_processes),
        barList('Top hosts', o.top_hosts)));
  } else {
    add(node, message(`Your role (${app.session.role}) does not read alerts.`, 'info'));
  }

  const [agents, status] = await Promise.all([
    get('/api/agents'),
    app.can('PolicyService/GetPolicyStatus') ? get('/api/policies/status') : null,
  ]);
  const online = agents.agents.filter((a) => a.status === 'active' && a.online).length;
  const active = agents.agents.filter((a) => a.status === 'active').length;
  const versions = {};
  for (const a of agents.agents) {
    if (a.status === 'active') versions[a.policy_version] = (versions[a.policy_version] || 0) + 1;
  }
  add(node, h('section', { class: 'card', 'aria-labelledby': 'fleet-title' },
    h('h2', { id: 'fleet-title' }, 'Fleet health'),
    h('ul', { class: 'stats' },
      h('li', {}, h('strong', {}, online), ' online'),
      h('li', {}, h('strong', {}, active - online), ' offline'),
      h('li', {}, h('strong', {}, status ? status.latest_version : '—'), ' latest policy')),
    h('h3', {}, 'Policy versions running'),
    h('ul', {}, Object.entries(versions).map(([v, n]) =>
      h('li', {}, `version ${v}: ${n} agent${n === 1 ? '' : 's'}`)))));
  return { node };
}
