import { OpenAPIObject } from '@nestjs/swagger';
import { EVENT_TYPES, EventType } from '../events/event-catalogue';
import { EventPayloads, TicketHistoryEventType } from '../events/event-map';

type Schema = Record<string, unknown>;

const uuid: Schema = { type: 'string', format: 'uuid' };
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** Shared pieces of the payloads, added to components.schemas next to the API's own shapes. */
const WEBHOOK_COMPONENTS: Record<string, Schema> = {
  SlaEventMetric: {
    type: 'object',
    required: ['metric', 'cycle', 'dueAt'],
    properties: {
      metric: { type: 'string', enum: ['first_response', 'next_response', 'resolution'] },
      cycle: { type: 'integer', format: 'int32', minimum: 1, maximum: 2147483647, description: 'Next response starts a new cycle at each requester message after a reply.' },
      dueAt: { type: 'string', format: 'date-time' },
    },
  },
  EventActor: {
    type: 'object',
    required: ['type', 'id', 'name'],
    description: 'Who made the change. Work the system does on its own is done by the api_key actor named "system".',
    properties: { type: { type: 'string', enum: ['agent', 'api_key'] }, id: uuid, name: { type: 'string' } },
  },
  FieldChanges: {
    type: 'object',
    description: 'Each changed field with its value before and after the change.',
    additionalProperties: { type: 'object', required: ['before', 'after'], properties: { before: {}, after: {} } },
    example: { status: { before: 'open', after: 'pending' } },
  },
  WebhookEndpoint: {
    type: 'object',
    required: ['id', 'url', 'events', 'enabled', 'disabledReason'],
    properties: {
      id: uuid,
      url: { type: 'string', format: 'uri' },
      events: { type: 'array', items: { type: 'string', enum: ['*', ...EVENT_TYPES] } },
      description: { type: ['string', 'null'] },
      enabled: { type: 'boolean' },
      disabledReason: { type: ['string', 'null'], enum: ['manual', 'gone', 'failing', null] },
      disabledAt: { type: ['string', 'null'], format: 'date-time' },
      failingSince: { type: ['string', 'null'], format: 'date-time' },
    },
  },
};

const TICKET_OWNER: Schema = { type: ['object', 'null'], required: ['id', 'name'], properties: { id: uuid, name: { type: ['string', 'null'] } } };

const sequence: Schema = {
  type: 'integer',
  format: 'int32',
  minimum: 1,
  maximum: 2147483647,
  description: 'Position of this event in the ticket’s history: apply events of one ticket in this order, and ignore one you have already applied.',
};

interface Payload {
  summary: string;
  properties: Record<string, Schema>;
  required: string[];
}

/** The payload's fields as the event map (src/events/event-map.ts) types them, without the `actor` every event gets. */
type Documented<K extends EventType> = EventPayloads[K] & (K extends TicketHistoryEventType ? { sequence: number } : unknown);
type RequiredKeys<T> = { [P in keyof T]-?: object extends Pick<T, P> ? never : P }[keyof T] & string;

/**
 * The documentation of one payload, checked against the event map: every field it documents exists in the payload
 * type, every field the type requires is documented, and only those are listed as required.
 */
interface PayloadDoc<K extends EventType> {
  summary: string;
  properties: Record<RequiredKeys<Documented<K>>, Schema> & Partial<Record<keyof Documented<K> & string, Schema>>;
  required: Array<RequiredKeys<Documented<K>>>;
}

type TicketPayloadDoc<K extends TicketHistoryEventType> = {
  properties: Omit<PayloadDoc<K>['properties'], 'ticket' | 'sequence'>;
  required: Array<Exclude<RequiredKeys<Documented<K>>, 'ticket' | 'sequence'>>;
};

const ticketEvent = <K extends TicketHistoryEventType>(summary: string, properties: TicketPayloadDoc<K>['properties'], required: TicketPayloadDoc<K>['required']): PayloadDoc<K> => ({
  summary,
  properties: { ticket: { ...ref('TicketView'), description: 'The ticket after the change.' }, sequence, ...properties } as PayloadDoc<K>['properties'],
  required: ['ticket', 'sequence', ...required] as PayloadDoc<K>['required'],
});

/** `data` of every event type, checked against its payload type: an event added to the map without its documentation does not compile. */
const PAYLOADS: { [K in EventType]: PayloadDoc<K> } = {
  'sla.warning': ticketEvent('An SLA metric of the ticket comes due within SLA_WARNING_MINUTES; once per metric cycle.', { sla: ref('SlaEventMetric') }, ['sla']),
  'sla.breached': ticketEvent('An SLA metric of the ticket passed its due time; once per metric cycle.', { sla: ref('SlaEventMetric') }, ['sla']),
  'business_hours.created': { summary: 'A business-hours calendar was created.', properties: { businessHours: ref('BusinessHoursView') }, required: ['businessHours'] },
  'business_hours.updated': { summary: 'A business-hours calendar changed.', properties: { businessHours: ref('BusinessHoursView') }, required: ['businessHours'] },
  'business_hours.deleted': { summary: 'A business-hours calendar was deleted; its last state.', properties: { businessHours: ref('BusinessHoursView') }, required: ['businessHours'] },
  'sla_policy.created': { summary: 'An SLA policy was created.', properties: { slaPolicy: ref('SlaPolicyView') }, required: ['slaPolicy'] },
  'sla_policy.updated': { summary: 'An SLA policy changed.', properties: { slaPolicy: ref('SlaPolicyView') }, required: ['slaPolicy'] },
  'sla_policy.deleted': { summary: 'An SLA policy was deleted; its last state.', properties: { slaPolicy: ref('SlaPolicyView') }, required: ['slaPolicy'] },
  'ticket.satisfaction_rated': {
    summary: 'The requester rated a resolution of the ticket; once per resolution.',
    properties: { ticket: ref('TicketView'), rating: ref('SatisfactionRatingView') },
    required: ['ticket', 'rating'],
  },
  'ticket.created': ticketEvent('A ticket was created (its first message follows as ticket.message_created).', {
    followUpOfId: { ...uuid, description: 'Set when the ticket follows up a closed one.' },
  }, []),
  'ticket.updated': ticketEvent('Fields of a ticket changed.', { changes: ref('FieldChanges') }, ['changes']),
  'ticket.status_changed': ticketEvent('The status of a ticket changed, by an update or as the effect of a message.', {
    changes: { ...ref('FieldChanges'), description: 'Holds `status` with its value before and after.' },
    reason: { type: 'string', description: 'Why, when not an explicit update: `message` when a reply moved the status.' },
  }, ['changes']),
  'ticket.assigned': ticketEvent('The assignee of a ticket changed.', {
    changes: { ...ref('FieldChanges'), description: 'Holds `assigneeId` with its value before and after.' },
    reason: { type: 'string', description: 'How the assignee was chosen, e.g. `manual`.' },
    previousAssignee: { ...TICKET_OWNER, description: 'The agent who had the ticket, null when nobody had it.' },
    assignee: { ...TICKET_OWNER, description: 'The agent who has it now, null when unassigned.' },
    strategy: { type: 'string', enum: ['manual', 'round_robin', 'load_balanced'], description: 'Set when the team’s strategy picked the assignee.' },
    teamId: { type: ['string', 'null'], format: 'uuid', description: 'The team whose strategy picked, with `strategy`.' },
  }, ['changes', 'reason', 'previousAssignee', 'assignee']),
  'ticket.message_created': ticketEvent('A message was added to a ticket: public replies and internal notes alike (see message.visibility).', {
    message: ref('MessageView'),
  }, ['message']),
  'ticket.merged': ticketEvent('Tickets were merged into this one (POST /v1/tickets/{id}/merge): each source is closed with mergedIntoId, its messages copied here.', {
    sources: {
      type: 'array',
      items: { type: 'object', required: ['id', 'number'], properties: { id: uuid, number: { type: 'integer', format: 'int32', minimum: 1, maximum: 2147483647 } } },
      description: 'The merged tickets, in the order given.',
    },
    comment: { type: 'string', description: 'The comment given with the merge, when any.' },
  }, ['sources']),
  'ticket.escalated': {
    summary: 'A ticket was escalated to a team chat channel: open a thread there and report it with PATCH /v1/tickets/{id}/escalations/{escalationId}.',
    properties: {
      ticket: ref('TicketView'),
      escalation: {
        type: 'object',
        required: ['id', 'ticketId', 'platform', 'channelId', 'threadId'],
        properties: { id: uuid, ticketId: uuid, platform: { type: 'string' }, channelId: { type: 'string' }, threadId: { type: ['string', 'null'] } },
      },
    },
    required: ['ticket', 'escalation'],
  },
  'contact.created': { summary: 'A contact was created.', properties: { contact: ref('ContactView') }, required: ['contact'] },
  'contact.updated': { summary: 'Fields of a contact changed.', properties: { contact: ref('ContactView'), changes: ref('FieldChanges') }, required: ['contact', 'changes'] },
  'contact.deleted': { summary: 'A contact was deleted; `contact` is its last state.', properties: { contact: ref('ContactView') }, required: ['contact'] },
  'team.created': { summary: 'A team was created.', properties: { team: ref('TeamView') }, required: ['team'] },
  'team.updated': { summary: 'A team was renamed or its members changed.', properties: { team: ref('TeamView'), changes: ref('FieldChanges') }, required: ['team', 'changes'] },
  'team.deleted': { summary: 'A team was deleted; `team` is its last state.', properties: { team: ref('TeamView') }, required: ['team'] },
  'organization.created': { summary: 'An organization was created.', properties: { organization: ref('OrganizationView') }, required: ['organization'] },
  'organization.updated': {
    summary: 'Fields or domains of an organization changed (no contact moves with its domains).',
    properties: { organization: ref('OrganizationView'), changes: ref('FieldChanges') },
    required: ['organization', 'changes'],
  },
  'organization.deleted': {
    summary: 'An organization was deleted; `organization` is its last state, `detachedContacts` how many contacts left it with it.',
    properties: { organization: ref('OrganizationView'), detachedContacts: { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 } },
    required: ['organization', 'detachedContacts'],
  },
  'custom_field.created': { summary: 'A custom field was defined.', properties: { field: ref('CustomFieldView') }, required: ['field'] },
  'custom_field.updated': { summary: 'A custom field definition changed.', properties: { field: ref('CustomFieldView'), changes: ref('FieldChanges') }, required: ['field', 'changes'] },
  'custom_field.deleted': { summary: 'A custom field was deleted (its values are then removed from every record, each with its own history); `field` is its last state.', properties: { field: ref('CustomFieldView') }, required: ['field'] },
  'custom_field.settings_updated': {
    summary: 'The workspace turned strictCustomFields on or off.',
    properties: { settings: ref('CustomFieldSettingsView'), changes: ref('FieldChanges') },
    required: ['settings', 'changes'],
  },
  'agent.created': { summary: 'An agent was added.', properties: { agent: ref('AgentView') }, required: ['agent'] },
  'agent.updated': {
    summary: 'An agent changed.',
    properties: { agent: ref('AgentView'), previous: { ...ref('AgentView'), description: 'The agent before the change.' } },
    required: ['agent', 'previous'],
  },
  'macro.created': { summary: 'A macro was created.', properties: { macro: ref('MacroView') }, required: ['macro'] },
  'macro.updated': {
    summary: 'A macro changed.',
    properties: { macro: ref('MacroView'), previous: { ...ref('MacroView'), description: 'The macro before the change.' } },
    required: ['macro', 'previous'],
  },
  'macro.deleted': { summary: 'A macro was deleted; `macro` is its last state.', properties: { macro: ref('MacroView') }, required: ['macro'] },
  'automation_rule.created': { summary: 'An automation rule was created.', properties: { rule: ref('AutomationRuleView') }, required: ['rule'] },
  'automation_rule.updated': {
    summary: 'An automation rule changed.',
    properties: { rule: ref('AutomationRuleView'), previous: { ...ref('AutomationRuleView'), description: 'The rule before the change.' } },
    required: ['rule', 'previous'],
  },
  'automation_rule.deleted': { summary: 'An automation rule was deleted; `rule` is its last state.', properties: { rule: ref('AutomationRuleView') }, required: ['rule'] },
  'view.created': { summary: 'A saved view was created.', properties: { view: ref('ViewView') }, required: ['view'] },
  'view.updated': {
    summary: 'A saved view changed (also when a tag it filters on was renamed or removed).',
    properties: { view: ref('ViewView'), previous: { ...ref('ViewView'), description: 'The view before the change.' } },
    required: ['view', 'previous'],
  },
  'view.deleted': { summary: 'A saved view was deleted; `view` is its last state.', properties: { view: ref('ViewView') }, required: ['view'] },
  'webhook.ping': {
    summary: 'Sent on demand by POST /v1/webhooks/{id}/test, to that endpoint only; never retried.',
    properties: { webhook: { type: 'object', required: ['id', 'url'], properties: { id: uuid, url: { type: 'string', format: 'uri' } } } },
    required: ['webhook'],
  },
  'webhook.disabled': {
    summary: 'A webhook was disabled: its endpoint answered 410 Gone, or failed without a success for WEBHOOK_DISABLE_AFTER_DAYS. Sent to the other subscriptions.',
    properties: {
      webhook: ref('WebhookEndpoint'),
      reason: { type: 'string', enum: ['gone', 'failing'] },
      lastAttempt: {
        type: 'object',
        required: ['attemptedAt', 'statusCode', 'error'],
        properties: { attemptedAt: { type: 'string', format: 'date-time' }, statusCode: { type: ['integer', 'null'], format: 'int32', minimum: 100, maximum: 599 }, error: { type: ['string', 'null'] } },
      },
    },
    required: ['webhook', 'reason', 'lastAttempt'],
  },
};

const SIGNATURE_HEADERS = [
  { name: 'webhook-id', in: 'header', required: true, schema: uuid, description: 'The event id (the envelope `id`), the same on every retry: deduplicate on it.' },
  { name: 'webhook-timestamp', in: 'header', required: true, schema: { type: 'string', pattern: '^[0-9]+$' }, description: 'Unix seconds when this attempt was signed. Refuse messages more than 5 minutes old.' },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    schema: { type: 'string', pattern: '^v1,[A-Za-z0-9+/]+={0,2}( v1,[A-Za-z0-9+/]+={0,2})*$', example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' },
    description: 'Space-separated `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, per Standard Webhooks. Two signatures while a rotated-out secret still signs.',
  },
];

function envelope(type: EventType, payload: Payload): Schema {
  return {
    type: 'object',
    required: ['id', 'type', 'version', 'createdAt', 'workspaceId', 'data'],
    properties: {
      id: { ...uuid, description: 'Unique per event; equals the webhook-id header.' },
      type: { type: 'string', const: type },
      version: { type: 'integer', format: 'int32', const: 1, minimum: 1, maximum: 1, description: 'Envelope version; a breaking change to it would come with a new number.' },
      createdAt: { type: 'string', format: 'date-time', description: 'When the change happened.' },
      workspaceId: uuid,
      data: {
        type: 'object',
        required: [...payload.required, 'actor'],
        properties: { ...payload.properties, actor: ref('EventActor') },
      },
    },
  };
}

/** The 3.1 `webhooks` section: one entry per event type, each with its signed headers and its payload schema. */
export function addWebhookCatalogue(document: OpenAPIObject): OpenAPIObject {
  const webhooks: Record<string, unknown> = {};
  for (const type of EVENT_TYPES) {
    // The Record type makes a missing payload a compile error; at run time it must not stop the server booting.
    const payload: Payload = PAYLOADS[type] ?? { summary: 'Payload not yet documented.', properties: {}, required: [] };
    webhooks[type] = {
      post: {
        summary: `${type}: ${payload.summary}`,
        description: 'POSTed to every enabled webhook subscribed to this type (or to "*"), signed with its secret. See docs/webhooks.md.',
        operationId: `webhook_${type.replace(/[^a-z]/g, '_')}`,
        parameters: SIGNATURE_HEADERS,
        requestBody: { required: true, content: { 'application/json': { schema: envelope(type, payload) } } },
        responses: {
          '2XX': { description: 'Any 2xx answer within the timeout (10 s by default) acknowledges the delivery.' },
          '410': { description: 'Gone: the subscription is disabled at once and nothing more is sent.' },
          default: { description: 'Anything else, or no answer in time: the delivery is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then marked failed.' },
        },
      },
    };
  }
  const components = { ...document.components, schemas: { ...document.components?.schemas, ...WEBHOOK_COMPONENTS } } as OpenAPIObject['components'];
  return { ...document, components, webhooks } as OpenAPIObject;
}
