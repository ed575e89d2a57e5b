import { ApiProperty } from '@nestjs/swagger';
import { IsDateString, MaxLength } from 'class-validator';

export class SlaReportQuery {
  @ApiProperty({ format: 'date-time', maxLength: 40, description: 'Inclusive: outcomes (fulfilment or breach) at or after this instant.' }) @MaxLength(40) @IsDateString() from: string;
  @ApiProperty({ format: 'date-time', maxLength: 40, description: 'Exclusive; at most 366 days after from.' }) @MaxLength(40) @IsDateString() to: string;
}

export class SlaReportRow {
  @ApiProperty({ enum: ['first_response', 'next_response', 'resolution'] }) metric: string;
  @ApiProperty({ enum: ['low', 'normal', 'high', 'urgent'], description: "The ticket's current priority." }) priority: string;
  @ApiProperty({ description: 'Metric cycles fulfilled within target.' }) met: number;
  @ApiProperty({ description: 'Metric cycles that breached their target.' }) breached: number;
  @ApiProperty({ type: Number, nullable: true, description: 'met / (met + breached) in percent, one decimal; null without outcomes.' }) percentage: number | null;
}

export class SlaReportView {
  @ApiProperty() from: Date;
  @ApiProperty() to: Date;
  @ApiProperty({ type: [SlaReportRow], description: 'Every metric and priority, in that order.' }) rows: SlaReportRow[];
}
