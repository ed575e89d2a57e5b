import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { HealthService } from './health.service';

@ApiTags('Health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOkResponse({ description: 'The process is alive.', schema: { example: { status: 'ok' } } })
  alive() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOkResponse({ description: 'The database answers.', schema: { example: { status: 'ok', database: 'ok' } } })
  async ready() {
    const readiness = await this.health.readiness();
    if (readiness.database !== 'ok') throw new ServiceUnavailableException('The database is not reachable.');
    return { status: 'ok', database: readiness.database };
  }
}
