package dev.sourcevitess.mysql;

import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TabletType;
import dev.sourcevitess.domain.model.TlsMode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Properties;

/**
 * Where and how to connect: the JDBC URL and driver settings derived from the user's config.
 * Credentials travel as properties only, so they never show up in a URL or in a message built
 * from it.
 */
final class MysqlEndpoint {
  /** Streaming reads pause while the destination catches up; the server must wait that long. */
  private static final int STREAMING_WRITE_TIMEOUT_SECONDS = 3600;

  private final String host;
  private final int port;
  private final String keyspace;
  private final String targetDatabase;
  private final String user;
  private final int timeoutSeconds;
  private final Secret password;
  private final String url;
  private final Properties settings;
  /**
   * The driver itself rather than DriverManager, which finds drivers through
   * META-INF/services: a shaded jar that does not merge those files would lose it. Made at the
   * first connection (guarded by this): its class starts a clean-up thread and sets up JDBC, a
   * cost a sync with nothing new, which never connects, would pay on its critical path.
   */
  private Driver driver;

  MysqlEndpoint(SourceConfig config) {
    this.host = config.host();
    this.port = config.port();
    this.keyspace = config.database();
    this.targetDatabase = targetDatabase(config);
    this.user = config.username();
    this.timeoutSeconds = config.timeoutSeconds();
    this.password = config.password();
    this.url = "jdbc:mysql://" + hostForUrl(host) + ":" + port + "/" + pathSegment(targetDatabase);
    this.settings = settings(config);
  }

  /** A new connection; the caller closes it. */
  Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.putAll(settings);
    properties.setProperty("user", user);
    properties.setProperty("password", password.value());
    try {
      return driver().connect(url, properties);
    } catch (RuntimeException e) {
      // the driver parsing bytes that were no MySQL greeting: classified by SqlFailures like its own failures
      throw new SQLNonTransientConnectionException("connecting failed: " + e, "08001", 0, e);
    }
  }

  String url() {
    return url;
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  String user() {
    return user;
  }

  /** How long any wait on the server lasts at most. */
  int timeoutSeconds() {
    return timeoutSeconds;
  }

  /** The keyspace as {@code information_schema} names it: never the tablet-targeted form. */
  String keyspace() {
    return keyspace;
  }

  /** The database the connection selects; {@code ks@replica} targets Vitess replica tablets. */
  String targetDatabase() {
    return targetDatabase;
  }

  /** Removes the password from text that came from elsewhere (driver or server messages). */
  String scrub(String text) {
    if (text == null) {
      return "";
    }
    return password.maskIn(text);
  }

  private synchronized Driver driver() {
    if (driver == null) {
      driver = newDriver();
    }
    return driver;
  }

  private static Driver newDriver() {
    try {
      return new com.mysql.cj.jdbc.Driver();
    } catch (SQLException e) {
      // the constructor declares SQLException but only registers the class; it does not fail
      throw new IllegalStateException("mysql-connector-j cannot start", e);
    }
  }

  private static String targetDatabase(SourceConfig config) {
    if (config.replicationMethod() != ReplicationMethod.VSTREAM) {
      return config.database();
    }
    TabletType tablets = config.tabletType();
    return switch (tablets) {
      case PRIMARY -> config.database();
      case REPLICA -> config.database() + "@replica";
      case RDONLY -> config.database() + "@rdonly";
    };
  }

  private static Properties settings(SourceConfig config) {
    Properties p = new Properties();
    p.setProperty("sslMode", switch (config.tlsMode()) {
      case VERIFY_IDENTITY -> "VERIFY_IDENTITY";
      case REQUIRED -> "REQUIRED";
      case DISABLED -> "DISABLED";
    });
    // MySQL 8's caching_sha2_password needs the server's RSA key on a plaintext link; with TLS
    // off the user has already accepted an unprotected network.
    p.setProperty("allowPublicKeyRetrieval", Boolean.toString(config.tlsMode() == TlsMode.DISABLED));
    // Every wait is bounded: connectTimeout covers the TCP connect only, socketTimeout each read
    // from the server, the greeting and login included, so a port that accepts and never
    // answers fails after timeout_seconds instead of hanging the sync.
    String timeoutMillis = Integer.toString(Math.multiplyExact(config.timeoutSeconds(), 1000));
    p.setProperty("connectTimeout", timeoutMillis);
    p.setProperty("socketTimeout", timeoutMillis);
    // TIMESTAMP text is rendered in the session zone: UTC makes it mean what "Z" says.
    p.setProperty("sessionVariables", "time_zone='+00:00'");
    // Without characterSetResults the driver leaves character_set_results NULL and latin1 (or
    // any other) columns arrive in their own encoding; RawRow promises UTF-8 text.
    p.setProperty("characterEncoding", "UTF-8");
    p.setProperty("characterSetResults", "UTF-8");
    // Client-side statements keep the text protocol, so getBytes is MySQL's own text form.
    p.setProperty("useServerPrepStmts", "false");
    p.setProperty("netTimeoutForStreamingResults", Integer.toString(STREAMING_WRITE_TIMEOUT_SECONDS));
    p.setProperty("tcpKeepAlive", "true");
    KeyStoreFiles.configure(config.certificates(), p);
    return p;
  }

  private static String hostForUrl(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** Percent-encodes all but unreserved characters, so odd database names survive URL parsing. */
  private static String pathSegment(String database) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : database.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~' || c == '@';
      if (plain) {
        out.write(c);
      } else {
        byte[] escaped = String.format("%%%02X", c).getBytes(StandardCharsets.US_ASCII);
        out.write(escaped, 0, escaped.length);
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }
}
