import { Module } from '@nestjs/common';
import { TicketsModule } from '../../tickets/tickets.module';
import { RealtimeModule } from '../realtime.module';
import { TicketPresenceController } from './presence.controller';
import { PresenceRepository } from './presence.repository';
import { PresenceResolver } from './presence.resolver';
import { PresenceService } from './presence.service';

@Module({
  imports: [TicketsModule, RealtimeModule],
  controllers: [TicketPresenceController],
  providers: [PresenceService, PresenceRepository, PresenceResolver],
  exports: [PresenceService],
})
export class PresenceModule {}
