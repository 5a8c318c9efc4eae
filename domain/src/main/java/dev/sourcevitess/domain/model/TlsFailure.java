package dev.sourcevitess.domain.model;

import java.net.SocketException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

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
  /**
   * Any other TLS failure: the server speaks no TLS, no common protocol or cipher... but not a
   * connection lost during the handshake, which is the network's.
   */
  OTHER;

  /** The failure's TLS cause, if it has one. */
  public static Optional<TlsFailure> of(Throwable failure) {
    boolean tls = false;
    boolean lostConnection = false;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (message.contains("no subject alternative") || message.contains("no name matching")
          || message.contains("identity check failed") || message.contains("identity verification failed")) {
        return Optional.of(WRONG_HOST_NAME);
      }
      if (t instanceof CertPathValidatorException || t instanceof CertPathBuilderException
          || message.contains("pkix path") || message.contains("valid certification path")) {
        return Optional.of(UNTRUSTED_CERTIFICATE);
      }
      // alerts the server sent: TLS 1.3 says certificate_required, TLS 1.2 and others bad_certificate
      // or unknown_ca; as the JDK ("received fatal alert: x") and BoringSSL ("..._ALERT_X") spell them
      if (CLIENT_CERTIFICATE_ALERTS.matcher(message).find()) {
        return Optional.of(CLIENT_CERTIFICATE_REFUSED);
      }
      tls |= isSslException(t.getClass());
      lostConnection |= t instanceof SocketException || message.contains("connection reset")
          || message.contains("broken pipe");
    }
    // a connection lost during the handshake is the network's, which a retry may get past
    return tls && !lostConnection ? Optional.of(OTHER) : Optional.empty();
  }

  private static final Pattern CLIENT_CERTIFICATE_ALERTS = Pattern.compile(
      "(received fatal alert: |alert_)(certificate_required|bad_certificate|unknown_ca)");

  /** javax.net.ssl's exceptions, or a library's subclass of one (Netty's OpenSslException). */
  private static boolean isSslException(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().startsWith("javax.net.ssl.")) {
        return true;
      }
    }
    return false;
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
      case OTHER -> "TLS connection to " + where + " failed: set tls_mode to verify_identity for a server with a trusted"
          + " certificate (PlanetScale), required to skip certificate checks, or disabled for a server"
          + " without TLS on a trusted network";
    };
  }
}
