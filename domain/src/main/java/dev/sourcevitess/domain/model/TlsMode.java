package dev.sourcevitess.domain.model;

public enum TlsMode {
  /** TLS with the system trust store and host name verification: what PlanetScale needs. */
  VERIFY_IDENTITY,
  /** TLS without verifying the certificate. */
  REQUIRED,
  /** Plaintext, for self-hosted test servers. */
  DISABLED
}
