// The audit log, newest page first, with the result of verifying the hash chain and its
// signed checkpoints.
import { get } from '../api.js';
import { h, formatTime, message } from '../dom.js';

const PAGE = 50;

export async function auditPage(app) {
  if (!app.can('AuditService/ListAudit')) {
    return { node: h('section', {}, h('h1', {}, 'Audit log'),
      message(`Your role (${app.session.role}) may not read the audit log.`)) };
  }
  const verify = await get('/api/audit/verify');
  const head = verify.entries_checked;
  const tbody = h('tbody');
  const status = h('p', { class: 'count', id: 'audit-range' });
  let last = head;  // the highest seq shown on the current page
  const load = async (top) => {
    last = Math.max(0, Math.min(head, top));
    const after = Math.max(0, last - PAGE);
    const data = await get('/api/audit', { after_seq: after, limit: last - after || 1 });
    tbody.replaceChildren(...data.entries.reverse().map((e) => h('tr', {},
      h('td', {}, e.seq), h('td', {}, formatTime(e.time_ms)), h('td', {}, e.actor),
      h('td', {}, e.action), h('td', {}, e.target), h('td', {}, h('code', {}, e.details)))));
    status.textContent = head ? `Entries ${after + 1}–${last} of ${head}` : 'No entries';
  };
  await load(head);
  const chain = verify.ok
    ? message(`Chain verified: ${verify.entries_checked} entries, ${verify.checkpoints_checked} ` +
      'signed checkpoints.', 'ok')
    : message(`Chain BROKEN at entry ${verify.first_bad_seq}: ${verify.problem}`);
  chain.id = 'chain-status';
  const node = h('section', { 'aria-labelledby': 'audit-title' },
    h('h1', { id: 'audit-title' }, 'Audit log'), chain, status,
    h('div', { class: 'table-wrap' }, h('table', { class: 'audit', 'aria-describedby': 'audit-range' },
      h('thead', {}, h('tr', {}, ['Seq', 'Time', 'Actor', 'Action', 'Target', 'Details']
        .map((c) => h('th', { scope: 'col' }, c)))), tbody)),
    h('nav', { class: 'pager', 'aria-label': 'Audit pages' },
      h('button', { type: 'button', onclick: () => load(last + PAGE) }, 'Newer'),
      h('button', { type: 'button', onclick: () => load(last - PAGE) }, 'Older')));
  return { node };
}
