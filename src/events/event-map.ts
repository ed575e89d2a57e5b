import type { AgentView } from '../agents/dto/agent.dto';
import type { AutomationRuleView } from '../automation/dto/automation-rule.dto';
import type { EscalationView } from '../channels/chat/chat.dto';
import type { ContactView } from '../contacts/dto/contact.dto';
import type { CustomFieldSettingsView, CustomFieldView } from '../fields/dto/field.dto';
import type { MacroView } from '../macros/dto/macro.dto';
import type { OrganizationView } from '../organizations/dto/organization.dto';
import type { SatisfactionRatingView } from '../satisfaction/dto/satisfaction.dto';
import type { BusinessHoursView } from '../sla/business-hours/dto/business-hours.dto';
import type { SlaPolicyView } from '../sla/policies/dto/sla-policy.dto';
import type { TeamView } from '../teams/dto/team.dto';
import type { MessageView } from '../tickets/dto/message.dto';
import type { TicketView } from '../tickets/dto/ticket.dto';
import type { ViewView } from '../views/dto/view.dto';

// Type-only imports: the map names each module's API shape without events/ depending on any module at run time.

/** Each changed field with its value before and after the change (any: TypeORM's partial-entity typing cannot express unknown JSON values). */
export type FieldChanges = Record<string, { before: any; after: any }>;

export interface NamedRef {
  id: string;
  name: string;
}

/** Why a ticket change happened (the macro or rule behind it, the portal, an auto-close); attached to each of its events. */
// A type, not an interface, so it fits the history's open `data` (interfaces have no implicit index signature).
export type TicketChangeCause = {
  macro?: NamedRef;
  rule?: NamedRef;
  via?: 'portal';
  /** Set on the events of a change made by POST /v1/tickets/bulk (bulkUpdateTickets). */
  bulk?: boolean;
  /** `message` when a reply moved the status, `auto_close` for the SLA auto-closer, how an assignee was chosen. */
  reason?: string;
  afterDays?: number;
};

export interface TicketOwnerRef {
  id: string;
  name: string | null;
}

export interface SlaEventMetric {
  metric: 'first_response' | 'next_response' | 'resolution';
  cycle: number;
  dueAt: string;
}

/** The public fields of a webhook subscription, as the webhook.disabled event carries them. */
export interface WebhookEndpointPayload {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  disabledReason: 'manual' | 'gone' | 'failing' | null;
  disabledAt: Date | string | null;
  failingSince: Date | string | null;
}

type TicketEvent<T = object> = { ticket: TicketView } & T & TicketChangeCause;

/**
 * The event catalogue: every event type and the payload (`data`) its emitter records. The outbox writer, the ticket
 * history, the webhook contract (src/contract/openapi-webhooks.ts) and the realtime feed all read their types from here,
 * so an event cannot be recorded, documented or read with another shape. The delivered `data` is this payload plus
 * `actor` (who made the change), and `sequence` for the events of a ticket's history.
 */
export interface EventPayloads {
  'ticket.created': TicketEvent<{ followUpOfId?: string }>;
  'ticket.updated': TicketEvent<{ changes: FieldChanges }>;
  'ticket.status_changed': TicketEvent<{ changes: FieldChanges }>;
  'ticket.assigned': TicketEvent<{
    changes: FieldChanges;
    reason: string;
    previousAssignee: TicketOwnerRef | null;
    assignee: TicketOwnerRef | null;
    /** Set when the team's strategy picked the assignee. */
    strategy?: string;
    teamId?: string | null;
  }>;
  'ticket.message_created': TicketEvent<{ message: MessageView }>;
  /** On the target of a merge: the tickets merged into it (each closed, with mergedIntoId). */
  'ticket.merged': TicketEvent<{ sources: Array<{ id: string; number: number }>; comment?: string }>;
  'ticket.escalated': { ticket: TicketView; escalation: EscalationView };
  'contact.created': { contact: ContactView };
  'contact.updated': { contact: ContactView; changes: FieldChanges };
  'contact.deleted': { contact: ContactView };
  'team.created': { team: TeamView };
  'team.updated': { team: TeamView; changes: FieldChanges };
  'team.deleted': { team: TeamView };
  'organization.created': { organization: OrganizationView };
  'organization.updated': { organization: OrganizationView; changes: FieldChanges };
  'organization.deleted': { organization: OrganizationView; detachedContacts: number };
  'custom_field.created': { field: CustomFieldView };
  'custom_field.updated': { field: CustomFieldView; changes: FieldChanges };
  'custom_field.deleted': { field: CustomFieldView };
  'custom_field.settings_updated': { settings: CustomFieldSettingsView; changes: FieldChanges };
  'agent.created': { agent: AgentView };
  'agent.updated': { agent: AgentView; previous: AgentView };
  'webhook.ping': { webhook: { id: string; url: string } };
  'webhook.disabled': {
    webhook: WebhookEndpointPayload;
    reason: 'gone' | 'failing';
    lastAttempt: { attemptedAt: string; statusCode: number | null; error: string | null };
  };
  'ticket.satisfaction_rated': { ticket: TicketView; rating: SatisfactionRatingView };
  'sla.warning': TicketEvent<{ sla: SlaEventMetric }>;
  'sla.breached': TicketEvent<{ sla: SlaEventMetric }>;
  'business_hours.created': { businessHours: BusinessHoursView };
  'business_hours.updated': { businessHours: BusinessHoursView };
  'business_hours.deleted': { businessHours: BusinessHoursView };
  'sla_policy.created': { slaPolicy: SlaPolicyView };
  'sla_policy.updated': { slaPolicy: SlaPolicyView };
  'sla_policy.deleted': { slaPolicy: SlaPolicyView };
  'macro.created': { macro: MacroView };
  'macro.updated': { macro: MacroView; previous: MacroView };
  'macro.deleted': { macro: MacroView };
  'automation_rule.created': { rule: AutomationRuleView };
  'automation_rule.updated': { rule: AutomationRuleView; previous: AutomationRuleView };
  'automation_rule.deleted': { rule: AutomationRuleView };
  'view.created': { view: ViewView };
  'view.updated': { view: ViewView; previous: ViewView };
  'view.deleted': { view: ViewView };
}

export type EventType = keyof EventPayloads;

/** The events a ticket's history records: each carries the ticket and its per-ticket `sequence`. */
export type TicketHistoryEventType =
  | 'ticket.created' | 'ticket.updated' | 'ticket.status_changed' | 'ticket.assigned' | 'ticket.message_created' | 'ticket.merged' | 'sla.warning' | 'sla.breached';

/** What `actor` says in every delivered payload. */
export interface EventActor {
  type: 'agent' | 'api_key';
  id: string;
  name: string;
}

/** The `data` a consumer receives for one event type. */
export type DeliveredData<K extends EventType> = EventPayloads[K] & { actor: EventActor } & (K extends TicketHistoryEventType ? { sequence: number } : unknown);
