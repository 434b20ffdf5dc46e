// @peculiar/x509 resolves its ASN.1 parsers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';

export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from '@peculiar/x509';

/** ECDSA P-256: small keys, fast TLS 1.3 handshakes; what Istio and Linkerd issue too. */
export const KEY_ALGORITHM: webcrypto.EcKeyGenParams & webcrypto.EcdsaParams = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

// Node's webcrypto is a standard Crypto; the cast only bridges Node's and the DOM's type names.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<(value: never) => void>[0]);

export const subtle = webcrypto.subtle;

export async function generateKeyPair(): Promise<CryptoKeyPair> {
  return subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

/** PKCS#8 PEM of a private key, the form node:tls reads. */
export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await subtle.exportKey('pkcs8', key));
  return toPem('PRIVATE KEY', der);
}

export async function privateKeyFromPem(pem: string): Promise<CryptoKey> {
  return subtle.importKey('pkcs8', fromPem(pem), KEY_ALGORITHM, true, ['sign']);
}

export function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function fromPem(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----(BEGIN|END) [^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

export { x509 };
