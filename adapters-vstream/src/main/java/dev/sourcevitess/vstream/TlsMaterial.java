package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TlsCertificates;
import dev.sourcevitess.domain.model.TlsMode;
import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** The trust and the client key a TLS connection to VTGate uses, as the configuration asks. */
final class TlsMaterial {
  private TlsMaterial() {}

  /**
   * With {@code verify_identity}: the configured CA, or the JDK's default trust store (the system
   * roots, or javax.net.ssl.trustStore when set). With {@code required}: any certificate.
   */
  static TrustManager trust(SourceConfig config) throws GeneralSecurityException {
    if (config.tlsMode() != TlsMode.VERIFY_IDENTITY) {
      return new TrustAllCertificates();
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(config.certificates().trusted().orElse(null));
    return trust.getTrustManagers()[0];
  }

  /** The client certificate and key, when configured. */
  static Optional<KeyManagerFactory> clientKey(SourceConfig config) throws GeneralSecurityException {
    TlsCertificates certificates = config.certificates();
    if (certificates.client().isEmpty()) {
      return Optional.empty();
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(certificates.client().get(), certificates.storePassword().value().toCharArray());
    return Optional.of(keys);
  }

  /** A JDK context of the same trust and key, for connections made without Netty. */
  static SSLContext jdkContext(SourceConfig config) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(clientKey(config).map(KeyManagerFactory::getKeyManagers).orElse(null),
        new TrustManager[] {trust(config)}, null);
    return context;
  }
}
