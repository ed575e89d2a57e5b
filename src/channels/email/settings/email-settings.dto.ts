import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, ValidateIf } from 'class-validator';

@InputType()
export class UpdateEmailSettingsInput {
  @Field(() => Boolean, { nullable: true }) @ApiPropertyOptional({ description: "Whether an inbound email's Cc addresses become CCs of its ticket." })
  @ValidateIf((_, value) => value !== undefined) @IsBoolean() inboundCcEnabled?: boolean;
}

@ObjectType('EmailSettings')
export class EmailSettingsView {
  @Field(() => Boolean)
  @ApiProperty({ description: "An inbound email's Cc addresses (except our own mailboxes) become CCs of its ticket; default true." })
  inboundCcEnabled: boolean;
}
