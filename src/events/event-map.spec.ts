import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { TicketChange } from '../tickets/history/ticket-history';
import { EVENT_TYPES } from './event-catalogue';
import { Outbox } from './outbox';

// `npm run typecheck` compiles this file: each @ts-expect-error fails the build if the wrong payload were accepted.
function recordsOnlyTypedPayloads(outbox: Outbox, manager: EntityManager, principal: Principal, contact: never): void {
  void outbox.record(manager, principal, [{ type: 'contact.created', subjectType: 'contact', subjectId: 'c', data: { contact } }]);
  // @ts-expect-error contact.updated needs `changes` too
  void outbox.record(manager, principal, [{ type: 'contact.updated', subjectType: 'contact', subjectId: 'c', data: { contact } }]);
  // @ts-expect-error a team event does not carry a contact
  void outbox.record(manager, principal, [{ type: 'team.created', subjectType: 'team', subjectId: 't', data: { contact } }]);
  // @ts-expect-error not an event of the catalogue
  void outbox.record(manager, principal, [{ type: 'ticket.deleted', subjectType: 'ticket', subjectId: 't', data: {} }]);
}

function historyChangesAreTyped(message: never): TicketChange[] {
  return [
    { type: 'ticket.message_created', data: { message } },
    { type: 'ticket.updated', changes: { subject: { before: 'a', after: 'b' } } },
    // @ts-expect-error ticket.message_created needs its message
    { type: 'ticket.message_created', data: {} },
    // @ts-expect-error ticket.updated needs the changed fields
    { type: 'ticket.updated' },
    // @ts-expect-error the history records ticket events only
    { type: 'team.created', data: {} },
  ];
}

describe('event map', () => {
  it('lists every typed event once', () => {
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
    expect([recordsOnlyTypedPayloads, historyChangesAreTyped]).toHaveLength(2);
  });
});
