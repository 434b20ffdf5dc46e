export { createRootCA, loadOrCreateCA, type CertificateAuthority } from './ca.js';
export { createKeyAndCsr, signWorkloadCsr, renewalTime, spiffeIdOfCertificate } from './workload-cert.js';
export { verifiedPeerIdentity } from './peer-identity.js';
export { IdentityError, type IdentityErrorCode } from './errors.js';
