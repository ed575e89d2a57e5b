import { integer } from './app-config';

/** Throttling of POST /v1/auth/login; failures count until LOGIN_FAILURE_WINDOW_SECONDS pass without one. */
export interface LoginThrottleConfig {
  /** Failures of one account (workspace and email) before each further attempt waits 1 s, then 2 s, 4 s... */
  maxFailuresBeforeDelay: number;
  /** The same for one client address; higher, since an office behind one address has many people. */
  ipMaxFailuresBeforeDelay: number;
  /** Failures of one account that lock it; 0 never locks. */
  lockAfterFailures: number;
  failureWindowSeconds: number;
  /** How long a lock lasts; 0 keeps it until an admin unlocks the agent. */
  lockSeconds: number;
}

export interface SessionConfig {
  login: LoginThrottleConfig;
}

export function sessionConfig(env: NodeJS.ProcessEnv): SessionConfig {
  return {
    login: {
      maxFailuresBeforeDelay: integer(env, 'LOGIN_MAX_FAILURES_BEFORE_DELAY', 5, 1, 1000),
      ipMaxFailuresBeforeDelay: integer(env, 'LOGIN_IP_MAX_FAILURES_BEFORE_DELAY', 20, 1, 100_000),
      lockAfterFailures: integer(env, 'LOGIN_LOCK_AFTER_FAILURES', 20, 0, 10_000),
      failureWindowSeconds: integer(env, 'LOGIN_FAILURE_WINDOW_SECONDS', 900, 1, 7 * 86400),
      lockSeconds: integer(env, 'LOGIN_LOCK_SECONDS', 3600, 0, 365 * 86400),
    },
  };
}
