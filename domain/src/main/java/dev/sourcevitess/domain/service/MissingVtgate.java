package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.SchemaReader;

/**
 * VSTREAM aimed at a plain MySQL or MariaDB server (replication_method left at its default): no
 * VTGate answers, and a retry never changes that. Said as such, with STANDARD as the way out, in
 * every command, instead of blaming grpc_port with a transient error Airbyte would retry forever.
 */
final class MissingVtgate {
  private final SourceConfig config;
  private final SchemaReader schema;

  MissingVtgate(SourceConfig config, SchemaReader schema) {
    this.config = config;
    this.schema = schema;
  }

  /** What a failure to reach VTGate means to the user. */
  SourceException describe(ChangeStreamException e) {
    boolean noAnswer = switch (e.reason()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, OTHER -> true;
      // VTGate answered: its words say more
      case ACCESS_DENIED, POSITION_LOST, POSITION_MISMATCH, RESHARD_NOT_FOLLOWED, NOT_FOUND, NO_TABLET, TLS_MISMATCH,
          TLS, UNREADABLE_ROWS, UNKNOWN_COLUMN, STALLED -> false;
    };
    if (noAnswer && !schema.servesVitess()) {
      return new SourceException(FailureType.CONFIG_ERROR, config.host() + ":" + config.port()
          + " is a MySQL server without Vitess, and no VTGate answers on " + config.host() + ":" + config.grpcPort()
          + ": replication_method VSTREAM (the default) needs Vitess or PlanetScale. Set replication_method to"
          + " STANDARD to read this server with plain SQL (full refresh only), or set grpc_port to VTGate's gRPC"
          + " port.", e.getMessage(), e);
    }
    return StreamFailures.describe(e, config);
  }
}
