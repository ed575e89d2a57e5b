import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Principal } from '../../auth/principal';
import { toPortalMessage, toPortalStatus, toPortalTicket } from '../../channels/portal/portal-views';
import { PortalSession } from '../../channels/portal/portal-session';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { MessageView } from '../../tickets/dto/message.dto';
import { TicketView } from '../../tickets/dto/ticket.dto';
import { KeptAccess, StreamAccess } from '../access/stream-access';
import { EventFeedService, toFeedEventView } from '../feed/event-feed.service';
import { FeedEvent, RealtimeHub, SubscriptionFilter, SubscriptionScope } from '../hub/realtime-hub';
import { CursorExpired } from '../realtime-errors';
import { CloseReason, EventStream } from './event-stream';
import { OpenStreams } from './open-streams';

/** What a requester is told about: their tickets' creation, status, subject and public conversation. */
const PORTAL_TYPES = ['ticket.created', 'ticket.updated', 'ticket.status_changed', 'ticket.message_created'];

/** A requester's view of an event, or null when nothing of it is theirs to see (internal notes, internal fields). */
export function toPortalEvent(event: FeedEvent): { type: string; data: Record<string, unknown> } | null {
  const data = event.envelope.data as { ticket?: TicketView; message?: MessageView; changes?: Record<string, { before: unknown; after: unknown }> };
  if (!data.ticket) return null;
  const ticket = toPortalTicket(data.ticket);
  switch (event.type) {
    case 'ticket.created':
      return { type: event.type, data: { ticket } };
    case 'ticket.updated': {
      const subject = data.changes?.subject;
      return subject ? { type: event.type, data: { ticket, changes: { subject } } } : null;
    }
    case 'ticket.status_changed': {
      const status = data.changes?.status;
      if (!status) return null;
      const before = toPortalStatus(status.before as TicketView['status']);
      const after = toPortalStatus(status.after as TicketView['status']);
      return before === after ? null : { type: event.type, data: { ticket, changes: { status: { before, after } } } };
    }
    case 'ticket.message_created':
      return data.message?.visibility === 'public' ? { type: event.type, data: { ticket, message: toPortalMessage(data.message) } } : null;
    default:
      return null;
  }
}

export interface StreamRequest {
  after: string | null;
  types?: string;
  ticketId?: string | null;
}

/** Server-sent event streams over the hub, for agents and keys (the feed) and for requesters (the portal). */
@Injectable()
export class EventStreamsService {
  private readonly logger = new Logger('EventStreams');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hub: RealtimeHub,
    private readonly feed: EventFeedService,
    private readonly access: StreamAccess,
    private readonly streams: OpenStreams,
  ) {}

  /** Validates everything that can fail with a problem answer first; then the reply becomes the stream. */
  async openForAgent(principal: Principal, credential: string, request: StreamRequest, reply: FastifyReply): Promise<void> {
    const scope = this.feed.scopeOf(principal);
    const filter: SubscriptionFilter = { ...this.feed.filterOf(request), ephemeral: true };
    if (request.after !== null) await this.hub.checkCursor(scope, request.after);
    const kept = this.access.forAgent(principal, credential);
    this.open(reply, scope, filter, request.after, kept, (event) => {
      // A change to the caller's own agent (deactivated, demoted) is checked at once, not at the next recheck.
      if (event.type === 'agent.updated' && principal.agentId && event.subjectId === principal.agentId) return 'recheck';
      return { type: event.type, data: toFeedEventView(event) };
    });
  }

  async openForRequester(session: PortalSession, token: string, after: string | null, reply: FastifyReply): Promise<void> {
    const scope: SubscriptionScope = { workspaceId: session.workspaceId, excludedTypes: [], requesterId: session.contactId };
    const filter: SubscriptionFilter = { types: PORTAL_TYPES, typePrefixes: [], ticketId: null, ephemeral: false };
    if (after !== null) await this.hub.checkCursor(scope, after);
    this.open(reply, scope, filter, after, this.access.forRequester(session, token), (event) => {
      const view = toPortalEvent(event);
      return view && { type: view.type, data: { cursor: event.cursor, id: event.envelope.id, type: view.type, createdAt: event.envelope.createdAt, data: view.data } };
    });
  }

  private open(
    reply: FastifyReply,
    scope: SubscriptionScope,
    filter: SubscriptionFilter,
    after: string | null,
    access: KeptAccess,
    present: (event: FeedEvent) => { type: string; data: unknown } | 'recheck' | null,
  ): void {
    const { heartbeatMs, streamMaxBufferedBytes, authRecheckMs } = this.config.realtime;
    const stream = new EventStream(reply, { heartbeatMs, maxBufferedBytes: streamMaxBufferedBytes });
    this.streams.add(stream);
    const close = (reason: CloseReason) => stream.close(reason);
    let checking = false;
    const recheck = () => {
      if (checking || stream.closed) return;
      checking = true;
      access.recheck().then(
        (verdict) => {
          if (verdict) close({ reason: 'credential_revoked', detail: 'The credential of this stream was revoked, its session ended, or its agent was deactivated or changed role.', reconnect: false });
        },
        (error: unknown) => this.logger.warn({ msg: 'Stream credential recheck failed; trying again at the next one', error: (error as Error).message }),
      ).finally(() => (checking = false));
    };
    const timers: NodeJS.Timeout[] = [setInterval(recheck, authRecheckMs)];
    if (access.expiresAt !== null) {
      // setTimeout takes at most 2^31-1 ms; the recheck interval catches anything later.
      const expires = setTimeout(() => close({ reason: 'credential_expired', detail: 'The token of this stream expired; reconnect with a fresh one and Last-Event-ID.', reconnect: true }), Math.min(Math.max(0, access.expiresAt - Date.now()), 2 ** 31 - 1));
      timers.push(expires);
    }
    for (const timer of timers) timer.unref();
    const unsubscribe = this.hub.subscribe(scope, filter, after, {
      onEvents: (events) => {
        for (const event of events) {
          const shown = present(event);
          if (shown === 'recheck') {
            recheck();
            continue;
          }
          // Events the caller may not see still move the client's position: its next id comes after them.
          if (shown) stream.send(event.cursor, shown.type, shown.data);
          if (stream.closed) return;
        }
      },
      onEphemeral: (message) => stream.send(null, message.type, message),
      onError: (error) => {
        if (error instanceof CursorExpired) close({ reason: 'cursor_expired', detail: error.detail, reconnect: false });
        else {
          this.logger.error({ msg: 'Stream subscription failed', error: (error as Error).message });
          close({ reason: 'error', detail: 'The stream failed; reconnect with Last-Event-ID.', reconnect: true });
        }
      },
    });
    stream.onClose(() => {
      unsubscribe();
      for (const timer of timers) clearInterval(timer);
    });
  }
}
