import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TicketsModule } from '../tickets/tickets.module';
import { SavedViewEntity } from './entities/saved-view.entity';
import { ViewsController } from './views.controller';
import { ViewsRepository } from './views.repository';
import { ViewsResolver } from './views.resolver';
import { ViewsService } from './views.service';

/** Saved views: named ticket-list filters with their counts; the ticket list and counts are the tickets module's. */
@Module({
  imports: [TypeOrmModule.forFeature([SavedViewEntity]), TicketsModule],
  controllers: [ViewsController],
  providers: [ViewsService, ViewsRepository, ViewsResolver],
  exports: [ViewsService],
})
export class ViewsModule {}
