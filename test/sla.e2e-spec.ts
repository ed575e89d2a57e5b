import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ManualClock, Clock } from '../src/common/clock';
import { BreachScanner } from '../src/sla/breaches/breach-scanner';
import { SlaScheduler } from '../src/sla/breaches/sla-scheduler';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';

/** An instance with a manual clock; the SLA scheduler is off unless `env` turns it on, so tests trigger scans. */
async function startInstance(env: Record<string, string> = {}, options: { sameDatabaseAs?: TestApp } = {}) {
  const app = await startTestApp({ CLOCK: 'manual', SLA_SCHEDULER_ENABLED: 'false', SLA_WARNING_MINUTES: '30', ...env }, options);
  return { ...app, clock: app.app.get<Clock, ManualClock>(Clock), scanner: app.app.get(BreachScanner), scheduler: app.app.get(SlaScheduler) };
}

type Instance = Awaited<ReturnType<typeof startInstance>>;

const MONDAY_9AM_NEW_YORK = '2026-03-02T14:00:00.000Z';
const minutes = (n: number) => n * 60_000;
const at = (iso: string, plusMinutes = 0) => new Date(Date.parse(iso) + minutes(plusMinutes));
const workday = ['09:00-17:00'];
const NEW_YORK_OFFICE = {
  timezone: 'America/New_York',
  weekly: { monday: workday, tuesday: workday, wednesday: workday, thursday: workday, friday: workday, saturday: [], sunday: [] },
  holidays: [{ date: '2026-07-03', name: 'Independence Day (observed)' }],
};
const TARGETS = {
  urgent: { firstResponse: 60, nextResponse: 120, resolution: 480 },
  normal: { firstResponse: 240, resolution: 960 },
};

describe('SLA: business hours, policies, ticket clocks, breaches', () => {
  let admin: { Authorization: string };
  let a: Instance;
  let calendarId: string;
  let policyId: string;

  const createTicket = (priority: string, extra: Record<string, unknown> = {}, auth = admin, http = () => a.http) =>
    http().post('/v1/tickets').set(auth).send({ subject: 'Printer on fire', message: { body: 'Help' }, requester: { email: 'req@example.com', name: 'Req' }, priority, ...extra });
  const getTicket = async (id: string) => (await a.http.get(`/v1/tickets/${id}`).set(admin).expect(200)).body;
  const metric = (ticket: { sla: { metrics: Array<{ metric: string }> } | null }, name: string) =>
    ticket.sla?.metrics.find((m) => m.metric === name) as Record<string, unknown> | undefined;
  const slaEvents = async (ticketId: string) =>
    (await a.http.get(`/v1/tickets/${ticketId}/events?limit=100`).set(admin).expect(200)).body.data.filter((e: { type: string }) => e.type.startsWith('sla.'));

  beforeAll(async () => {
    a = await startInstance();
    admin = a.auth(a.main.key);
    a.clock.set(MONDAY_9AM_NEW_YORK);
    const calendar = await a.http.post('/v1/business-hours').set(admin).send({ name: 'New York office', ...NEW_YORK_OFFICE }).expect(201);
    calendarId = calendar.body.id;
    const policy = await a.http.post('/v1/sla-policies').set(admin).send({ name: 'Standard', position: 10, businessHoursId: calendarId, conditions: {}, targets: TARGETS }).expect(201);
    policyId = policy.body.id;
  });
  afterAll(async () => {
    await a?.close();
  });

  describe('business-hours calendars', () => {
    it('answers invalid zones and malformed or overlapping intervals with 422 naming each field', async () => {
      const response = await a.http.post('/v1/business-hours').set(admin).send({
        name: 'Broken',
        timezone: 'Mars/Olympus_Mons',
        weekly: { monday: ['09:00-12:00', '11:00-13:00'], tuesday: ['9-5'], funday: [] },
        holidays: [{ date: '2026-02-30', name: 'Nope' }],
      });
      expect(response.status).toBe(422);
      const fields = response.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['timezone', 'weekly.monday[1]', 'weekly.tuesday[0]', 'weekly.funday', 'holidays[0].date']));
      const unknownField = await a.http.post('/v1/business-hours').set(admin).send({ name: 'X', ...NEW_YORK_OFFICE, extra: true });
      expect(unknownField.status).toBe(422);
      expect(unknownField.body.errors[0].field).toBe('extra');
    });

    it('creates, reads, updates and lists calendars, accepts night shifts, and refuses to delete one in use', async () => {
      const created = await a.http.post('/v1/business-hours').set(admin)
        .send({ name: 'Night desk', timezone: 'Europe/Berlin', weekly: { friday: ['22:00-06:00'] }, holidays: [{ from: '2026-12-24', to: '2026-12-26', name: 'Christmas', repeatsYearly: true }] })
        .expect(201);
      expect(created.body).toMatchObject({ name: 'Night desk', timezone: 'Europe/Berlin', weekly: { friday: ['22:00-06:00'] } });
      const patched = await a.http.patch(`/v1/business-hours/${created.body.id}`).set(admin).send({ weekly: { saturday: ['22:00-06:00'] } }).expect(200);
      expect(patched.body.weekly).toEqual({ saturday: ['22:00-06:00'] });
      const invalidPatch = await a.http.patch(`/v1/business-hours/${created.body.id}`).set(admin).send({ timezone: 'Nowhere/Land' });
      expect(invalidPatch.status).toBe(422);
      expect(invalidPatch.body.errors[0].field).toBe('timezone');
      const list = await a.http.get('/v1/business-hours').set(admin).expect(200);
      expect(list.body.data.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([calendarId, created.body.id]));
      expect((await a.http.delete(`/v1/business-hours/${calendarId}`).set(admin)).status).toBe(409);
      await a.http.delete(`/v1/business-hours/${created.body.id}`).set(admin).expect(204);
      await a.http.get(`/v1/business-hours/${created.body.id}`).set(admin).expect(404);
    });
  });

  describe('policies', () => {
    it('orders policies by position, appends one without a position, and validates references', async () => {
      const first = await a.http.post('/v1/sla-policies').set(admin).send({ name: 'VIP first', position: 0, conditions: { tags: ['vip'] }, targets: { low: { resolution: 10 } } }).expect(201);
      const appended = await a.http.post('/v1/sla-policies').set(admin).send({ name: 'Appended', targets: {} }).expect(201);
      expect(appended.body.position).toBeGreaterThan(first.body.position);
      expect(first.body.pausedStatuses).toEqual({ firstResponse: [], nextResponse: [], resolution: ['pending', 'on_hold'] });
      const list = await a.http.get('/v1/sla-policies').set(admin).expect(200);
      const names = list.body.data.map((p: { name: string }) => p.name);
      expect(names.indexOf('VIP first')).toBeLessThan(names.indexOf('Standard'));
      expect(names.indexOf('Standard')).toBeLessThan(names.indexOf('Appended'));

      const invalid = await a.http.post('/v1/sla-policies').set(admin).send({
        name: 'Bad', businessHoursId: '00000000-0000-4000-8000-000000000000', targets: { urgent: { firstResponse: 0 }, someday: {} },
      });
      expect(invalid.status).toBe(422);
      expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['targets.urgent.firstResponse', 'targets.someday']));
      const unknownCalendar = await a.http.post('/v1/sla-policies').set(admin).send({ name: 'Bad2', businessHoursId: '00000000-0000-4000-8000-000000000000', targets: {} });
      expect(unknownCalendar.status).toBe(422);
      expect(unknownCalendar.body.errors[0].field).toBe('businessHoursId');
      const unknownTeam = await a.http.post('/v1/sla-policies').set(admin).send({ name: 'Bad3', conditions: { teamIds: ['00000000-0000-4000-8000-000000000000'] }, targets: {} });
      expect(unknownTeam.body.errors[0].field).toBe('conditions.teamIds[0]');
      await a.http.delete(`/v1/sla-policies/${first.body.id}`).set(admin).expect(204);
      await a.http.delete(`/v1/sla-policies/${appended.body.id}`).set(admin).expect(204);
    });
  });

  describe('ticket clocks', () => {
    it('measures first response and resolution in business hours across a weekend and the DST change', async () => {
      // Friday 16:30 in New York; clocks move forward on Sunday 2026-03-08.
      a.clock.set('2026-03-06T21:30:00.000Z');
      const created = await createTicket('urgent').expect(201);
      expect(created.body.sla.policyId).toBe(policyId);
      const ticket = await getTicket(created.body.id);
      expect(metric(ticket, 'first_response')).toMatchObject({ status: 'active', startedAt: '2026-03-06T21:30:00.000Z', dueAt: '2026-03-09T13:30:00.000Z', elapsedMinutes: 0, remainingMinutes: 60 });
      expect(metric(ticket, 'resolution')).toMatchObject({ status: 'active', dueAt: '2026-03-09T20:30:00.000Z' });
      expect(metric(ticket, 'next_response')).toBeUndefined();

      a.clock.set('2026-03-09T13:10:00.000Z'); // Monday 09:10 EDT: 30 minutes on Friday, 10 today
      expect(metric(await getTicket(created.body.id), 'first_response')).toMatchObject({ elapsedMinutes: 40, remainingMinutes: 20 });
    });

    it('fulfils first response on a public agent reply, and runs next response from a requester message after it', async () => {
      a.clock.set(MONDAY_9AM_NEW_YORK);
      const { body: ticket } = await createTicket('urgent').expect(201);
      a.clock.set(at(MONDAY_9AM_NEW_YORK, 10).toISOString());
      await a.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: 'internal', visibility: 'internal' }).expect(201);
      expect(metric(await getTicket(ticket.id), 'first_response')).toMatchObject({ status: 'active' });
      a.clock.set(at(MONDAY_9AM_NEW_YORK, 20).toISOString());
      await a.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: 'On it' }).expect(201);
      let view = await getTicket(ticket.id);
      expect(metric(view, 'first_response')).toMatchObject({ status: 'fulfilled', fulfilledAt: at(MONDAY_9AM_NEW_YORK, 20).toISOString(), elapsedMinutes: 20 });
      expect(metric(view, 'next_response')).toBeUndefined();

      a.clock.set(at(MONDAY_9AM_NEW_YORK, 30).toISOString());
      await a.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: 'Still broken', authorContactId: ticket.requester.id }).expect(201);
      view = await getTicket(ticket.id);
      expect(metric(view, 'next_response')).toMatchObject({ status: 'active', startedAt: at(MONDAY_9AM_NEW_YORK, 30).toISOString(), dueAt: at(MONDAY_9AM_NEW_YORK, 150).toISOString() });
      // A second requester message while waiting does not restart the clock.
      a.clock.set(at(MONDAY_9AM_NEW_YORK, 40).toISOString());
      await a.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: 'Hello?', authorContactId: ticket.requester.id }).expect(201);
      expect(metric(await getTicket(ticket.id), 'next_response')).toMatchObject({ startedAt: at(MONDAY_9AM_NEW_YORK, 30).toISOString() });
      a.clock.set(at(MONDAY_9AM_NEW_YORK, 50).toISOString());
      await a.http.post(`/v1/tickets/${ticket.id}/messages`).set(admin).send({ body: 'Fixed' }).expect(201);
      expect(metric(await getTicket(ticket.id), 'next_response')).toMatchObject({ status: 'fulfilled', elapsedMinutes: 20 });
    });

    it('pauses resolution while pending, resumes on reopen, stops at resolved and resumes if the ticket reopens', async () => {
      a.clock.set(MONDAY_9AM_NEW_YORK);
      const { body: ticket } = await createTicket('normal').expect(201);
      a.clock.set(at(MONDAY_9AM_NEW_YORK, 60).toISOString());
      await a.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ status: 'pending' }).expect(200);
      let view = await getTicket(ticket.id);
      expect(metric(view, 'resolution')).toMatchObject({ status: 'paused', dueAt: null, elapsedMinutes: 60 });
      expect(metric(view, 'first_response')).toMatchObject({ status: 'active' });

      a.clock.set(at(MONDAY_9AM_NEW_YORK, 180).toISOString());
      expect(metric(await getTicket(ticket.id), 'resolution')).toMatchObject({ elapsedMinutes: 60 });
      await a.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ status: 'open' }).expect(200);
      view = await getTicket(ticket.id);
      // 900 business minutes left from Monday 12:00: 300 on Monday, 480 on Tuesday, 120 on Wednesday.
      expect(metric(view, 'resolution')).toMatchObject({ status: 'active', elapsedMinutes: 60, dueAt: '2026-03-04T16:00:00.000Z' });

      a.clock.set(at(MONDAY_9AM_NEW_YORK, 240).toISOString());
      await a.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ status: 'resolved' }).expect(200);
      view = await getTicket(ticket.id);
      expect(metric(view, 'resolution')).toMatchObject({ status: 'fulfilled', elapsedMinutes: 120 });
      expect(metric(view, 'first_response')).toMatchObject({ status: 'fulfilled' });

      a.clock.set(at(MONDAY_9AM_NEW_YORK, 300).toISOString());
      await a.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ status: 'open' }).expect(200);
      expect(metric(await getTicket(ticket.id), 'resolution')).toMatchObject({ status: 'active', fulfilledAt: null, elapsedMinutes: 120 });
    });

    it('recomputes running metrics from their start when the priority changes, and drops them without a target', async () => {
      a.clock.set(MONDAY_9AM_NEW_YORK);
      const { body: ticket } = await createTicket('normal').expect(201);
      expect(metric(ticket, 'first_response')).toMatchObject({ dueAt: at(MONDAY_9AM_NEW_YORK, 240).toISOString() });
      a.clock.set(at(MONDAY_9AM_NEW_YORK, 30).toISOString());
      const urgent = await a.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ priority: 'urgent' }).expect(200);
      expect(metric(urgent.body, 'first_response')).toMatchObject({ startedAt: MONDAY_9AM_NEW_YORK, dueAt: at(MONDAY_9AM_NEW_YORK, 60).toISOString(), elapsedMinutes: 30 });
      const low = await a.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ priority: 'low' }).expect(200);
      expect(low.body.sla).toBeNull();
      const back = await a.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ priority: 'urgent' }).expect(200);
      expect(metric(back.body, 'first_response')).toMatchObject({ startedAt: MONDAY_9AM_NEW_YORK, dueAt: at(MONDAY_9AM_NEW_YORK, 60).toISOString() });
    });

    it('runs an SLA due time across a special half day, and recomputes it when the special day is added later', async () => {
      const workspace = await a.http.post('/v1/workspaces').set(admin).send({ name: `Holidays ${randomBytes(3).toString('hex')}` }).expect(201);
      const auth = { Authorization: `Bearer ${workspace.body.apiKey.key}` };
      const invalid = await a.http.post('/v1/business-hours').set(auth).send({
        name: 'Broken', ...NEW_YORK_OFFICE, specialDays: [{ date: '2026-12-24', hours: ['09:00-13:00', '12:00-14:00'], name: 'Eve' }, { date: 'soon', hours: [], name: 'x' }],
      }).expect(422);
      expect(invalid.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['specialDays[0].hours[1]', 'specialDays[1].date']);

      const calendar = await a.http.post('/v1/business-hours').set(auth).send({ name: 'New York with Christmas', ...NEW_YORK_OFFICE, holidays: [{ date: '2026-12-25', name: 'Christmas Day' }] }).expect(201);
      expect(calendar.body.specialDays).toEqual([]);
      await a.http.post('/v1/sla-policies').set(auth).send({ name: 'Christmas', businessHoursId: calendar.body.id, targets: { urgent: { firstResponse: 240, resolution: 960 } } }).expect(201);

      // Thursday 2026-12-24 11:00 EST: 4 business hours run to 15:00 on a full day.
      a.clock.set('2026-12-24T16:00:00.000Z');
      const ticket = (await createTicket('urgent', {}, auth).expect(201)).body;
      expect(metric(ticket, 'first_response')).toMatchObject({ dueAt: '2026-12-24T20:00:00.000Z' });

      // Closing at noon leaves 2 hours on Christmas Eve; Christmas Day is a holiday, so 2 more run Monday 09:00-11:00.
      const patched = await a.http.patch(`/v1/business-hours/${calendar.body.id}`).set(auth)
        .send({ specialDays: [{ date: '2026-12-24', hours: ['09:00-13:00'], name: 'Christmas Eve' }] }).expect(200);
      expect(patched.body.specialDays).toEqual([{ date: '2026-12-24', hours: ['09:00-13:00'], name: 'Christmas Eve' }]);
      const after = (await a.http.get(`/v1/tickets/${ticket.id}`).set(auth).expect(200)).body;
      expect(metric(after, 'first_response')).toMatchObject({ dueAt: '2026-12-28T16:00:00.000Z' });
      const later = (await createTicket('urgent', {}, auth).expect(201)).body;
      expect(metric(later, 'first_response')).toMatchObject({ dueAt: '2026-12-28T16:00:00.000Z' });

      const overGraphql = await a.http.post('/graphql').set(auth).send({ query: `{ businessHours(id: "${calendar.body.id}") { specialDays } }` }).expect(200);
      expect(overGraphql.body).toEqual({ data: { businessHours: { specialDays: [{ date: '2026-12-24', hours: ['09:00-13:00'], name: 'Christmas Eve' }] } } });
    });

    it('measures a Europe/Berlin night shift exactly across both 2026 DST changes', async () => {
      const workspace = await a.http.post('/v1/workspaces').set(admin).send({ name: `Berlin ${randomBytes(3).toString('hex')}` }).expect(201);
      const auth = { Authorization: `Bearer ${workspace.body.apiKey.key}` };
      const calendar = await a.http.post('/v1/business-hours').set(auth).send({
        name: 'Berlin night desk', timezone: 'Europe/Berlin', weekly: { monday: workday, tuesday: workday, wednesday: workday, thursday: workday, friday: workday, saturday: ['22:00-06:00'] },
      }).expect(201);
      await a.http.post('/v1/sla-policies').set(auth).send({ name: 'Berlin', businessHoursId: calendar.body.id, targets: { urgent: { firstResponse: 480, resolution: 600 } } }).expect(201);

      // Saturday 22:00 CEST; at 03:00 CEST the clocks go back to 02:00 CET, so the shift to 06:00 CET has 9 real hours.
      a.clock.set('2026-10-24T20:00:00.000Z');
      const autumn = (await createTicket('urgent', {}, auth).expect(201)).body;
      expect(metric(autumn, 'first_response')).toMatchObject({ dueAt: '2026-10-25T04:00:00.000Z' }); // 05:00 CET
      expect(metric(autumn, 'resolution')).toMatchObject({ dueAt: '2026-10-26T09:00:00.000Z' }); // 9 h overnight, then Monday 09:00-10:00 CET
      a.clock.set('2026-10-25T03:59:00.000Z');
      const almost = (await a.http.get(`/v1/tickets/${autumn.id}`).set(auth).expect(200)).body;
      expect(metric(almost, 'first_response')).toMatchObject({ elapsedMinutes: 479, remainingMinutes: 1 });

      // Saturday 22:00 CET; at 02:00 CET the clocks jump to 03:00 CEST, so the shift to 06:00 CEST has 7 real hours.
      a.clock.set('2026-03-28T21:00:00.000Z');
      const spring = (await createTicket('urgent', {}, auth).expect(201)).body;
      expect(metric(spring, 'first_response')).toMatchObject({ dueAt: '2026-03-30T08:00:00.000Z' }); // 7 h overnight, then Monday 09:00-10:00 CEST
      expect(metric(spring, 'resolution')).toMatchObject({ dueAt: '2026-03-30T10:00:00.000Z' });
    });

    it('takes every ticket, message, event and outbox timestamp from the injected clock, in step with the SLA', async () => {
      const start = '2026-03-10T14:00:00.000Z'; // Tuesday 10:00 EDT
      a.clock.set(start);
      const { body: created } = await createTicket('urgent').expect(201);
      expect(created).toMatchObject({ createdAt: start, updatedAt: start, firstRespondedAt: null, resolvedAt: null });
      expect(metric(created, 'first_response')).toMatchObject({ startedAt: start, dueAt: at(start, 60).toISOString() });

      a.clock.set(at(start, 25).toISOString());
      await a.http.post(`/v1/tickets/${created.id}/messages`).set(admin).send({ body: 'Looking' }).expect(201);
      let ticket = await getTicket(created.id);
      expect(ticket).toMatchObject({ createdAt: start, updatedAt: at(start, 25).toISOString(), firstRespondedAt: at(start, 25).toISOString() });
      expect(metric(ticket, 'first_response')).toMatchObject({ status: 'fulfilled', fulfilledAt: ticket.firstRespondedAt, elapsedMinutes: 25 });

      a.clock.set(at(start, 90).toISOString());
      const resolved = await a.http.patch(`/v1/tickets/${created.id}`).set(admin).send({ status: 'resolved' }).expect(200);
      expect(resolved.body).toMatchObject({ updatedAt: at(start, 90).toISOString(), resolvedAt: at(start, 90).toISOString() });
      ticket = await getTicket(created.id);
      expect(metric(ticket, 'resolution')).toMatchObject({ status: 'fulfilled', fulfilledAt: ticket.resolvedAt, elapsedMinutes: 90 });

      const messages = (await a.http.get(`/v1/tickets/${created.id}/messages`).set(admin).expect(200)).body.data;
      expect(messages.map((m: { createdAt: string }) => m.createdAt)).toEqual([start, at(start, 25).toISOString()]);
      const events = (await a.http.get(`/v1/tickets/${created.id}/events?limit=100`).set(admin).expect(200)).body.data;
      expect(events.map((e: { type: string; createdAt: string }) => [e.type, e.createdAt])).toEqual([
        ['ticket.created', start],
        ['ticket.message_created', start],
        ['ticket.message_created', at(start, 25).toISOString()],
        ['ticket.status_changed', at(start, 25).toISOString()],
        ['ticket.updated', at(start, 90).toISOString()],
        ['ticket.status_changed', at(start, 90).toISOString()],
      ]);
      const outbox: Array<{ created_at: Date; created: string }> = await a.app.get(DataSource).query(
        `SELECT created_at, payload->>'createdAt' AS created FROM outbox_events WHERE subject_id = $1 ORDER BY sequence`,
        [created.id],
      );
      expect(outbox.map((row) => [row.created_at.toISOString(), row.created])).toEqual(events.map((e: { createdAt: string }) => [e.createdAt, e.createdAt]));
    });

    it('shows the SLA over GraphQL', async () => {
      a.clock.set(MONDAY_9AM_NEW_YORK);
      const { body: ticket } = await createTicket('urgent').expect(201);
      const response = await a.http.post('/graphql').set(admin).send({
        query: `query($id: ID!) { ticket(id: $id) { sla { policyId metrics { metric status dueAt remainingMinutes } } } }`,
        variables: { id: ticket.id },
      });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.ticket.sla.policyId).toBe(policyId);
      expect(response.body.data.ticket.sla.metrics).toEqual(expect.arrayContaining([
        { metric: 'first_response', status: 'active', dueAt: at(MONDAY_9AM_NEW_YORK, 60).toISOString(), remainingMinutes: 60 },
      ]));
      const policies = await a.http.post('/graphql').set(admin).send({ query: '{ slaPolicies { edges { node { name position targets { urgent { firstResponse } } } } } }' });
      expect(policies.body.data.slaPolicies.edges.map((e: { node: { name: string } }) => e.node.name)).toContain('Standard');
    });
  });

  describe('breaches, warnings and the agent queue', () => {
    it('warns before and breaches at the due time exactly once per metric cycle, and lists breached tickets first', async () => {
      a.clock.set('2026-03-03T14:00:00.000Z'); // Tuesday 09:00 EST
      const { body: late } = await createTicket('urgent').expect(201);
      a.clock.set('2026-03-03T14:10:00.000Z');
      const { body: later } = await createTicket('urgent').expect(201);

      a.clock.set('2026-03-03T14:35:00.000Z'); // 25 minutes before the first is due
      await a.scanner.scan();
      await a.scanner.scan();
      expect((await slaEvents(late.id)).map((e: { type: string }) => e.type)).toEqual(['sla.warning']);
      expect(await slaEvents(later.id)).toEqual([]);

      a.clock.set('2026-03-03T15:00:00.000Z'); // exactly due
      await a.scanner.scan();
      await a.scanner.scan();
      const events = await slaEvents(late.id);
      expect(events.map((e: { type: string }) => e.type)).toEqual(['sla.warning', 'sla.breached']);
      expect(events[1].data.sla).toEqual({ metric: 'first_response', cycle: 1, dueAt: '2026-03-03T15:00:00.000Z' });
      expect(events[1].actor.name).toBe('system');
      expect(metric(await getTicket(late.id), 'first_response')).toMatchObject({ status: 'breached', breachedAt: '2026-03-03T15:00:00.000Z', remainingMinutes: 0 });

      const breached = await a.http.get('/v1/tickets?slaBreached=true&limit=100').set(admin).expect(200);
      const breachedIds = breached.body.data.map((t: { id: string }) => t.id);
      expect(breachedIds).toContain(late.id);
      expect(breachedIds).not.toContain(later.id);
      const dueSoon = await a.http.get(`/v1/tickets?slaDueBefore=2026-03-03T15:05:00.000Z&limit=100`).set(admin).expect(200);
      expect(dueSoon.body.data.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining([late.id]));
      expect(dueSoon.body.data.map((t: { id: string }) => t.id)).not.toContain(later.id);

      const queue = await a.http.get('/v1/tickets?sort=slaDueAt&limit=100').set(admin).expect(200);
      const order = queue.body.data.map((t: { id: string }) => t.id);
      expect(order.indexOf(late.id)).toBeLessThan(order.indexOf(later.id));
      const dues = queue.body.data.map((t: { sla: { metrics: Array<{ dueAt: string | null; fulfilledAt: string | null; status: string }> } | null }) =>
        Math.min(...(t.sla?.metrics ?? []).filter((m) => m.dueAt && !m.fulfilledAt && m.status !== 'paused').map((m) => Date.parse(m.dueAt!))));
      expect([...dues].sort((x, y) => x - y)).toEqual(dues);
      // Keyset pages of the queue return the same order.
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: request.Response = await a.http.get(`/v1/tickets?sort=slaDueAt&limit=3${cursor ? `&cursor=${cursor}` : ''}`).set(admin).expect(200);
        paged.push(...page.body.data.map((t: { id: string }) => t.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(paged).toEqual(order);

      // GraphQL sorts by the same key, and an edge's cursor resumes right after that ticket.
      const gqlPage = (after?: string) =>
        a.http.post('/graphql').set(admin).send({
          query: 'query($after: String) { tickets(first: 100, sort: slaDueAt, after: $after) { edges { cursor node { id } } } }',
          variables: { after: after ?? null },
        }).expect(200);
      const edges: Array<{ cursor: string; node: { id: string } }> = (await gqlPage()).body.data.tickets.edges;
      expect(edges.map((edge) => edge.node.id)).toEqual(order);
      const resumed: Array<{ node: { id: string } }> = (await gqlPage(edges[1].cursor)).body.data.tickets.edges;
      expect(resumed.map((edge) => edge.node.id)).toEqual(order.slice(2));
    });

    it('fires each breach exactly once with two instances scanning one database', async () => {
      const b = await startInstance({ SLA_SCHEDULER_ENABLED: 'true', SLA_SCAN_INTERVAL_MS: '40' }, { sameDatabaseAs: a });
      try {
        a.clock.set('2026-03-04T14:00:00.000Z'); // Wednesday 09:00 EST
        b.clock.set('2026-03-04T14:00:00.000Z');
        const ids: string[] = [];
        for (let i = 0; i < 12; i++) ids.push((await createTicket('urgent').expect(201)).body.id);
        // Both instances move past the due time (and the warning window) at once, and race.
        a.clock.set('2026-03-04T15:01:00.000Z');
        b.clock.set('2026-03-04T15:01:00.000Z');
        await Promise.all([a.scanner.scan(), b.scanner.scan(), a.scanner.scan(), b.scanner.scan()]);
        const db = a.app.get(DataSource);
        const counts: Array<{ ticket_id: string; breached: string }> = await eventually(async () => {
          const rows: Array<{ ticket_id: string; breached: string }> = await db.query(
            `SELECT ticket_id, COUNT(*) FILTER (WHERE type = 'sla.breached') AS breached FROM ticket_events WHERE ticket_id = ANY($1) GROUP BY ticket_id`,
            [ids],
          );
          return rows.length === ids.length && rows.every((row) => Number(row.breached) >= 1) && rows;
        }, 'breaches of every ticket');
        // The scheduler of instance b keeps scanning meanwhile; one more forced round from each must still add nothing.
        await Promise.all([a.scanner.scan(), b.scanner.scan(), b.scheduler.tick()]);
        const again: Array<{ type: string; n: string }> = await db.query(
          `SELECT type, COUNT(*) AS n FROM ticket_events WHERE ticket_id = ANY($1) AND type LIKE 'sla.%' GROUP BY type`,
          [ids],
        );
        expect(counts.every((row) => Number(row.breached) === 1)).toBe(true);
        expect(Object.fromEntries(again.map((row) => [row.type, Number(row.n)]))).toEqual({ 'sla.breached': 12 });
        const outbox = await db.query(`SELECT COUNT(*)::int AS n FROM outbox_events WHERE type = 'sla.breached' AND subject_id = ANY($1)`, [ids]);
        expect(outbox[0].n).toBe(12);
      } finally {
        await b.close();
      }
    });

    it('detects a breach on its own through the scheduler', async () => {
      const b = await startInstance({ SLA_SCHEDULER_ENABLED: 'true', SLA_SCAN_INTERVAL_MS: '40' }, { sameDatabaseAs: a });
      try {
        b.clock.set('2026-03-05T14:00:00.000Z');
        const { body: ticket } = await createTicket('urgent', {}, admin, () => b.http).expect(201);
        expect(await slaEvents(ticket.id)).toEqual([]);
        b.clock.set('2026-03-05T15:00:00.000Z');
        const events = await eventually(async () => {
          const found = await slaEvents(ticket.id);
          return found.some((e: { type: string }) => e.type === 'sla.breached') && found;
        }, 'the scheduled breach');
        expect(events.filter((e: { type: string }) => e.type === 'sla.breached')).toHaveLength(1);
      } finally {
        await b.close();
      }
    });
  });

  describe('auto-close', () => {
    it("closes resolved tickets after the workspace's number of days, with a ticket event saying why", async () => {
      expect((await a.http.get('/v1/sla-settings').set(admin).expect(200)).body).toEqual({ autoCloseAfterDays: 4 });
      await a.http.patch('/v1/sla-settings').set(admin).send({ autoCloseAfterDays: 2 }).expect(200);
      expect((await a.http.patch('/v1/sla-settings').set(admin).send({ autoCloseAfterDays: 0 })).status).toBe(422);
      const { body: ticket } = await createTicket('low').expect(201);
      await a.http.patch(`/v1/tickets/${ticket.id}`).set(admin).send({ status: 'resolved' }).expect(200);
      const resolvedAt = Date.parse((await getTicket(ticket.id)).resolvedAt);

      a.clock.set(new Date(resolvedAt + 86_400_000));
      await a.scheduler.tick();
      expect((await getTicket(ticket.id)).status).toBe('resolved');
      a.clock.set(new Date(resolvedAt + 2 * 86_400_000 + 1000));
      await a.scheduler.tick();
      expect((await getTicket(ticket.id)).status).toBe('closed');
      const events = (await a.http.get(`/v1/tickets/${ticket.id}/events`).set(admin).expect(200)).body.data;
      const closing = events.find((e: { type: string; changes: { status?: { after: string } } }) => e.type === 'ticket.status_changed' && e.changes.status?.after === 'closed');
      expect(closing.actor.name).toBe('system');
      expect(closing.data).toEqual({ reason: 'auto_close', afterDays: 2 });
      const outbox = await a.app.get(DataSource).query(
        `SELECT payload->'data'->>'reason' AS reason, (payload->'data'->>'afterDays')::int AS "afterDays" FROM outbox_events WHERE subject_id = $1 AND sequence = $2`,
        [ticket.id, closing.sequence],
      );
      expect(outbox).toEqual([{ reason: 'auto_close', afterDays: 2 }]);
      await a.http.patch('/v1/sla-settings').set(admin).send({ autoCloseAfterDays: 4 }).expect(200);
    });
  });

  describe('policy and calendar edits', () => {
    it("recomputes open tickets' running metrics from their start when policies or a calendar change", async () => {
      const workspace = await a.http.post('/v1/workspaces').set(admin).send({ name: `Edits ${randomBytes(3).toString('hex')}` }).expect(201);
      const auth = { Authorization: `Bearer ${workspace.body.apiKey.key}` };
      const read = async (id: string) => (await a.http.get(`/v1/tickets/${id}`).set(auth).expect(200)).body;
      const start = '2026-04-06T08:00:00.000Z'; // a Monday
      const iso = (plusMinutes: number) => at(start, plusMinutes).toISOString();
      a.clock.set(start);
      const policyA = (await a.http.post('/v1/sla-policies').set(auth).send({ name: 'A', position: 10, targets: { normal: { firstResponse: 60, resolution: 600 } } }).expect(201)).body;
      const first = (await createTicket('normal', {}, auth).expect(201)).body;
      const paused = (await createTicket('normal', {}, auth).expect(201)).body;
      const done = (await createTicket('normal', {}, auth).expect(201)).body;
      a.clock.set(iso(30));
      const second = (await createTicket('normal', {}, auth).expect(201)).body;
      await a.http.patch(`/v1/tickets/${paused.id}`).set(auth).send({ status: 'pending' }).expect(200);
      await a.http.patch(`/v1/tickets/${done.id}`).set(auth).send({ status: 'resolved' }).expect(200);
      const doneBefore = (await read(done.id)).sla;

      // New targets apply from each metric's start, not from the edit.
      a.clock.set(iso(40));
      await a.http.patch(`/v1/sla-policies/${policyA.id}`).set(auth).send({ targets: { normal: { firstResponse: 120, resolution: 300 } } }).expect(200);
      expect(metric(await read(first.id), 'first_response')).toMatchObject({ status: 'active', startedAt: start, dueAt: iso(120), remainingMinutes: 80 });
      expect(metric(await read(first.id), 'resolution')).toMatchObject({ dueAt: iso(300) });
      expect(metric(await read(second.id), 'first_response')).toMatchObject({ startedAt: iso(30), dueAt: iso(150) });
      expect(metric(await read(paused.id), 'resolution')).toMatchObject({ status: 'paused', dueAt: null, remainingMinutes: 270 });
      expect((await read(done.id)).sla).toEqual(doneBefore);

      // A policy added behind A changes nothing; moved in front of it, it applies; deleted, A applies again.
      const policyB = (await a.http.post('/v1/sla-policies').set(auth).send({ name: 'B', position: 20, targets: { normal: { firstResponse: 30 } } }).expect(201)).body;
      expect((await read(first.id)).sla.policyId).toBe(policyA.id);
      await a.http.patch(`/v1/sla-policies/${policyB.id}`).set(auth).send({ position: 0 }).expect(200);
      let ticket = await read(first.id);
      expect(ticket.sla.policyId).toBe(policyB.id);
      expect(metric(ticket, 'first_response')).toMatchObject({ startedAt: start, dueAt: iso(30) });
      expect(metric(ticket, 'resolution')).toBeUndefined();
      await a.http.delete(`/v1/sla-policies/${policyB.id}`).set(auth).expect(204);
      ticket = await read(first.id);
      expect(ticket.sla.policyId).toBe(policyA.id);
      expect(metric(ticket, 'first_response')).toMatchObject({ dueAt: iso(120) });
      expect(metric(ticket, 'resolution')).toMatchObject({ dueAt: iso(300) });

      // Measured on a calendar (UTC, 08:00-12:00 on weekdays), then the calendar's hours shrink to 08:00-09:00.
      const weekdays = (hours: string[]) => ({ monday: hours, tuesday: hours, wednesday: hours, thursday: hours, friday: hours });
      const calendar = (await a.http.post('/v1/business-hours').set(auth).send({ name: 'Mornings', timezone: 'UTC', weekly: weekdays(['08:00-12:00']) }).expect(201)).body;
      await a.http.patch(`/v1/sla-policies/${policyA.id}`).set(auth).send({ businessHoursId: calendar.id }).expect(200);
      expect(metric(await read(first.id), 'first_response')).toMatchObject({ dueAt: '2026-04-06T10:00:00.000Z' });
      expect(metric(await read(first.id), 'resolution')).toMatchObject({ dueAt: '2026-04-07T09:00:00.000Z' });
      await a.http.patch(`/v1/business-hours/${calendar.id}`).set(auth).send({ weekly: weekdays(['08:00-09:00']) }).expect(200);
      ticket = await read(first.id);
      expect(metric(ticket, 'first_response')).toMatchObject({ startedAt: start, dueAt: '2026-04-07T09:00:00.000Z' });
      expect(metric(ticket, 'resolution')).toMatchObject({ dueAt: '2026-04-10T09:00:00.000Z' });
      // Started at 08:30 on Monday: 30 minutes on Monday, 60 on Tuesday, 30 on Wednesday.
      expect(metric(await read(second.id), 'first_response')).toMatchObject({ startedAt: iso(30), dueAt: '2026-04-08T08:30:00.000Z' });
      expect((await read(done.id)).sla).toEqual(doneBefore);
      // The agent queue reads the recomputed next due time.
      const dueByTuesday = await a.http.get('/v1/tickets?slaDueBefore=2026-04-07T10:00:00.000Z&limit=100').set(auth).expect(200);
      expect(dueByTuesday.body.data.map((t: { id: string }) => t.id).sort()).toEqual([first.id, paused.id].sort());
    });
  });

  describe('report and workspace isolation', () => {
    it('reports met and breached targets per metric and priority, and keeps workspaces apart', async () => {
      const other = await a.http.post('/v1/workspaces').set(admin).send({ name: `Other ${randomBytes(3).toString('hex')}` }).expect(201);
      const otherAuth = { Authorization: `Bearer ${other.body.apiKey.key}` };
      await a.http.get(`/v1/business-hours/${calendarId}`).set(otherAuth).expect(404);
      await a.http.get(`/v1/sla-policies/${policyId}`).set(otherAuth).expect(404);
      expect((await a.http.get('/v1/sla-policies').set(otherAuth).expect(200)).body.data).toEqual([]);
      const foreignCalendar = await a.http.post('/v1/sla-policies').set(otherAuth).send({ name: 'Foreign', businessHoursId: calendarId, targets: {} });
      expect(foreignCalendar.status).toBe(422);

      await a.http.post('/v1/sla-policies').set(otherAuth).send({ name: '24/7', targets: { high: { firstResponse: 30 } } }).expect(201);
      a.clock.set('2026-06-01T10:00:00.000Z');
      const met = await createTicket('high', {}, otherAuth).expect(201);
      const missed = await createTicket('high', {}, otherAuth).expect(201);
      expect(metric(met.body, 'first_response')).toMatchObject({ dueAt: '2026-06-01T10:30:00.000Z' });
      a.clock.set('2026-06-01T10:20:00.000Z');
      await a.http.post(`/v1/tickets/${met.body.id}/messages`).set(otherAuth).send({ body: 'Answered in time' }).expect(201);
      a.clock.set('2026-06-01T11:00:00.000Z');
      await a.scanner.scan();

      const report = await a.http.get('/v1/reports/sla?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z').set(otherAuth).expect(200);
      expect(report.body.rows).toHaveLength(12);
      expect(report.body.rows).toContainEqual({ metric: 'first_response', priority: 'high', met: 1, breached: 1, percentage: 50 });
      expect(report.body.rows).toContainEqual({ metric: 'resolution', priority: 'high', met: 0, breached: 0, percentage: null });
      expect(metric(await (await a.http.get(`/v1/tickets/${missed.body.id}`).set(otherAuth)).body, 'first_response')).toMatchObject({ status: 'breached' });
      const mainReport = await a.http.get('/v1/reports/sla?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z').set(admin).expect(200);
      expect(mainReport.body.rows.every((row: { met: number; breached: number }) => row.met === 0 && row.breached === 0)).toBe(true);
      const badRange = await a.http.get('/v1/reports/sla?from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z').set(otherAuth);
      expect(badRange.status).toBe(422);
      expect(badRange.body.errors[0].field).toBe('to');
    });
  });
});
