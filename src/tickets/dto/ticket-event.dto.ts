import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import { GraphQLJSONObject } from 'graphql-type-json';

@ObjectType('EventActor')
export class EventActorView {
  @Field() @ApiProperty({ enum: ['agent', 'api_key', 'contact', 'system'] }) type: string;
  @Field(() => ID, { nullable: true }) @ApiProperty({ format: 'uuid', nullable: true, type: String }) id: string | null;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) name: string | null;
}

@ObjectType('TicketEvent')
export class TicketEventView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) ticketId: string;
  @Field(() => Int) @ApiProperty({ description: 'Per-ticket order of events, from 1.' }) sequence: number;
  @Field() @ApiProperty({ example: 'ticket.status_changed' }) type: string;
  @Field(() => EventActorView) @ApiProperty({ type: EventActorView }) actor: EventActorView;
  @Field(() => GraphQLJSONObject) @ApiProperty({ type: 'object', additionalProperties: { type: 'object', properties: { before: {}, after: {} } }, example: { status: { before: 'open', after: 'pending' } } })
  changes: Record<string, { before: unknown; after: unknown }>;
  @Field(() => GraphQLJSONObject) @ApiProperty({ type: 'object', additionalProperties: true, description: 'Event-specific details, e.g. the message id.' }) data: Record<string, unknown>;
  @Field() @ApiProperty() createdAt: Date;
}

export class TicketEventListView {
  @ApiProperty({ type: [TicketEventView] }) data: TicketEventView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
