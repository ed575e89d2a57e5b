import { DeliveredData, EventPayloads, EventType } from './event-map';

export type { EventType };

/** Every domain event the API emits. Webhook consumers receive these names in the envelope's `type`. */
export const EVENT_TYPES = [
  'ticket.created',
  'ticket.updated',
  'ticket.status_changed',
  'ticket.assigned',
  'ticket.message_created',
  'ticket.merged',
  'ticket.escalated',
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'team.created',
  'team.updated',
  'team.deleted',
  'organization.created',
  'organization.updated',
  'organization.deleted',
  'custom_field.created',
  'custom_field.updated',
  'custom_field.deleted',
  'custom_field.settings_updated',
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
  'view.created',
  'view.updated',
  'view.deleted',
] as const satisfies readonly EventType[];

// The list and the typed map (event-map.ts) name the same events: one missing from either side does not compile.
type Unlisted = Exclude<EventType, (typeof EVENT_TYPES)[number]>;
const everyEventListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyEventListed;

export type SubjectType = 'ticket' | 'contact' | 'team' | 'agent' | 'webhook' | 'business_hours' | 'sla_policy' | 'macro' | 'automation_rule' | 'view' | 'organization' | 'custom_field';

/** The versioned envelope delivered to consumers: `{id, type, createdAt, workspaceId, data}`. */
export interface EventEnvelope<K extends EventType = EventType> {
  id: string;
  type: K;
  version: 1;
  createdAt: string;
  workspaceId: string;
  data: DeliveredData<K>;
}

/** Any event as stored in the outbox and read by webhooks and the realtime feed: narrowing on `type` types `data`. */
export type AnyEventEnvelope = { [K in EventType]: EventEnvelope<K> }[EventType];

export type { EventPayloads };
