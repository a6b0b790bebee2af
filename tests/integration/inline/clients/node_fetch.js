// node's built-in fetch (undici). With a split offset the body is a stream of two chunks
// (sent chunked, in two writes). The CA comes from NODE_EXTRA_CA_CERTS.
'use strict';
const fs = require('fs');
const [url, bodyFile, splitArg] = process.argv.slice(2);
const body = fs.readFileSync(bodyFile);
const split = Number(splitArg || 0);
let payload = body;
const init = { method: 'POST', headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(10000) };
if (split) {
  payload = new ReadableStream({
    async start(controller) {
      controller.enqueue(body.subarray(0, split));
      await new Promise((r) => setTimeout(r, 100));
      controller.enqueue(body.subarray(split));
      controller.close();
    },
  });
  init.duplex = 'half';
}
init.body = payload;
fetch(url, init)
  .then(async (res) => { console.log(res.status, await res.text()); process.exit(res.ok ? 0 : 1); })
  .catch((e) => { console.error('error:', e.cause ? (e.cause.code || e.cause.message) : e.message); process.exit(1); });
