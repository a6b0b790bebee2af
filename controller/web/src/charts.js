// Small accessible SVG charts, drawn here so that nothing is fetched from another host: a
// stacked bar chart over time (with a data table for screen readers) and a ranked bar list.
import { h, s, formatTime } from './dom.js';

const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777',
  '#4b5563'];

export function stackedBars(title, series, since, bucketMs, buckets) {
  const names = Object.keys(series).sort();
  const totals = Array.from({ length: buckets }, (_, i) =>
    names.reduce((sum, n) => sum + (series[n][i] || 0), 0));
  const max = Math.max(1, ...totals);
  const width = 640;
  const height = 180;
  const barW = width / buckets;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height + 20}`, role: 'img',
    'aria-label': `${title}: ${totals.reduce((a, b) => a + b, 0)} blocked in the period` });
  for (let i = 0; i < buckets; i++) {
    let y = height;
    names.forEach((n, k) => {
      const v = series[n][i] || 0;
      if (!v) return;
      const bh = (v / max) * (height - 10);
      y -= bh;
      svg.append(s('rect', { x: i * barW + 1, y, width: Math.max(1, barW - 2), height: bh,
        fill: COLOURS[k % COLOURS.length] }, s('title', {}, `${n}: ${v}`)));
    });
  }
  svg.append(s('line', { x1: 0, y1: height, x2: width, y2: height, stroke: '#9ca3af' }));
  svg.append(s('text', { x: 0, y: height + 16, 'font-size': 11 }, formatTime(since)));
  svg.append(s('text', { x: width, y: height + 16, 'font-size': 11, 'text-anchor': 'end' }, 'now'));
  const legend = h('ul', { class: 'legend' }, names.map((n, k) =>
    h('li', {}, h('span', { class: 'swatch', style: `background:${COLOURS[k % COLOURS.length]}` }),
      `${n} (${series[n].reduce((a, b) => a + (b || 0), 0)})`)));
  const table = h('table', { class: 'visually-hidden' },
    h('caption', {}, title),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Period start'),
      names.map((n) => h('th', { scope: 'col' }, n)))),
    h('tbody', {}, totals.map((t, i) => t === 0 ? null : h('tr', {},
      h('th', { scope: 'row' }, formatTime(since + i * bucketMs)),
      names.map((n) => h('td', {}, series[n][i] || 0))))));
  return h('figure', { class: 'chart' }, h('figcaption', {}, title), svg, legend, table);
}

export function barList(title, items) {
  const max = Math.max(1, ...items.map((i) => i.count));
  return h('figure', { class: 'barlist' }, h('figcaption', {}, title),
    items.length === 0 ? h('p', {}, 'Nothing blocked in this period.') :
      h('ol', {}, items.map((i) => h('li', {},
        h('span', { class: 'name' }, i.name),
        h('span', { class: 'bar', style: `width:${(i.count / max) * 100}%`, 'aria-hidden': 'true' }),
        h('span', { class: 'num' }, i.count)))));
}
