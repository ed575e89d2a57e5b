import { TicketView } from '../tickets/dto/ticket.dto';
import { TicketChange } from '../tickets/history/ticket-history';
import { RuleEvent } from './dto/automation-rule.dto';
import { ConditionSubject } from './rule-conditions';

/** The one event a change triggers rules for: a creation is not also a message, a message is not also an update. */
export function triggerOf(changes: TicketChange[]): RuleEvent | null {
  const types = new Set(changes.map((change) => change.type));
  if (types.has('ticket.created')) return 'ticket.created';
  if (types.has('ticket.message_created')) return 'ticket.message_created';
  if (types.has('ticket.updated') || types.has('ticket.status_changed') || types.has('ticket.assigned')) return 'ticket.updated';
  return null;
}

export function subjectOf(
  ticket: TicketView, body: string, changed: ConditionSubject['changed'], openCalendars: ConditionSubject['openCalendars'],
): ConditionSubject {
  return {
    status: ticket.status, priority: ticket.priority, type: ticket.type, tags: ticket.tags, subject: ticket.subject, body,
    channel: ticket.channel, requesterEmail: ticket.requester.email, assigneeId: ticket.assignee?.id ?? null, teamId: ticket.team?.id ?? null, organizationId: ticket.organizationId ?? null, changed,
    openCalendars,
  };
}

/** The field changes and the newest message a change brought, for conditions such as "changed to" and "body contains". */
export function changeFacts(changes: TicketChange[]): { body: string; changed: ConditionSubject['changed'] } {
  const changed: ConditionSubject['changed'] = {};
  let body = '';
  for (const change of changes) {
    Object.assign(changed, change.changes ?? {});
    const message = change.data?.message as { body?: string } | undefined;
    if (change.type === 'ticket.message_created' && message?.body) body = message.body;
  }
  return { body, changed };
}
