import { FieldError } from '../../common/errors/domain-errors';
import { renameTagIn } from '../../tickets/tag-rename';
import { TicketView } from '../../tickets/dto/ticket.dto';
import { TicketChangeSet } from '../../tickets/ticket-change-set';
import { renderTemplate, templateErrors, TemplateValues } from './template';
import { TicketAction, TicketActionType } from './ticket-action.dto';

const REQUIRED: Record<TicketActionType, Array<keyof TicketAction>> = {
  set_status: ['status'],
  set_priority: ['priority'],
  set_type: ['ticketType'],
  set_team: ['teamId'],
  set_assignee: ['agentId'],
  add_tags: ['tags'],
  remove_tags: ['tags'],
  set_custom_field: ['key', 'value'],
  add_reply: ['body'],
  add_note: ['body'],
  apply_suggestions: ['minConfidence'],
};
const MAX_VALUE_BYTES = 4096;
/** Fields a type may carry but need not; attachments only where the caller allows them (macros, not rules). */
const OPTIONAL: Partial<Record<TicketActionType, Array<keyof TicketAction>>> = { add_reply: ['attachments'], add_note: ['attachments'] };

const withAttachments = (action: TicketAction) => (action.attachments?.length ? { attachments: action.attachments } : {});

/** What the DTO cannot say: the fields each type needs, no stray fields, templates that render, bounded values. */
export function validateActions(actions: TicketAction[], path: string, options: { allowSuggestions: boolean; allowAttachments?: boolean }): FieldError[] {
  const errors: FieldError[] = [];
  actions.forEach((action, index) => {
    const at = `${path}[${index}]`;
    if (action.type === 'apply_suggestions' && !options.allowSuggestions) {
      errors.push({ field: `${at}.type`, message: 'apply_suggestions is only available to automation rules' });
      return;
    }
    const required = REQUIRED[action.type] ?? [];
    for (const field of required) if (action[field] === undefined) errors.push({ field: `${at}.${field}`, message: `is required for ${action.type}` });
    for (const field of Object.keys(action) as Array<keyof TicketAction>) {
      const optional = options.allowAttachments ? (OPTIONAL[action.type] ?? []) : [];
      if (field !== 'type' && !required.includes(field) && !optional.includes(field) && action[field] !== undefined) errors.push({ field: `${at}.${field}`, message: `is not used by ${action.type}` });
    }
    if (action.body !== undefined) for (const message of templateErrors(action.body)) errors.push({ field: `${at}.body`, message });
    if (action.value !== undefined && Buffer.byteLength(JSON.stringify(action.value) ?? '') > MAX_VALUE_BYTES) {
      errors.push({ field: `${at}.value`, message: `must serialise to at most ${MAX_VALUE_BYTES} bytes` });
    }
  });
  return errors;
}

/** Turns an ordered action list into one change set; later actions win over earlier ones on the same field. */
export function planActions(actions: TicketAction[], values: TemplateValues): TicketChangeSet {
  const plan: TicketChangeSet = {};
  const addTags = new Set<string>();
  const removeTags = new Set<string>();
  for (const action of actions) {
    switch (action.type) {
      case 'set_status': plan.status = action.status; break;
      case 'set_priority': plan.priority = action.priority; break;
      case 'set_type': plan.type = action.ticketType; break;
      case 'set_team':
        plan.teamId = action.teamId ?? null;
        plan.assignee = action.teamId ? { byTeamStrategy: true } : plan.assignee;
        break;
      case 'set_assignee': plan.assignee = { agentId: action.agentId ?? null }; break;
      case 'add_tags': for (const tag of action.tags ?? []) { addTags.add(tag.trim().toLowerCase()); removeTags.delete(tag.trim().toLowerCase()); } break;
      case 'remove_tags': for (const tag of action.tags ?? []) { removeTags.add(tag.trim().toLowerCase()); addTags.delete(tag.trim().toLowerCase()); } break;
      case 'set_custom_field': plan.customFields = { ...plan.customFields, [action.key!]: action.value ?? null }; break;
      case 'add_reply': (plan.messages ??= []).push({ body: renderTemplate(action.body!, values), visibility: 'public', ...withAttachments(action) }); break;
      case 'add_note': (plan.messages ??= []).push({ body: renderTemplate(action.body!, values), visibility: 'internal', ...withAttachments(action) }); break;
      case 'apply_suggestions': break;
    }
  }
  if (addTags.size) plan.addTags = [...addTags];
  if (removeTags.size) plan.removeTags = [...removeTags];
  return plan;
}

export function templateValues(ticket: TicketView, agentName: string | null): TemplateValues {
  return {
    'ticket.id': ticket.id,
    'ticket.number': ticket.number,
    'ticket.subject': ticket.subject,
    'ticket.status': ticket.status,
    'ticket.priority': ticket.priority,
    'ticket.type': ticket.type,
    'requester.name': ticket.requester.name ?? ticket.requester.email,
    'requester.email': ticket.requester.email,
    'agent.name': agentName,
    'assignee.name': ticket.assignee?.name ?? null,
    'team.name': ticket.team?.name ?? null,
  };
}

export interface ChangePreview {
  /** Field by field, what would change. */
  changes: Record<string, { before: unknown; after: unknown }>;
  messages: Array<{ body: string; visibility: 'public' | 'internal' }>;
  /** The new team's strategy picks the assignee when the change is applied. */
  assigneeByTeamStrategy: boolean;
}

/** What a change set would do to a ticket, computed without touching it (dry runs and the rule tester). */
export function previewChanges(ticket: TicketView, plan: TicketChangeSet): ChangePreview {
  const changes: ChangePreview['changes'] = {};
  const note = (field: string, before: unknown, after: unknown) => {
    if (after !== undefined && JSON.stringify(before) !== JSON.stringify(after)) changes[field] = { before, after };
  };
  note('status', ticket.status, plan.status);
  note('priority', ticket.priority, plan.priority);
  note('type', ticket.type, plan.type);
  note('teamId', ticket.team?.id ?? null, plan.teamId);
  if (plan.assignee && 'agentId' in plan.assignee) note('assigneeId', ticket.assignee?.id ?? null, plan.assignee.agentId);
  if (plan.addTags || plan.removeTags) {
    const removed = new Set(plan.removeTags ?? []);
    const tags = [...new Set([...ticket.tags, ...(plan.addTags ?? [])])].filter((tag) => !removed.has(tag));
    note('tags', ticket.tags, tags);
  }
  if (plan.customFields) {
    const merged: Record<string, unknown> = { ...ticket.customFields };
    for (const [key, value] of Object.entries(plan.customFields)) if (value === null) delete merged[key]; else merged[key] = value;
    note('customFields', ticket.customFields, merged);
  }
  if ((plan.messages ?? []).some((message) => message.visibility === 'public') && ticket.status === 'new' && plan.status === undefined) {
    note('status', ticket.status, 'open');
  }
  return { changes, messages: plan.messages ?? [], assigneeByTeamStrategy: Boolean(plan.assignee && 'byTeamStrategy' in plan.assignee) };
}

/**
 * The actions with tag `from` renamed to `to` (or removed when null) in add_tags and remove_tags; an action left with
 * no tag is dropped. Null when no action names the tag. For tag renames across macros and rules.
 */
export function renameTagInActions(actions: TicketAction[], from: string, to: string | null): TicketAction[] | null {
  let changed = false;
  const renamed = actions.flatMap((action) => {
    if ((action.type !== 'add_tags' && action.type !== 'remove_tags') || !action.tags) return [action];
    const tags = renameTagIn(action.tags, from, to);
    if (tags === null) return [action];
    changed = true;
    return tags.length ? [{ ...action, tags }] : [];
  });
  return changed ? renamed : null;
}
