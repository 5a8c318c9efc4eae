package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.TlsFailure;
import dev.sourcevitess.domain.port.ChangeStreamException;

/** What a failed VStream means to the user, and whether a retry may help. */
final class StreamFailures {
  private StreamFailures() {}

  static boolean retryable(ChangeStreamException e) {
    return switch (e.reason()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, OTHER -> true;
      case ACCESS_DENIED, POSITION_LOST, NOT_FOUND, TLS -> false;
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
          "The saved position is no longer available on " + where
              + " (binlogs purged or from another database); reset the stream so it is copied again.",
          e.getMessage(), e);
      case NOT_FOUND -> new SourceException(FailureType.CONFIG_ERROR,
          where + " does not know what was asked for (keyspace " + config.keyspace() + ", shards or tables): "
              + e.getMessage(),
          e.getMessage(), e);
      case TLS -> new SourceException(FailureType.CONFIG_ERROR,
          capitalized(TlsFailure.of(e).orElse(TlsFailure.OTHER).advice(where, config.host())) + ".",
          e.getMessage(), e);
      case OTHER -> new SourceException(FailureType.SYSTEM_ERROR,
          "The VStream from " + where + " failed: " + e.getMessage(), e.getMessage(), e);
    };
  }
}
