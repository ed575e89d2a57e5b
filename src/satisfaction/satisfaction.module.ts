import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { SatisfactionController } from './satisfaction.controller';
import { SatisfactionRepository } from './satisfaction.repository';
import { SatisfactionResolver } from './satisfaction.resolver';
import { SatisfactionService } from './satisfaction.service';

@Module({
  imports: [TicketsModule],
  controllers: [SatisfactionController],
  providers: [SatisfactionService, SatisfactionRepository, SatisfactionResolver],
  exports: [SatisfactionService],
})
export class SatisfactionModule {}
