import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional } from 'class-validator';
import { IsId, NameString } from '../../common/dto/validators';
import { Role, RoleEnum, ROLES } from '../principal';

registerEnumType(RoleEnum, { name: 'Role' });

@InputType()
export class CreateApiKeyInput {
  @Field() @ApiProperty({ maxLength: 200, example: 'Zapier integration' }) @NameString() name: string;
  @Field(() => RoleEnum) @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role: Role;
  @Field(() => ID, { nullable: true }) @ApiPropertyOptional({ format: 'uuid', description: 'The agent this key acts as: its replies are authored by that agent.' }) @IsOptional() @IsId() agentId?: string;
  @Field(() => [String], { nullable: true }) @ApiPropertyOptional({ type: [String], enum: ['platform'], maxItems: 5, description: 'Only a platform key may grant the platform scope.' })
  @IsOptional() @IsArray() @ArrayMaxSize(5) @IsIn(['platform'], { each: true }) scopes?: string[];
}

@ObjectType('ApiKey')
export class ApiKeyView {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field() @ApiProperty() name: string;
  @Field(() => RoleEnum) @ApiProperty({ enum: ROLES }) role: Role;
  @Field(() => [String]) @ApiProperty({ type: [String] }) scopes: string[];
  @Field(() => ID, { nullable: true }) @ApiProperty({ format: 'uuid', nullable: true, type: String }) agentId: string | null;
  @Field() @ApiProperty({ description: 'The first characters of the key, to recognise it.' }) prefix: string;
  @Field() @ApiProperty() createdAt: Date;
  @Field(() => Date, { nullable: true }) @ApiProperty({ nullable: true, type: Date }) lastUsedAt: Date | null;
}

@ObjectType('CreatedApiKey')
export class CreatedApiKeyView extends ApiKeyView {
  @Field() @ApiProperty({ description: 'The secret key. Shown only in this response; store it now.' }) key: string;
}
