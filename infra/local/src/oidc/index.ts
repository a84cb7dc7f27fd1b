export * from './issuer';
export { decodeJwt, signRs256, verifyRs256 } from './jwt';
