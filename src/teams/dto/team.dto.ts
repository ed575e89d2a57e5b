import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { PageInfo } from '../../common/dto/page-info.dto';
import { NameString, OptionalIds } from '../../common/dto/validators';

import { ASSIGNMENT_STRATEGIES, AssignmentStrategy } from '../entities/team.entity';

const MAX_MEMBERS = 100;

export const AssignmentStrategyEnum = { manual: 'manual', round_robin: 'round_robin', load_balanced: 'load_balanced' } as const;
registerEnumType(AssignmentStrategyEnum, { name: 'AssignmentStrategy' });
const STRATEGY_DOC = 'How tickets routed to the team get an agent: manual (nobody is picked), round_robin (fair rotation among online members) or load_balanced (fewest open tickets among online members under capacity, ties to whoever was assigned least recently).';

@InputType()
export class CreateTeamInput {
  @Field() @ApiProperty({ maxLength: 200, description: 'Unique in the workspace, compared case-insensitively.' }) @NameString() name: string;
  @Field(() => [ID], { nullable: true }) @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_MEMBERS, description: 'Agents of this workspace.' }) @OptionalIds(MAX_MEMBERS) memberIds?: string[];
  @Field(() => AssignmentStrategyEnum, { nullable: true }) @ApiPropertyOptional({ enum: ASSIGNMENT_STRATEGIES, default: 'manual', description: STRATEGY_DOC })
  @IsOptional() @IsIn(ASSIGNMENT_STRATEGIES) assignmentStrategy?: AssignmentStrategy;
}

@InputType()
export class UpdateTeamInput {
  // Not @IsOptional, which would let an explicit null through: a team always has a name and a member set.
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: 200 }) @ValidateIf((_, value) => value !== undefined) @NameString() name?: string;
  @Field(() => [ID], { nullable: true }) @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_MEMBERS, description: 'Replaces the whole set of members.' })
  @ValidateIf((_, value) => value !== undefined) @IsArray() @ArrayMaxSize(MAX_MEMBERS) @IsUUID('all', { each: true }) memberIds?: string[];
  @Field(() => AssignmentStrategyEnum, { nullable: true }) @ApiPropertyOptional({ enum: ASSIGNMENT_STRATEGIES, description: STRATEGY_DOC })
  @ValidateIf((_, value) => value !== undefined) @IsIn(ASSIGNMENT_STRATEGIES) assignmentStrategy?: AssignmentStrategy;
}

@ArgsType()
export class TeamsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 25 }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' }) @IsOptional() @IsString() @MaxLength(500) after?: string;
}

@ObjectType('TeamMember')
export class TeamMemberView {
  @Field(() => ID) @ApiProperty({ format: 'uuid', description: 'The agent id.' }) id: string;
  @Field() @ApiProperty() name: string;
}

@ObjectType('Team')
export class TeamView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field() @ApiProperty() name: string;
  @Field(() => AssignmentStrategyEnum) @ApiProperty({ enum: ASSIGNMENT_STRATEGIES, description: STRATEGY_DOC }) assignmentStrategy: AssignmentStrategy;
  @Field(() => [TeamMemberView]) @ApiProperty({ type: [TeamMemberView], description: 'Ordered by name.' }) members: TeamMemberView[];
  @Field() @ApiProperty() createdAt: Date;
  @Field() @ApiProperty() updatedAt: Date;
}

export class TeamListView {
  @ApiProperty({ type: [TeamView] }) data: TeamView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

@ObjectType()
export class TeamEdge {
  @Field(() => TeamView) node: TeamView;
  @Field() cursor: string;
}

@ObjectType()
export class TeamConnection {
  @Field(() => [TeamEdge]) edges: TeamEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
