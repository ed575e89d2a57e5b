import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { HealthService } from './health.service';

@ApiTags('Health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({
    summary: 'Liveness probe',
    description:
      'Answers 200 while the process runs, without touching the database. Public, and exempt from rate limits so a load balancer\'s probe is never refused during a flood.',
  })
  @ApiOkResponse({ description: 'The process is alive.', schema: { example: { status: 'ok' } } })
  alive() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness probe',
    description:
      'Reports each part of the deployment this instance depends on: `database` (answers a query), `migrations` (every migration of this build applied) and ' +
      '`webhooks` (the oldest pending delivery to a healthy endpoint is younger than READY_BACKLOG_SECONDS, default 300). Each part is `ok`, `degraded` or ' +
      '`unavailable`, with a `detail` when not ok. 200 while the status is `ok` or `degraded` (a backlog is no reason to stop serving), 503 when `unavailable`: ' +
      'take the instance out of rotation until it is ready. Public and exempt from rate limits.',
  })
  @ApiOkResponse({
    description: 'Ready, possibly with degraded parts.',
    schema: {
      example: {
        status: 'degraded',
        parts: { database: { status: 'ok' }, migrations: { status: 'ok' }, webhooks: { status: 'degraded', detail: 'the oldest pending delivery to a healthy endpoint is 412 s old (READY_BACKLOG_SECONDS=300)' } },
      },
    },
  })
  @ApiServiceUnavailableResponse({ description: 'Not ready: the same shape with status `unavailable` (database unreachable or migrations pending).' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const readiness = await this.health.readiness();
    if (readiness.status === 'unavailable') void reply.status(503);
    return readiness;
  }
}
