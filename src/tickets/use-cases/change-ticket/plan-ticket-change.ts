import type { FieldChanges } from '../../../events/event-map';
import { TicketEntity } from '../../entities/ticket.entity';
import { diff } from '../../history/ticket-history';
import { statusAfterAssignment, statusAfterMessage } from '../../ticket-lifecycle';
import { mergeCustomFields, normaliseTags, TicketChangeSet } from '../../ticket-change-set';

export const UPDATABLE_FIELDS = ['subject', 'status', 'priority', 'type', 'tags', 'assigneeId', 'teamId', 'organizationId', 'customFields'] as const;

/** The assignee a change ends with: the agent the caller named, or the one the team's strategy picked. */
export interface ResolvedAssignee {
  agentId: string | null;
  /** Set when the team's strategy picked. */
  strategy?: string;
}

export interface PlannedMessage {
  sequence: number;
  body: string;
  visibility: 'public' | 'internal';
  attachments?: string[];
}

/** What a change would do to a ticket, computed before anything is written. */
export interface TicketChangePlan {
  before: TicketEntity;
  /** The row as the change leaves it (version and sequences are reserved by the write). */
  after: TicketEntity;
  changes: FieldChanges;
  messages: PlannedMessage[];
  strategy?: string;
  /** The grouped field events, in the order they are recorded, before the message events. */
  fieldEvents: Array<'ticket.updated' | 'ticket.status_changed' | 'ticket.assigned'>;
}

/**
 * The plan step: pure. The checks (check-ticket-change.ts) have passed and the assignee is resolved, so this only
 * derives the new row: field edits, the assignment's and messages' effect on the status, and the lifecycle timestamps.
 */
export function planTicketChange(before: TicketEntity, input: TicketChangeSet, assignee: ResolvedAssignee | undefined, now: Date): TicketChangePlan {
  const ticket = { ...before };
  const statusChanges = input.status !== undefined && input.status !== before.status;
  if (input.subject !== undefined) ticket.subject = input.subject;
  if (input.priority !== undefined) ticket.priority = input.priority;
  if (input.type !== undefined) ticket.type = input.type;
  if (input.tags !== undefined) ticket.tags = normaliseTags(input.tags);
  if (input.addTags?.length) ticket.tags = normaliseTags([...ticket.tags, ...input.addTags]);
  if (input.removeTags?.length) {
    const removed = new Set(normaliseTags(input.removeTags));
    ticket.tags = ticket.tags.filter((tag) => !removed.has(tag));
  }
  if (input.customFields !== undefined) ticket.customFields = mergeCustomFields(ticket.customFields, input.customFields);
  if (input.teamId !== undefined) ticket.teamId = input.teamId;
  if (input.organizationId !== undefined) ticket.organizationId = input.organizationId;
  if (assignee && assignee.agentId !== ticket.assigneeId) {
    ticket.assigneeId = assignee.agentId;
    ticket.status = statusAfterAssignment(ticket.status, ticket.assigneeId);
  }
  if (statusChanges) ticket.status = input.status!;

  const messages = (input.messages ?? []).map((message, index): PlannedMessage => {
    const effect = statusAfterMessage(ticket, 'helpdesk', message.visibility);
    if (!statusChanges) ticket.status = effect.status;
    if (effect.setFirstRespondedAt) ticket.firstRespondedAt = now;
    return { sequence: before.lastMessageSequence + index + 1, body: message.body, visibility: message.visibility, ...(message.attachments?.length ? { attachments: message.attachments } : {}) };
  });

  const changes = diff(before, ticket, [...UPDATABLE_FIELDS]);
  if (changes.status) {
    if (ticket.status === 'resolved') ticket.resolvedAt = now;
    else if (ticket.status !== 'closed') ticket.resolvedAt = null;
    if (ticket.status === 'closed') {
      ticket.closedAt = now;
      ticket.resolvedAt = ticket.resolvedAt ?? now;
    }
  }
  const fieldEvents: TicketChangePlan['fieldEvents'] = [];
  if (Object.keys(changes).length > 0) fieldEvents.push('ticket.updated');
  if (changes.status) fieldEvents.push('ticket.status_changed');
  if (changes.assigneeId) fieldEvents.push('ticket.assigned');
  return { before, after: ticket, changes, messages, fieldEvents, ...(assignee?.strategy ? { strategy: assignee.strategy } : {}) };
}

/** A change that alters no field and adds no message writes nothing, not even a new version. */
export function isEmpty(plan: TicketChangePlan): boolean {
  return plan.fieldEvents.length === 0 && plan.messages.length === 0;
}
