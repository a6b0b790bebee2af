// Policy history, the semantic diff between two versions, rollout per agent, and (for
// authors) push and rollback, each behind a confirmation dialog that shows what will change.
import { get, post } from '../api.js';
import { h, add, field, select, formatTime, message } from '../dom.js';

function diffView(diff) {
  if (diff.error) return message(diff.error);
  if (diff.empty) return h('p', {}, 'No change in what traffic is allowed, inspected or denied.');
  return h('div', { class: 'diff' },
    diff.settings.length ? [h('h3', {}, 'Settings'), h('ul', {}, diff.settings.map((x) => h('li', {}, x)))] : null,
    diff.destinations.length ? [h('h3', {}, 'Destinations'),
      h('ul', {}, diff.destinations.map((x) => h('li', {}, x)))] : null,
    diff.changes.length ? [h('h3', {}, 'Decisions that change'),
      h('table', {}, h('thead', {}, h('tr', {}, ['Destination', 'Before', 'After', '']
        .map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, diff.changes.map((c) => h('tr', { class: c.loosened ? 'loosened' : null },
        h('td', {}, c.target), h('td', {}, c.before.class), h('td', {}, c.after.class),
        h('td', {}, c.loosened ? 'loosens' : '')))))] : null);
}

// A modal confirmation: resolves true only when the person presses the confirm button.
function confirmDialog(title, body, confirmLabel) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { 'aria-labelledby': 'confirm-title', class: 'confirm' },
      h('h2', { id: 'confirm-title' }, title), body,
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'primary', onclick: () => close(true) }, confirmLabel),
        h('button', { type: 'button', onclick: () => close(false) }, 'Cancel')));
    const close = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    dialog.addEventListener('cancel', () => close(false));
    document.body.append(dialog);
    dialog.showModal();
  });
}

function pushForm(app, refresh) {
  const yaml = h('textarea', { name: 'yaml', rows: 12, spellcheck: 'false', class: 'code' });
  const selector = h('input', { type: 'text', name: 'selector', placeholder: 'env=prod' });
  const auditFirst = h('input', { type: 'checkbox', name: 'audit_first' });
  const status = h('div');
  const form = h('form', { class: 'card', 'aria-labelledby': 'push-title' },
    h('h2', { id: 'push-title' }, 'Push a new version'),
    field('Policy YAML', yaml), field('Agent selector (empty = every agent)', selector),
    h('div', { class: 'field inline' }, auditFirst,
      h('label', { for: (auditFirst.id = 'audit-first') }, 'Audit first (report, do not block)')),
    status, h('button', { type: 'submit', class: 'primary' }, 'Review push…'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    status.replaceChildren();
    const body = { yaml: yaml.value, selector: selector.value.trim(), audit_first: auditFirst.checked,
      file_name: 'console.yaml' };
    try {
      const preview = await post('/api/policies/preview', body);
      const ok = await confirmDialog(`Push policy "${preview.name}"?`, h('div', {},
        h('p', {}, `${preview.matching_agents} agent(s) match the selector.`),
        preview.diff ? [h('p', {}, `Changes against version ${preview.against_version}:`),
          diffView(preview.diff)] : h('p', {}, 'This is the first version.')), 'Push');
      if (!ok) return;
      const pushed = await post('/api/policies', body);
      await refresh(`Pushed version ${pushed.version}.`);
    } catch (err) {
      status.replaceChildren(message(err.message));
    }
  });
  return form;
}

export async function policiesPage(app) {
  const [history, rollout] = await Promise.all([get('/api/policies'),
    get('/api/policies/status')]);
  const versions = history.versions.slice().reverse();
  const node = h('section', { 'aria-labelledby': 'policies-title' });
  const refresh = async (done) => {
    const page = await policiesPage(app);
    node.replaceWith(page.node);
    const h1 = page.node.querySelector('h1');
    h1.tabIndex = -1;
    h1.focus();
    if (done) h1.after(message(done, 'ok'));
  };
  const canPush = app.can('PolicyService/PushPolicy');
  const canRollback = app.can('PolicyService/RollbackPolicy');
  const rollback = async (v) => {
    const ok = await confirmDialog(`Roll back to version ${v.version}?`,
      h('p', {}, `Version ${v.version} ("${v.name}") is re-issued as a new version to every ` +
        'matching agent.'), 'Roll back');
    if (!ok) return;
    try {
      const p = await post(`/api/policies/${v.version}/rollback`);
      await refresh(`Rolled back: version ${p.version} re-issues ${v.version}.`);
    } catch (err) {
      node.querySelector('h1').after(message(err.message));
    }
  };

  const options = versions.map((v) => [String(v.version), `v${v.version} ${v.name}`]);
  const from = select('from', options, options[1]?.[0] || options[0]?.[0] || '');
  const to = select('to', options, options[0]?.[0] || '');
  const diffOut = h('div', { 'aria-live': 'polite' });
  const diffForm = h('form', { class: 'card', 'aria-labelledby': 'diff-title' },
    h('h2', { id: 'diff-title' }, 'Compare versions'),
    h('div', { class: 'row' }, field('From', from), field('To', to),
      h('button', { type: 'submit' }, 'Show diff')), diffOut);
  diffForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      diffOut.replaceChildren(diffView(await get('/api/policies/diff', { from: from.value, to: to.value })));
    } catch (err) {
      diffOut.replaceChildren(message(err.message));
    }
  });

  add(node,
    h('h1', { id: 'policies-title' }, 'Policies'),
    canPush ? null : message(`Your role (${app.session.role}) can view policies but not push or ` +
      'roll back.', 'info'),
    h('section', { 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title' }, 'History'),
      versions.length === 0 ? h('p', {}, 'No policy pushed yet.') :
        h('div', { class: 'table-wrap' }, h('table', {},
          h('thead', {}, h('tr', {}, ['Version', 'Name', 'Selector', 'Pushed by', 'When', 'Note', '']
            .map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, versions.map((v) => h('tr', {},
            h('td', {}, v.version), h('td', {}, v.name), h('td', {}, v.selector || 'all agents'),
            h('td', {}, v.pushed_by), h('td', {}, formatTime(v.pushed_at * 1000)),
            h('td', {}, [v.rollback_of ? `rollback of ${v.rollback_of}` : '',
              v.audit_first ? ' audit first' : ''].join('')),
            h('td', {}, canRollback && v.version !== versions[0].version
              ? h('button', { type: 'button', onclick: () => rollback(v) },
                `Roll back to ${v.version}`) : ''))))))),
    versions.length > 1 ? diffForm : null,
    h('section', { 'aria-labelledby': 'rollout-title' },
      h('h2', { id: 'rollout-title' }, 'Rollout'),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ['Agent', 'Online', 'Running', 'Target', 'State']
          .map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rollout.agents.map((a) => h('tr', {},
          h('td', {}, a.hostname), h('td', {}, a.online ? 'online' : 'offline'),
          h('td', {}, a.policy_version), h('td', {}, a.target_version || '—'),
          h('td', {}, a.policy_version === a.target_version ? 'up to date' : 'pending'))))))),
    canPush ? pushForm(app, refresh) : null);
  return { node };
}
