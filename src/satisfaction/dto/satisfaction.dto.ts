import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export const SATISFACTION_RATINGS = ['good', 'bad'] as const;
export type SatisfactionRating = (typeof SATISFACTION_RATINGS)[number];
export const MAX_COMMENT = 2000;

export class RateTicketInput {
  @ApiProperty({ enum: SATISFACTION_RATINGS }) @IsIn(SATISFACTION_RATINGS) rating: SatisfactionRating;
  @ApiPropertyOptional({ maxLength: MAX_COMMENT }) @IsOptional() @IsString() @MaxLength(MAX_COMMENT) comment?: string;
}

export class SatisfactionRatingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty({ format: 'uuid', description: "The ticket's requester, on whose behalf the rating is given." }) requesterId: string;
  @ApiProperty({ enum: SATISFACTION_RATINGS }) rating: SatisfactionRating;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty({ description: 'The resolution this rating is about: one rating per resolution.' }) resolvedAt: Date;
  @ApiProperty() createdAt: Date;
}
