import { integer } from './app-config';

export interface PasswordConfig {
  /**
   * log2 of scrypt's N for new password hashes (memory N * 8 * 128 bytes: 32 MiB at 15). Stored hashes keep the cost
   * they were made with, so raising it applies to passwords set from then on. Tests lower it: at 15 each login takes
   * 0.1 to 0.3 s of CPU, which a suite of hundreds of logins cannot afford.
   */
  scryptCost: number;
}

export function passwordConfig(env: NodeJS.ProcessEnv): PasswordConfig {
  return { scryptCost: integer(env, 'PASSWORD_SCRYPT_COST', 15, 10, 17) };
}
