// node's http2 module (nghttp2 over node's OpenSSL): one POST stream, the body as one DATA write,
// or with a split offset as two DATA writes 100 ms apart.
'use strict';
const http2 = require('http2');
const fs = require('fs');
const [url, bodyFile, splitArg, caFile] = process.argv.slice(2);
const body = fs.readFileSync(bodyFile);
const split = Number(splitArg || 0);
const u = new URL(url);
const fail = (why) => { console.error('error:', why); process.exit(1); };
const session = http2.connect(u.origin, { ca: caFile ? fs.readFileSync(caFile) : undefined });
session.on('error', (e) => fail(e.code || e.message));
session.setTimeout(10000, () => { console.error('error: timeout'); process.exit(2); });
const req = session.request({
  ':method': 'POST', ':path': u.pathname, 'content-type': 'application/json',
  'content-length': body.length,
});
req.on('error', (e) => fail(e.code || e.message));
let status = 0;
let data = '';
req.on('response', (h) => { status = h[':status']; });
req.on('data', (d) => { data += d; });
req.on('end', () => {
  // A destroyed connection ends the stream without an error event: no response came.
  if (!status) fail(`the stream closed without a response (rstCode ${req.rstCode})`);
  console.log(status, data);
  session.close();
  process.exitCode = status === 200 ? 0 : 1;
});
if (split) {
  req.write(body.subarray(0, split));
  setTimeout(() => req.end(body.subarray(split)), 100);
} else {
  req.end(body);
}
