import { Module } from '@nestjs/common';
import { TeamsModule } from '../teams/teams.module';
import { TicketsModule } from '../tickets/tickets.module';
import { SuggestionsController } from './suggestions.controller';
import { SuggestionsResolver } from './suggestions.resolver';
import { SuggestionsService } from './suggestions.service';

@Module({
  imports: [TicketsModule, TeamsModule],
  controllers: [SuggestionsController],
  providers: [SuggestionsService, SuggestionsResolver],
  exports: [SuggestionsService],
})
export class TriageModule {}
