import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ContactsModule } from '../contacts/contacts.module';
import { MessageDetails } from '../tickets/conversation/message-details';
import { TeamsModule } from '../teams/teams.module';
import { TicketsModule } from '../tickets/tickets.module';
import { AgentsModule } from '../agents/agents.module';
import { ChatChannelsController, EscalationsController } from './chat/chat.controller';
import { ChatRepository } from './chat/chat.repository';
import { ChatService } from './chat/chat.service';
import { AttachmentsController } from './attachments/attachments.controller';
import { AttachmentsRepository } from './attachments/attachments.repository';
import { MessageChannelDetails } from './attachments/attachments.service';
import { PortalAttachmentsController } from './attachments/portal-attachments.controller';
import { EmailMessagesRepository } from './email/email-messages.repository';
import { EmailInboundController } from './email/inbound/email-inbound.controller';
import { EmailIntakeService } from './email/inbound/email-intake.service';
import { ImapIdleSessions } from './email/imap/imap-idle-sessions';
import { ImapMailboxReader } from './email/imap/imap-mailbox-reader';
import { ImapPoller } from './email/imap/imap-poller';
import { MailServerAddresses } from './email/mail-server-addresses';
import { MailboxesController } from './email/mailboxes/mailboxes.controller';
import { MailboxesRepository } from './email/mailboxes/mailboxes.repository';
import { MailboxPasswordsResealer } from './channel-secrets.resealer';
import { MailboxesService } from './email/mailboxes/mailboxes.service';
import { OutboundMailListener } from './email/outbound/outbound-mail.listener';
import { OutboundMailWorker } from './email/outbound/outbound-mail.worker';
import { ChannelSecrets } from './mail-secrets';
import { PortalModule } from './portal/portal.module';
import { MailMetrics } from './email/mail-metrics';
import { MailMetricsRepository } from './email/mail-metrics.repository';
import { FileStores } from './uploads/file-store';
import { UploadExpiryJob } from './uploads/upload-expiry.job';
import { PortalUploadsController, UploadsController } from './uploads/uploads.controller';
import { UploadsRepository } from './uploads/uploads.repository';
import { UploadsService } from './uploads/uploads.service';
import { MessageAttachments } from '../tickets/conversation/message-attachments';
import { EmailSettingsController } from './email/settings/email-settings.controller';
import { EmailSettingsRepository } from './email/settings/email-settings.repository';
import { EmailSettingsResolver } from './email/settings/email-settings.resolver';
import { EmailSettingsService } from './email/settings/email-settings.service';

@Module({
  imports: [TicketsModule, ContactsModule, TeamsModule, AgentsModule, PortalModule],
  controllers: [MailboxesController, EmailInboundController, AttachmentsController, PortalAttachmentsController, ChatChannelsController, EscalationsController, UploadsController, PortalUploadsController, EmailSettingsController],
  providers: [
    ChannelSecrets,
    MailServerAddresses,
    MailboxesRepository,
    MailboxPasswordsResealer,
    MailboxesService,
    EmailMessagesRepository,
    AttachmentsRepository,
    MessageChannelDetails,
    EmailIntakeService,
    OutboundMailListener,
    OutboundMailWorker,
    ChatRepository,
    ChatService,
    ImapMailboxReader,
    ImapIdleSessions,
    ImapPoller,
    MailMetricsRepository,
    MailMetrics,
    UploadsRepository,
    FileStores,
    UploadsService,
    UploadExpiryJob,
    EmailSettingsRepository,
    EmailSettingsService,
    EmailSettingsResolver,
  ],
})
export class ChannelsModule implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly messageDetails: MessageDetails,
    private readonly channelDetails: MessageChannelDetails,
    private readonly messageAttachments: MessageAttachments,
    private readonly uploads: UploadsService,
  ) {}

  onModuleInit(): void {
    this.messageDetails.register(this.channelDetails);
    this.messageAttachments.register(this.uploads);
    // Raw emails reach the inbound endpoint as Buffers, with their own size limit (emails outgrow JSON bodies).
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify && !fastify.hasContentTypeParser('message/rfc822')) {
      fastify.addContentTypeParser('message/rfc822', { parseAs: 'buffer', bodyLimit: this.config.channels.maxEmailBytes }, (_request, body, done) => done(null, body));
    }
  }
}
