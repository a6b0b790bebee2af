// The official openai SDK, pointed at the local server: one chat completion with the given
// user message. The CA comes from NODE_EXTRA_CA_CERTS.
import OpenAI from 'openai';

const [baseURL, message] = process.argv.slice(2);
const client = new OpenAI({ apiKey: 'sk-test', baseURL, maxRetries: 0, timeout: 10000 });
try {
  const r = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: message }],
  });
  console.log(r.choices[0].message.content);
} catch (e) {
  console.error('error:', e.constructor.name, e.cause ? (e.cause.code || e.cause.message) : e.message);
  process.exit(1);
}
