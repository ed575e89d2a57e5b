import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AccessTokenClaims, AuthService, JWT_ALGORITHM } from './auth.service';
import { Principal } from './principal';
import { isUuid } from '../common/ids';


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
    // Tokens issued before sessions existed carry no sid; they are refused (and would have expired within the access-token TTL anyway).
    if (typeof claims.exp !== 'number' || ![claims.sub, claims.wid, claims.sid].every(isUuid)) return false;
    return (await this.auth.principalFromAccessToken(claims)) ?? false;
  }
}
