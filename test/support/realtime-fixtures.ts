import { randomBytes } from 'node:crypto';
import { TestApp } from './test-app';

export interface TestAgent {
  id: string;
  name: string;
  /** An access token from POST /v1/auth/login. */
  token: string;
  /** An agent-role API key bound to the agent. */
  key: string;
}

const PASSWORD = 'a long enough password';

/** An agent of the workspace that `adminKey` administers, with both kinds of agent credential. */
export async function newAgent(t: TestApp, adminKey: string, workspaceSlug: string, name = `Agent ${randomBytes(3).toString('hex')}`): Promise<TestAgent> {
  const email = `agent-${randomBytes(5).toString('hex')}@example.com`;
  const created = await t.http.post('/v1/agents').set(t.auth(adminKey)).send({ name, email, role: 'agent', password: PASSWORD }).expect(201);
  const login = await t.http.post('/v1/auth/login').send({ email, password: PASSWORD, workspace: workspaceSlug }).expect(200);
  const key = await t.http.post('/v1/api-keys').set(t.auth(adminKey)).send({ name: `${name} key`, role: 'agent', agentId: created.body.id }).expect(201);
  return { id: created.body.id, name, token: login.body.accessToken, key: key.body.key };
}

export async function newTicket(t: TestApp, key: string, requesterEmail = `req-${randomBytes(4).toString('hex')}@example.com`): Promise<{ id: string; requesterId: string }> {
  const response = await t.http.post('/v1/tickets').set(t.auth(key)).send({ subject: 'Printer on fire', message: { body: 'Help' }, requester: { email: requesterEmail } }).expect(201);
  return { id: response.body.id, requesterId: response.body.requester.id };
}

export async function portalToken(t: TestApp, adminKey: string, contactId: string): Promise<string> {
  return (await t.http.post('/v1/portal/tokens').set(t.auth(adminKey)).send({ contactId }).expect(201)).body.token;
}
