import { ArgsType, Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageInfo } from '../../common/dto/page-info.dto';
import { TicketView } from '../../tickets/dto/ticket.dto';
import { MAX_QUERY_LENGTH } from '../search-query';

const Q_DESCRIPTION =
  'Words in web-search syntax ("exact phrase", or, -excluded) plus qualifiers: status:open,pending priority:high tag:billing ' +
  'assignee:me|none|<id> team:<name> org:<name|id|none> requester:<email or part> created>YYYY-MM-DD (>, >=, <, <=, :) #1234. A leading "-" negates a qualifier.';

export class SearchQuery {
  @ApiProperty({ maxLength: MAX_QUERY_LENGTH, description: Q_DESCRIPTION }) @IsString() @MaxLength(MAX_QUERY_LENGTH) q: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 25 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
  @ApiPropertyOptional({ maxLength: 500, description: 'The nextCursor of the previous page; pages go as deep as the results do.' })
  @IsOptional() @IsString() @MaxLength(500) cursor?: string;
}

@ArgsType()
export class SearchArgs {
  @Field({ description: Q_DESCRIPTION }) @IsString() @MaxLength(MAX_QUERY_LENGTH) q: string;
  @Field(() => Int, { nullable: true, defaultValue: 25, description: 'At most 100.' }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(500) after?: string;
}

@ObjectType('SearchHighlights')
export class SearchHighlightsView {
  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true, description: 'The subject, HTML-escaped, with matches in <mark>; null without free text.' })
  subject: string | null;
  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true, description: 'Fragments of the best-matching message, HTML-escaped, with matches in <mark>.' })
  body: string | null;
}

@ObjectType('SearchHit')
export class SearchHitView {
  @Field(() => TicketView) @ApiProperty({ type: TicketView }) ticket: TicketView;
  @Field(() => Float, { nullable: true })
  @ApiProperty({ type: Number, nullable: true, description: 'ts_rank_cd relevance (subject above body above requester); null without free text.' })
  rank: number | null;
  @Field(() => SearchHighlightsView) @ApiProperty({ type: SearchHighlightsView }) highlights: SearchHighlightsView;
  @Field() @ApiProperty({ description: 'Resumes the results right after this hit.' }) cursor: string;
}

export class SearchResultsView {
  @ApiProperty({ type: [SearchHitView] }) data: SearchHitView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

@ObjectType('SearchEdge')
export class SearchEdge {
  @Field(() => SearchHitView) node: SearchHitView;
  @Field() cursor: string;
}

@ObjectType('SearchConnection')
export class SearchConnection {
  @Field(() => [SearchEdge]) edges: SearchEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
