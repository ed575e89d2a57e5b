import { OpenAPIObject } from '@nestjs/swagger';

type Json = Record<string, any>;  

const ids = {
  ticket: '5b0e6c1a-3f4d-4c2e-9a57-2f8d1e0c7b91',
  requester: '0f9a2c4e-7b1d-4e6a-8c3f-5d2b9e1a7c40',
  agent: '8d3e1f5a-2c6b-4a9d-b7e0-1c4f6a8d2e35',
  team: 'c1a7e3d9-5f2b-4b8c-9e6a-3d7f1b5c9a02',
  message: '3e7c9a1f-6d4b-4f2e-a8c5-9b1d3f7e5a60',
  reply: '7a5d3c1e-9f8b-4d6a-b2e4-6c8a0e2f4b17',
  organization: 'e4b2c8a6-1d3f-4e5a-9b7c-2f6d8a0c4e19',
};

const requester = { id: ids.requester, name: 'Ana Ruiz', email: 'ana@example.com' };

const ticket = {
  id: ids.ticket,
  number: 1042,
  subject: 'Cannot download my invoice',
  status: 'new',
  priority: 'high',
  type: 'problem',
  tags: ['billing'],
  channel: 'api',
  requester,
  assignee: null,
  team: { id: ids.team, name: 'Billing' },
  organizationId: ids.organization,
  followUpOfId: null,
  mergedIntoId: null,
  followers: [],
  ccs: [],
  customFields: {},
  createdAt: '2026-12-04T09:15:00.000Z',
  updatedAt: '2026-12-04T09:15:00.000Z',
  firstRespondedAt: null,
  resolvedAt: null,
  closedAt: null,
  version: 1,
  messagesCount: 1,
  sla: {
    policyId: null,
    metrics: [],
  },
};

const updatedTicket = {
  ...ticket,
  status: 'pending',
  assignee: { id: ids.agent, name: 'Sam Lee' },
  updatedAt: '2026-12-04T09:40:00.000Z',
  firstRespondedAt: '2026-12-04T09:32:00.000Z',
  version: 3,
  messagesCount: 2,
};

const reply = {
  id: ids.reply,
  ticketId: ids.ticket,
  sequence: 2,
  body: 'Hi Ana, the invoice is attached again. Does it open now?',
  html: null,
  visibility: 'public',
  author: { type: 'agent', id: ids.agent, name: 'Sam Lee' },
  createdAt: '2026-12-04T09:32:00.000Z',
  attachments: [],
  delivery: null,
  mergedFrom: null,
};

const contact = {
  id: ids.requester,
  name: 'Ana Ruiz',
  email: 'ana@example.com',
  phone: '+34 600 000 000',
  externalId: 'crm-7731',
  organizationId: ids.organization,
  metadata: { plan: 'pro' },
  customFields: {},
  createdAt: '2026-11-20T14:02:00.000Z',
  updatedAt: '2026-11-20T14:02:00.000Z',
};

const organization = {
  id: ids.organization,
  name: 'Globex',
  domains: ['globex.com'],
  externalId: 'crm-org-12',
  notes: null,
  tags: ['enterprise'],
  customFields: { tier: 'gold' },
  createdAt: '2026-11-02T08:00:00.000Z',
  updatedAt: '2026-11-02T08:00:00.000Z',
};

const validationProblem = {
  type: 'https://deskline.dev/problems/validation-failed',
  title: 'Validation Failed',
  status: 422,
  detail: 'requester.email: requester.email must be an email',
  errors: [{ field: 'requester.email', message: 'requester.email must be an email' }],
};

const page = (data: unknown[], nextCursor: string | null) => ({ data, nextCursor });

interface OperationExamples {
  request?: unknown;
  responses: Record<string, unknown>;
}

/** Examples of the main operations, by operationId; spectral checks each against its schema. */
const EXAMPLES: Record<string, OperationExamples> = {
  Tickets_create: {
    request: {
      subject: 'Cannot download my invoice',
      message: { body: 'The download link for invoice 2026-118 says "expired".' },
      requester: { email: 'ana@example.com', name: 'Ana Ruiz' },
      priority: 'high',
      type: 'problem',
      tags: ['billing'],
      teamId: ids.team,
    },
    responses: { '201': ticket, '422': validationProblem },
  },
  Tickets_list: { responses: { '200': page([ticket], 'eyJjIjoiMjAyNi0xMi0wNFQwOToxNTowMC4wMDBaIn0') } },
  Tickets_get: { responses: { '200': ticket } },
  Tickets_update: {
    request: { status: 'pending', assigneeId: ids.agent },
    responses: {
      '200': updatedTicket,
      '409': {
        type: 'https://deskline.dev/problems/invalid-transition',
        title: 'Invalid Status Transition',
        status: 409,
        detail: 'A resolved ticket cannot move to pending. Allowed next statuses: open, closed.',
        from: 'resolved',
        to: 'pending',
        allowed: ['open', 'closed'],
      },
      '412': {
        type: 'https://deskline.dev/problems/precondition-failed',
        title: 'Precondition Failed',
        status: 412,
        detail: 'If-Match "2" does not match the current version "3". Fetch the resource again and retry.',
        currentVersion: 3,
      },
    },
  },
  Tickets_listForContact: { responses: { '200': page([ticket], null) } },
  Conversation_add: {
    request: { body: 'Hi Ana, the invoice is attached again. Does it open now?', visibility: 'public' },
    responses: { '201': reply },
  },
  Conversation_list: {
    responses: {
      '200': page(
        [
          {
            ...reply,
            id: ids.message,
            sequence: 1,
            body: 'The download link for invoice 2026-118 says "expired".',
            author: { type: 'contact', id: ids.requester, name: 'Ana Ruiz' },
            createdAt: '2026-12-04T09:15:00.000Z',
          },
          reply,
        ],
        null,
      ),
    },
  },
  Contacts_create: {
    request: { name: 'Ana Ruiz', email: 'ana@example.com', phone: '+34 600 000 000', externalId: 'crm-7731', metadata: { plan: 'pro' } },
    responses: { '201': contact },
  },
  Contacts_list: { responses: { '200': page([contact], null) } },
  Organizations_create: {
    request: { name: 'Globex', domains: ['globex.com'], externalId: 'crm-org-12', tags: ['enterprise'], customFields: { tier: 'gold' } },
    responses: { '201': organization },
  },
  Organizations_list: { responses: { '200': page([organization], null) } },
  Organizations_get: { responses: { '200': organization } },
  OrganizationContacts_list: { responses: { '200': page([contact], null) } },
  Contacts_get: { responses: { '200': contact } },
  Contacts_update: {
    request: { phone: null, metadata: { plan: 'enterprise' } },
    responses: { '200': { ...contact, phone: null, metadata: { plan: 'enterprise' }, updatedAt: '2026-12-04T10:00:00.000Z' } },
  },
  TicketPresence_mark: {
    request: { state: 'replying' },
    responses: {
      '200': page([
        { agent: { id: ids.agent, name: 'Sam Lee' }, state: 'replying', since: '2026-12-04T09:30:02.000Z', expiresAt: '2026-12-04T09:31:12.000Z' },
      ], null),
    },
  },
  TicketPresence_list: {
    responses: {
      '200': page([
        { agent: { id: ids.agent, name: 'Sam Lee' }, state: 'replying', since: '2026-12-04T09:30:02.000Z', expiresAt: '2026-12-04T09:31:12.000Z' },
      ], null),
    },
  },
};

const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** Puts the examples on their operations' JSON request and response bodies, and on their problem responses. */
export function addExamples(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths) as Json[]) {
    for (const method of HTTP_METHODS) {
      const operation: Json | undefined = item[method];
      const examples = operation && EXAMPLES[operation.operationId];
      if (!examples) continue;
      if (examples.request !== undefined) operation.requestBody.content['application/json'].example = examples.request;
      for (const [status, example] of Object.entries(examples.responses)) {
        const response: Json | undefined = operation.responses[status];
        if (!response) throw new Error(`${operation.operationId} has no ${status} response for its example`);
        // A shared component response gets its own copy, so its example stays with this operation.
        const own: Json = response.$ref ? { ...(document.components?.responses as Json)[response.$ref.split('/').pop()] } : response;
        const [mediaType, media] = Object.entries(own.content as Json)[0] as [string, Json];
        own.content = { [mediaType]: { ...media, example } };
        operation.responses[status] = own;
      }
    }
  }
  // A shared response every user of which now has its own copy would be listed for nothing.
  const responses = (document.components?.responses ?? {}) as Json;
  const text = JSON.stringify(document.paths);
  for (const name of Object.keys(responses)) if (!text.includes(`"#/components/responses/${name}"`)) delete responses[name];
  return document;
}
