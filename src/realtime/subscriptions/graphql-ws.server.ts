import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { createSourceEventStream, DocumentNode, execute, ExecutionArgs, ExecutionResult, getOperationAST, GraphQLError, OperationTypeNode, parse, specifiedRules, validate } from 'graphql';
import { CloseCode, Context, GRAPHQL_TRANSPORT_WS_PROTOCOL, makeServer, Server, SubscribePayload } from 'graphql-ws';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { AuthenticatedCredential, CredentialsService } from '../../auth/credentials.service';
import { Principal } from '../../auth/principal';
import { formatGraphQLError } from '../../common/errors/graphql-errors';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { refuseOversizedDocuments } from '../../graphql/document-limits';
import { checkOperationLimits, graphqlLimitRules } from '../../graphql/graphql-limits.plugin';
import { ConsumerTooSlow } from './live-queue';

export const GRAPHQL_WS_PATH = '/graphql';

/** Close codes a client sees, with a reason text saying what to do. graphql-ws's client retries 1013 and 4403, not 4401. */
export const WS_CLOSE = {
  unauthorized: CloseCode.Unauthorized,
  forbidden: CloseCode.Forbidden,
  tryAgainLater: 1013,
  goingAway: 1001,
} as const;

/** One authenticated socket: what connection_init proved, kept true until the socket closes. */
interface Connection {
  socket: WebSocket;
  credential: string;
  principal: Principal;
  expiresAt: Date | null;
  expiryTimer: NodeJS.Timeout | null;
}

interface SocketExtra {
  socket: WebSocket;
  request: IncomingMessage;
  connection: Connection | null;
}

type WsContext = Context<Record<string, unknown>, SocketExtra>;

/**
 * graphql-js's subscribe, except that each event is executed with its own copy of the context: the per-request
 * DataLoaders (graphql/request-loaders.ts) are keyed on the context, and one context for a subscription's lifetime would
 * answer every later event with the names and teams cached at its first.
 */
async function subscribeWithContextPerEvent(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const events = source as AsyncGenerator<unknown>;
  const context = args.contextValue as Record<string, unknown>;
  const results: AsyncIterableIterator<ExecutionResult> & { return(): Promise<IteratorResult<ExecutionResult>>; throw(error: unknown): Promise<IteratorResult<ExecutionResult>> } = {
    async next() {
      const event = await events.next();
      if (event.done) return { value: undefined, done: true };
      return { value: await execute({ ...args, rootValue: event.value, contextValue: { ...context } }), done: false };
    },
    return: async () => {
      await events.return?.(undefined);
      return { value: undefined, done: true };
    },
    throw: async (error: unknown) => {
      await events.return?.(undefined);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return results;
}

function credentialOf(params: Record<string, unknown> | undefined): string | null {
  const value = params?.authorization ?? params?.Authorization;
  const match = typeof value === 'string' ? /^Bearer\s+(\S+)$/i.exec(value.trim()) : null;
  return match ? match[1] : null;
}

/**
 * GraphQL subscriptions over WebSocket at /graphql with the graphql-ws protocol, on the same HTTP server as Fastify.
 * Wired here rather than through GraphQLModule's `subscriptions` option so that connection_init authenticates with the
 * same credentials as HTTP, subscription documents pass the same limits (size, tokens, aliases, depth, cost), and
 * sockets are counted and closed when their credential stops working. Queries and mutations stay on HTTP, where
 * rate limits, idempotency and time budgets apply.
 */
@Injectable()
export class GraphqlWsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('GraphqlWs');
  private readonly connections = new Set<Connection>();
  private readonly perWorkspace = new Map<string, number>();
  private wss: WebSocketServer | null = null;
  private server: Server<SocketExtra> | null = null;
  private recheckTimer: NodeJS.Timeout | null = null;
  private schemaHost: GraphQLSchemaHost;
  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    private readonly credentials: CredentialsService,
  ) {}

  /** Open, authenticated sockets of a workspace on this instance. */
  connectionsOf(workspaceId: string): number {
    return this.perWorkspace.get(workspaceId) ?? 0;
  }

  onApplicationBootstrap(): void {
    // GraphQLModule does not export its schema host to feature modules; by then it holds the built (and transformed) schema.
    this.schemaHost = this.moduleRef.get(GraphQLSchemaHost, { strict: false });
    const settings = this.config.realtimePush;
    const rules = [...specifiedRules, ...graphqlLimitRules(this.config.graphql)];
    this.server = makeServer<Record<string, unknown>, SocketExtra>({
      schema: this.schemaHost.schema,
      subscribe: subscribeWithContextPerEvent,
      connectionInitWaitTimeout: settings.connectionInitTimeoutMs,
      onConnect: (ctx) => this.connect(ctx),
      onSubscribe: (ctx, id, payload) => this.prepare(ctx, payload, rules),
      context: (ctx) => ({ req: { headers: { authorization: `Bearer ${ctx.extra.connection!.credential}` }, user: ctx.extra.connection!.principal } }),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: result.errors.map((error) => formatGraphQLError(error.toJSON(), error)) } : undefined),
      onError: (ctx, _id, _payload, errors) => {
        if (errors.some((error) => error.originalError instanceof ConsumerTooSlow)) {
          ctx.extra.socket.close(WS_CLOSE.tryAgainLater, 'Too slow: the client fell too far behind. Reconnect and resume (events: after the last cursor).');
        }
        return errors.map((error) => formatGraphQLError(error.toJSON(), error));
      },
      onClose: (ctx) => this.forget(ctx.extra.connection),
    });
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.config.http.bodyLimitBytes,
      handleProtocols: (protocols) => (protocols.has(GRAPHQL_TRANSPORT_WS_PROTOCOL) ? GRAPHQL_TRANSPORT_WS_PROTOCOL : false),
    });
    this.wss.on('connection', (socket: WebSocket, request: IncomingMessage) => this.opened(socket, request));
    this.httpServer().on('upgrade', this.onUpgrade);
    this.recheckTimer = setInterval(() => void this.recheckCredentials(), settings.authRecheckSeconds * 1000);
    this.recheckTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    this.httpServer().off('upgrade', this.onUpgrade);
    for (const socket of this.wss?.clients ?? []) socket.close(WS_CLOSE.goingAway, 'Server shutting down: reconnect and resume.');
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
  }

  private httpServer(): HttpServer {
    return this.adapterHost.httpAdapter.getHttpServer() as HttpServer;
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (request.url ?? '').split('?')[0];
    if (path !== GRAPHQL_WS_PATH || !this.wss) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.wss!.emit('connection', ws, request));
  }

  /** The ws socket adapted to graphql-ws, with a ping keep-alive that drops peers gone silent. */
  private opened(socket: WebSocket, request: IncomingMessage): void {
    const keepAliveMs = this.config.realtimePush.keepAliveMs;
    let alive = true;
    socket.on('pong', () => (alive = true));
    const pinger = keepAliveMs > 0 ? setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, keepAliveMs) : null;
    const extra: SocketExtra = { socket, request, connection: null };
    const closed = this.server!.opened(
      {
        protocol: socket.protocol,
        send: (data) => new Promise<void>((resolve, reject) => {
          if (socket.readyState !== WebSocket.OPEN) return resolve();
          socket.send(data, (error) => (error ? reject(error) : resolve()));
        }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) => socket.on('message', (data: Buffer) => {
          handle(data.toString('utf8')).catch((error: Error) => {
            this.logger.error({ msg: 'GraphQL WebSocket message failed', error: error.message });
            socket.close(CloseCode.InternalServerError, 'Internal server error');
          });
        }),
      },
      extra,
    );
    socket.on('error', () => socket.terminate());
    socket.once('close', (code: number, reason: Buffer) => {
      if (pinger) clearInterval(pinger);
      void closed(code, reason.toString('utf8'));
    });
  }

  private async connect(ctx: WsContext): Promise<boolean> {
    const { socket } = ctx.extra;
    const credential = credentialOf(ctx.connectionParams);
    if (!credential) {
      socket.close(WS_CLOSE.unauthorized, 'Unauthorized: send {"authorization": "Bearer <API key or access token>"} as the connection_init payload.');
      return false;
    }
    let authenticated: AuthenticatedCredential | null;
    try {
      authenticated = await this.credentials.authenticate(credential);
    } catch (error) {
      this.logger.warn({ msg: 'Credential check failed at connection_init', error: (error as Error).message });
      socket.close(WS_CLOSE.tryAgainLater, 'The credential could not be checked; try again.');
      return false;
    }
    if (!authenticated) {
      socket.close(WS_CLOSE.unauthorized, 'Unauthorized: the API key or access token is not valid, revoked or expired.');
      return false;
    }
    if (socket.readyState !== WebSocket.OPEN) return false;
    const { principal, expiresAt } = authenticated;
    const limit = this.config.realtimePush.maxConnectionsPerWorkspace;
    if (this.connectionsOf(principal.workspaceId) >= limit) {
      socket.close(WS_CLOSE.tryAgainLater, `Too many connections: this workspace has ${limit} open on this server (GRAPHQL_WS_MAX_CONNECTIONS_PER_WORKSPACE).`);
      return false;
    }
    const connection: Connection = { socket, credential, principal, expiresAt, expiryTimer: null };
    if (expiresAt) {
      // setTimeout holds at most about 24.8 days; access tokens live minutes to a day.
      connection.expiryTimer = setTimeout(() => socket.close(WS_CLOSE.unauthorized, 'Unauthorized: the access token expired. Refresh it and reconnect.'), Math.max(0, expiresAt.getTime() - Date.now()));
      connection.expiryTimer.unref();
    }
    ctx.extra.connection = connection;
    this.connections.add(connection);
    this.perWorkspace.set(principal.workspaceId, this.connectionsOf(principal.workspaceId) + 1);
    return true;
  }

  private forget(connection: Connection | null): void {
    if (!connection || !this.connections.delete(connection)) return;
    if (connection.expiryTimer) clearTimeout(connection.expiryTimer);
    const left = this.connectionsOf(connection.principal.workspaceId) - 1;
    if (left > 0) this.perWorkspace.set(connection.principal.workspaceId, left);
    else this.perWorkspace.delete(connection.principal.workspaceId);
  }

  /** Checks a subscribe message before anything runs: only subscriptions, within the per-socket cap and the GraphQL limits. */
  private prepare(ctx: WsContext, payload: SubscribePayload, rules: typeof specifiedRules) {
    const running = Object.keys(ctx.subscriptions).length;
    const cap = this.config.realtimePush.maxSubscriptionsPerConnection;
    if (running > cap) {
      return [new GraphQLError(`This socket already runs ${cap} subscriptions, the limit (GRAPHQL_WS_MAX_SUBSCRIPTIONS); complete one first or open another socket.`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: cap } })];
    }
    const schema = this.schemaHost.schema;
    let document: DocumentNode;
    try {
      refuseOversizedDocuments({ body: payload }, this.config.graphql);
      document = parse(payload.query);
    } catch (error) {
      return [error instanceof GraphQLError ? error : new GraphQLError('The query could not be parsed.')];
    }
    const invalid = validate(schema, document, rules);
    if (invalid.length > 0) return invalid.map((error) => (error.originalError instanceof GraphQLError ? error.originalError : error));
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) return [new GraphQLError('Unable to identify the operation: name it with operationName.')];
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
      return [new GraphQLError('Only subscriptions run over WebSocket; send queries and mutations with POST /graphql.', { extensions: { code: 'BAD_REQUEST' } })];
    }
    try {
      checkOperationLimits(this.config.graphql, { document, operation, schema, variables: payload.variables ?? undefined });
    } catch (error) {
      if (error instanceof GraphQLError) return [error];
      throw error;
    }
    return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
  }

  /**
   * Authorization is kept, not only checked at connect: every credential in use is checked again on a timer (once per
   * distinct credential, however many sockets share it), and a socket whose key was revoked, whose session ended or whose
   * agent was deactivated is closed with the reason. Access tokens also close at their exp (see connect).
   */
  private async recheckCredentials(): Promise<void> {
    const byCredential = new Map<string, Connection[]>();
    for (const connection of this.connections) {
      const sharing = byCredential.get(connection.credential);
      if (sharing) sharing.push(connection);
      else byCredential.set(connection.credential, [connection]);
    }
    for (const [credential, sharing] of byCredential) {
      let still: AuthenticatedCredential | null;
      try {
        still = await this.credentials.authenticate(credential);
      } catch {
        continue; // the database is unreachable: keep the sockets and check again next time
      }
      if (still && still.principal.workspaceId === sharing[0].principal.workspaceId) {
        for (const connection of sharing) connection.principal = still.principal;
        continue;
      }
      for (const connection of sharing) {
        connection.socket.close(WS_CLOSE.forbidden, 'Forbidden: the credential was revoked, its session ended or its agent was deactivated.');
      }
    }
  }
}
