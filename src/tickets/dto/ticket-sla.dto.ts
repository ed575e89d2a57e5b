import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';

// The SLA part of the ticket view: tickets owns the shape, the SLA module fills it (TicketSlaProjection).
export const SlaMetricEnum = { first_response: 'first_response', next_response: 'next_response', resolution: 'resolution' } as const;
export const SlaMetricStatusEnum = { active: 'active', paused: 'paused', fulfilled: 'fulfilled', breached: 'breached' } as const;
registerEnumType(SlaMetricEnum, { name: 'SlaMetric' });
registerEnumType(SlaMetricStatusEnum, { name: 'SlaMetricStatus' });

type SlaMetricName = keyof typeof SlaMetricEnum;
type SlaMetricStatusName = keyof typeof SlaMetricStatusEnum;

@ObjectType('TicketSlaMetric')
export class TicketSlaMetricView {
  @Field(() => SlaMetricEnum) @ApiProperty({ enum: Object.keys(SlaMetricEnum) }) metric: SlaMetricName;
  @Field(() => SlaMetricStatusEnum) @ApiProperty({ enum: Object.keys(SlaMetricStatusEnum) }) status: SlaMetricStatusName;
  @Field() @ApiProperty({ description: 'When this cycle of the metric started.' }) startedAt: Date;
  @Field(() => Date, { nullable: true }) @ApiProperty({ type: Date, nullable: true, description: 'null while paused.' }) dueAt: Date | null;
  @Field(() => Date, { nullable: true }) @ApiProperty({ type: Date, nullable: true }) fulfilledAt: Date | null;
  @Field(() => Date, { nullable: true }) @ApiProperty({ type: Date, nullable: true }) breachedAt: Date | null;
  @Field(() => Int) @ApiProperty({ description: 'Business minutes counted so far (paused time excluded).' }) elapsedMinutes: number;
  @Field(() => Int) @ApiProperty({ description: 'Business minutes left before the target; negative once past it.' }) remainingMinutes: number;
}

@ObjectType('TicketSla')
export class TicketSlaView {
  @Field(() => ID, { nullable: true }) @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null if the policy was deleted since.' }) policyId: string | null;
  @Field(() => [TicketSlaMetricView]) @ApiProperty({ type: [TicketSlaMetricView], description: 'The latest cycle of each metric that has a target.' })
  metrics: TicketSlaMetricView[];
}
