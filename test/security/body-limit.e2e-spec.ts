import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/app-config';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';

const MiB = 1024 * 1024;

/** A valid ticket as JSON, padded with insignificant whitespace to exactly `size` bytes. */
function ticketOfSize(size: number, subject: string): string {
  const json = JSON.stringify({ subject, message: { body: 'hello' }, requester: { email: 'big@example.com' } });
  return json.slice(0, -1) + ' '.repeat(size - json.length) + '}';
}

function baseUrl(t: TestApp): string {
  return `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
}

describe('security: request body limits answer 413 that every client can read', () => {
  let t: TestApp;
  let url: string;

  beforeAll(async () => {
    t = await startTestApp();
    url = baseUrl(t);
  });
  afterAll(() => t.close());

  const post = (body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
    fetch(`${url}/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...t.auth(t.main.key), ...headers },
      body,
      duplex: 'half',
    });

  it('accepts a body of exactly 1 MiB', async () => {
    const body = ticketOfSize(MiB, 'exactly one mebibyte');
    expect(Buffer.byteLength(body)).toBe(MiB);
    const response = await post(body);
    expect(response.status).toBe(201);
    expect(((await response.json()) as { subject: string }).subject).toBe('exactly one mebibyte');
  });

  it("answers 1 MiB + 1 byte with a 413 problem that Node's fetch receives, and the server keeps serving", async () => {
    const response = await post(ticketOfSize(MiB + 1, 'one byte too many'));
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await response.json()) as { detail: string };
    expect(problem).toMatchObject({ status: 413, title: 'Payload Too Large', limitBytes: MiB });
    expect(problem.detail).toContain('BODY_LIMIT_BYTES');
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('reads the rest of an oversized body before answering, then keeps the connection open for the next request', async () => {
    // The defect behind fetch's broken pipe: an answer (and a closed connection) while the client is still sending.
    // Over loopback fetch usually wins that race; on a real network it loses it. So the order is asserted on the wire.
    const socket = connect((t.app.getHttpServer().address() as AddressInfo).port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    try {
      const body = ticketOfSize(MiB + 1, 'on the wire');
      socket.write(`POST /v1/tickets HTTP/1.1\r\nHost: deskline\r\nAuthorization: Bearer ${t.main.key}\r\nContent-Type: application/json\r\nContent-Length: ${MiB + 1}\r\n\r\n`);
      socket.write(body.slice(0, 1000));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received).toBe('');
      socket.write(body.slice(1000));
      await eventually(() => /"limitBytes":1048576\}$/.test(received), 'the 413 answer');
      expect(received).toMatch(/^HTTP\/1\.1 413 /);
      expect(received).not.toMatch(/\r\nconnection: close\r\n/i);
      received = '';
      socket.write('GET /health HTTP/1.1\r\nHost: deskline\r\n\r\n');
      await eventually(() => received.endsWith('{"status":"ok"}'), 'the next answer on the same connection');
      expect(received).toMatch(/^HTTP\/1\.1 200 /);
    } finally {
      socket.destroy();
    }
  });

  it('answers a body well past the limit (still sending when the answer is ready) with the same 413', async () => {
    // Loopback buffers swallow a body just over the limit whole; a larger one is still being written when the server
    // decides, which is when closing early left fetch with a reset connection instead of the 413.
    const response = await post(ticketOfSize(6 * MiB, 'far too large'));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { limitBytes: number }).limitBytes).toBe(MiB);
  });

  it('answers a chunked body (no Content-Length) that grows past the limit with the same 413', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"subject":"chunked",'));
        if (sent > MiB + 64 * 1024) {
          controller.enqueue(new TextEncoder().encode('"x":1}'));
          controller.close();
          return;
        }
        controller.enqueue(chunk);
        sent += chunk.length;
      },
    });
    const response = await post(stream);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { limitBytes: number }).limitBytes).toBe(MiB);
  });

  it('answers curl with the same 413 problem', async () => {
    const curl = spawnSync('curl', ['--version']);
    if (curl.status !== 0) return void console.warn('curl is not installed; the fetch cases above cover the client side');
    const directory = mkdtempSync(join(tmpdir(), 'deskline-body-'));
    try {
      writeFileSync(join(directory, 'body.json'), ticketOfSize(MiB + 1, 'curl'));
      // Asynchronously: the server under test runs in this very process.
      const result = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
        execFile('curl', ['-sS', '-o', '-', '-w', '\n%{http_code}', '-H', 'Content-Type: application/json', '-H', `Authorization: Bearer ${t.main.key}`, '--data-binary', `@${join(directory, 'body.json')}`, `${url}/v1/tickets`], { encoding: 'utf8' }, (_error, stdout, stderr) =>
          resolve({ stdout, stderr }),
        ),
      );
      expect(result.stderr).toBe('');
      const [body, status] = [result.stdout.slice(0, result.stdout.lastIndexOf('\n')), result.stdout.slice(result.stdout.lastIndexOf('\n') + 1)];
      expect(status).toBe('413');
      expect(JSON.parse(body)).toMatchObject({ status: 413, limitBytes: MiB });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('keeps the larger limit of the raw email endpoint', async () => {
    const raw = Buffer.from(`From: Big Sender <big@example.net>\r\nTo: support@acme.test\r\nSubject: A large email\r\nMessage-ID: <big-1@example.net>\r\n\r\n${'x'.repeat(76)}\r\n`.padEnd(2 * MiB, 'y'));
    const response = await fetch(`${url}/v1/channels/email/inbound`, { method: 'POST', headers: { 'content-type': 'message/rfc822', ...t.auth(t.main.key) }, body: raw });
    expect(response.status).not.toBe(413);
    expect(response.status).toBeLessThan(300);
  });

  describe('configured limits', () => {
    let small: TestApp;
    let smallUrl: string;

    beforeAll(async () => {
      small = await startTestApp({ BODY_LIMIT_BYTES: '2048', MAIL_MAX_EMAIL_BYTES: String(64 * 1024), OVERSIZED_BODY_DRAIN_BYTES: '1024' });
      smallUrl = baseUrl(small);
    });
    afterAll(() => small.close());

    it('holds BODY_LIMIT_BYTES at its edge', async () => {
      const send = (size: number) =>
        fetch(`${smallUrl}/v1/tickets`, { method: 'POST', headers: { 'content-type': 'application/json', ...small.auth(small.main.key) }, body: ticketOfSize(size, `size ${size}`) });
      expect((await send(2048)).status).toBe(201);
      const refused = await send(2049);
      expect(refused.status).toBe(413);
      expect(((await refused.json()) as { limitBytes: number }).limitBytes).toBe(2048);
    });

    it('reads no more than OVERSIZED_BODY_DRAIN_BYTES past the limit: beyond, it answers at once and closes', async () => {
      const answerTo = async (declared: number) => {
        const socket = connect((small.app.getHttpServer().address() as AddressInfo).port, '127.0.0.1');
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString()));
        const closed = new Promise((resolve) => socket.once('close', resolve));
        socket.write(`POST /v1/tickets HTTP/1.1\r\nHost: deskline\r\nAuthorization: Bearer ${small.main.key}\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`);
        await new Promise((resolve) => setTimeout(resolve, 300));
        const before = received;
        socket.end();
        await closed;
        return before;
      };
      // 2048 + 1024 bytes would still be read to the end, so nothing is answered while they are not sent...
      expect(await answerTo(2048 + 1024)).toBe('');
      // ...one byte more is refused before a byte of it is read, on a connection the server then closes.
      const refused = await answerTo(2048 + 1024 + 1);
      expect(refused).toMatch(/^HTTP\/1\.1 413 /);
      expect(refused).toMatch(/\r\nconnection: close\r\n/i);
    });

    it('holds MAIL_MAX_EMAIL_BYTES for raw email, naming it', async () => {
      const response = await fetch(`${smallUrl}/v1/channels/email/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822', ...small.auth(small.main.key) },
        body: Buffer.alloc(64 * 1024 + 1, 'a'),
      });
      expect(response.status).toBe(413);
      const problem = (await response.json()) as { limitBytes: number; detail: string };
      expect(problem.limitBytes).toBe(64 * 1024);
      expect(problem.detail).toContain('MAIL_MAX_EMAIL_BYTES');
    });

    it('refuses invalid limits at boot, naming the variable', () => {
      const dataDir = process.env.DESKLINE_TEST_DATA_DIR;
      expect(() => loadConfig({ DATA_DIR: dataDir, BODY_LIMIT_BYTES: '1mb' })).toThrow(/BODY_LIMIT_BYTES/);
      expect(() => loadConfig({ DATA_DIR: dataDir, BODY_LIMIT_BYTES: '1023' })).toThrow(/BODY_LIMIT_BYTES/);
      expect(() => loadConfig({ DATA_DIR: dataDir, OVERSIZED_BODY_DRAIN_BYTES: '-1' })).toThrow(/OVERSIZED_BODY_DRAIN_BYTES/);
      expect(loadConfig({ DATA_DIR: dataDir }).http.bodyLimitBytes).toBe(MiB);
    });
  });
});
