import { DataSource } from 'typeorm';
import { Clock, ManualClock } from '../src/common/clock';
import { BreachScanner } from '../src/sla/breaches/breach-scanner';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A hand-built data set, reported in America/New_York (UTC-5 in January), days 2026-01-05..07:
 *   A created 01-05 04:00Z (01-04 local, before the window), resolved 01-05 10:00Z (360 min), rated bad 01-05 12:00Z
 *   B created 01-05 06:00Z, first reply +10 min, resolved 01-06 06:00Z (1440 min), reopened 01-06 08:00Z
 *   C created 01-06 04:59Z (still 01-05 local), first reply 01-06 05:29Z (30 min), resolved 01-07 04:00Z (1381 min), rated good 01-07 06:00Z
 *   D created 01-07 12:00Z, first reply +90 min, assigned, team Tier 2
 *   E created 01-08 05:00Z (01-08 00:00 local, after the window)
 */
describe('reports', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let db: DataSource;
  let agentId: string;
  let teamId: string;
  const ticket: Record<string, string> = {};

  const create = async (name: string, body: Record<string, unknown>, createdAt: string, firstResponseAt: string | null) => {
    const response = await t.http.post('/v1/tickets').set(admin)
      .send({ subject: `Ticket ${name}`, message: { body: 'help' }, requester: { email: `${name.toLowerCase()}@example.com` }, ...body }).expect(201);
    ticket[name] = response.body.id;
    await db.query('UPDATE tickets SET created_at = $2, first_responded_at = $3 WHERE id = $1', [response.body.id, createdAt, firstResponseAt]);
  };
  const setStatus = async (name: string, status: string, at: string, auth = admin) => {
    const before = (await t.http.get(`/v1/tickets/${ticket[name]}`).set(auth)).body.status;
    await t.http.patch(`/v1/tickets/${ticket[name]}`).set(auth).send({ status }).expect(200);
    await db.query(
      `UPDATE ticket_events SET created_at = $2 WHERE ticket_id = $1 AND type = 'ticket.status_changed'
          AND changes->'status'->>'before' = $3 AND changes->'status'->>'after' = $4`,
      [ticket[name], at, before, status],
    );
  };
  const rate = async (name: string, rating: string, at: string) => {
    await t.http.post(`/v1/tickets/${ticket[name]}/satisfaction`).set(admin).send({ rating }).expect(201);
    await db.query('UPDATE satisfaction_ratings SET created_at = $2 WHERE ticket_id = $1', [ticket[name], at]);
  };
  const overview = async (query: Record<string, string>, auth = admin) => {
    const response = await t.http.get('/v1/reports/overview').query(query).set(auth);
    expect(response.status).toBe(200);
    return response.body;
  };
  const window = { from: '2026-01-05', to: '2026-01-07', timezone: 'America/New_York' };

  beforeAll(async () => {
    // The SLA clocks read the manual clock; breaches are marked only when a test runs the scanner.
    t = await startTestApp({ CLOCK: 'manual', SLA_SCHEDULER_ENABLED: 'false' });
    admin = t.auth(t.main.key);
    db = t.app.get(DataSource);
    agentId = (await t.http.post('/v1/agents').set(admin).send({ name: 'Ana Agent', email: 'ana@example.com', role: 'agent' }).expect(201)).body.id;
    teamId = (await t.http.post('/v1/teams').set(admin).send({ name: 'Tier 2' }).expect(201)).body.id;

    await create('A', { channel: 'email', tags: ['billing'] }, '2026-01-05T04:00:00Z', '2026-01-05T04:30:00Z');
    await create('B', { channel: 'email', tags: ['billing', 'vip'] }, '2026-01-05T06:00:00Z', '2026-01-05T06:10:00Z');
    await create('C', { channel: 'api' }, '2026-01-06T04:59:00Z', '2026-01-06T05:29:00Z');
    await create('D', { channel: 'chat', tags: ['vip'], assigneeId: agentId, teamId }, '2026-01-07T12:00:00Z', '2026-01-07T13:30:00Z');
    await create('E', { channel: 'email' }, '2026-01-08T05:00:00Z', null);
    await setStatus('A', 'resolved', '2026-01-05T10:00:00Z');
    await setStatus('B', 'resolved', '2026-01-06T06:00:00Z');
    await setStatus('B', 'open', '2026-01-06T08:00:00Z');
    await setStatus('C', 'resolved', '2026-01-07T04:00:00Z');
    await rate('A', 'bad', '2026-01-05T12:00:00Z');
    await rate('C', 'good', '2026-01-07T06:00:00Z');
  });
  afterAll(() => t.close());

  const empty = { firstResponseMedianMinutes: null, firstResponseP90Minutes: null, resolutionMedianMinutes: null, resolutionP90Minutes: null };
  const achievement = (firstResponse: number[], resolution: number[], nextResponse = [0, 0]) =>
    ([['first_response', firstResponse], ['next_response', nextResponse], ['resolution', resolution]] as const).map(([metric, [met, breached]]) => (
      { metric, met, breached, percentage: met + breached ? Math.round((1000 * met) / (met + breached)) / 10 : null }));
  // No SLA policy in this workspace: no targets to achieve and calendar minutes throughout.
  const noSla = achievement([0, 0], [0, 0]);

  describe('overview', () => {
    it('computes every figure per local day', async () => {
      const report = await overview({ ...window, interval: 'day' });
      expect(report).toMatchObject({ from: '2026-01-05', to: '2026-01-07', timezone: 'America/New_York', interval: 'day', durationUnit: 'calendar' });
      expect(report.intervals).toEqual([
        {
          date: '2026-01-05', startsAt: '2026-01-05T05:00:00.000Z', endsAt: '2026-01-06T05:00:00.000Z',
          created: 2, resolved: 1, reopened: 0, backlog: 2,
          firstResponseMedianMinutes: 10, firstResponseP90Minutes: 10, resolutionMedianMinutes: 360, resolutionP90Minutes: 360,
          satisfactionGood: 0, satisfactionBad: 1, satisfactionScore: 0,
          firstResponseUnit: 'calendar', resolutionUnit: 'calendar', slaAchievement: noSla,
        },
        {
          date: '2026-01-06', startsAt: '2026-01-06T05:00:00.000Z', endsAt: '2026-01-07T05:00:00.000Z',
          created: 0, resolved: 2, reopened: 1, backlog: 1,
          firstResponseMedianMinutes: 30, firstResponseP90Minutes: 30, resolutionMedianMinutes: 1410.5, resolutionP90Minutes: 1434.1,
          satisfactionGood: 0, satisfactionBad: 0, satisfactionScore: null,
          firstResponseUnit: 'calendar', resolutionUnit: 'calendar', slaAchievement: noSla,
        },
        {
          date: '2026-01-07', startsAt: '2026-01-07T05:00:00.000Z', endsAt: '2026-01-08T05:00:00.000Z',
          created: 1, resolved: 0, reopened: 0, backlog: 2,
          firstResponseMedianMinutes: 90, firstResponseP90Minutes: 90, resolutionMedianMinutes: null, resolutionP90Minutes: null,
          satisfactionGood: 1, satisfactionBad: 0, satisfactionScore: 100,
          firstResponseUnit: 'calendar', resolutionUnit: null, slaAchievement: noSla,
        },
      ]);
    });

    it('aggregates a week with medians and 90th percentiles over all its events', async () => {
      const report = await overview({ ...window, interval: 'week' });
      expect(report.intervals).toEqual([{
        date: '2026-01-05', startsAt: '2026-01-05T05:00:00.000Z', endsAt: '2026-01-08T05:00:00.000Z',
        created: 3, resolved: 3, reopened: 1, backlog: 2,
        firstResponseMedianMinutes: 30, firstResponseP90Minutes: 78, resolutionMedianMinutes: 1381, resolutionP90Minutes: 1428.2,
        satisfactionGood: 1, satisfactionBad: 1, satisfactionScore: 50,
        firstResponseUnit: 'calendar', resolutionUnit: 'calendar', slaAchievement: noSla,
      }]);
    });

    it('puts interval boundaries in the requested time zone', async () => {
      const utc = await overview({ ...window, timezone: 'UTC' });
      expect(utc.intervals.map((i: { created: number }) => i.created)).toEqual([2, 1, 1]);
      expect(utc.intervals[0].startsAt).toBe('2026-01-05T00:00:00.000Z');
      const ny = await overview(window);
      expect(ny.intervals.map((i: { created: number }) => i.created)).toEqual([2, 0, 1]);
      // The day daylight saving time starts has 23 hours.
      const dst = await overview({ from: '2026-03-08', to: '2026-03-09', timezone: 'America/New_York' });
      expect(dst.intervals.map((i: { startsAt: string; endsAt: string }) => [i.startsAt, i.endsAt])).toEqual([
        ['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
        ['2026-03-09T04:00:00.000Z', '2026-03-10T04:00:00.000Z'],
      ]);
      expect(dst.intervals[1].backlog).toBe(3);
    });

    it('scopes to a channel, team or agent', async () => {
      const email = await overview({ ...window, interval: 'week', channel: 'email' });
      expect(email.intervals[0]).toMatchObject({ created: 1, resolved: 2, reopened: 1, backlog: 1, firstResponseMedianMinutes: 10, resolutionMedianMinutes: 900, satisfactionBad: 1 });
      const team = await overview({ ...window, interval: 'week', teamId });
      expect(team.intervals[0]).toMatchObject({ created: 1, resolved: 0, backlog: 1, firstResponseMedianMinutes: 90 });
      const agent = await overview({ ...window, interval: 'week', agentId });
      expect(agent.intervals[0]).toMatchObject({ created: 1, backlog: 1 });
    });

    it('validates its parameters naming the fields', async () => {
      const response = await t.http.get('/v1/reports/overview').query({ from: '2026-01-05', to: '2026-01-04', timezone: 'Mars/Base', interval: 'hour', extra: '1' }).set(admin);
      expect(response.status).toBe(422);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['interval', 'extra']));
      const zone = await t.http.get('/v1/reports/overview').query({ ...window, timezone: 'Mars/Base' }).set(admin);
      expect(zone.status).toBe(422);
      expect(zone.body.errors).toEqual([{ field: 'timezone', message: expect.any(String) }]);
      const reversed = await t.http.get('/v1/reports/overview').query({ ...window, to: '2026-01-01' }).set(admin);
      expect(reversed.body.errors).toEqual([{ field: 'to', message: 'must not be before from' }]);
    });
  });

  describe('breakdown', () => {
    const breakdown = async (by: string, extra: Record<string, string> = {}) => {
      const response = await t.http.get('/v1/reports/breakdown').query({ ...window, by, ...extra }).set(admin);
      expect(response.status).toBe(200);
      return response.body;
    };

    it('breaks down by channel', async () => {
      const report = await breakdown('channel');
      expect(report).toMatchObject({ by: 'channel', from: '2026-01-05', to: '2026-01-07' });
      expect(report.rows).toEqual([
        { key: 'api', label: 'api', created: 1, resolved: 1, reopened: 0, firstResponseMedianMinutes: 30, firstResponseP90Minutes: 30,
          resolutionMedianMinutes: 1381, resolutionP90Minutes: 1381, satisfactionGood: 1, satisfactionBad: 0, satisfactionScore: 100,
          firstResponseUnit: 'calendar', resolutionUnit: 'calendar', slaAchievement: noSla },
        { key: 'chat', label: 'chat', created: 1, resolved: 0, reopened: 0, firstResponseMedianMinutes: 90, firstResponseP90Minutes: 90,
          resolutionMedianMinutes: null, resolutionP90Minutes: null, satisfactionGood: 0, satisfactionBad: 0, satisfactionScore: null,
          firstResponseUnit: 'calendar', resolutionUnit: null, slaAchievement: noSla },
        { key: 'email', label: 'email', created: 1, resolved: 2, reopened: 1, firstResponseMedianMinutes: 10, firstResponseP90Minutes: 10,
          resolutionMedianMinutes: 900, resolutionP90Minutes: 1332, satisfactionGood: 0, satisfactionBad: 1, satisfactionScore: 0,
          firstResponseUnit: 'calendar', resolutionUnit: 'calendar', slaAchievement: noSla },
      ]);
    });

    it('breaks down by agent and team, naming the unassigned group', async () => {
      const agents = await breakdown('agent');
      expect(agents.rows.map((r: { key: string | null; label: string; created: number; resolved: number }) => [r.key, r.label, r.created, r.resolved])).toEqual([
        [null, 'Unassigned', 2, 3],
        [agentId, 'Ana Agent', 1, 0],
      ]);
      const teams = await breakdown('team');
      expect(teams.rows.map((r: { key: string | null; label: string; created: number }) => [r.key, r.label, r.created])).toEqual([
        [null, 'No team', 2],
        [teamId, 'Tier 2', 1],
      ]);
    });

    it('breaks down by priority and by tag, counting a ticket under each of its tags', async () => {
      const priorities = await breakdown('priority');
      expect(priorities.rows).toEqual([expect.objectContaining({ key: 'normal', created: 3, resolved: 3, reopened: 1 })]);
      const tags = await breakdown('tag');
      const byKey = Object.fromEntries(tags.rows.map((r: { key: string | null }) => [String(r.key), r]));
      expect(Object.keys(byKey).sort()).toEqual(['billing', 'null', 'vip']);
      expect(byKey.vip).toMatchObject({ label: 'vip', created: 2, resolved: 1, reopened: 1 });
      expect(byKey.billing).toMatchObject({ created: 1, resolved: 2, reopened: 1, resolutionMedianMinutes: 900, satisfactionBad: 1 });
      expect(byKey.null).toMatchObject({ label: 'Untagged', created: 1, resolved: 1, satisfactionGood: 1 });
    });

    it('requires a known dimension', async () => {
      const response = await t.http.get('/v1/reports/breakdown').query({ by: 'mood' }).set(admin);
      expect(response.status).toBe(422);
      expect(response.body.errors[0].field).toBe('by');
    });
  });

  describe('CSV', () => {
    it('answers Accept: text/csv with a header row and one row per interval', async () => {
      const response = await t.http.get('/v1/reports/overview').query(window).set(admin).set('Accept', 'text/csv');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      const lines = response.text.trimEnd().split('\r\n');
      expect(lines[0]).toBe('date,starts_at,ends_at,created,resolved,reopened,first_response_median_minutes,first_response_p90_minutes,'
        + 'resolution_median_minutes,resolution_p90_minutes,satisfaction_good,satisfaction_bad,satisfaction_score,backlog,'
        + 'first_response_unit,resolution_unit,sla_first_response_met,sla_first_response_breached,sla_first_response_percentage,'
        + 'sla_next_response_met,sla_next_response_breached,sla_next_response_percentage,sla_resolution_met,sla_resolution_breached,sla_resolution_percentage');
      const noSlaCells = '0,0,,0,0,,0,0,';
      expect(lines.slice(1)).toEqual([
        `2026-01-05,2026-01-05T05:00:00.000Z,2026-01-06T05:00:00.000Z,2,1,0,10,10,360,360,0,1,0,2,calendar,calendar,${noSlaCells}`,
        `2026-01-06,2026-01-06T05:00:00.000Z,2026-01-07T05:00:00.000Z,0,2,1,30,30,1410.5,1434.1,0,0,,1,calendar,calendar,${noSlaCells}`,
        `2026-01-07,2026-01-07T05:00:00.000Z,2026-01-08T05:00:00.000Z,1,0,0,90,90,,,1,0,100,2,calendar,,${noSlaCells}`,
      ]);
    });

    it('serves breakdowns as CSV too', async () => {
      const response = await t.http.get('/v1/reports/breakdown').query({ ...window, by: 'agent' }).set(admin).set('Accept', 'text/csv');
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      const lines = response.text.trimEnd().split('\r\n');
      expect(lines[0].startsWith('key,label,created,resolved')).toBe(true);
      expect(lines.slice(1).map((line) => line.split(',').slice(0, 4).join(','))).toEqual([',Unassigned,2,3', `${agentId},Ana Agent,1,0`]);
    });
  });

  /**
   * A workspace with SLA policies, reported in America/New_York (UTC-5) over 2026-01-05 (Monday) .. 01-07.
   * "Standard" (every ticket, normal: first response 60, resolution 480) runs on an office calendar, 09:00-17:00 Mon-Fri;
   * "Around the clock" (tag 247, same targets) has no calendar. Local times:
   *   S1 created Mon 08:00, reply 09:30 (30 business min, met), resolved 15:00 (09:00-15:00: 360, met)
   *   S2 created Mon 16:30, reply Tue 09:45 (30 + 45 = 75; due Tue 09:30: late, never scanned, so breached at 09:30),
   *      resolved Tue 12:00 (30 + 180 = 210, met)
   *   S3 created Tue 10:00, reply 10:20 (20, met), resolution due Wed 10:00 and marked breached by the scanner,
   *      resolved Wed 11:00 (420 + 120 = 540)
   *   S4 (tag 247) created Wed 08:00, reply 08:40 (40 calendar min, met), unresolved
   */
  describe('business minutes and SLA achievement', () => {
    let sla: { Authorization: string };
    let clock: ManualClock;
    const workday = ['09:00-17:00'];
    const targets = { normal: { firstResponse: 60, resolution: 480 } };

    const at = async (iso: string) => clock.set(iso);
    const createAt = async (name: string, iso: string, tags: string[] = []) => {
      await at(iso);
      const response = await t.http.post('/v1/tickets').set(sla)
        .send({ subject: `Ticket ${name}`, message: { body: 'help' }, requester: { email: `${name.toLowerCase()}@example.com` }, tags }).expect(201);
      ticket[name] = response.body.id;
      // Ticket timestamps still come from the wall clock; align them with the manual clock the SLA clocks read.
      await db.query('UPDATE tickets SET created_at = $2 WHERE id = $1', [response.body.id, iso]);
    };
    const replyAt = async (name: string, iso: string) => {
      await at(iso);
      await t.http.post(`/v1/tickets/${ticket[name]}/messages`).set(sla).send({ body: 'On it' }).expect(201);
      await db.query('UPDATE tickets SET first_responded_at = $2 WHERE id = $1', [ticket[name], iso]);
    };
    const resolveAt = async (name: string, iso: string) => {
      await at(iso);
      await setStatus(name, 'resolved', iso, sla);
    };
    const report = async (path: string, query: Record<string, string>) => {
      const response = await t.http.get(`/v1/reports/${path}`).query({ ...window, ...query }).set(sla);
      expect(response.status).toBe(200);
      return response.body;
    };

    beforeAll(async () => {
      sla = t.auth((await t.newWorkspace()).key);
      clock = t.app.get<Clock, ManualClock>(Clock);
      const calendar = await t.http.post('/v1/business-hours').set(sla).send({
        name: 'Office', timezone: 'America/New_York',
        weekly: { monday: workday, tuesday: workday, wednesday: workday, thursday: workday, friday: workday, saturday: [], sunday: [] },
        holidays: [],
      }).expect(201);
      await t.http.post('/v1/sla-policies').set(sla).send({ name: 'Standard', position: 10, businessHoursId: calendar.body.id, conditions: {}, targets }).expect(201);
      await t.http.post('/v1/sla-policies').set(sla).send({ name: 'Around the clock', position: 0, conditions: { tags: ['247'] }, targets }).expect(201);

      await createAt('S1', '2026-01-05T13:00:00Z');
      await replyAt('S1', '2026-01-05T14:30:00Z');
      await resolveAt('S1', '2026-01-05T20:00:00Z');
      await createAt('S2', '2026-01-05T21:30:00Z');
      await replyAt('S2', '2026-01-06T14:45:00Z');
      await createAt('S3', '2026-01-06T15:00:00Z');
      await replyAt('S3', '2026-01-06T15:20:00Z');
      await resolveAt('S2', '2026-01-06T17:00:00Z');
      await createAt('S4', '2026-01-07T13:00:00Z', ['247']);
      await replyAt('S4', '2026-01-07T13:40:00Z');
      await at('2026-01-07T15:30:00Z');
      await t.app.get(BreachScanner).scan();
      await resolveAt('S3', '2026-01-07T16:00:00Z');
    });

    it('reports durations in business minutes where a calendar applies and SLA achievement per day', async () => {
      const daily = await report('overview', { interval: 'day' });
      expect(daily.durationUnit).toBe('mixed');
      const figures = ({ date, created, resolved, backlog, firstResponseMedianMinutes, firstResponseP90Minutes, firstResponseUnit,
        resolutionMedianMinutes, resolutionP90Minutes, resolutionUnit, slaAchievement }: Record<string, unknown>) => ({ date, created, resolved, backlog,
        firstResponseMedianMinutes, firstResponseP90Minutes, firstResponseUnit, resolutionMedianMinutes, resolutionP90Minutes, resolutionUnit, slaAchievement });
      expect(daily.intervals.map(figures)).toEqual([
        {
          date: '2026-01-05', created: 2, resolved: 1, backlog: 1,
          firstResponseMedianMinutes: 30, firstResponseP90Minutes: 30, firstResponseUnit: 'business',
          resolutionMedianMinutes: 360, resolutionP90Minutes: 360, resolutionUnit: 'business',
          slaAchievement: achievement([1, 0], [1, 0]),
        },
        {
          // S2 (75) and S3 (20): the 90th percentile interpolates 20 + 0.9 * 55.
          date: '2026-01-06', created: 1, resolved: 1, backlog: 1,
          firstResponseMedianMinutes: 47.5, firstResponseP90Minutes: 69.5, firstResponseUnit: 'business',
          resolutionMedianMinutes: 210, resolutionP90Minutes: 210, resolutionUnit: 'business',
          slaAchievement: achievement([1, 1], [1, 0]),
        },
        {
          date: '2026-01-07', created: 1, resolved: 1, backlog: 1,
          firstResponseMedianMinutes: 40, firstResponseP90Minutes: 40, firstResponseUnit: 'calendar',
          resolutionMedianMinutes: 540, resolutionP90Minutes: 540, resolutionUnit: 'business',
          slaAchievement: achievement([1, 0], [0, 1]),
        },
      ]);
    });

    it('mixes units in a week and computes its percentiles and achievement over all its tickets', async () => {
      const weekly = await report('overview', { interval: 'week' });
      // First responses 20, 30, 40, 75; resolutions 210, 360, 540 (p90: 360 + 0.8 * 180).
      expect(weekly.intervals[0]).toMatchObject({
        created: 4, resolved: 3, backlog: 1,
        firstResponseMedianMinutes: 35, firstResponseP90Minutes: 64.5, firstResponseUnit: 'mixed',
        resolutionMedianMinutes: 360, resolutionP90Minutes: 504, resolutionUnit: 'business',
        slaAchievement: achievement([3, 1], [2, 1]),
      });
    });

    it('breaks achievement and units down by tag', async () => {
      const tags = await report('breakdown', { by: 'tag' });
      expect(tags.durationUnit).toBe('mixed');
      expect(tags.rows).toEqual([
        expect.objectContaining({
          key: null, label: 'Untagged', created: 3,
          firstResponseMedianMinutes: 30, firstResponseP90Minutes: 66, firstResponseUnit: 'business',
          resolutionMedianMinutes: 360, resolutionP90Minutes: 504, resolutionUnit: 'business',
          slaAchievement: achievement([2, 1], [2, 1]),
        }),
        expect.objectContaining({
          key: '247', label: '247', created: 1,
          firstResponseMedianMinutes: 40, firstResponseUnit: 'calendar', resolutionMedianMinutes: null, resolutionUnit: null,
          slaAchievement: achievement([1, 0], [0, 0]),
        }),
      ]);
    });

    it('writes units and achievement to CSV', async () => {
      const response = await t.http.get('/v1/reports/overview').query({ ...window, interval: 'week' }).set(sla).set('Accept', 'text/csv');
      const [header, row] = response.text.trimEnd().split('\r\n');
      expect(header.split(',').slice(-11)).toEqual([
        'first_response_unit', 'resolution_unit', 'sla_first_response_met', 'sla_first_response_breached', 'sla_first_response_percentage',
        'sla_next_response_met', 'sla_next_response_breached', 'sla_next_response_percentage', 'sla_resolution_met', 'sla_resolution_breached', 'sla_resolution_percentage',
      ]);
      expect(row.split(',').slice(-11).join(',')).toBe('mixed,business,3,1,75,0,0,,2,1,66.7');
    });
  });

  it('reports only the caller workspace', async () => {
    const other = await t.newWorkspace();
    const report = await overview({ ...window, interval: 'week' }, t.auth(other.key));
    expect(report.intervals[0]).toMatchObject({ created: 0, resolved: 0, backlog: 0, satisfactionGood: 0, ...empty });
    const scoped = await overview({ ...window, interval: 'week', teamId }, t.auth(other.key));
    expect(scoped.intervals[0]).toMatchObject({ created: 0, backlog: 0 });
  });
});
