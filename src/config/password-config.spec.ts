import { ConfigError } from './app-config';
import { passwordConfig } from './password-config';

describe('passwordConfig', () => {
  it('hashes new passwords at scrypt cost 15 (N = 32768) unless PASSWORD_SCRYPT_COST says otherwise', () => {
    expect(passwordConfig({})).toEqual({ scryptCost: 15 });
    expect(passwordConfig({ PASSWORD_SCRYPT_COST: '10' })).toEqual({ scryptCost: 10 });
    expect(passwordConfig({ PASSWORD_SCRYPT_COST: '17' })).toEqual({ scryptCost: 17 });
  });

  it.each(['9', '18', 'fast'])('refuses PASSWORD_SCRYPT_COST=%s at boot, naming the variable', (value) => {
    expect(() => passwordConfig({ PASSWORD_SCRYPT_COST: value })).toThrow(ConfigError);
    expect(() => passwordConfig({ PASSWORD_SCRYPT_COST: value })).toThrow(/PASSWORD_SCRYPT_COST/);
  });
});
