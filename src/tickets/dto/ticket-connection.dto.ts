import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { PageInfo } from '../../common/dto/page-info.dto';
import { DEFAULT_TICKET_SORT, TicketFilter, TICKET_SORTS, TicketSort } from './list-tickets.query';
import { TicketSortEnum } from './ticket-enums';
import { TicketView } from './ticket.dto';

@ArgsType()
export class TicketsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 25, description: 'At most 100.' }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(500) after?: string;
  @Field(() => TicketFilter, { nullable: true }) @IsOptional() @IsObject() @ValidateNested() @Type(() => TicketFilter) filter?: TicketFilter;
  @Field(() => TicketSortEnum, { nullable: true, defaultValue: DEFAULT_TICKET_SORT }) @IsOptional() @IsIn(TICKET_SORTS) sort?: TicketSort;
}

@ObjectType()
export class TicketEdge {
  @Field(() => TicketView) node: TicketView;
  @Field() cursor: string;
}

@ObjectType()
export class TicketConnection {
  @Field(() => [TicketEdge]) edges: TicketEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 50 }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(500) after?: string;
}

