import { registerEnumType } from '@nestjs/graphql';

// GraphQL enum names use the same lower-case values as REST, so both transports speak one vocabulary.
export const TicketStatusEnum = { new: 'new', open: 'open', pending: 'pending', on_hold: 'on_hold', resolved: 'resolved', closed: 'closed' } as const;
export const TicketPriorityEnum = { low: 'low', normal: 'normal', high: 'high', urgent: 'urgent' } as const;
export const TicketTypeEnum = { question: 'question', incident: 'incident', problem: 'problem', task: 'task' } as const;
export const TicketChannelEnum = { api: 'api', email: 'email', chat: 'chat', portal: 'portal', chat_message: 'chat_message' } as const;
export const MessageVisibilityEnum = { public: 'public', internal: 'internal' } as const;
export const AuthorTypeEnum = { agent: 'agent', contact: 'contact', system: 'system' } as const;
export const TicketSortEnum = {
  createdAt: 'createdAt', createdAtDesc: '-createdAt', updatedAt: 'updatedAt', updatedAtDesc: '-updatedAt', priority: 'priority', priorityDesc: '-priority',
  // The agent queue: the earliest due SLA metric first, tickets without a running SLA last.
  slaDueAt: 'slaDueAt',
} as const;

registerEnumType(TicketStatusEnum, { name: 'TicketStatus' });
registerEnumType(TicketPriorityEnum, { name: 'TicketPriority' });
registerEnumType(TicketTypeEnum, { name: 'TicketType' });
registerEnumType(TicketChannelEnum, { name: 'TicketChannel' });
registerEnumType(MessageVisibilityEnum, { name: 'MessageVisibility' });
registerEnumType(AuthorTypeEnum, { name: 'AuthorType' });
registerEnumType(TicketSortEnum, { name: 'TicketSort' });
