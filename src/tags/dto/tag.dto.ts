import { ArgsType, Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MAX_TAG } from '../../tickets/dto/ticket.dto';

@ArgsType()
export class ListTagsQuery {
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: MAX_TAG, description: 'Only tags starting with this (compared in lower case).' })
  @IsOptional() @IsString() @MaxLength(MAX_TAG) prefix?: string;
  @Field(() => Int, { nullable: true, defaultValue: 20 }) @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
}

@ObjectType('TagUsage')
export class TagView {
  @Field() @ApiProperty() tag: string;
  @Field(() => Int) @ApiProperty({ description: 'Unresolved tickets (new, open, pending, on hold) carrying the tag.' }) openTickets: number;
}

export class TagListView {
  @ApiProperty({ type: [TagView], description: 'Tags on tickets that are not closed, most used first.' }) data: TagView[];
}

@InputType()
export class RenameTagInput {
  @Field() @ApiProperty({ maxLength: MAX_TAG }) @IsString() @MinLength(1) @MaxLength(MAX_TAG) from: string;
  @Field() @ApiProperty({ maxLength: MAX_TAG, description: 'Normalised to lower case, as every tag is.' }) @IsString() @MinLength(1) @MaxLength(MAX_TAG) to: string;
}

@ObjectType('TagChange')
export class TagChangeView {
  @Field() @ApiProperty() from: string;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true, description: 'null when the tag was removed.' }) to: string | null;
  @Field(() => Int) @ApiProperty({ description: 'Tickets changed, each with its history and events.' }) tickets: number;
  @Field(() => Int) @ApiProperty({ description: 'Tickets that changed meanwhile so they could not take the change (closed by then); they keep the tag.' }) skippedTickets: number;
  @Field(() => Int) @ApiProperty() macros: number;
  @Field(() => Int) @ApiProperty() rules: number;
  @Field(() => Int) @ApiProperty() views: number;
}
