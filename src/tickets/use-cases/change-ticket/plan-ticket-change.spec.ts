import { TicketEntity } from '../../entities/ticket.entity';
import { checkTicketChange } from './check-ticket-change';
import { isEmpty, planTicketChange } from './plan-ticket-change';

const NOW = new Date('2026-12-04T12:00:00Z');

function ticket(overrides: Partial<TicketEntity> = {}): TicketEntity {
  return {
    workspaceId: 'w', id: 't', number: '7', subject: 'Printer on fire', status: 'open', priority: 'normal', priorityRank: 2, type: null,
    tags: ['hardware'], channel: 'api', requesterId: 'r', assigneeId: null, teamId: null, organizationId: null, followUpOfId: null, mergedIntoId: null, customFields: { floor: 3 },
    createdAt: NOW, updatedAt: NOW, firstRespondedAt: null, resolvedAt: null, closedAt: null, version: 4, lastMessageSequence: 2,
    lastEventSequence: 5, slaNextDueAt: NOW, ...overrides,
  };
}

describe('planTicketChange', () => {
  it('plans nothing for a change that changes nothing', () => {
    const plan = planTicketChange(ticket(), { subject: 'Printer on fire', tags: ['Hardware'] }, undefined, NOW);
    expect(isEmpty(plan)).toBe(true);
  });

  it('groups field edits into ticket.updated, a status move into status_changed, and stamps the resolution', () => {
    const plan = planTicketChange(ticket(), { subject: 'Printer fixed', status: 'resolved', addTags: ['Done'], customFields: { floor: null } }, undefined, NOW);
    expect(plan.fieldEvents).toEqual(['ticket.updated', 'ticket.status_changed']);
    expect(plan.changes).toEqual({
      subject: { before: 'Printer on fire', after: 'Printer fixed' },
      status: { before: 'open', after: 'resolved' },
      tags: { before: ['hardware'], after: ['hardware', 'done'] },
      customFields: { before: { floor: 3 }, after: {} },
    });
    expect(plan.after.resolvedAt).toEqual(NOW);
    expect(plan.before.status).toBe('open');
  });

  it('lets an assignment open a new ticket, and an explicit status win over it', () => {
    expect(planTicketChange(ticket({ status: 'new' }), {}, { agentId: 'a' }, NOW).after.status).toBe('open');
    const plan = planTicketChange(ticket({ status: 'new' }), { status: 'pending' }, { agentId: 'a', strategy: 'round_robin' }, NOW);
    expect(plan.after.status).toBe('pending');
    expect(plan.fieldEvents).toEqual(['ticket.updated', 'ticket.status_changed', 'ticket.assigned']);
    expect(plan.strategy).toBe('round_robin');
  });

  it('reserves message sequences after the last one and lets a public reply record the first response', () => {
    const plan = planTicketChange(ticket({ status: 'new' }), { messages: [{ body: 'On it', visibility: 'public' }, { body: 'note', visibility: 'internal' }] }, undefined, NOW);
    expect(plan.messages.map((message) => message.sequence)).toEqual([3, 4]);
    expect(plan.after.firstRespondedAt).toEqual(NOW);
    expect(isEmpty(plan)).toBe(false);
  });
});

describe('checkTicketChange', () => {
  it('refuses a missing ticket, a stale version, a closed ticket and a move the lifecycle forbids', () => {
    expect(() => checkTicketChange(null, 't', {})).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => checkTicketChange(ticket(), 't', {}, { raw: '"3"', version: 3 })).toThrow(expect.objectContaining({ code: 'precondition_failed' }));
    expect(() => checkTicketChange(ticket({ status: 'closed' }), 't', { subject: 'x' })).toThrow(expect.objectContaining({ code: 'ticket_closed' }));
    expect(() => checkTicketChange(ticket({ status: 'resolved' }), 't', { status: 'pending' })).toThrow(expect.objectContaining({ code: 'invalid_transition' }));
    expect(() => checkTicketChange(ticket(), 't', { status: 'open' }, { raw: '"4"', version: 4 })).not.toThrow();
  });
});
