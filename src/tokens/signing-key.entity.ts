import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { JwtAlgorithm } from '../config/app-config.js';

/** A public key as published in the JWKS: the members of `KeyObject.export({ format: 'jwk' })` for EC or RSA, and its id and use. */
export interface PublicJwk {
  kty: string;
  kid: string;
  alg: JwtAlgorithm;
  use: 'sig';
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

/** An asymmetric key pair that signs access tokens; its public half is published in the JWKS. */
@Entity({ name: 'signing_keys' })
export class SigningKey {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 16 })
  algorithm!: JwtAlgorithm;

  @Column({ name: 'private_key_pem', type: 'text', select: false })
  privateKeyPem!: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: PublicJwk;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When another key became current; tokens it signed stay verifiable until they expire. */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}
