import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { NameString, Omittable } from '../../common/dto/validators';
import { Role, RoleEnum, ROLES } from '../../auth/principal';
import { Availability } from '../entities/agent.entity';

const AVAILABILITIES: Availability[] = ['online', 'away', 'offline'];
export const AvailabilityEnum = { online: 'online', away: 'away', offline: 'offline' } as const;
registerEnumType(AvailabilityEnum, { name: 'Availability' });

@InputType()
export class CreateAgentInput {
  @Field() @ApiProperty({ maxLength: 200 }) @NameString() name: string;
  @Field() @ApiProperty({ format: 'email', maxLength: 320 }) @IsEmail() @MaxLength(320) email: string;
  @Field(() => RoleEnum) @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role: Role;
  @Field({ nullable: true }) @ApiPropertyOptional({ minLength: 10, maxLength: 256, description: 'Lets the agent log in with POST /v1/auth/login.' })
  @IsOptional() @IsString() @MinLength(10) @MaxLength(256) password?: string;
  @Field(() => AvailabilityEnum, { nullable: true }) @ApiPropertyOptional({ enum: AVAILABILITIES, default: 'offline' }) @IsOptional() @IsIn(AVAILABILITIES) availability?: Availability;
  @Field(() => Int, { nullable: true }) @ApiPropertyOptional({ minimum: 0, maximum: 10000, nullable: true, type: Number, description: 'Maximum open tickets.' })
  @IsOptional() @IsInt() @Min(0) @Max(10000) capacity?: number | null;
}

@InputType()
export class UpdateAgentInput {
  @Field({ nullable: true }) @ApiPropertyOptional({ maxLength: 200 }) @Omittable() @NameString() name?: string;
  @Field({ nullable: true }) @ApiPropertyOptional({ format: 'email', maxLength: 320 }) @Omittable() @IsEmail() @MaxLength(320) email?: string;
  @Field(() => RoleEnum, { nullable: true }) @ApiPropertyOptional({ enum: ROLES }) @Omittable() @IsIn(ROLES) role?: Role;
  @Field({ nullable: true }) @ApiPropertyOptional({ minLength: 10, maxLength: 256, description: 'Ends every session of the agent at once, the caller\'s own included.' })
  @IsOptional() @IsString() @MinLength(10) @MaxLength(256) password?: string;
  @Field(() => AvailabilityEnum, { nullable: true }) @ApiPropertyOptional({ enum: AVAILABILITIES }) @Omittable() @IsIn(AVAILABILITIES) availability?: Availability;
  @Field({ nullable: true }) @ApiPropertyOptional({ description: 'false deactivates the agent: it cannot log in, its sessions end at once and API keys bound to it stop working; true reactivates it.' })
  @Omittable() @IsBoolean() active?: boolean;
  @Field(() => Int, { nullable: true }) @ApiPropertyOptional({ minimum: 0, maximum: 10000, nullable: true, type: Number })
  @ValidateIf((_, value) => value !== null) @IsOptional() @IsInt() @Min(0) @Max(10000) capacity?: number | null;
}

@ObjectType('Agent')
export class AgentView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field() @ApiProperty() name: string;
  @Field() @ApiProperty({ format: 'email' }) email: string;
  @Field(() => RoleEnum) @ApiProperty({ enum: ROLES }) role: Role;
  @Field(() => AvailabilityEnum) @ApiProperty({ enum: AVAILABILITIES }) availability: Availability;
  @Field(() => Int, { nullable: true }) @ApiProperty({ type: Number, nullable: true }) capacity: number | null;
  @Field() @ApiProperty() hasPassword: boolean;
  @Field() @ApiProperty({ description: 'false once deactivated.' }) active: boolean;
  @Field() @ApiProperty({ description: 'Locked by repeated failed logins; POST /v1/agents/{id}/unlock clears it.' }) locked: boolean;
  @Field(() => Date, { nullable: true }) @ApiProperty({ type: Date, nullable: true, description: 'When the lock ends by itself; null while locked means until an admin unlocks.' })
  lockedUntil: Date | null;
  @Field() @ApiProperty() createdAt: Date;
  @Field() @ApiProperty() updatedAt: Date;
}

export class AgentListView {
  @ApiProperty({ type: [AgentView] }) data: AgentView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
