import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export const SATISFACTION_RATINGS = ['good', 'bad'] as const;
export type SatisfactionRating = (typeof SATISFACTION_RATINGS)[number];
export const MAX_COMMENT = 2000;
export const SatisfactionRatingEnum = { good: 'good', bad: 'bad' } as const;
registerEnumType(SatisfactionRatingEnum, { name: 'SatisfactionRatingValue' });

@InputType('RateTicketInput')
export class RateTicketInput {
  @Field(() => SatisfactionRatingEnum) @ApiProperty({ enum: SATISFACTION_RATINGS }) @IsIn(SATISFACTION_RATINGS) rating: SatisfactionRating;
  @Field(() => String, { nullable: true }) @ApiPropertyOptional({ maxLength: MAX_COMMENT }) @IsOptional() @IsString() @MaxLength(MAX_COMMENT) comment?: string;
}

@ObjectType('SatisfactionRating')
export class SatisfactionRatingView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) ticketId: string;
  @Field(() => ID) @ApiProperty({ format: 'uuid', description: "The ticket's requester, on whose behalf the rating is given." }) requesterId: string;
  @Field(() => SatisfactionRatingEnum) @ApiProperty({ enum: SATISFACTION_RATINGS }) rating: SatisfactionRating;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @Field() @ApiProperty({ description: 'The resolution this rating is about: one rating per resolution.' }) resolvedAt: Date;
  @Field() @ApiProperty() createdAt: Date;
}
