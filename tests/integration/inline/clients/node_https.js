// node's https module: the body in one write, or with a split offset in two writes.
'use strict';
const https = require('https');
const fs = require('fs');
const [url, bodyFile, splitArg, caFile] = process.argv.slice(2);
const body = fs.readFileSync(bodyFile);
const split = Number(splitArg || 0);
const u = new URL(url);
const req = https.request({
  host: u.hostname, port: u.port, path: u.pathname, method: 'POST', timeout: 10000,
  ca: caFile ? fs.readFileSync(caFile) : undefined,
  headers: { 'content-type': 'application/json', 'content-length': body.length },
}, (res) => {
  let data = '';
  res.on('data', (d) => { data += d; });
  res.on('end', () => { console.log(res.statusCode, data); process.exit(res.statusCode === 200 ? 0 : 1); });
});
req.on('error', (e) => { console.error('error:', e.code || e.message); process.exit(1); });
req.on('timeout', () => { console.error('error: timeout'); process.exit(2); });
if (split) {
  req.write(body.subarray(0, split));
  setTimeout(() => req.end(body.subarray(split)), 100);
} else {
  req.end(body);
}
