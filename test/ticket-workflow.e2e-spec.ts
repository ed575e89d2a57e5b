import { DataSource } from 'typeorm';
import { Principal, systemPrincipal } from '../src/auth/principal';
import { TransactionRunner } from '../src/database/transaction-runner';
import { TicketsService } from '../src/tickets/tickets.service';
import { AddMessage } from '../src/tickets/use-cases/add-message/add-message';
import { ChangeTicket } from '../src/tickets/use-cases/change-ticket/change-ticket';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The ticket-change workflow called as a service, through the app's own dependency injection on the real database:
 * what the use cases refuse, and that a change's writes and records land in one transaction or not at all.
 */
describe('ticket-change workflow (service level)', () => {
  let t: TestApp;
  let principal: Principal;
  let tickets: TicketsService;
  let changeTicket: ChangeTicket;
  let addMessage: AddMessage;
  let transactions: TransactionRunner;
  let db: DataSource;

  /** Everything a change writes about a ticket: its row's version, messages, history and outbox events. */
  async function footprint(ticketId: string) {
    const [row] = await db.query(
      `SELECT t.version, t.status, t.subject, t.last_message_sequence, t.last_event_sequence,
              (SELECT count(*)::int FROM ticket_messages m WHERE m.workspace_id = t.workspace_id AND m.ticket_id = t.id) AS messages,
              (SELECT count(*)::int FROM ticket_events e WHERE e.workspace_id = t.workspace_id AND e.ticket_id = t.id) AS events,
              (SELECT count(*)::int FROM outbox_events o WHERE o.workspace_id = t.workspace_id AND o.subject_id = t.id) AS outbox
         FROM tickets t WHERE t.workspace_id = $1 AND t.id = $2`,
      [principal.workspaceId, ticketId],
    );
    return row as { version: number; status: string; subject: string; last_message_sequence: number; last_event_sequence: number; messages: number; events: number; outbox: number };
  }

  const newTicket = (subject = 'Printer on fire') =>
    tickets.create(principal, { subject, message: { body: 'It is smoking' }, requester: { email: 'pat@example.com', name: 'Pat' } });

  beforeAll(async () => {
    t = await startTestApp();
    principal = systemPrincipal(t.main.id);
    tickets = t.app.get(TicketsService);
    changeTicket = t.app.get(ChangeTicket);
    addMessage = t.app.get(AddMessage);
    transactions = t.app.get(TransactionRunner);
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  describe('check', () => {
    it('refuses a move the lifecycle forbids, naming the allowed ones, and writes nothing', async () => {
      const ticket = await newTicket();
      await transactions.run((manager) => changeTicket.execute(manager, principal, ticket.id, { status: 'resolved' }, { reason: 'manual' }));
      const before = await footprint(ticket.id);
      const refused = transactions.run((manager) => changeTicket.execute(manager, principal, ticket.id, { status: 'pending', subject: 'Changed' }, { reason: 'manual' }));
      await expect(refused).rejects.toMatchObject({ code: 'invalid_transition', status: 409, allowed: ['open', 'closed'] });
      expect(await footprint(ticket.id)).toEqual(before);
    });

    it('refuses a stale version (If-Match) before any write', async () => {
      const ticket = await newTicket();
      await tickets.update(principal, ticket.id, { priority: 'high' });
      const before = await footprint(ticket.id);
      expect(before.version).toBe(2);
      const stale = tickets.update(principal, ticket.id, { subject: 'Too late' }, { raw: '"1"', version: 1 });
      await expect(stale).rejects.toMatchObject({ code: 'precondition_failed', status: 412 });
      expect(await footprint(ticket.id)).toEqual(before);
      await expect(tickets.update(principal, ticket.id, { subject: 'In time' }, { raw: '"2"', version: 2 })).resolves.toMatchObject({ subject: 'In time', version: 3 });
    });

    it('refuses changes to a closed ticket and references to another workspace', async () => {
      const ticket = await newTicket();
      await tickets.update(principal, ticket.id, { status: 'closed' });
      await expect(tickets.update(principal, ticket.id, { subject: 'Reopen?' })).rejects.toMatchObject({ code: 'ticket_closed' });
      const other = await t.newWorkspace();
      const outsider = systemPrincipal(other.id);
      const open = await newTicket();
      await expect(tickets.update(outsider, open.id, { subject: 'Not mine' })).rejects.toMatchObject({ code: 'not_found' });
      await expect(tickets.update(principal, open.id, { assigneeId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: 'validation_failed' });
    });

    it('writes nothing, not even a version, for a change that changes nothing', async () => {
      const ticket = await newTicket();
      const before = await footprint(ticket.id);
      await tickets.update(principal, ticket.id, { subject: ticket.subject, tags: [] });
      expect(await footprint(ticket.id)).toEqual(before);
    });
  });

  describe('write and record', () => {
    it('writes the row, messages, history and outbox events at consecutive sequences', async () => {
      const ticket = await newTicket();
      const before = await footprint(ticket.id);
      const changed = await transactions.run((manager) =>
        changeTicket.execute(manager, principal, ticket.id, { subject: 'Printer replaced', status: 'pending', messages: [{ body: 'New one ordered', visibility: 'public' }] }, { reason: 'macro', data: { macro: { id: 'm1', name: 'Replace' } } }),
      );
      expect(changed).toMatchObject({ subject: 'Printer replaced', status: 'pending', version: before.version + 1, messagesCount: 2 });
      const events = await db.query(
        'SELECT sequence, type, data FROM ticket_events WHERE workspace_id = $1 AND ticket_id = $2 AND sequence > $3 ORDER BY sequence',
        [principal.workspaceId, ticket.id, before.last_event_sequence],
      );
      expect(events.map((event: { type: string }) => event.type)).toEqual(['ticket.updated', 'ticket.status_changed', 'ticket.message_created']);
      expect(events.map((event: { sequence: number }) => event.sequence)).toEqual([1, 2, 3].map((n) => before.last_event_sequence + n));
      expect(events[0].data).toEqual({ macro: { id: 'm1', name: 'Replace' } });
      const outbox = await db.query(
        'SELECT sequence, type, payload FROM outbox_events WHERE workspace_id = $1 AND subject_id = $2 AND sequence > $3 ORDER BY sequence',
        [principal.workspaceId, ticket.id, before.last_event_sequence],
      );
      expect(outbox.map((row: { type: string }) => row.type)).toEqual(['ticket.updated', 'ticket.status_changed', 'ticket.message_created']);
      expect(outbox[0].payload.data).toMatchObject({ ticket: { id: ticket.id, version: before.version + 1 }, changes: { subject: { before: 'Printer on fire', after: 'Printer replaced' } }, sequence: before.last_event_sequence + 1, macro: { id: 'm1', name: 'Replace' } });
      expect(outbox[2].payload.data.message).toMatchObject({ body: 'New one ordered', sequence: 2, visibility: 'public' });
      expect(await footprint(ticket.id)).toMatchObject({ messages: 2, last_message_sequence: 2, last_event_sequence: before.last_event_sequence + 3, events: before.events + 3, outbox: before.outbox + 3 });
    });

    it('leaves nothing behind when the surrounding transaction rolls back', async () => {
      const ticket = await newTicket();
      const before = await footprint(ticket.id);
      const failure = new Error('the caller fails after the change');
      let seenInside: Awaited<ReturnType<typeof footprint>> | null = null;
      const run = transactions.run(async (manager) => {
        await changeTicket.execute(manager, principal, ticket.id, { subject: 'Gone', priority: 'urgent', messages: [{ body: 'note', visibility: 'internal' }] }, { reason: 'manual' });
        [seenInside] = await manager.query(
          `SELECT t.version, (SELECT count(*)::int FROM outbox_events o WHERE o.workspace_id = t.workspace_id AND o.subject_id = t.id) AS outbox
             FROM tickets t WHERE t.workspace_id = $1 AND t.id = $2`,
          [principal.workspaceId, ticket.id],
        );
        throw failure;
      });
      await expect(run).rejects.toBe(failure);
      // Inside the transaction the change had written its row and its outbox events...
      expect(seenInside).toEqual({ version: before.version + 1, outbox: before.outbox + 2 });
      // ...and the rollback took all of it back: row, message, history and outbox.
      expect(await footprint(ticket.id)).toEqual(before);
    });

    it('rolls a failed nested run back to its savepoint, and the surrounding transaction commits the rest', async () => {
      const ticket = await newTicket();
      const before = await footprint(ticket.id);
      await transactions.run(async (manager) => {
        const nested = transactions.run(async (inner) => {
          await changeTicket.execute(inner, principal, ticket.id, { subject: 'Undone' }, { reason: 'manual' });
          throw new Error('the nested work fails');
        });
        await expect(nested).rejects.toThrow('the nested work fails');
        await changeTicket.execute(manager, principal, ticket.id, { priority: 'high' }, { reason: 'manual' });
      });
      const after = await footprint(ticket.id);
      expect(after).toMatchObject({ subject: 'Printer on fire', version: before.version + 1, events: before.events + 1, outbox: before.outbox + 1 });
      const [row] = await db.query('SELECT priority FROM tickets WHERE workspace_id = $1 AND id = $2', [principal.workspaceId, ticket.id]);
      expect(row.priority).toBe('high');
    });

    it('adds a requester message that reopens a resolved ticket, recording both events, or nothing on rollback', async () => {
      const ticket = await newTicket();
      await tickets.update(principal, ticket.id, { status: 'resolved' });
      const before = await footprint(ticket.id);

      const failure = new Error('rolled back');
      await expect(transactions.run(async () => {
        await addMessage.execute(principal, ticket.id, { body: 'Still smoking', authorContactId: ticket.requester.id });
        throw failure;
      })).rejects.toBe(failure);
      expect(await footprint(ticket.id)).toEqual(before);

      const added = await addMessage.execute(principal, ticket.id, { body: 'Still smoking', authorContactId: ticket.requester.id });
      expect(added).toMatchObject({ followUpTicketId: null, message: { body: 'Still smoking', author: { type: 'contact' } } });
      const after = await footprint(ticket.id);
      expect(after).toMatchObject({ status: 'open', version: before.version + 1, messages: before.messages + 1, events: before.events + 2, outbox: before.outbox + 2 });
      const types = await db.query('SELECT type FROM outbox_events WHERE workspace_id = $1 AND subject_id = $2 AND sequence > $3 ORDER BY sequence', [principal.workspaceId, ticket.id, before.last_event_sequence]);
      expect(types.map((row: { type: string }) => row.type)).toEqual(['ticket.message_created', 'ticket.status_changed']);
    });

    it('refuses a message on behalf of the requester from a non-admin caller, and a requester\'s internal note', async () => {
      const ticket = await newTicket();
      const agent: Principal = { ...principal, role: 'agent' };
      await expect(addMessage.execute(agent, ticket.id, { body: 'hi', authorContactId: ticket.requester.id })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(addMessage.execute(principal, ticket.id, { body: 'hi', authorContactId: ticket.requester.id, visibility: 'internal' })).rejects.toMatchObject({ code: 'validation_failed' });
    });
  });
});
