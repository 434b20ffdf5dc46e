export { createRootCA, createIntermediateCA, loadOrCreateCA, type CertificateAuthority, type SuppliedRoot } from './ca.js';
export { createKeyAndCsr, signWorkloadCsr, renewalTime, spiffeIdOfCertificate } from './workload-cert.js';
export { verifiedPeerIdentity } from './peer-identity.js';
export { dispatchByFirstByte, trackRawSockets } from './tls-sniff.js';
export { IdentityError, type IdentityErrorCode } from './errors.js';
