import { Module } from '@nestjs/common';
import { FieldsModule } from '../fields/fields.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { TeamsModule } from '../teams/teams.module';
import { TicketsModule } from '../tickets/tickets.module';
import { TriageModule } from '../triage/triage.module';
import { TicketActions } from './actions/ticket-actions';
import { MacroEntity } from './entities/macro.entity';
import { MacrosController } from './macros.controller';
import { MacrosRepository } from './macros.repository';
import { MacrosResolver } from './macros.resolver';
import { MacrosService } from './macros.service';
import { ApplyMacro } from './use-cases/apply-macro/apply-macro';

/** Macros, and the action vocabulary they share with automation rules (exported). */
@Module({
  imports: [TypeOrmModule.forFeature([MacroEntity]), TicketsModule, TeamsModule, AgentsModule, TriageModule, FieldsModule],
  controllers: [MacrosController],
  providers: [MacrosService, MacrosRepository, MacrosResolver, TicketActions, ApplyMacro],
  exports: [TicketActions, MacrosService],
})
export class MacrosModule {}
