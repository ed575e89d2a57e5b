/** Every domain event the API emits. Webhook consumers receive these names in the envelope's `type`. */
export const EVENT_TYPES = [
  'ticket.created',
  'ticket.updated',
  'ticket.status_changed',
  'ticket.assigned',
  'ticket.message_created',
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'team.created',
  'team.updated',
  'team.deleted',
  'agent.created',
  'agent.updated',
  'webhook.ping',
  'webhook.disabled',
  'ticket.satisfaction_rated',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export type SubjectType = 'ticket' | 'contact' | 'team' | 'agent' | 'webhook';

/** The versioned envelope delivered to consumers: `{id, type, createdAt, workspaceId, data}`. */
export interface EventEnvelope<TData = Record<string, unknown>> {
  id: string;
  type: EventType;
  version: 1;
  createdAt: string;
  workspaceId: string;
  data: TData;
}
