package dev.sourcevitess.mysql;

import dev.sourcevitess.domain.model.TlsCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Properties;

/**
 * The config's certificates as mysql-connector-j takes them: key store files named by URL
 * ({@code trustCertificateKeyStoreUrl}, {@code clientCertificateKeyStoreUrl}), its only supported
 * way. They are PKCS12 files readable by this user only, locked with the run's own password, and
 * deleted when the JVM exits.
 */
final class KeyStoreFiles {
  private static final String TYPE = "PKCS12";

  private KeyStoreFiles() {}

  /** Adds the driver settings for {@code certificates} to {@code settings}; nothing when there are none. */
  static void configure(TlsCertificates certificates, Properties settings) {
    if (certificates.isNone()) {
      return;
    }
    String password = certificates.storePassword().value();
    certificates.trusted().ifPresent(store -> {
      settings.setProperty("trustCertificateKeyStoreUrl", write(store, password, "trusted"));
      settings.setProperty("trustCertificateKeyStoreType", TYPE);
      settings.setProperty("trustCertificateKeyStorePassword", password);
      // the configured CA replaces the system roots, as on the gRPC channel
      settings.setProperty("fallbackToSystemTrustStore", "false");
    });
    certificates.client().ifPresent(store -> {
      settings.setProperty("clientCertificateKeyStoreUrl", write(store, password, "client"));
      settings.setProperty("clientCertificateKeyStoreType", TYPE);
      settings.setProperty("clientCertificateKeyStorePassword", password);
      settings.setProperty("fallbackToSystemKeyStore", "false");
    });
  }

  private static String write(KeyStore store, String password, String name) {
    try {
      Path file = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
          ? Files.createTempFile("source-vitess-" + name, ".p12",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
          : Files.createTempFile("source-vitess-" + name, ".p12");
      file.toFile().deleteOnExit();
      try (OutputStream out = Files.newOutputStream(file)) {
        store.store(out, password.toCharArray());
      }
      return file.toUri().toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the " + name + " certificates for the MySQL driver", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot write the " + name + " certificates for the MySQL driver", e);
    }
  }
}
