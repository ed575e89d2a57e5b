import type { TicketChannel, TicketPriority, TicketStatus, TicketType } from '../../tickets/ticket-lifecycle';

export const SLA_METRICS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

/** Targets and pause rules are keyed in camelCase in the API; metrics are snake_case in views and events. */
export const METRIC_KEYS: Record<SlaMetric, 'firstResponse' | 'nextResponse' | 'resolution'> = {
  first_response: 'firstResponse',
  next_response: 'nextResponse',
  resolution: 'resolution',
};

export interface SlaConditions {
  priorities?: TicketPriority[];
  types?: TicketType[];
  tags?: string[];
  teamIds?: string[];
  channels?: TicketChannel[];
  organizationIds?: string[];
}

export type MetricMinutes = Partial<Record<'firstResponse' | 'nextResponse' | 'resolution', number>>;
export type SlaTargets = Partial<Record<TicketPriority, MetricMinutes>>;
export type PausedStatuses = Partial<Record<'firstResponse' | 'nextResponse' | 'resolution', TicketStatus[]>>;

export const DEFAULT_PAUSED_STATUSES: PausedStatuses = { firstResponse: [], nextResponse: [], resolution: ['pending', 'on_hold'] };

export interface PolicyRules {
  id: string;
  businessHoursId: string | null;
  conditions: SlaConditions;
  targets: SlaTargets;
  pausedStatuses: PausedStatuses;
}

export interface TicketFacts {
  priority: TicketPriority;
  type: TicketType | null;
  tags: string[];
  teamId: string | null;
  channel: TicketChannel;
  organizationId: string | null;
}

/** Every condition given must hold; a list condition holds when the ticket's value is one of the list (tags: any of them). */
export function policyMatches(conditions: SlaConditions, ticket: TicketFacts): boolean {
  if (conditions.priorities?.length && !conditions.priorities.includes(ticket.priority)) return false;
  if (conditions.types?.length && (ticket.type === null || !conditions.types.includes(ticket.type))) return false;
  if (conditions.tags?.length && !conditions.tags.some((tag) => ticket.tags.includes(tag.toLowerCase()))) return false;
  if (conditions.teamIds?.length && (ticket.teamId === null || !conditions.teamIds.includes(ticket.teamId))) return false;
  if (conditions.channels?.length && !conditions.channels.includes(ticket.channel)) return false;
  if (conditions.organizationIds?.length && (ticket.organizationId === null || !conditions.organizationIds.some((id) => id.toLowerCase() === ticket.organizationId))) return false;
  return true;
}

/** Policies come ordered by position: the first that matches applies. */
export function selectPolicy<P extends PolicyRules>(policies: readonly P[], ticket: TicketFacts): P | null {
  return policies.find((policy) => policyMatches(policy.conditions, ticket)) ?? null;
}

export function targetMinutes(policy: PolicyRules | null, priority: TicketPriority, metric: SlaMetric): number | null {
  return policy?.targets[priority]?.[METRIC_KEYS[metric]] ?? null;
}

export function pausesIn(policy: PolicyRules | null, metric: SlaMetric, status: TicketStatus): boolean {
  const paused = policy?.pausedStatuses[METRIC_KEYS[metric]] ?? DEFAULT_PAUSED_STATUSES[METRIC_KEYS[metric]] ?? [];
  return paused.includes(status);
}
