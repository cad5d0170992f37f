export {
  type AgeKeyFile,
  ensureOwnerKey,
  type KeyPlaces,
  localIdentities,
  ownerKeyPath,
} from './age-keys';
export { type HostKey, resolveHostKey, secretKeys } from './host-key';
export { planSecrets, type SecretsPlanRequest, type SecretsSetup } from './plan';
export { removeSecret } from './remove-secret';
export { findSopsFiles } from './repo-files';
export {
  rotateSecrets,
  type SecretTarget,
  secretsReport,
  setSecret,
} from './repo-secrets';
export {
  createSops,
  type OpenedSops,
  openSops,
  rotateSops,
  setSopsValue,
  sopsPlainValues,
  summarizeSops,
  updateSopsRecipients,
} from './sops-file';
export { sshPrivateKeyToAge, sshPublicKeyToAge } from './ssh-to-age';
