import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { MacrosModule } from '../macros/macros.module';
import { TeamsModule } from '../teams/teams.module';
import { TicketsModule } from '../tickets/tickets.module';
import { BulkTicketsController } from './bulk.controller';
import { BulkResolver } from './bulk.resolver';
import { BulkUpdateTickets } from './bulk-update-tickets';

/** Bulk ticket changes: above tickets and macros, it owns no table and changes each ticket through change-ticket. */
@Module({
  imports: [TicketsModule, MacrosModule, TeamsModule, AgentsModule],
  controllers: [BulkTicketsController],
  providers: [BulkUpdateTickets, BulkResolver],
})
export class BulkModule {}
