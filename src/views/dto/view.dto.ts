import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsUUID, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-type-json';
import { NameString, Omittable } from '../../common/dto/validators';
import { DEFAULT_TICKET_SORT, TICKET_SORTS, TicketFilter, TicketSort } from '../../tickets/dto/list-tickets.query';
import { TicketSortEnum } from '../../tickets/dto/ticket-enums';
import { ViewVisibility } from '../entities/saved-view.entity';

export const VIEW_VISIBILITIES: ViewVisibility[] = ['shared', 'personal'];
export const ViewVisibilityEnum = { shared: 'shared', personal: 'personal' } as const;
registerEnumType(ViewVisibilityEnum, { name: 'ViewVisibility' });

/** At most this many shared views per workspace, and personal views per agent. */
export const MAX_VIEWS = 100;
/** Counts are exact up to this many tickets; above, `approximate` is true and the count is this cap. */
export const VIEW_COUNT_CAP = 1000;

const FILTER_DESCRIPTION = 'Exactly the filters of GET /v1/tickets (status, priority and type as arrays, assigneeId, teamId, requesterId, tag, time ranges, slaDueBefore, slaBreached, q), validated the same way.';
const POSITION_DESCRIPTION = 'Where the view sits in the sidebar: views are listed by ascending position (then oldest first). Omitted on create, it goes last.';

@InputType()
export class CreateViewInput {
  @Field() @ApiProperty({ maxLength: 200 }) @NameString() name: string;
  @Field(() => TicketFilter, { nullable: true }) @ApiPropertyOptional({ type: TicketFilter, description: FILTER_DESCRIPTION })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => TicketFilter) filter?: TicketFilter;
  @Field(() => TicketSortEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_SORTS, default: DEFAULT_TICKET_SORT }) @IsOptional() @IsIn(TICKET_SORTS) sort?: TicketSort;
  @Field(() => ViewVisibilityEnum, { nullable: true }) @ApiPropertyOptional({ enum: VIEW_VISIBILITIES, default: 'personal', description: 'shared: every agent of the workspace sees it (admins only may create or change one); personal: only you.' })
  @IsOptional() @IsIn(VIEW_VISIBILITIES) visibility?: ViewVisibility;
  @Field(() => Int, { nullable: true, description: POSITION_DESCRIPTION }) @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000, description: POSITION_DESCRIPTION })
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000) position?: number;
}

@InputType()
export class UpdateViewInput {
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: 200 }) @Omittable() @NameString() name?: string;
  @Field(() => TicketFilter, { nullable: true }) @ApiPropertyOptional({ type: TicketFilter, description: `Replaces the whole filter. ${FILTER_DESCRIPTION}` })
  @Omittable() @IsObject() @ValidateNested() @Type(() => TicketFilter) filter?: TicketFilter;
  @Field(() => TicketSortEnum, { nullable: true }) @ApiPropertyOptional({ enum: TICKET_SORTS }) @Omittable() @IsIn(TICKET_SORTS) sort?: TicketSort;
  @Field(() => ViewVisibilityEnum, { nullable: true }) @ApiPropertyOptional({ enum: VIEW_VISIBILITIES }) @Omittable() @IsIn(VIEW_VISIBILITIES) visibility?: ViewVisibility;
  @Field(() => Int, { nullable: true }) @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000 }) @Omittable() @IsInt() @Min(0) @Max(1_000_000) position?: number;
}

@ObjectType('SavedView')
export class ViewView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field() @ApiProperty() name: string;
  @Field(() => GraphQLJSONObject, { description: 'The ticket-list filters, as TicketFilter takes them.' }) @ApiProperty({ type: TicketFilter }) filter: TicketFilter;
  @Field(() => TicketSortEnum) @ApiProperty({ enum: TICKET_SORTS }) sort: TicketSort;
  @Field(() => ViewVisibilityEnum) @ApiProperty({ enum: VIEW_VISIBILITIES }) visibility: ViewVisibility;
  @Field(() => ID, { nullable: true }) @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The owner of a personal view.' }) agentId: string | null;
  @Field(() => Int) @ApiProperty() position: number;
  @Field() @ApiProperty() createdAt: Date;
  @Field() @ApiProperty() updatedAt: Date;
}

export class ViewListView {
  @ApiProperty({ type: [ViewView], description: 'Shared views and your personal ones, by position.' }) data: ViewView[];
}

@ObjectType('ViewCount')
export class ViewCountView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field(() => Int) @ApiProperty({ description: `Tickets matching the view now; exact up to ${VIEW_COUNT_CAP}.` }) count: number;
  @Field() @ApiProperty({ description: `true when more than ${VIEW_COUNT_CAP} tickets match: count is then ${VIEW_COUNT_CAP} and the real number is larger.` }) approximate: boolean;
}

export class ViewCountListView {
  @ApiProperty({ type: [ViewCountView], description: 'One entry per view you can see, in list order.' }) data: ViewCountView[];
}

export class ViewListQuery {
  @ApiPropertyOptional({ enum: VIEW_VISIBILITIES, description: 'Only the shared views, or only your personal ones.' }) @IsOptional() @IsIn(VIEW_VISIBILITIES) visibility?: ViewVisibility;
}

export class ViewTicketsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 25 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
  @ApiPropertyOptional({ maxLength: 500, description: 'The nextCursor of the previous page.' }) @IsOptional() @IsString() @MaxLength(500) cursor?: string;
}

@ArgsType()
export class ViewTicketsArgs {
  @Field(() => ID) @IsUUID('all', { message: 'id must be a UUID' }) id: string;
  @Field(() => Int, { nullable: true, defaultValue: 25, description: 'At most 100.' }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(500) after?: string;
}
