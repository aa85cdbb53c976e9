// The official openai client against confab-server's gateway, unchanged: a model list, a
// non-streaming and a streaming completion. Exits non-zero with the reason on any mismatch.
// Usage: CONFAB_BASE_URL=http://127.0.0.1:PORT/v1 CONFAB_API_TOKEN=cfb_... node openai_e2e.mjs
import OpenAI from 'openai';
import assert from 'node:assert/strict';

const client = new OpenAI({
  baseURL: process.env.CONFAB_BASE_URL,
  apiKey: process.env.CONFAB_API_TOKEN,
  maxRetries: 0,
});

const models = await client.models.list();
const ids = models.data.map((model) => model.id);
assert.ok(ids.includes('fake-model'), `models: ${ids}`);

const completion = await client.chat.completions.create({
  model: 'fake-model',
  messages: [{ role: 'user', content: 'Say hello' }],
});
assert.equal(completion.object, 'chat.completion');
assert.equal(completion.choices[0].message.role, 'assistant');
assert.ok(completion.choices[0].message.content.length > 0, 'empty completion');
assert.ok(completion.usage.total_tokens >= 0);

const stream = await client.chat.completions.create({
  model: 'fake-model',
  messages: [{ role: 'user', content: 'Stream please' }],
  stream: true,
  stream_options: { include_usage: true },
});
let text = '';
let finishReason = null;
let usage = null;
for await (const chunk of stream) {
  if (chunk.usage) usage = chunk.usage;
  for (const choice of chunk.choices) {
    text += choice.delta?.content ?? '';
    finishReason = choice.finish_reason ?? finishReason;
  }
}
assert.ok(text.length > 0, 'empty stream');
assert.equal(finishReason, 'stop');
assert.ok(usage && usage.total_tokens > 0, `usage: ${JSON.stringify(usage)}`);

// A wrong token is an authentication error the client recognises.
const stranger = new OpenAI({ baseURL: process.env.CONFAB_BASE_URL, apiKey: 'cfb_wrong', maxRetries: 0 });
await assert.rejects(stranger.models.list(), (error) => error.status === 401);

console.log(JSON.stringify({ models: ids.length, completion: completion.choices[0].message.content, streamed: text }));
