import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { LogLevel } from '../../config/app-config';

/** One structured JSON logger for Fastify's request logs and Nest's own messages; credentials are redacted. */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'deskline' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'password', '*.password', 'key', '*.key', 'refreshToken', 'accessToken', 'secret', '*.secret'],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: { method: string; url: string; id: string; headers: Record<string, unknown> }) => ({
        method: request.method,
        url: request.url,
        id: request.id,
        headers: { 'user-agent': request.headers['user-agent'], authorization: request.headers.authorization },
      }),
    },
  });
}

/**
 * Writes plain text (not a log record) to stdout in order with the log lines: the log's stream buffers and writes
 * asynchronously, so a direct process.stdout.write can overtake lines logged before it.
 */
export function writeInLogOrder(logger: Logger, text: string): void {
  const stream = (logger as unknown as Record<symbol, { write(chunk: string): void } | undefined>)[pino.symbols.streamSym];
  if (stream) stream.write(text);
  else process.stdout.write(text);
}

/** Nest's boot chatter (one line per module and per route, ~200 lines) is debug detail: at info it buries what matters. */
const BOOT_DETAIL = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'GraphQLModule', 'NestFactory']);

export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) { this.write(context && BOOT_DETAIL.has(context) ? 'debug' : 'info', message, context); }
  error(message: unknown, ...rest: unknown[]) { this.write('error', message, typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined); }
  warn(message: unknown, context?: string) { this.write('warn', message, context); }
  debug(message: unknown, context?: string) { this.write('debug', message, context); }
  verbose(message: unknown, context?: string) { this.write('trace', message, context); }
  fatal(message: unknown, context?: string) { this.write('fatal', message, context); }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, context?: string) {
    if (typeof message === 'object' && message !== null) this.logger[level]({ context, ...message });
    else this.logger[level]({ context }, String(message));
  }
}
