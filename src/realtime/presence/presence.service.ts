import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sessionUrl } from '../../database/session-url';
import { Principal } from '../../auth/principal';
import { Forbidden } from '../../common/errors/domain-errors';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { TransactionRunner } from '../../database/transaction-runner';
import { TicketsService } from '../../tickets/tickets.service';
import { RealtimeHub } from '../hub/realtime-hub';
import { LiveQueue } from '../subscriptions/live-queue';
import { PresenceChangeView, PresenceListView, PresenceState, PresenceView } from './dto/presence.dto';
import { NOT_AN_AGENT } from './present-agent.guard';
import { PresenceListener } from './presence-listener';
import { PresenceChange, PresenceRepository, PresenceRow } from './presence.repository';

// A sweep a little after the expiry it is for, so the row is past expires_at by the database's clock too.
const SWEEP_SLACK_MS = 50;
/** NOTIFY payloads stay under 8000 bytes: past this many agents on one ticket, the message says `more` (GET lists them all). */
const MAX_AGENTS_PER_MESSAGE = 25;

function toView(row: PresenceRow): PresenceView {
  return { agent: { id: row.agentId, name: row.agentName }, state: row.state, since: new Date(row.since), expiresAt: new Date(row.expiresAt) };
}

/**
 * Agent presence on tickets (collision detection): which agents are viewing or replying to a ticket right now. Stored in
 * PostgreSQL so every instance sees the same; each change is NOTIFY'd and every instance with listeners for that ticket
 * reads its list once and pushes it. Expired entries are never shown; a sweep, timed to the next expiry and idle when
 * nobody is present, deletes them and announces the departures.
 */
@Injectable()
export class PresenceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Presence');
  private readonly ticketWatchers = new Map<string, Set<LiveQueue<PresenceChangeView>>>();
  /** Per ticket, the last delivery in flight: deliveries of one ticket run one after another, so no older list overtakes a newer one. */
  private readonly deliveries = new Map<string, Promise<void>>();
  private listener: PresenceListener | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweepAt = Infinity;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly dataSource: DataSource,
    private readonly repository: PresenceRepository,
    private readonly tickets: TicketsService,
    private readonly hub: RealtimeHub,
  ) {}

  get ttlSeconds(): number {
    return this.config.realtimePush.presenceTtlSeconds;
  }

  async mark(principal: Principal, ticketId: string, state: PresenceState): Promise<PresenceListView> {
    await this.tickets.get(principal, ticketId);
    const agent = this.presentAgent(principal);
    const changed = await this.repository.mark(this.transactions.manager, principal.workspaceId, ticketId, agent, state, this.ttlSeconds);
    this.scheduleSweep(Date.now() + this.ttlSeconds * 1000);
    const now = await this.list(principal, ticketId, false);
    if (changed) this.publishToStreams(principal.workspaceId, ticketId, now.data);
    return now;
  }

  async leave(principal: Principal, ticketId: string): Promise<void> {
    await this.tickets.get(principal, ticketId);
    const agent = this.presentAgent(principal);
    if (!(await this.repository.leave(this.transactions.manager, principal.workspaceId, ticketId, agent.id))) return;
    this.publishToStreams(principal.workspaceId, ticketId, (await this.list(principal, ticketId, false)).data);
  }

  async list(principal: Principal, ticketId: string, checkTicket = true): Promise<PresenceListView> {
    if (checkTicket) await this.tickets.get(principal, ticketId);
    const rows = await this.repository.listLive(this.transactions.manager, principal.workspaceId, ticketId);
    return { data: rows.map(toView), nextCursor: null };
  }

  /** The ticket's presence now, then after every change, until the consumer stops (the GraphQL presence subscription). */
  async watch(principal: Principal, ticketId: string, maxQueued: number): Promise<LiveQueue<PresenceChangeView>> {
    await this.tickets.get(principal, ticketId);
    const key = keyOf(principal.workspaceId, ticketId);
    const queue: LiveQueue<PresenceChangeView> = new LiveQueue(maxQueued, () => {
      const watchers = this.ticketWatchers.get(key);
      watchers?.delete(queue);
      if (watchers?.size === 0) this.ticketWatchers.delete(key);
    });
    let watchers = this.ticketWatchers.get(key);
    if (!watchers) this.ticketWatchers.set(key, (watchers = new Set()));
    watchers.add(queue);
    this.deliver({ workspaceId: principal.workspaceId, ticketId }, [queue]);
    return queue;
  }

  async onApplicationBootstrap(): Promise<void> {
    const databaseUrl = sessionUrl(this.dataSource);
    this.listener = new PresenceListener(databaseUrl, (change) => this.changed(change), () => this.caughtUp());
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    await this.listener?.stop();
    for (const watchers of this.ticketWatchers.values()) for (const queue of watchers) queue.close();
    await Promise.allSettled([...this.deliveries.values()]);
  }

  private presentAgent(principal: Principal): { id: string; name: string } {
    if (!principal.agentId) throw new Forbidden(NOT_AN_AGENT);
    return { id: principal.agentId, name: principal.actor.name };
  }

  private changed(change: PresenceChange): void {
    // Any instance may be the one that sweeps what this change will leave behind.
    this.scheduleSweep(Date.now() + this.ttlSeconds * 1000);
    const watchers = this.ticketWatchers.get(keyOf(change.workspaceId, change.ticketId));
    if (watchers) this.deliver(change, null);
  }

  /** After (re)connecting: whatever changed while not listening is re-read for every watched ticket, and expiries swept. */
  private caughtUp(): void {
    void this.sweep();
    for (const key of this.ticketWatchers.keys()) {
      const [workspaceId, ticketId] = key.split(':');
      this.deliver({ workspaceId, ticketId }, null);
    }
  }

  /** Reads the ticket's list once and hands it to `only` (a new watcher) or to every watcher of the ticket on this instance. */
  private deliver(change: PresenceChange, only: LiveQueue<PresenceChangeView>[] | null): void {
    const key = keyOf(change.workspaceId, change.ticketId);
    const previous = this.deliveries.get(key) ?? Promise.resolve();
    const delivery = previous.then(async () => {
      if (this.stopped) return;
      const rows = await this.repository.listLive(this.dataSource.manager, change.workspaceId, change.ticketId);
      const message: PresenceChangeView = { ticketId: change.ticketId, agents: rows.map(toView) };
      for (const queue of only ?? this.ticketWatchers.get(key) ?? []) queue.push(message);
    }).catch((error: Error) => {
      this.logger.warn({ msg: 'Presence could not be read for delivery', ticketId: change.ticketId, error: error.message });
    });
    this.deliveries.set(key, delivery);
    void delivery.then(() => {
      if (this.deliveries.get(key) === delivery) this.deliveries.delete(key);
    });
  }

  /**
   * The agent streams (SSE) of every instance get presence.changed through the hub's ephemeral channel, once per change,
   * from the instance that made it (GraphQL subscribers are served by every instance's own listener above). The hub
   * never sends these to requester streams, and they are never stored in the feed nor sent to webhooks.
   */
  private publishToStreams(workspaceId: string, ticketId: string, agents: PresenceView[]): void {
    const shown = agents.slice(0, MAX_AGENTS_PER_MESSAGE);
    const data: PresenceChangeView & { more?: boolean } = { ticketId, agents: shown, ...(shown.length < agents.length ? { more: true } : {}) };
    this.hub.publishEphemeral({ type: 'presence.changed', workspaceId, ticketId, data: data as unknown as Record<string, unknown> }).catch((error: Error) => {
      this.logger.warn({ msg: 'presence.changed could not be published to the streams', ticketId, error: error.message });
    });
  }

  private scheduleSweep(at: number): void {
    if (this.stopped || at + SWEEP_SLACK_MS >= this.sweepAt) return;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepAt = at + SWEEP_SLACK_MS;
    this.sweepTimer = setTimeout(() => void this.sweep(), Math.max(0, this.sweepAt - Date.now()));
    this.sweepTimer.unref();
  }

  private async sweep(): Promise<void> {
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
    this.sweepAt = Infinity;
    if (this.stopped) return;
    try {
      const { tickets, nextExpiry } = await this.repository.sweepExpired(this.dataSource.manager);
      if (nextExpiry) this.scheduleSweep(nextExpiry.getTime());
      for (const { workspaceId, ticketId } of tickets) {
        const rows = await this.repository.listLive(this.dataSource.manager, workspaceId, ticketId);
        this.publishToStreams(workspaceId, ticketId, rows.map(toView));
      }
    } catch (error) {
      this.logger.warn({ msg: 'Expired presence could not be swept; retrying', error: (error as Error).message });
      this.scheduleSweep(Date.now() + 1000);
    }
  }
}

function keyOf(workspaceId: string, ticketId: string): string {
  return `${workspaceId}:${ticketId}`;
}
