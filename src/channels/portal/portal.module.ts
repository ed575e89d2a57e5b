import { FieldsModule } from '../../fields/fields.module';
import { Module } from '@nestjs/common';
import { SatisfactionModule } from '../../satisfaction/satisfaction.module';
import { ContactsModule } from '../../contacts/contacts.module';
import { SearchModule } from '../../search/search.module';
import { TicketsModule } from '../../tickets/tickets.module';
import { ChannelSecrets } from '../mail-secrets';
import { PortalAdminController } from './portal-admin.controller';
import { PortalAuthService } from './portal-auth.service';
import { PortalGuard } from './portal.guard';
import { PortalSecretsResealer } from './portal-secrets.resealer';
import { PortalSettingsRepository } from './portal-settings.repository';
import { PortalSearchController, PortalTicketsController } from './portal-tickets.controller';
import { PortalTicketsService } from './portal-tickets.service';

@Module({
  imports: [TicketsModule, ContactsModule, SearchModule, SatisfactionModule, FieldsModule],
  controllers: [PortalAdminController, PortalTicketsController, PortalSearchController],
  providers: [ChannelSecrets, PortalSettingsRepository, PortalSecretsResealer, PortalAuthService, PortalGuard, PortalTicketsService],
  // The channels module serves portal downloads of the attachments it stores, behind the same guard and ownership check.
  exports: [PortalAuthService, PortalGuard, PortalTicketsService],
})
export class PortalModule {}
