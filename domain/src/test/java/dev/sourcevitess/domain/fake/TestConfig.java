package dev.sourcevitess.domain.fake;

import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TlsMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds {@link SourceConfig}s for tests, with the defaults a user gets. */
public final class TestConfig {
  private String host = "127.0.0.1";
  private int port = 3306;
  private int grpcPort = 15991;
  private String database = "commerce";
  private String username = "reader";
  private String password = "s3cret-Pa55";
  private TlsMode tls = TlsMode.DISABLED;
  private ReplicationMethod method = ReplicationMethod.VSTREAM;
  private List<Shard> shards = List.of();
  private boolean useReplica;
  private boolean useRdonly;
  private boolean includeMetadata;
  private Map<String, Map<Shard, String>> startingGtids = Map.of();
  private int maxRetries = 3;
  private int timeoutSeconds = 300;
  private boolean gtidWithTablePks = true;
  private boolean tinyIntAsBoolean = true;
  private Optional<String> cells = Optional.empty();
  private int concurrency = 4;

  public static TestConfig vstream() {
    return new TestConfig();
  }

  public static TestConfig standard() {
    TestConfig c = new TestConfig();
    c.method = ReplicationMethod.STANDARD;
    return c;
  }

  public TestConfig host(String v) { host = v; return this; }

  public TestConfig port(int v) { port = v; return this; }

  public TestConfig grpcPort(int v) { grpcPort = v; return this; }

  public TestConfig database(String v) { database = v; return this; }

  public TestConfig username(String v) { username = v; return this; }

  public TestConfig password(String v) { password = v; return this; }

  public TestConfig tls(TlsMode v) { tls = v; return this; }

  public TestConfig shards(String... names) { shards = List.of(names).stream().map(Shard::new).toList(); return this; }

  public TestConfig useReplica(boolean v) { useReplica = v; return this; }

  public TestConfig useRdonly(boolean v) { useRdonly = v; return this; }

  public TestConfig includeMetadata(boolean v) { includeMetadata = v; return this; }

  public TestConfig startingGtids(Map<String, Map<Shard, String>> v) { startingGtids = v; return this; }

  public TestConfig maxRetries(int v) { maxRetries = v; return this; }

  public TestConfig timeoutSeconds(int v) { timeoutSeconds = v; return this; }

  public TestConfig gtidWithTablePks(boolean v) { gtidWithTablePks = v; return this; }

  public TestConfig tinyIntAsBoolean(boolean v) { tinyIntAsBoolean = v; return this; }

  public TestConfig cells(String v) { cells = Optional.ofNullable(v); return this; }

  public TestConfig concurrency(int v) { concurrency = v; return this; }

  public SourceConfig build() {
    return new SourceConfig(host, port, grpcPort, database, username, new Secret(password), tls, method, shards,
        useReplica, useRdonly, includeMetadata, startingGtids, maxRetries, timeoutSeconds, gtidWithTablePks,
        tinyIntAsBoolean, cells, concurrency);
  }
}
