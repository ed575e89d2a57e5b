import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
      'Answers 200 when the database answers a query, 503 otherwise: take the instance out of rotation until it is ready. Public and exempt from rate limits.',
  })
  @ApiOkResponse({ description: 'The database answers.', schema: { example: { status: 'ok', database: 'ok' } } })
  async ready() {
    const readiness = await this.health.readiness();
    if (readiness.database !== 'ok') throw new ServiceUnavailableException('The database is not reachable.');
    return { status: 'ok', database: readiness.database };
  }
}
