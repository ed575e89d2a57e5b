// A typed Deskline client: openapi-fetch over the types openapi-typescript generates from the API's contract.
//   npm install openapi-fetch && npm install --save-dev openapi-typescript typescript
//   npx openapi-typescript http://localhost:3000/openapi.json --default-non-nullable false -o openapi/openapi.d.ts
//   DESKLINE_URL=http://localhost:3000 DESKLINE_API_KEY=dsk_... npx ts-node docs/examples/typed-client.ts
import { randomUUID } from 'node:crypto';
import createClient from 'openapi-fetch';
import type { components, paths } from '../../openapi/openapi';

type Problem = components['schemas']['Problem'];

const deskline = createClient<paths>({
  baseUrl: process.env.DESKLINE_URL ?? 'http://localhost:3000',
  headers: { Authorization: `Bearer ${process.env.DESKLINE_API_KEY}` },
});

function fail(step: string, problem: Problem): never {
  throw new Error(`${step}: ${problem.status} ${problem.title}: ${problem.detail}`);
}

async function main(): Promise<void> {
  // Create. The body is checked against CreateTicketInput; with an Idempotency-Key a retried POST is done only once.
  const created = await deskline.POST('/v1/tickets', {
    params: { header: { 'Idempotency-Key': randomUUID() } },
    body: {
      subject: 'Cannot download my invoice',
      message: { body: 'The download link for invoice 2026-118 says "expired".' },
      requester: { email: 'ana@example.com', name: 'Ana Ruiz' },
      tags: ['billing'],
    },
  });
  if (created.error) fail('create', created.error);
  const ticket = created.data;
  console.log(JSON.stringify({ step: 'created', id: ticket.id, number: ticket.number, status: ticket.status }));

  // List. Query parameters are typed as well: status takes the lifecycle's values, sort the orders the server has.
  const listed = await deskline.GET('/v1/tickets', { params: { query: { status: ['new', 'open'], sort: '-createdAt', limit: 10 } } });
  if (listed.error) fail('list', listed.error);
  console.log(JSON.stringify({ step: 'listed', numbers: listed.data.data.map((t) => t.number), nextCursor: listed.data.nextCursor }));

  // Update with If-Match: the ETag of your read makes a PATCH that would overwrite someone else's change fail instead.
  const read = await deskline.GET('/v1/tickets/{id}', { params: { path: { id: ticket.id } } });
  if (read.error) fail('read', read.error);
  const etag = read.response.headers.get('ETag') ?? undefined;
  const updated = await deskline.PATCH('/v1/tickets/{id}', {
    params: { path: { id: ticket.id }, header: { 'If-Match': etag } },
    body: { status: 'pending', priority: 'high' },
  });
  if (updated.error) fail('update', updated.error);
  console.log(JSON.stringify({ step: 'updated', status: updated.data.status, priority: updated.data.priority, version: updated.data.version }));

  // The same ETag is stale now: 412, and nothing is written.
  const stale = await deskline.PATCH('/v1/tickets/{id}', {
    params: { path: { id: ticket.id }, header: { 'If-Match': etag } },
    body: { status: 'open' },
  });
  console.log(JSON.stringify({ step: 'stale', status: stale.response.status, type: stale.error?.type }));

  // Invalid input answers 422 with application/problem+json: `error` is typed as the Problem schema.
  const refused = await deskline.POST('/v1/tickets', {
    body: { subject: 'Printer on fire', message: { body: 'Smoke.' }, requester: { email: 'not an address' } },
  });
  if (refused.error) {
    const problem: Problem = refused.error;
    const first = problem.errors?.[0];
    console.log(JSON.stringify({ step: 'refused', status: problem.status, type: problem.type, field: first?.field, message: first?.message }));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
