import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { ContactsModule } from '../contacts/contacts.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { FieldsModule } from '../fields/fields.module';
import { TeamsModule } from '../teams/teams.module';
import { TicketCustomFieldValues } from './ticket-custom-field-values';
import { ConversationController } from './conversation/conversation.controller';
import { ConversationService } from './conversation/conversation.service';
import { MessageDetails } from './conversation/message-details';
import { MessageAttachments } from './conversation/message-attachments';
import { MessageWriter } from './conversation/message-writer';
import { TicketEventEntity } from './entities/ticket-event.entity';
import { TicketMessageEntity } from './entities/ticket-message.entity';
import { TicketEntity } from './entities/ticket.entity';
import { TicketHistory } from './history/ticket-history';
import { TicketReadModel } from './queries/ticket-read-model.queries';
import { TicketChangeHooks } from './ticket-change-hooks';
import { TicketReadExtensions } from './ticket-read-extensions';
import { AssigneeRouting } from './assignee-routing';
import { ChangeTicket } from './use-cases/change-ticket/change-ticket';
import { AddMessage } from './use-cases/add-message/add-message';
import { MergeTickets } from './use-cases/merge-tickets/merge-tickets';
import { TicketParticipantsRepository } from './participants/ticket-participants.repository';
import { TicketParticipantsController } from './participants/ticket-participants.controller';
import { TicketParticipantsResolver } from './participants/ticket-participants.resolver';
import { TicketParticipantsService } from './participants/ticket-participants.service';
import { TicketMessagesRepository } from './conversation/ticket-messages.repository';
import { TicketsController } from './tickets.controller';
import { TicketsRepository } from './tickets.repository';
import { OrganizationTicketsResolver, TicketsResolver } from './tickets.resolver';
import { TicketsService } from './tickets.service';

@Module({
  imports: [TypeOrmModule.forFeature([TicketEntity, TicketMessageEntity, TicketEventEntity]), AgentsModule, ContactsModule, TeamsModule, OrganizationsModule, FieldsModule],
  controllers: [TicketsController, ConversationController, TicketParticipantsController],
  providers: [TicketsService, ChangeTicket, AddMessage, MergeTickets, TicketParticipantsRepository, TicketParticipantsService, TicketParticipantsResolver, AssigneeRouting, TicketMessagesRepository, TicketsRepository, TicketHistory, TicketChangeHooks, TicketReadExtensions, MessageWriter, MessageDetails, MessageAttachments, ConversationService, TicketsResolver, TicketCustomFieldValues, OrganizationTicketsResolver, TicketReadModel],
  exports: [TicketsService, ConversationService, TicketParticipantsService, TicketChangeHooks, TicketReadExtensions, MessageDetails, MessageAttachments, TicketHistory, TicketReadModel],
})
export class TicketsModule {}
