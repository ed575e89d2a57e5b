/** Every domain event the API emits. Webhook consumers receive these names in the envelope's `type`. */
export const EVENT_TYPES = [
  'ticket.created',
  'ticket.updated',
  'ticket.status_changed',
  'ticket.assigned',
  'ticket.message_created',
  'ticket.escalated',
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
  'sla.warning',
  'sla.breached',
  'business_hours.created',
  'business_hours.updated',
  'business_hours.deleted',
  'sla_policy.created',
  'sla_policy.updated',
  'sla_policy.deleted',
  'macro.created',
  'macro.updated',
  'macro.deleted',
  'automation_rule.created',
  'automation_rule.updated',
  'automation_rule.deleted',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export type SubjectType = 'ticket' | 'contact' | 'team' | 'agent' | 'webhook' | 'business_hours' | 'sla_policy' | 'macro' | 'automation_rule';

/** The versioned envelope delivered to consumers: `{id, type, createdAt, workspaceId, data}`. */
export interface EventEnvelope<TData = Record<string, unknown>> {
  id: string;
  type: EventType;
  version: 1;
  createdAt: string;
  workspaceId: string;
  data: TData;
}
