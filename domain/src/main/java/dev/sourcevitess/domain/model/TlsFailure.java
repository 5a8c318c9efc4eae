package dev.sourcevitess.domain.model;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a TLS handshake failed, told from the failure's causes, and which setting fixes it. MySQL
 * and gRPC connections fail the same ways, so both adapters describe them with the same words.
 */
public enum TlsFailure {
  /** The server's certificate does not chain to a trusted CA. */
  UNTRUSTED_CERTIFICATE,
  /** The certificate is trusted but names another host. */
  WRONG_HOST_NAME,
  /** The server wants a client certificate, and got none or one it does not accept. */
  CLIENT_CERTIFICATE_REFUSED,
  /** Any other TLS failure: the server speaks no TLS, no common protocol or cipher... */
  OTHER;

  /** The failure's TLS cause, if it has one. */
  public static Optional<TlsFailure> of(Throwable failure) {
    boolean tls = false;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (message.contains("no subject alternative") || message.contains("no name matching")
          || message.contains("identity check failed")) {
        return Optional.of(WRONG_HOST_NAME);
      }
      if (t instanceof CertPathValidatorException || t instanceof CertPathBuilderException
          || message.contains("pkix path") || message.contains("valid certification path")) {
        return Optional.of(UNTRUSTED_CERTIFICATE);
      }
      // alerts the server sent: TLS 1.3 says certificate_required, TLS 1.2 and others bad_certificate
      if (message.contains("received fatal alert: certificate_required")
          || message.contains("received fatal alert: bad_certificate")
          || message.contains("received fatal alert: unknown_ca")) {
        return Optional.of(CLIENT_CERTIFICATE_REFUSED);
      }
      tls |= t.getClass().getName().startsWith("javax.net.ssl.");
    }
    return tls ? Optional.of(OTHER) : Optional.empty();
  }

  /** What to change, for a connection to {@code host} at {@code where} (host and port). */
  public String advice(String where, String host) {
    return switch (this) {
      case UNTRUSTED_CERTIFICATE -> "the certificate of " + where + " is not signed by a CA this source trusts:"
          + " set ca_certificate to the PEM certificate of the CA that signed it, or tls_mode to required"
          + " to encrypt without checking the certificate";
      case WRONG_HOST_NAME -> "the certificate of " + where + " does not name host " + host
          + ": set host to a name the certificate lists, or tls_mode to required to skip the check";
      case CLIENT_CERTIFICATE_REFUSED -> where + " requires a client certificate it accepts:"
          + " set client_certificate and client_key to a certificate (and its key) signed by a CA the server"
          + " trusts";
      case OTHER -> "TLS with " + where + " failed: set tls_mode to verify_identity for a server with a trusted"
          + " certificate (PlanetScale), required to skip certificate checks, or disabled for a server"
          + " without TLS on a trusted network";
    };
  }
}
