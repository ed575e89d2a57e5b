import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';

@ObjectType('SuggestedValue')
export class SuggestedValue {
  @Field() @ApiProperty({ description: 'A type, priority or tag.' }) value: string;
  @Field(() => Float) @ApiProperty({ minimum: 0, maximum: 1, description: 'Posterior probability from the workspace model.' }) confidence: number;
}

@ObjectType('SuggestedTeamRef')
export class SuggestedTeamRef {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id: string;
  @Field() @ApiProperty() name: string;
}

@ObjectType('SuggestedTeam')
export class SuggestedTeam {
  @Field(() => SuggestedTeamRef) @ApiProperty({ type: SuggestedTeamRef }) value: SuggestedTeamRef;
  @Field(() => Float) @ApiProperty({ minimum: 0, maximum: 1 }) confidence: number;
}

@ObjectType('TicketSuggestions')
export class TicketSuggestionsView {
  @Field() @ApiProperty({ description: 'False below the minimum history: then nothing is guessed.' }) enoughHistory: boolean;
  @Field(() => Int) @ApiProperty({ description: 'Resolved tickets the model learned from.' }) trainedOn: number;
  @Field(() => Int) @ApiProperty() minimumHistory: number;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) message: string | null;
  @Field(() => SuggestedValue, { nullable: true }) @ApiProperty({ type: SuggestedValue, nullable: true }) type: SuggestedValue | null;
  @Field(() => SuggestedValue, { nullable: true }) @ApiProperty({ type: SuggestedValue, nullable: true }) priority: SuggestedValue | null;
  @Field(() => SuggestedTeam, { nullable: true }) @ApiProperty({ type: SuggestedTeam, nullable: true }) team: SuggestedTeam | null;
  @Field(() => [SuggestedValue]) @ApiProperty({ type: [SuggestedValue] }) tags: SuggestedValue[];
}
