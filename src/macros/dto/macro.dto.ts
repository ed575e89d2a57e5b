import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-type-json';
import { PageInfo } from '../../common/dto/page-info.dto';
import { IsId, NameString } from '../../common/dto/validators';
import { TicketView } from '../../tickets/dto/ticket.dto';
import { MAX_ACTIONS, TicketAction } from '../actions/ticket-action.dto';
import { MacroVisibility } from '../entities/macro.entity';

const VISIBILITIES: MacroVisibility[] = ['workspace', 'team', 'agent'];
export const MacroVisibilityEnum = { workspace: 'workspace', team: 'team', agent: 'agent' } as const;
registerEnumType(MacroVisibilityEnum, { name: 'MacroVisibility' });

@InputType()
export class CreateMacroInput {
  @Field() @ApiProperty({ maxLength: 200 }) @NameString() name: string;
  @Field(() => MacroVisibilityEnum, { nullable: true }) @ApiPropertyOptional({ enum: VISIBILITIES, default: 'workspace', description: 'team needs teamId, agent needs agentId (your own unless you are an admin).' })
  @IsOptional() @IsIn(VISIBILITIES) visibility?: MacroVisibility;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsId() teamId?: string;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsId() agentId?: string;
  @Field(() => [TicketAction]) @ApiProperty({ type: [TicketAction], minItems: 1, maxItems: MAX_ACTIONS, description: 'Applied in order, as one change.' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_ACTIONS) @ValidateNested({ each: true }) @Type(() => TicketAction) actions: TicketAction[];
}

@InputType()
export class UpdateMacroInput {
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: 200 }) @ValidateIf((_, value) => value !== undefined) @NameString() name?: string;
  @Field(() => MacroVisibilityEnum, { nullable: true }) @ApiPropertyOptional({ enum: VISIBILITIES }) @ValidateIf((_, value) => value !== undefined) @IsIn(VISIBILITIES) visibility?: MacroVisibility;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsId() teamId?: string;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsId() agentId?: string;
  @Field(() => [TicketAction], { nullable: true }) @ApiPropertyOptional({ type: [TicketAction], maxItems: MAX_ACTIONS })
  @ValidateIf((_, value) => value !== undefined) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_ACTIONS) @ValidateNested({ each: true }) @Type(() => TicketAction) actions?: TicketAction[];
}

@ObjectType('Macro')
export class MacroView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field() @ApiProperty() name: string;
  @Field(() => MacroVisibilityEnum) @ApiProperty({ enum: VISIBILITIES }) visibility: MacroVisibility;
  @Field(() => ID, { nullable: true }) @ApiProperty({ type: String, format: 'uuid', nullable: true }) teamId: string | null;
  @Field(() => ID, { nullable: true }) @ApiProperty({ type: String, format: 'uuid', nullable: true }) agentId: string | null;
  @Field(() => [TicketAction]) @ApiProperty({ type: [TicketAction] }) actions: TicketAction[];
  @Field() @ApiProperty() createdAt: Date;
  @Field() @ApiProperty() updatedAt: Date;
}

export class MacroListView {
  @ApiProperty({ type: [MacroView] }) data: MacroView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ApplyMacroQuery {
  @ApiPropertyOptional({ default: false, description: 'Return what would change, and the rendered messages, without writing anything.' })
  @IsOptional() @Transform(({ value }: { value: unknown }) => value === true || value === 'true' ? true : value === false || value === 'false' ? false : value) @IsBoolean() dryRun?: boolean;
}

@ObjectType('RenderedMessage')
export class RenderedMessageView {
  @Field() @ApiProperty() body: string;
  @Field(() => String) @ApiProperty({ enum: ['public', 'internal'] }) visibility: 'public' | 'internal';
}

@ObjectType('MacroApplication')
export class MacroApplicationView {
  @Field() @ApiProperty() dryRun: boolean;
  @Field(() => TicketView) @ApiProperty({ type: TicketView, description: 'After the macro; unchanged for a dry run.' }) ticket: TicketView;
  @Field(() => GraphQLJSONObject) @ApiProperty({ type: 'object', additionalProperties: true, description: '{field: {before, after}}' }) changes: Record<string, { before: unknown; after: unknown }>;
  @Field(() => [RenderedMessageView]) @ApiProperty({ type: [RenderedMessageView] }) messages: RenderedMessageView[];
  @Field() @ApiProperty({ description: "A set_team action lets the team's strategy pick the assignee when applied." }) assigneeByTeamStrategy: boolean;
}

@ArgsType()
export class MacrosArgs {
  @Field(() => Int, { nullable: true, defaultValue: 25 }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(500) after?: string;
}

@ObjectType()
export class MacroEdge {
  @Field(() => MacroView) node: MacroView;
  @Field() cursor: string;
}

@ObjectType()
export class MacroConnection {
  @Field(() => [MacroEdge]) edges: MacroEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
