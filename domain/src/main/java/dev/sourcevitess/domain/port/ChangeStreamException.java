package dev.sourcevitess.domain.port;

/** A VStream that failed, classified so the read can decide between retrying and stopping. */
public class ChangeStreamException extends RuntimeException {
  /** Why a stream failed. */
  public enum Reason {
    /** VTGate unreachable, the connection dropped, the stream ended early: a retry may help. */
    UNAVAILABLE,
    /** The attempt's deadline ({@code timeout_seconds}) passed. */
    DEADLINE_EXCEEDED,
    /** Wrong credentials or no permission. */
    ACCESS_DENIED,
    /** The position is gone from the binlogs (GTIDSet mismatch, purged): the stream must be reset. */
    POSITION_LOST,
    /** The request named something VTGate does not know (keyspace, shard, table). */
    NOT_FOUND,
    /** The TLS handshake failed: a certificate, or {@code tls_mode}, must change. */
    TLS,
    /** Anything else. */
    OTHER
  }

  private final Reason reason;

  public ChangeStreamException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public ChangeStreamException(Reason reason, String message) {
    this(reason, message, null);
  }

  public Reason reason() {
    return reason;
  }
}
