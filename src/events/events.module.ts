import { Global, Module } from '@nestjs/common';
import { EventFeedStore } from './event-feed';
import { EventFeedRepository } from './event-feed.repository';
import { Outbox } from './outbox';
import { OutboxRepository } from './outbox.repository';

@Global()
@Module({ providers: [Outbox, OutboxRepository, EventFeedRepository, EventFeedStore], exports: [Outbox, EventFeedStore] })
export class EventsModule {}
