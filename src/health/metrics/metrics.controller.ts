import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../auth/auth.decorators';
import { Unauthenticated } from '../../common/errors/domain-errors';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { presentsToken } from '../../config/observability-config';
import { Metrics } from './metrics';

@ApiTags('Health')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics of this instance',
    description:
      'The Prometheus text format: HTTP requests by route template, status class and duration; GraphQL operations by name; the database pool; ' +
      'webhook backlog and failures, SLA scan lag, outgoing mail queue and IMAP errors, open event streams; process memory, CPU and event-loop lag. ' +
      'Counters and histograms are this instance\'s; gauges read from the database (backlogs, lags) are the whole deployment\'s. No label carries a workspace or an id. ' +
      'With METRICS_TOKEN set, answers only `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise); without it, anyone may read it, so set it wherever the port is reachable from outside.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Metrics in the Prometheus text exposition format 0.0.4.' })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and the request does not carry it as a bearer credential.' })
  async scrape(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const token = this.config.observability.metricsToken;
    if (token !== null && !presentsToken(token, request.headers.authorization)) {
      throw new Unauthenticated('Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".');
    }
    await reply.header('content-type', this.metrics.contentType).header('cache-control', 'no-store').send(await this.metrics.render());
  }
}
