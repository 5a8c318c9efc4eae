package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TlsMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SourceConfigs for tests: only what the VStream adapter reads varies. */
final class TestConfigs {
  static final String USER = "reader";
  static final String PASSWORD = "pscale_pw_s3cr3t-Xy9";

  private TestConfigs() {}

  static SourceConfig config(String host, int grpcPort, TlsMode tls) {
    return config(host, grpcPort, tls, USER, PASSWORD, 30, false, false, Optional.empty());
  }

  static SourceConfig config(String host, int grpcPort, TlsMode tls, String user, String password,
      int timeoutSeconds, boolean replica, boolean rdonly, Optional<String> cells) {
    return new SourceConfig(host, 3306, grpcPort, "commerce", user, new Secret(password), tls,
        ReplicationMethod.VSTREAM, List.of(), replica, rdonly, false, Map.of(), 3, timeoutSeconds,
        false, true, cells, 4);
  }

  static SourceConfig withTimeout(int timeoutSeconds) {
    return config("localhost", 443, TlsMode.DISABLED, USER, PASSWORD, timeoutSeconds, false, false,
        Optional.empty());
  }
}
