import { Module } from '@nestjs/common';
import { TeamsModule } from '../teams/teams.module';
import { TicketsModule } from '../tickets/tickets.module';
import { SuggestionsController } from './suggestions.controller';
import { SuggestionsResolver } from './suggestions.resolver';
import { SuggestionsService } from './suggestions.service';
import { TriageRepository } from './triage.repository';

@Module({
  imports: [TicketsModule, TeamsModule],
  controllers: [SuggestionsController],
  providers: [SuggestionsService, SuggestionsResolver, TriageRepository],
  exports: [SuggestionsService],
})
export class TriageModule {}
