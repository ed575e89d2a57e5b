import { Global, Module } from '@nestjs/common';
import { EventFeedStore } from './event-feed';
import { EventFeedRepository } from './event-feed.repository';
import { Outbox } from './outbox';

@Global()
@Module({ providers: [Outbox, EventFeedRepository, EventFeedStore], exports: [Outbox, EventFeedStore] })
export class EventsModule {}
