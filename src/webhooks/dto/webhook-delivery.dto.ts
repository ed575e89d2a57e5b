import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-type-json';
import { PageQuery } from '../../common/dto/list-query.dto';
import { IsId } from '../../common/dto/validators';
import { PageInfo } from '../../common/dto/page-info.dto';
import { WebhookDeliveryStatus } from '../entities/webhook-delivery.entity';
import { ConnectionArgs } from './webhook.dto';

export const DELIVERY_STATUSES: WebhookDeliveryStatus[] = ['pending', 'succeeded', 'failed'];
export const WebhookDeliveryStatusEnum = { pending: 'pending', succeeded: 'succeeded', failed: 'failed' } as const;
registerEnumType(WebhookDeliveryStatusEnum, { name: 'WebhookDeliveryStatus' });

export class WebhookDeliveryQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES }) @IsOptional() @IsIn(DELIVERY_STATUSES) status?: WebhookDeliveryStatus;
}

@ArgsType()
export class WebhookDeliveriesArgs extends ConnectionArgs {
  @Field(() => ID) @IsId() webhookId: string;
  @Field(() => WebhookDeliveryStatusEnum, { nullable: true }) @IsOptional() @IsIn(DELIVERY_STATUSES) status?: WebhookDeliveryStatus;
}

@ObjectType('WebhookDeliveryAttempt')
export class WebhookDeliveryAttemptView {
  @Field() @ApiProperty() attemptedAt: Date;
  @Field(() => Int, { nullable: true }) @ApiProperty({ type: Number, nullable: true, description: 'null when no HTTP answer came back.' }) statusCode: number | null;
  @Field(() => Int) @ApiProperty() durationMs: number;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true, maxLength: 1024, description: 'The first KiB of the response body.' })
  responseExcerpt: string | null;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true, example: 'no complete answer within 10000 ms' }) error: string | null;
}

@ObjectType('WebhookDelivery')
export class WebhookDeliveryView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) webhookId: string;
  @Field(() => ID) @ApiProperty({ format: 'uuid', description: 'The envelope id, sent as the webhook-id header.' }) eventId: string;
  @Field() @ApiProperty() eventType: string;
  @Field(() => WebhookDeliveryStatusEnum) @ApiProperty({ enum: DELIVERY_STATUSES }) status: WebhookDeliveryStatus;
  @Field(() => Date, { nullable: true }) @ApiProperty({ type: Date, nullable: true, description: 'When pending: the time of the next attempt.' }) nextAttemptAt: Date | null;
  @Field(() => [WebhookDeliveryAttemptView]) @ApiProperty({ type: [WebhookDeliveryAttemptView], description: 'Oldest first; at most the 50 most recent.' })
  attempts: WebhookDeliveryAttemptView[];
  @Field(() => GraphQLJSONObject) @ApiProperty({ type: 'object', additionalProperties: true, description: 'The event envelope sent as the body.' }) payload: Record<string, unknown>;
  @Field() @ApiProperty() createdAt: Date;
  @Field(() => Date, { nullable: true }) @ApiProperty({ type: Date, nullable: true }) completedAt: Date | null;
}

export class WebhookDeliveryListView {
  @ApiProperty({ type: [WebhookDeliveryView] }) data: WebhookDeliveryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

@ObjectType()
export class WebhookDeliveryEdge {
  @Field(() => WebhookDeliveryView) node: WebhookDeliveryView;
  @Field() cursor: string;
}

@ObjectType()
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge]) edges: WebhookDeliveryEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
