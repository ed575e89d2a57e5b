/**
 * Who may call what: one row per operationId of openapi/openapi.json, one column per kind of caller. The test beside
 * this file fails when an operation has no row, so a new route cannot ship without deciding who may call it.
 *
 * Callers:
 * - platform: the bootstrap admin key of the main workspace, which also has the platform scope
 * - admin: another admin key of the main workspace, without the platform scope
 * - agent: an agent-role API key bound to an agent (agentId)
 * - agentless: an agent-role API key bound to no agent (an integration)
 * - login: an agent's access token from POST /v1/auth/login
 * - portal: a requester's portal token (POST /v1/portal/tokens), whose ticket the fixtures use
 * - none: no Authorization header
 * - otherWorkspace: the admin key of another workspace, aimed at the main workspace's resources
 *
 * Outcomes:
 * - allowed: 2xx, or a 4xx about the request itself (409, 422) rather than about the caller
 * - 401: no credential, or one this route does not accept (API keys and agent tokens on portal routes, portal tokens
 *   everywhere else)
 * - 403: a credential of this workspace whose role or scope does not reach this operation; returned only when the
 *   caller may know the resource exists
 * - 404-not-visible: the resource exists but not for this caller. Another workspace always gets 404, never 403, for
 *   ids it cannot see (tenancy is checked by the lookup, after the role check, so an admin of another workspace
 *   passes the role check and then finds nothing)
 * - unknown-reference: 422 naming the body field that refers to a resource the caller cannot see
 */
export const CALLERS = ['platform', 'admin', 'agent', 'agentless', 'login', 'portal', 'none', 'otherWorkspace'] as const;
export type Caller = (typeof CALLERS)[number];
export type Outcome = 'allowed' | '401' | '403' | '404-not-visible' | 'unknown-reference';

const A = 'allowed';
const U = '401';
const F = '403';
const H = '404-not-visible';
const R = 'unknown-reference';

function row(platform: Outcome, admin: Outcome, agent: Outcome, agentless: Outcome, login: Outcome, portal: Outcome, none: Outcome, otherWorkspace: Outcome): Record<Caller, Outcome> {
  return { platform, admin, agent, agentless, login, portal, none, otherWorkspace };
}

/** Anyone, credential or not. */
const PUBLIC = row(A, A, A, A, A, A, A, A);
/** Agents' daily work on a resource of the workspace. */
const AGENT_WORK_ON_ID = row(A, A, A, A, A, U, U, H);
/** Agents' daily work on a collection; another workspace reaches its own collection. */
const AGENT_WORK = row(A, A, A, A, A, U, U, A);
/** Configuration of the workspace: admins only. */
const ADMIN_ON_ID = row(A, A, F, F, F, U, U, H);
const ADMIN = row(A, A, F, F, F, U, U, A);
/** The requester's own portal: portal tokens only. */
const PORTAL = row(U, U, U, U, U, A, U, U);

export const AUTHORIZATION_MATRIX: Record<string, Record<Caller, Outcome>> = {
  Health_alive: PUBLIC,
  Health_ready: PUBLIC,
  Metrics_scrape: PUBLIC,
  Auth_login: PUBLIC,
  Auth_refresh: PUBLIC,
  Auth_logout: PUBLIC,

  ApiKeys_list: ADMIN,
  ApiKeys_create: ADMIN,
  ApiKeys_revoke: ADMIN_ON_ID,
  Workspaces_create: row(A, F, F, F, F, U, U, F),

  Agents_list: AGENT_WORK,
  Agents_create: ADMIN,
  Agents_get: AGENT_WORK_ON_ID,
  Agents_update: ADMIN_ON_ID,
  Agents_unlock: ADMIN_ON_ID,

  Contacts_list: AGENT_WORK,
  Contacts_create: AGENT_WORK,
  Contacts_get: AGENT_WORK_ON_ID,
  Contacts_update: AGENT_WORK_ON_ID,
  Contacts_delete: AGENT_WORK_ON_ID,

  Teams_list: AGENT_WORK,
  Teams_create: ADMIN,
  Teams_get: AGENT_WORK_ON_ID,
  Teams_update: ADMIN_ON_ID,
  Teams_delete: ADMIN_ON_ID,
  Teams_addMember: ADMIN_ON_ID,
  Teams_removeMember: ADMIN_ON_ID,

  Organizations_list: AGENT_WORK,
  Organizations_create: ADMIN,
  Organizations_get: AGENT_WORK_ON_ID,
  Organizations_update: ADMIN_ON_ID,
  Organizations_delete: ADMIN_ON_ID,
  OrganizationContacts_list: AGENT_WORK_ON_ID,
  Fields_list: AGENT_WORK,
  Fields_create: ADMIN,
  Fields_get: AGENT_WORK_ON_ID,
  Fields_update: ADMIN_ON_ID,
  Fields_delete: ADMIN_ON_ID,
  Fields_updateSettings: ADMIN,

  Tickets_list: AGENT_WORK,
  Tickets_create: AGENT_WORK,
  Tickets_get: AGENT_WORK_ON_ID,
  Tickets_update: AGENT_WORK_ON_ID,
  Tickets_listForContact: AGENT_WORK_ON_ID,
  Tickets_merge: AGENT_WORK_ON_ID,
  // An agent follows as themselves (the agent key is Ana's, and the path names Ana); admins add or remove anyone.
  TicketParticipants_follow: row(A, A, A, F, F, U, U, H),
  TicketParticipants_unfollow: row(A, A, A, F, F, U, U, H),
  TicketParticipants_addCc: AGENT_WORK_ON_ID,
  TicketParticipants_addCcByEmail: AGENT_WORK_ON_ID,
  TicketParticipants_removeCc: AGENT_WORK_ON_ID,
  BulkTickets_update: AGENT_WORK,
  Tickets_listForOrganization: AGENT_WORK_ON_ID,
  Conversation_add: AGENT_WORK_ON_ID,
  Conversation_list: AGENT_WORK_ON_ID,
  Conversation_events: AGENT_WORK_ON_ID,
  // Being present needs an agent: keys bound to none (every admin key here) are refused by the credential alone, before any lookup.
  TicketPresence_mark: row(F, F, A, F, A, U, U, F),
  TicketPresence_list: AGENT_WORK_ON_ID,
  TicketPresence_leave: row(F, F, A, F, A, U, U, F),
  AssignTicket_assign: AGENT_WORK_ON_ID,
  Suggestions_get: AGENT_WORK_ON_ID,
  Attachments_download: AGENT_WORK_ON_ID,
  Attachments_original: AGENT_WORK_ON_ID,
  Escalations_create: AGENT_WORK_ON_ID,
  Escalations_update: AGENT_WORK_ON_ID,
  // Relayed from the requester by an integration; agents cannot rate their own work.
  Satisfaction_rate: ADMIN_ON_ID,

  BusinessHours_list: AGENT_WORK,
  BusinessHours_create: ADMIN,
  BusinessHours_get: AGENT_WORK_ON_ID,
  BusinessHours_update: ADMIN_ON_ID,
  BusinessHours_delete: ADMIN_ON_ID,
  SlaPolicies_list: AGENT_WORK,
  SlaPolicies_create: ADMIN,
  SlaPolicies_get: AGENT_WORK_ON_ID,
  SlaPolicies_update: ADMIN_ON_ID,
  SlaPolicies_delete: ADMIN_ON_ID,
  SlaSettings_get: AGENT_WORK,
  SlaSettings_update: ADMIN,
  EmailSettings_get: AGENT_WORK,
  EmailSettings_update: ADMIN,
  SlaReport_report: AGENT_WORK,
  Reports_overview: AGENT_WORK,
  Reports_breakdown: AGENT_WORK,
  Search_search: AGENT_WORK,

  Macros_list: AGENT_WORK,
  // The fixture is a workspace macro: agents may create and change only their own (visibility agent).
  Macros_create: ADMIN,
  Macros_get: AGENT_WORK_ON_ID,
  Macros_update: ADMIN_ON_ID,
  Macros_delete: ADMIN_ON_ID,
  Macros_apply: AGENT_WORK_ON_ID,

  Views_list: AGENT_WORK,
  Views_counts: AGENT_WORK,
  // The fixture and the body are shared views: agents may create and change only their personal ones.
  Views_create: ADMIN,
  Views_get: AGENT_WORK_ON_ID,
  Views_tickets: AGENT_WORK_ON_ID,
  Views_update: ADMIN_ON_ID,
  Views_delete: ADMIN_ON_ID,

  Tags_list: AGENT_WORK,
  Tags_rename: ADMIN,
  Tags_remove: ADMIN,

  AutomationRules_list: AGENT_WORK,
  AutomationRules_create: ADMIN,
  AutomationRules_test: AGENT_WORK,
  AutomationRules_get: AGENT_WORK_ON_ID,
  AutomationRules_update: ADMIN_ON_ID,
  AutomationRules_delete: ADMIN_ON_ID,

  Webhooks_list: ADMIN,
  Webhooks_create: ADMIN,
  Webhooks_get: ADMIN_ON_ID,
  Webhooks_update: ADMIN_ON_ID,
  Webhooks_remove: ADMIN_ON_ID,
  Webhooks_rotateSecret: ADMIN_ON_ID,
  Webhooks_test: ADMIN_ON_ID,
  Webhooks_listDeliveries: ADMIN_ON_ID,
  Webhooks_redeliver: ADMIN_ON_ID,

  Mailboxes_list: ADMIN,
  Mailboxes_create: ADMIN,
  Mailboxes_get: ADMIN_ON_ID,
  Mailboxes_update: ADMIN_ON_ID,
  Mailboxes_delete: ADMIN_ON_ID,
  EmailInbound_receive: ADMIN,
  ChatChannels_transcript: ADMIN,
  ChatChannels_convert: ADMIN,
  // The body names a chat thread escalated from the main workspace, which another workspace does not have.
  ChatChannels_inbound: row(A, A, F, F, F, U, U, H),

  // The body names a contact of the main workspace.
  PortalAdmin_mint: row(A, A, F, F, F, U, U, R),
  PortalAdmin_secretStatus: ADMIN,
  PortalAdmin_rotateSecret: ADMIN,
  PortalAdmin_removeSecret: ADMIN,
  PortalTickets_list: PORTAL,
  PortalTickets_create: PORTAL,
  PortalTickets_get: PORTAL,
  PortalTickets_messages: PORTAL,
  PortalTickets_addMessage: PORTAL,
  PortalTickets_resolve: PORTAL,
  PortalTickets_rate: PORTAL,
  PortalAttachments_download: PORTAL,
  PortalUploads_create: PORTAL,
  PortalSearch_search: PORTAL,
  PortalEvents_stream: PORTAL,

  Uploads_create: AGENT_WORK,

  Events_list: AGENT_WORK,
  Events_stream: AGENT_WORK,
};

/**
 * Operations whose 403 depends on what the body asks for (a workspace macro, a personal one) and on the target
 * (whose macro it is), so the service decides it after the body is validated: an invalid body is a 422 there, for
 * anyone. Every other 401 and 403 comes from the guards, before validation.
 */
export const DECIDED_BY_THE_BODY = ['Macros_create', 'Macros_update', 'Views_create', 'Views_update'];

/**
 * A GraphQL operation (mostly mutations) mirroring an admin-only REST operation. `{ fixture: kind }` in the variables names a fixture of
 * the main workspace ("fresh:<kind>" makes one for this call alone, "name" and "email" are unique values).
 */
export interface GraphqlAdminOperation {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

const fixture = (kind: string) => ({ fixture: kind });

export const GRAPHQL_ADMIN_OPERATIONS: GraphqlAdminOperation[] = [
  { name: 'createAgent', query: 'mutation($input: CreateAgentInput!) { createAgent(input: $input) { id } }', variables: { input: { name: 'Gql agent', email: fixture('email'), role: 'agent' } } },
  { name: 'updateAgent', query: 'mutation($id: ID!, $input: UpdateAgentInput!) { updateAgent(id: $id, input: $input) { id } }', variables: { id: fixture('agents'), input: { name: 'Gql target' } } },
  { name: 'createTeam', query: 'mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }', variables: { input: { name: fixture('name') } } },
  { name: 'updateTeam', query: 'mutation($id: ID!, $input: UpdateTeamInput!) { updateTeam(id: $id, input: $input) { id } }', variables: { id: fixture('teams'), input: { name: fixture('name') } } },
  { name: 'addTeamMember', query: 'mutation($t: ID!, $a: ID!) { addTeamMember(teamId: $t, agentId: $a) { id } }', variables: { t: fixture('teams'), a: fixture('agentId') } },
  { name: 'removeTeamMember', query: 'mutation($t: ID!, $a: ID!) { removeTeamMember(teamId: $t, agentId: $a) { id } }', variables: { t: fixture('teams'), a: fixture('agentId') } },
  { name: 'createCustomField', query: 'mutation($input: CreateCustomFieldInput!) { createCustomField(entity: contact, input: $input) { key } }', variables: { input: { key: 'gql_field', label: 'Gql field', type: 'text' } } },
  { name: 'updateCustomField', query: 'mutation($key: String!) { updateCustomField(entity: ticket, key: $key, input: { label: "Gql" }) { key } }', variables: { key: fixture('key') } },
  { name: 'deleteCustomField', query: 'mutation($key: String!) { deleteCustomField(entity: ticket, key: $key) }', variables: { key: fixture('fresh:{entity}') } },
  { name: 'updateCustomFieldSettings', query: 'mutation { updateCustomFieldSettings(input: { strictCustomFields: false }) { strictCustomFields } }', variables: {} },
  { name: 'deleteTeam', query: 'mutation($id: ID!) { deleteTeam(id: $id) }', variables: { id: fixture('fresh:teams') } },
  { name: 'createOrganization', query: 'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }', variables: { input: { name: fixture('name') } } },
  { name: 'updateOrganization', query: 'mutation($id: ID!, $input: UpdateOrganizationInput!) { updateOrganization(id: $id, input: $input) { id } }', variables: { id: fixture('organizations'), input: { name: fixture('name') } } },
  { name: 'deleteOrganization', query: 'mutation($id: ID!) { deleteOrganization(id: $id) }', variables: { id: fixture('fresh:organizations') } },
  { name: 'createBusinessHours', query: 'mutation($input: CreateBusinessHoursInput!) { createBusinessHours(input: $input) { id } }', variables: { input: { name: fixture('name'), timezone: 'UTC', weekly: { monday: ['09:00-17:00'] } } } },
  { name: 'updateBusinessHours', query: 'mutation($id: ID!, $input: UpdateBusinessHoursInput!) { updateBusinessHours(id: $id, input: $input) { id } }', variables: { id: fixture('business-hours'), input: { name: fixture('name') } } },
  { name: 'deleteBusinessHours', query: 'mutation($id: ID!) { deleteBusinessHours(id: $id) }', variables: { id: fixture('fresh:business-hours') } },
  { name: 'createSlaPolicy', query: 'mutation($input: CreateSlaPolicyInput!) { createSlaPolicy(input: $input) { id } }', variables: { input: { name: fixture('name'), targets: {} } } },
  { name: 'updateSlaPolicy', query: 'mutation($id: ID!, $input: UpdateSlaPolicyInput!) { updateSlaPolicy(id: $id, input: $input) { id } }', variables: { id: fixture('sla-policies'), input: { name: fixture('name') } } },
  { name: 'deleteSlaPolicy', query: 'mutation($id: ID!) { deleteSlaPolicy(id: $id) }', variables: { id: fixture('fresh:sla-policies') } },
  {
    name: 'createAutomationRule', query: 'mutation($input: CreateAutomationRuleInput!) { createAutomationRule(input: $input) { id } }',
    variables: { input: { name: fixture('name'), enabled: false, events: ['ticket.created'], conditions: {}, actions: [{ type: 'add_tags', tags: ['x'] }] } },
  },
  { name: 'updateAutomationRule', query: 'mutation($id: ID!, $input: UpdateAutomationRuleInput!) { updateAutomationRule(id: $id, input: $input) { id } }', variables: { id: fixture('automation-rules'), input: { name: fixture('name') } } },
  { name: 'deleteAutomationRule', query: 'mutation($id: ID!) { deleteAutomationRule(id: $id) }', variables: { id: fixture('fresh:automation-rules') } },
  { name: 'createWebhook', query: 'mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { id } }', variables: { input: { url: 'http://127.0.0.1:9/gql', events: ['ticket.created'] } } },
  { name: 'updateWebhook', query: 'mutation($id: ID!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, input: $input) { id } }', variables: { id: fixture('webhooks'), input: { description: 'gql' } } },
  { name: 'deleteWebhook', query: 'mutation($id: ID!) { deleteWebhook(id: $id) }', variables: { id: fixture('fresh:webhooks') } },
  { name: 'rotateWebhookSecret', query: 'mutation($id: ID!) { rotateWebhookSecret(id: $id) { id } }', variables: { id: fixture('webhooks') } },
  { name: 'testWebhook', query: 'mutation($id: ID!) { testWebhook(id: $id) { id } }', variables: { id: fixture('webhooks') } },
  { name: 'redeliverWebhookDelivery', query: 'mutation($w: ID!, $d: ID!) { redeliverWebhookDelivery(webhookId: $w, deliveryId: $d) { id } }', variables: { w: fixture('webhooks'), d: fixture('deliveryId') } },
  { name: 'webhooks (query)', query: '{ webhooks { edges { node { id } } } }', variables: {} },
  { name: 'webhook (query)', query: 'query($id: ID!) { webhook(id: $id) { id } }', variables: { id: fixture('webhooks') } },
  // Not admin-only by role, but a workspace macro is: the finding of issue 12 (an agent key without an agent deleted it).
  { name: 'deleteMacro (workspace macro)', query: 'mutation($id: ID!) { deleteMacro(id: $id) }', variables: { id: fixture('fresh:macros') } },
  { name: 'updateView (shared view)', query: 'mutation($id: ID!, $input: UpdateViewInput!) { updateView(id: $id, input: $input) { id } }', variables: { id: fixture('views'), input: { name: fixture('name') } } },
  { name: 'deleteView (shared view)', query: 'mutation($id: ID!) { deleteView(id: $id) }', variables: { id: fixture('fresh:views') } },
  { name: 'renameTag', query: 'mutation($input: RenameTagInput!) { renameTag(input: $input) { tickets } }', variables: { input: { from: 'gql-matrix-a', to: 'gql-matrix-b' } } },
  { name: 'deleteTag', query: 'mutation($tag: String!) { deleteTag(tag: $tag) { tickets } }', variables: { tag: 'gql-matrix-c' } },
  { name: 'updateMacro (workspace macro)', query: 'mutation($id: ID!, $input: UpdateMacroInput!) { updateMacro(id: $id, input: $input) { id } }', variables: { id: fixture('macros'), input: { name: fixture('name') } } },
];
