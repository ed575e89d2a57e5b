import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';

@InputType()
export class UpdateSlaSettingsInput {
  @Field(() => Int, { nullable: true }) @ApiPropertyOptional({ minimum: 1, maximum: 365 })
  @ValidateIf((_, value) => value !== undefined) @IsInt() @Min(1) @Max(365) autoCloseAfterDays?: number;
}

@ObjectType('SlaSettings')
export class SlaSettingsView {
  @Field(() => Int) @ApiProperty({ description: 'Resolved tickets close automatically after this many days (default 4).' }) autoCloseAfterDays: number;
}
