import { Global, Module } from '@nestjs/common';
import { SealedSecretsRegistry } from './sealed-secrets';

/** Instance-wide keys: the fingerprint check at boot (instance-keys.ts) and re-sealing after a key rotation. */
@Global()
@Module({ providers: [SealedSecretsRegistry], exports: [SealedSecretsRegistry] })
export class KeysModule {}
