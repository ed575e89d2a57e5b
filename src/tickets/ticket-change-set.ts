import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import type { TicketChangeCause } from '../events/event-map';
import { TicketChannel, TicketPriority, TicketStatus, TicketType } from './ticket-lifecycle';

/** The vocabulary of ticket changes shared by PATCH, assignment, macros, automation rules and the channels. */

export function normaliseTags(tags: string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))];
}

/** JSON merge patch (RFC 7396) for one level of custom fields: null removes a key. */
export function mergeCustomFields(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

export interface NewTicketSpec {
  subject: string;
  requesterId: string;
  priority: TicketPriority;
  type: TicketType | null;
  channel: TicketChannel;
  tags: string[];
  assigneeId: string | null;
  teamId: string | null;
  /** The requester's organization when the ticket is opened. */
  organizationId: string | null;
  customFields: Record<string, unknown>;
  followUpOfId: string | null;
  /** Why assigneeId is set: named by the caller (manual, the default) or picked by the team's strategy. */
  assignmentReason?: AssignmentReason;
}

export type AssignmentReason = 'manual' | 'strategy' | 'rule' | 'macro';

/** Why a change happened; `data` (e.g. the macro or rule) is attached to every event the change records. */
export interface ChangeOrigin {
  reason: AssignmentReason | 'auto_close';
  data?: TicketChangeCause;
}

/** Everything PATCH, assign, macros and automation rules can do to an existing ticket. */
export interface TicketChangeSet {
  subject?: string;
  status?: TicketStatus;
  priority?: TicketPriority;
  type?: TicketType | null;
  /** Replaces the tag set; addTags and removeTags then apply on top. */
  tags?: string[];
  addTags?: string[];
  removeTags?: string[];
  /** JSON merge patch: a null value removes that key. */
  customFields?: Record<string, unknown>;
  teamId?: string | null;
  organizationId?: string | null;
  /** A named agent (null unassigns), or whoever the ticket's (new) team's strategy picks, nobody for a manual team. */
  assignee?: { agentId: string | null } | { byTeamStrategy: true };
  /**
   * Helpdesk replies and internal notes, written after the field changes. Their attachments are a macro's uploads,
   * checked and kept when the macro was saved: any agent who applies it sends them.
   */
  messages?: Array<{ body: string; visibility: 'public' | 'internal'; attachments?: string[] }>;
}

export interface TeamAssigneePicker {
  pick(manager: EntityManager, principal: Principal, teamId: string): Promise<{ agentId: string | null; strategy: string }>;
}
