import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AccessTokenClaims } from './auth.service';
import { accessTokenChecks, CredentialsService } from './credentials.service';
import { Principal } from './principal';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(APP_CONFIG) config: AppConfig, private readonly credentials: CredentialsService) {
    const { maxAge, ...checks } = accessTokenChecks(config);
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      ...checks,
      ignoreExpiration: false,
      jsonWebTokenOptions: { maxAge },
    });
  }

  async validate(claims: AccessTokenClaims & { exp?: number }): Promise<Principal | false> {
    return (await this.credentials.principalFromClaims(claims)) ?? false;
  }
}
