package dev.sourcevitess.domain.model;

import java.security.KeyStore;
import java.util.Objects;
import java.util.Optional;

/**
 * Certificates the config adds to TLS, read from its PEM fields into key stores the drivers take:
 * a CA to trust instead of the system roots ({@code ca_certificate}), and a client certificate with
 * its key for mutual TLS ({@code client_certificate}, {@code client_key}). The stores are locked
 * with a password made for this run, never the user's {@code client_key_password}.
 *
 * @param trusted the CA certificates to trust; empty for the system roots
 * @param client the client's certificate chain and key; empty when the server asks for none
 * @param storePassword what opens both stores and {@code client}'s key entry; empty with no store
 */
public record TlsCertificates(Optional<KeyStore> trusted, Optional<KeyStore> client, Secret storePassword) {
  private static final TlsCertificates NONE =
      new TlsCertificates(Optional.empty(), Optional.empty(), new Secret(""));

  public TlsCertificates {
    Objects.requireNonNull(trusted, "trusted");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(storePassword, "storePassword");
  }

  /** The system roots, and no client certificate. */
  public static TlsCertificates none() {
    return NONE;
  }

  public boolean isNone() {
    return trusted.isEmpty() && client.isEmpty();
  }

  @Override
  public String toString() {
    return "TlsCertificates[ca=" + (trusted.isPresent() ? "configured" : "system roots")
        + ", client certificate=" + (client.isPresent() ? "configured" : "none") + "]";
  }
}
