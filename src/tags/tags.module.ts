import { Module } from '@nestjs/common';
import { AutomationModule } from '../automation/automation.module';
import { MacrosModule } from '../macros/macros.module';
import { TicketsModule } from '../tickets/tickets.module';
import { ViewsModule } from '../views/views.module';
import { TagsController } from './tags.controller';
import { TagsResolver } from './tags.resolver';
import { TagsService } from './tags.service';

/** Tags live on tickets (their tags column); this module lists them and renames them across tickets, macros, rules and views. */
@Module({
  imports: [TicketsModule, MacrosModule, AutomationModule, ViewsModule],
  controllers: [TagsController],
  providers: [TagsService, TagsResolver],
})
export class TagsModule {}
