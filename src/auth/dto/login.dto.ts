import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginInput {
  @ApiProperty({ example: 'ana@example.com', maxLength: 320 }) @IsEmail() @MaxLength(320) email: string;
  @ApiProperty({ minLength: 1, maxLength: 256 }) @IsString() @MinLength(1) @MaxLength(256) password: string;
  @ApiProperty({ example: 'default', maxLength: 64, description: 'The workspace slug.' }) @IsString() @MinLength(1) @MaxLength(64) workspace: string;
}

export class RefreshInput {
  @ApiProperty({ minLength: 10, maxLength: 200 }) @IsString() @MinLength(10) @MaxLength(200) refreshToken: string;
}

export class TokenPairView {
  @ApiProperty({ description: 'JWT access token; send as Authorization: Bearer.' }) accessToken: string;
  @ApiProperty({ description: 'Single-use refresh token; each refresh returns a new one.' }) refreshToken: string;
  @ApiProperty({ description: 'Seconds until the access token expires.' }) expiresIn: number;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
}
