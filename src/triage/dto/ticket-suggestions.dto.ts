import { ApiProperty } from '@nestjs/swagger';

export class SuggestedValue {
  @ApiProperty({ description: 'A type, priority or tag.' }) value: string;
  @ApiProperty({ minimum: 0, maximum: 1, description: 'Posterior probability from the workspace model.' }) confidence: number;
}

export class SuggestedTeamRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class SuggestedTeam {
  @ApiProperty({ type: SuggestedTeamRef }) value: SuggestedTeamRef;
  @ApiProperty({ minimum: 0, maximum: 1 }) confidence: number;
}

export class TicketSuggestionsView {
  @ApiProperty({ description: 'False below the minimum history: then nothing is guessed.' }) enoughHistory: boolean;
  @ApiProperty({ description: 'Resolved tickets the model learned from.' }) trainedOn: number;
  @ApiProperty() minimumHistory: number;
  @ApiProperty({ type: String, nullable: true }) message: string | null;
  @ApiProperty({ type: SuggestedValue, nullable: true }) type: SuggestedValue | null;
  @ApiProperty({ type: SuggestedValue, nullable: true }) priority: SuggestedValue | null;
  @ApiProperty({ type: SuggestedTeam, nullable: true }) team: SuggestedTeam | null;
  @ApiProperty({ type: [SuggestedValue] }) tags: SuggestedValue[];
}
