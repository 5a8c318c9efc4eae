package dev.sourcevitess.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.SocketException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Which field fixes a failed handshake, from causes as the JDK, BoringSSL and Connector/J word them. */
class TlsFailureTest {
  private static Optional<TlsFailure> of(Throwable root) {
    return TlsFailure.of(new RuntimeException("io exception", root));
  }

  private static <T extends Throwable> T causedBy(T outer, Throwable cause) {
    outer.initCause(cause);
    return outer;
  }

  @Test
  void anUntrustedChain() {
    assertEquals(Optional.of(TlsFailure.UNTRUSTED_CERTIFICATE), of(causedBy(new SSLHandshakeException(
        "PKIX path building failed"), new CertPathValidatorException("no trust anchor"))));
  }

  @Test
  void aCertificateForAnotherHost() {
    assertEquals(Optional.of(TlsFailure.WRONG_HOST_NAME), of(causedBy(new SSLHandshakeException("x"),
        new CertificateException("No subject alternative names matching IP address 127.0.0.1 found"))));
    assertEquals(Optional.of(TlsFailure.WRONG_HOST_NAME), of(new CertificateException(
        "Server certificate identity check failed. The certificate Common Name 'a' does not match with 'b'.")));
    assertEquals(Optional.of(TlsFailure.WRONG_HOST_NAME), of(new CertificateException("Server identity verification"
        + " failed. None of the certificate's DNS or IP Subject Alternative Name entries matched the server"
        + " hostname/IP '127.0.0.1'.")));
  }

  @Test
  void aRefusedClientCertificateAsTheJdkAndBoringSslSayIt() {
    assertEquals(Optional.of(TlsFailure.CLIENT_CERTIFICATE_REFUSED),
        of(new SSLHandshakeException("Received fatal alert: certificate_required")));
    assertEquals(Optional.of(TlsFailure.CLIENT_CERTIFICATE_REFUSED),
        of(new SSLException("error:1000045c:SSL routines:OPENSSL_internal:TLSV1_ALERT_CERTIFICATE_REQUIRED")));
    assertEquals(Optional.of(TlsFailure.CLIENT_CERTIFICATE_REFUSED),
        of(new SSLException("error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA")));
  }

  @Test
  void anyOtherTlsFailureButNotALostConnection() {
    assertEquals(Optional.of(TlsFailure.OTHER), of(new SSLHandshakeException("no cipher suites in common")));
    assertEquals(Optional.empty(), of(causedBy(new SSLException("handshake"), new SocketException("Connection reset"))));
    assertEquals(Optional.empty(), of(new java.io.IOException("Connection refused")));
  }
}
