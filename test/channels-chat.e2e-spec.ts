import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';

describe('chat channels', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let agentId: string;
  let db: DataSource;

  const transcript = (overrides: Record<string, unknown> = {}) => ({
    transcriptId: 'tr-1',
    visitor: { email: 'vera@example.com', name: 'Vera Visitor', externalId: 'v-1' },
    startedAt: '2026-03-01T10:00:00.000Z',
    endedAt: '2026-03-01T10:05:00.000Z',
    // Deliberately out of order: the conversation follows sentAt.
    messages: [
      { author: 'agent', agentId, body: 'Let me check that for you.', sentAt: '2026-03-01T10:01:00.000Z' },
      { author: 'visitor', body: 'My invoice is wrong', sentAt: '2026-03-01T10:00:10.000Z' },
      { author: 'visitor', body: 'Thanks!', sentAt: '2026-03-01T10:04:00.000Z' },
    ],
    metadata: { page: '/billing' },
    ...overrides,
  });

  beforeAll(async () => {
    t = await startTestApp();
    admin = t.auth(t.main.key);
    db = t.app.get(DataSource);
    agentId = (await t.http.post('/v1/agents').set(admin).send({ name: 'Cam Chat', email: 'cam@example.com', role: 'agent' }).expect(201)).body.id;
  });
  afterAll(() => t?.close());

  it('imports a transcript as one chat ticket whose conversation keeps the original order, authors and times, once', async () => {
    const response = await t.http.post('/v1/channels/chat/transcripts').set(admin).send(transcript());
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ outcome: 'created', ticketId: expect.any(String) });
    const ticket = (await t.http.get(`/v1/tickets/${response.body.ticketId}`).set(admin)).body;
    expect(ticket).toMatchObject({ channel: 'chat', requester: { email: 'vera@example.com', name: 'Vera Visitor' } });
    const messages = (await t.http.get(`/v1/tickets/${ticket.id}/messages`).set(admin)).body.data;
    expect(messages.map((m: { body: string; author: { type: string }; createdAt: string }) => [m.body, m.author.type, m.createdAt])).toEqual([
      ['My invoice is wrong', 'contact', '2026-03-01T10:00:10.000Z'],
      ['Let me check that for you.', 'agent', '2026-03-01T10:01:00.000Z'],
      ['Thanks!', 'contact', '2026-03-01T10:04:00.000Z'],
    ]);
    expect(messages[1].author).toEqual({ type: 'agent', id: agentId, name: 'Cam Chat' });

    const again = await t.http.post('/v1/channels/chat/transcripts').set(admin).send(transcript());
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ outcome: 'duplicate', ticketId: ticket.id, messageId: response.body.messageId });
    const [{ count }] = await db.query(`SELECT count(*) FROM tickets WHERE channel = 'chat'`);
    expect(Number(count)).toBe(1);
  });

  it('validates transcripts, naming fields', async () => {
    const response = await t.http.post('/v1/channels/chat/transcripts').set(admin)
      .send(transcript({ transcriptId: 'tr-2', messages: [{ author: 'bot', body: '', sentAt: 'yesterday' }], visitor: { email: 'x' } }));
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['visitor.email', 'messages[0].author', 'messages[0].body', 'messages[0].sentAt']));
    const unknownAgent = await t.http.post('/v1/channels/chat/transcripts').set(admin)
      .send(transcript({ transcriptId: 'tr-3', messages: [{ author: 'visitor', body: 'hi', sentAt: '2026-03-01T10:00:00Z' }, { author: 'agent', agentId: '00000000-0000-4000-8000-000000000000', body: 'x', sentAt: '2026-03-01T10:01:00Z' }] }));
    expect(unknownAgent.status).toBe(422);
    expect(unknownAgent.body.errors[0].field).toBe('messages[1].agentId');
  });

  it('converts a team-chat message into a linked ticket once per platform and message id', async () => {
    const body = {
      chatMessage: { platform: 'slack', channelId: 'C1', threadId: 'T1', messageId: 'M1', author: { externalId: 'U1', name: 'Sam', email: 'sam@example.com' }, text: 'VPN is down for everyone', permalink: 'https://chat.example/C1/M1' },
      subject: 'VPN outage',
    };
    const first = await t.http.post('/v1/channels/chat-messages/convert').set(admin).send(body);
    expect(first.status).toBe(201);
    const ticket = (await t.http.get(`/v1/tickets/${first.body.ticketId}`).set(admin)).body;
    expect(ticket).toMatchObject({ subject: 'VPN outage', channel: 'chat_message', requester: { email: 'sam@example.com' } });
    expect((await t.http.get(`/v1/tickets/${ticket.id}/messages`).set(admin)).body.data[0].body).toContain('https://chat.example/C1/M1');
    const again = await t.http.post('/v1/channels/chat-messages/convert').set(admin).send(body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ outcome: 'duplicate', ticketId: ticket.id, messageId: first.body.messageId });
    // Another workspace converting the same chat message gets its own ticket.
    const other = await t.newWorkspace();
    const theirs = await t.http.post('/v1/channels/chat-messages/convert').set(t.auth(other.key)).send(body);
    expect(theirs.status).toBe(201);
    expect(theirs.body.ticketId).not.toBe(ticket.id);
  });

  it('escalates a ticket to a chat channel as an event, and records the thread’s messages as internal notes once', async () => {
    const ticket = (await t.http.post('/v1/tickets').set(admin).send({ subject: 'Server down', message: { body: 'Help' }, requester: { email: 'ops@example.com' } }).expect(201)).body;
    const escalation = await t.http.post(`/v1/tickets/${ticket.id}/escalations`).set(admin).send({ platform: 'slack', channelId: 'C-ops' });
    expect(escalation.status).toBe(201);
    expect(escalation.body).toMatchObject({ ticketId: ticket.id, platform: 'slack', channelId: 'C-ops', threadId: null });
    const [event] = await db.query(`SELECT payload FROM outbox_events WHERE type = 'ticket.escalated' AND subject_id = $1`, [ticket.id]);
    expect(event.payload.data).toMatchObject({ ticket: { id: ticket.id }, escalation: { id: escalation.body.id, channelId: 'C-ops' } });

    const other = await t.newWorkspace();
    await t.http.patch(`/v1/tickets/${ticket.id}/escalations/${escalation.body.id}`).set(t.auth(other.key)).send({ threadId: 'TH-1' }).expect(404);
    await t.http.post(`/v1/tickets/${ticket.id}/escalations`).set(t.auth(other.key)).send({ platform: 'slack', channelId: 'C-ops' }).expect(404);
    const threaded = await t.http.patch(`/v1/tickets/${ticket.id}/escalations/${escalation.body.id}`).set(admin).send({ threadId: 'TH-1' }).expect(200);
    expect(threaded.body.threadId).toBe('TH-1');

    const post = { platform: 'slack', channelId: 'C-ops', threadId: 'TH-1', messageId: 'R1', author: { name: 'Olly Ops' }, text: 'Rebooted the box' };
    const note = await t.http.post('/v1/channels/chat-messages/inbound').set(admin).send(post);
    expect(note.status).toBe(201);
    expect((await t.http.post('/v1/channels/chat-messages/inbound').set(admin).send(post)).status).toBe(200);
    const messages = (await t.http.get(`/v1/tickets/${ticket.id}/messages`).set(admin)).body.data;
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatchObject({ body: 'Rebooted the box', visibility: 'internal', author: { type: 'system', name: 'Olly Ops via slack' } });
    const unknownThread = await t.http.post('/v1/channels/chat-messages/inbound').set(admin).send({ ...post, threadId: 'nope', messageId: 'R2' });
    expect(unknownThread.status).toBe(404);
  });
});
