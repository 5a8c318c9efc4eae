package dev.sourcevitess.domain.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The user's configuration, validated. Parsing (and the messages for bad input) belongs to the
 * protocol adapter; this record only refuses values no parser should let through.
 *
 * @param shards the shard filter; empty reads every shard
 * @param startingGtids positions per keyspace and shard for streams that have no state
 * @param cells VTGate cells to stream from; empty means PlanetScale's {@value #PLANETSCALE_CELL}
 * @param concurrency how many shard streams run at once; 1 reads them one after another
 * @param certificates a CA to trust and a client certificate, for MySQL and VTGate alike
 */
public record SourceConfig(
    String host,
    int port,
    int grpcPort,
    String database,
    String username,
    Secret password,
    TlsMode tlsMode,
    ReplicationMethod replicationMethod,
    List<Shard> shards,
    boolean useReplica,
    boolean useRdonly,
    boolean includeMetadata,
    Map<String, Map<Shard, String>> startingGtids,
    int maxRetries,
    int timeoutSeconds,
    boolean useGtidWithTablePks,
    boolean tinyIntAsBoolean,
    Optional<String> cells,
    int concurrency,
    TlsCertificates certificates) {

  public static final int DEFAULT_PORT = 3306;
  public static final int DEFAULT_GRPC_PORT = 443;
  public static final int DEFAULT_MAX_RETRIES = 3;
  public static final int DEFAULT_TIMEOUT_SECONDS = 300;
  public static final int DEFAULT_CONCURRENCY = 4;
  /** Retries back off for longer each time: a hundred is already days of trying. */
  public static final int MAX_RETRIES = 100;
  /** A day: VStream attempts and MySQL waits longer than that are hung, and milliseconds still fit an int. */
  public static final int MAX_TIMEOUT_SECONDS = 86_400;
  public static final int MAX_CONCURRENCY = 64;
  public static final String PLANETSCALE_CELL = "planetscale_operator_default";

  public SourceConfig {
    requireText(host, "host");
    requireText(database, "database");
    requireText(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(tlsMode, "tlsMode");
    Objects.requireNonNull(replicationMethod, "replicationMethod");
    requirePort(port, "port");
    requirePort(grpcPort, "grpc_port");
    shards = List.copyOf(shards);
    startingGtids = Map.copyOf(startingGtids);
    Objects.requireNonNull(cells, "cells");
    requireRange(maxRetries, 0, MAX_RETRIES, "max_retries");
    requireRange(timeoutSeconds, 1, MAX_TIMEOUT_SECONDS, "timeout_seconds");
    requireRange(concurrency, 1, MAX_CONCURRENCY, "concurrency");
    Objects.requireNonNull(certificates, "certificates");
    if (!certificates.isNone() && tlsMode == TlsMode.DISABLED) {
      throw new IllegalArgumentException("certificates need tls_mode verify_identity or required, not disabled");
    }
    if (certificates.trusted().isPresent() && tlsMode != TlsMode.VERIFY_IDENTITY) {
      throw new IllegalArgumentException("ca_certificate is used by tls_mode verify_identity only");
    }
  }

  /** Without certificates of the config's own: the system roots, no client certificate. */
  public SourceConfig(String host, int port, int grpcPort, String database, String username, Secret password,
      TlsMode tlsMode, ReplicationMethod replicationMethod, List<Shard> shards, boolean useReplica,
      boolean useRdonly, boolean includeMetadata, Map<String, Map<Shard, String>> startingGtids, int maxRetries,
      int timeoutSeconds, boolean useGtidWithTablePks, boolean tinyIntAsBoolean, Optional<String> cells,
      int concurrency) {
    this(host, port, grpcPort, database, username, password, tlsMode, replicationMethod, shards, useReplica,
        useRdonly, includeMetadata, startingGtids, maxRetries, timeoutSeconds, useGtidWithTablePks,
        tinyIntAsBoolean, cells, concurrency, TlsCertificates.none());
  }

  /** The tablets to read from: rdonly wins over replica, as in PlanetScale's connector. */
  public TabletType tabletType() {
    if (useRdonly) {
      return TabletType.RDONLY;
    }
    return useReplica ? TabletType.REPLICA : TabletType.PRIMARY;
  }

  /** The keyspace: the database, as Vitess names it. */
  public String keyspace() {
    return database;
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
  }

  private static void requirePort(int port, String field) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(field + " must be a port number from 1 to 65535");
    }
  }

  private static void requireRange(int value, int min, int max, String field) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + " must be a whole number from " + min + " to " + max);
    }
  }

  @Override
  public String toString() {
    return "SourceConfig[host=" + host + ", port=" + port + ", database=" + database
        + ", username=" + username + ", replication=" + replicationMethod + "]";
  }
}
