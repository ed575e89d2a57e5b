import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AccessTokenClaims, AuthService, JWT_ALGORITHM } from './auth.service';
import { Principal } from './principal';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(APP_CONFIG) config: AppConfig, private readonly auth: AuthService) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: [JWT_ALGORITHM],
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      ignoreExpiration: false,
      jsonWebTokenOptions: { maxAge: `${config.accessTokenTtlSeconds}s` },
    });
  }

  async validate(claims: AccessTokenClaims & { exp?: number }): Promise<Principal | false> {
    if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string' || typeof claims.wid !== 'string') return false;
    return (await this.auth.principalFromAccessToken(claims)) ?? false;
  }
}
