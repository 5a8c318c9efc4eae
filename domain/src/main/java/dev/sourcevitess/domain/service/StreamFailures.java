package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.TlsFailure;
import dev.sourcevitess.domain.port.ChangeStreamException;

/** What a failed VStream means to the user, and whether a retry may help. */
final class StreamFailures {
  private static final String RESET = "To go on, reset the stream named above (in Airbyte: the connection's Refresh or"
      + " Clear data for it) so it is copied again; remove or correct starting_gtids if it set the position.";

  private StreamFailures() {}

  static boolean retryable(ChangeStreamException e) {
    return switch (e.reason()) {
      // a mismatch is retried: VTGate may pick a replica that has caught up by then
      // so is a reshard not followed: a retry from the last checkpoint may meet the journals in another order
      case UNAVAILABLE, DEADLINE_EXCEEDED, POSITION_MISMATCH, RESHARD_NOT_FOLLOWED, OTHER -> true;
      // a stall already outlasted timeout_seconds, reconnecting included: the next sync tries again
      case ACCESS_DENIED, POSITION_LOST, NOT_FOUND, NO_TABLET, TLS_MISMATCH, UNREADABLE_ROWS, UNKNOWN_COLUMN, TLS,
          STALLED -> false;
    };
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  static SourceException describe(ChangeStreamException e, SourceConfig config) {
    String where = "VTGate at " + config.host() + ":" + config.grpcPort();
    return switch (e.reason()) {
      case UNAVAILABLE -> new SourceException(FailureType.TRANSIENT_ERROR,
          "Could not reach " + where + ", or it dropped the stream; check that grpc_port is VTGate's gRPC port"
              + " and that the host is reachable.",
          e.getMessage(), e);
      case DEADLINE_EXCEEDED -> new SourceException(FailureType.TRANSIENT_ERROR,
          "The VStream from " + where + " made no progress within timeout_seconds (" + config.timeoutSeconds() + ").",
          e.getMessage(), e);
      case ACCESS_DENIED -> new SourceException(FailureType.CONFIG_ERROR,
          where + " refused user " + config.username() + ": check the user name and password, and that the user may read "
              + config.keyspace() + ".",
          e.getMessage(), e);
      case POSITION_LOST -> new SourceException(FailureType.CONFIG_ERROR,
          "The position to read from is no longer available on " + where + " (its binlogs were purged): "
              + e.getMessage() + ". " + RESET,
          e.getMessage(), e);
      case POSITION_MISMATCH -> new SourceException(FailureType.CONFIG_ERROR,
          "No tablet behind " + where + " has the position to read from, after " + config.maxRetries()
              + " retries: " + e.getMessage() + ". A replica that lags would have caught up by now, so the position"
              + " is gone or was never this shard's (a restore, another cluster, a wrong starting_gtids). " + RESET,
          e.getMessage(), e);
      case RESHARD_NOT_FOLLOWED -> new SourceException(FailureType.CONFIG_ERROR,
          "VTGate at " + config.host() + ":" + config.grpcPort() + " cannot follow a reshard of keyspace "
              + config.keyspace() + ": the VStream does not read every shard the reshard merged, after "
              + config.maxRetries() + " retries (" + e.getMessage() + "). Either saved positions predate more"
              + " than one reshard: reset the streams named (in Airbyte: the connection's Refresh or Clear data for"
              + " them) so they are copied afresh; or the shards filter leaves out a shard of the reshard: add it.",
          e.getMessage(), e);
      case NOT_FOUND -> new SourceException(FailureType.CONFIG_ERROR,
          where + " does not know what was asked for (keyspace " + config.keyspace() + ", shards or tables): "
              + e.getMessage(),
          e.getMessage(), e);
      case UNKNOWN_COLUMN -> new SourceException(FailureType.CONFIG_ERROR,
          "VTGate refused a column the sync asks for: " + e.getMessage() + ". Refresh the source schema in"
              + " Airbyte.",
          e.getMessage(), e);
      case NO_TABLET, TLS_MISMATCH, UNREADABLE_ROWS -> new SourceException(FailureType.CONFIG_ERROR,
          e.getMessage(), e.getMessage(), e);
      case TLS -> new SourceException(FailureType.CONFIG_ERROR,
          capitalized(TlsFailure.of(e).orElse(TlsFailure.OTHER).advice(where, config.host())) + ".",
          e.getMessage(), e);
      case STALLED -> new SourceException(FailureType.TRANSIENT_ERROR, e.getMessage(), e.getMessage(), e);
      case OTHER -> new SourceException(FailureType.SYSTEM_ERROR,
          "The VStream from " + where + " failed: " + e.getMessage(), e.getMessage(), e);
    };
  }
}
