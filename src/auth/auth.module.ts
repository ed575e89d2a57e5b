import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysResolver } from './api-keys.resolver';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { CredentialsService } from './credentials.service';
import { AgentLoginsRepository } from './agent-logins.repository';
import { ApiKeyEntity } from './entities/api-key.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { SessionEntity } from './entities/session.entity';
import { JwtStrategy } from './jwt.strategy';
import { LoginAttemptEntity } from './login-throttle/login-attempt.entity';
import { LoginThrottleRepository } from './login-throttle/login-throttle.repository';
import { LoginThrottleService } from './login-throttle/login-throttle.service';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

@Module({
  imports: [PassportModule, TypeOrmModule.forFeature([ApiKeyEntity, RefreshTokenEntity, SessionEntity, LoginAttemptEntity])],
  controllers: [AuthController, ApiKeysController],
  providers: [
    ApiKeysService, ApiKeysRepository, ApiKeysResolver, AuthService, CredentialsService, JwtStrategy, SessionsRepository, SessionsService, AgentLoginsRepository, LoginThrottleRepository, LoginThrottleService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [ApiKeysService, AuthService, SessionsService, LoginThrottleService, CredentialsService],
})
export class AuthModule {}
