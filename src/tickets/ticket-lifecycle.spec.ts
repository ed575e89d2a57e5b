import { allowedNextStatuses, canTransition, statusAfterAssignment, statusAfterMessage, TICKET_STATUSES } from './ticket-lifecycle';

describe('ticket lifecycle', () => {
  it('never allows a return to new', () => {
    for (const from of TICKET_STATUSES.filter((s) => s !== 'new')) expect(canTransition(from, 'new')).toBe(false);
  });

  it('treats closed as final', () => {
    expect(allowedNextStatuses('closed')).toEqual([]);
    for (const to of TICKET_STATUSES.filter((s) => s !== 'closed')) expect(canTransition('closed', to)).toBe(false);
  });

  it('lets a resolved ticket reopen or close, nothing else', () => {
    expect(allowedNextStatuses('resolved')).toEqual(['open', 'closed']);
  });

  it('opens a new ticket on the first public helpdesk reply and records the first response', () => {
    expect(statusAfterMessage({ status: 'new', firstRespondedAt: null }, 'helpdesk', 'public')).toEqual({ status: 'open', setFirstRespondedAt: true });
    expect(statusAfterMessage({ status: 'pending', firstRespondedAt: new Date() }, 'helpdesk', 'public')).toEqual({ status: 'pending', setFirstRespondedAt: false });
  });

  it('leaves everything alone for internal notes', () => {
    expect(statusAfterMessage({ status: 'new', firstRespondedAt: null }, 'helpdesk', 'internal')).toEqual({ status: 'new', setFirstRespondedAt: false });
  });

  it('reopens pending and resolved tickets when the requester writes, but not new or on-hold ones', () => {
    expect(statusAfterMessage({ status: 'pending', firstRespondedAt: null }, 'requester', 'public').status).toBe('open');
    expect(statusAfterMessage({ status: 'resolved', firstRespondedAt: null }, 'requester', 'public').status).toBe('open');
    expect(statusAfterMessage({ status: 'new', firstRespondedAt: null }, 'requester', 'public').status).toBe('new');
    expect(statusAfterMessage({ status: 'on_hold', firstRespondedAt: null }, 'requester', 'public').status).toBe('on_hold');
  });

  it('opens a new ticket when it gets an owner', () => {
    expect(statusAfterAssignment('new', 'agent-1')).toBe('open');
    expect(statusAfterAssignment('new', null)).toBe('new');
    expect(statusAfterAssignment('pending', 'agent-1')).toBe('pending');
  });
});
