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
    /** The binlogs holding the position were purged: the stream must be reset. */
    POSITION_LOST,
    /**
     * The tablet VTGate picked does not have the position (VTGate's "GTIDSet Mismatch"): a replica
     * that lags behind it, or a position that is gone or never was the shard's. Only a mismatch
     * that outlasts the retries means the stream must be reset.
     */
    POSITION_MISMATCH,
    /**
     * VTGate met a reshard journal naming shards the stream does not read ("not all journaling
     * participants are in the stream"): it follows a reshard only with all its source shards.
     */
    RESHARD_NOT_FOLLOWED,
    /** The request named something VTGate does not know (keyspace, shard, table). */
    NOT_FOUND,
    /** No serving tablet of the requested type in the requested cells. */
    NO_TABLET,
    /** The connection's TLS does not match the server's: one side speaks TLS, the other not. */
    TLS_MISMATCH,
    /**
     * The server sends rows that cannot become whole records until a server setting or the schema
     * changes (partial row images, columns vstreamer could not name, an unknown character set).
     */
    UNREADABLE_ROWS,
    /**
     * A filter rule names a column some rows lack ({@link UnknownColumnException}): the reader
     * streams that table with every column instead.
     */
    UNKNOWN_COLUMN,
    /** The TLS handshake failed: a certificate, or {@code tls_mode}, must change. */
    TLS,
    /**
     * Shards the read waits for sent no change for longer than {@code timeout_seconds} (their
     * tablets down, restarting or throttled): the sync ends, and the next goes on from its last STATE.
     */
    STALLED,
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
