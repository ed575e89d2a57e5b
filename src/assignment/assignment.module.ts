import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { TeamsModule } from '../teams/teams.module';
import { TicketsModule } from '../tickets/tickets.module';
import { AssigneePicker } from './assignee-picker';
import { AssignmentRepository } from './assignment.repository';
import { AssignTicketController } from './assign-ticket/assign-ticket.controller';
import { AssignTicketResolver } from './assign-ticket/assign-ticket.resolver';
import { AssignTicketService } from './assign-ticket/assign-ticket.service';

/** Team strategies (registered with the tickets service so creation routes too) and the assign endpoint. */
@Module({
  imports: [TicketsModule, TeamsModule, AgentsModule],
  controllers: [AssignTicketController],
  providers: [AssignmentRepository, AssigneePicker, AssignTicketService, AssignTicketResolver],
})
export class AssignmentModule {}
