import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { SatisfactionController } from './satisfaction.controller';
import { SatisfactionResolver } from './satisfaction.resolver';
import { SatisfactionService } from './satisfaction.service';

@Module({
  imports: [TicketsModule],
  controllers: [SatisfactionController],
  providers: [SatisfactionService, SatisfactionResolver],
  exports: [SatisfactionService],
})
export class SatisfactionModule {}
