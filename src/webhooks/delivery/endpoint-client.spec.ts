import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { EndpointClient, MAX_RESPONSE_EXCERPT_BYTES } from './endpoint-client';

describe('EndpointClient', () => {
  let server: Server;
  let base: string;
  let handler: (request: IncomingMessage, response: ServerResponse, body: string) => void;
  const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  const options = { timeoutMs: 300, allowPrivateAddresses: true, maxSocketsPerEndpoint: 4, maxSockets: 16 };
  const clients: EndpointClient[] = [];
  const client = (overrides: Partial<typeof options> = {}) => {
    const created = new EndpointClient({ ...options, ...overrides });
    clients.push(created);
    return created;
  };
  const never = new AbortController().signal;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        handler(request, response, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    clients.forEach((created) => created.close());
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => (received.length = 0));

  it('posts the body as JSON with the given headers and reports the answer', async () => {
    handler = (_, response) => response.writeHead(202, { 'content-type': 'text/plain' }).end('thanks');
    const answer = await client().post(`${base}/hook`, { 'webhook-id': 'msg_1' }, '{"a":1}', never);
    expect(answer).toMatchObject({ statusCode: 202, responseExcerpt: 'thanks', error: null, cancelled: false });
    expect(received[0].body).toBe('{"a":1}');
    expect(received[0].headers).toMatchObject({ 'content-type': 'application/json', 'webhook-id': 'msg_1' });
  });

  it('keeps only the first KiB of a large answer', async () => {
    handler = (_, response) => response.writeHead(500).end('x'.repeat(100_000));
    const answer = await client().post(`${base}/hook`, {}, '{}', never);
    expect(answer.statusCode).toBe(500);
    expect(answer.responseExcerpt).toHaveLength(MAX_RESPONSE_EXCERPT_BYTES);
  });

  it('does not follow redirects', async () => {
    handler = (request, response) => (request.url === '/moved' ? response.writeHead(302, { location: '/target' }).end() : response.writeHead(200).end());
    const answer = await client().post(`${base}/moved`, {}, '{}', never);
    expect(answer.statusCode).toBe(302);
    expect(received.map((entry) => entry.body)).toHaveLength(1);
  });

  it('gives up on an endpoint that does not answer within the timeout', async () => {
    handler = () => undefined;
    const answer = await client().post(`${base}/slow`, {}, '{}', never);
    expect(answer).toMatchObject({ statusCode: null, error: 'no complete answer within 300 ms', cancelled: false });
  });

  it('reports a cancelled attempt as cancelled, not as a failure', async () => {
    handler = () => undefined;
    const cancel = new AbortController();
    const pending = client().post(`${base}/slow`, {}, '{}', cancel.signal);
    cancel.abort();
    expect(await pending).toMatchObject({ cancelled: true });
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect((await client().post(`http://127.0.0.1:${port}/`, {}, '{}', never)).error).toBe('connection refused');
  });

  it('refuses private addresses, by literal and by name, unless they are allowed', async () => {
    handler = (_, response) => response.writeHead(200).end();
    const strict = client({ allowPrivateAddresses: false });
    const byLiteral = await strict.post(`${base}/hook`, {}, '{}', never);
    expect(byLiteral).toMatchObject({ statusCode: null, error: expect.stringContaining('refused') });
    const byName = await strict.post(base.replace('127.0.0.1', 'localhost') + '/hook', {}, '{}', never);
    expect(byName).toMatchObject({ statusCode: null, error: expect.stringContaining('refused: localhost resolves to') });
    expect(received).toHaveLength(0);
  });
});
