package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.model.TlsFailure;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreamException.Reason;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Classifies VTGate's gRPC errors for the domain, with messages that say what failed and never
 * show a secret, even if the server echoed one.
 */
final class VtgateErrors {
  /**
   * The tablet no longer has, or never had, the position: Vitess's {@code GTIDSet Mismatch}, and
   * MySQL's error 1236 when the binlogs holding it were purged.
   */
  private static final Pattern POSITION_LOST = Pattern.compile(
      "gtidset mismatch|purged|cannot replicate|could not find first log file|no longer available");
  /** Unknown keyspace, shard or table, as VTGate, the topology and the vstreamer say it. */
  private static final Pattern UNKNOWN_NAME = Pattern.compile(
      "node doesn't exist|(keyspace|shard|table)\\b[^;]*\\b(not found|does not exist|doesn't exist)"
          + "|unknown (keyspace|shard|table)|is not present in the database|no shard named");

  private final List<String> secrets;
  private final String username;
  private final int timeoutSeconds;

  /** @param secrets strings never to show: the password and the encoded credentials */
  VtgateErrors(List<String> secrets, String username, int timeoutSeconds) {
    this.secrets = secrets.stream().filter(s -> s != null && !s.isEmpty()).toList();
    this.username = username;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** @param what what was being read, e.g. {@code the VStream of ks.t on shards [-80, 80-]} */
  ChangeStreamException classify(StatusRuntimeException error, String what) {
    Status status = error.getStatus();
    String detail = redact(status.getDescription() == null ? "" : status.getDescription());
    String lower = detail.toLowerCase(Locale.ROOT);
    String said = " (" + status.getCode() + (detail.isEmpty() ? "" : ": " + detail)
        + rootCause(status.getCause()) + ")";
    StatusRuntimeException cause = sanitized(error, status, detail);
    return switch (status.getCode()) {
      case UNAUTHENTICATED, PERMISSION_DENIED -> new ChangeStreamException(Reason.ACCESS_DENIED,
          "VTGate refused user '" + username + "' while reading " + what
              + "; check the username, password and the user's access" + said, cause);
      case DEADLINE_EXCEEDED -> new ChangeStreamException(Reason.DEADLINE_EXCEEDED,
          "reading " + what + " did not finish within timeout_seconds (" + timeoutSeconds + " s)"
              + said, cause);
      case NOT_FOUND -> new ChangeStreamException(Reason.NOT_FOUND,
          "VTGate does not know what " + what + " names" + said, cause);
      default -> {
        if (POSITION_LOST.matcher(lower).find()) {
          yield new ChangeStreamException(Reason.POSITION_LOST,
              "the position to read " + what + " from is no longer available on the tablets "
                  + "(binlogs purged, or the position is not theirs); the stream must start over"
                  + said, cause);
        }
        if (UNKNOWN_NAME.matcher(lower).find()) {
          yield new ChangeStreamException(Reason.NOT_FOUND,
              "VTGate does not know what " + what + " names" + said, cause);
        }
        if (TlsFailure.of(status.getCause()).isPresent()) {
          yield new ChangeStreamException(Reason.TLS,
              "the TLS handshake with VTGate failed while reading " + what + said, cause);
        }
        yield switch (status.getCode()) {
          case UNAVAILABLE, CANCELLED, ABORTED -> new ChangeStreamException(Reason.UNAVAILABLE,
              "VTGate could not be reached or dropped the stream while reading " + what + said,
              cause);
          default -> new ChangeStreamException(Reason.OTHER,
              "VTGate failed while reading " + what + said, cause);
        };
      }
    };
  }

  /** The server closed the stream normally, which VTGate does not do while a stream is wanted. */
  ChangeStreamException endedByServer(String what) {
    return new ChangeStreamException(Reason.UNAVAILABLE,
        "VTGate ended the stream before " + what + " was read to the end; a retry resumes it");
  }

  String redact(String text) {
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, "******");
    }
    return out;
  }

  /**
   * The original failure with the server's words redacted, keeping where it was thrown and its
   * local cause (a TLS handshake failure, a refused connection), which holds no secret.
   */
  private static StatusRuntimeException sanitized(
      StatusRuntimeException error, Status status, String detail) {
    StatusRuntimeException copy = status.withDescription(detail).asRuntimeException();
    copy.setStackTrace(error.getStackTrace());
    return copy;
  }

  /** gRPC says "io exception" for network and TLS failures; the root cause says which. */
  private String rootCause(Throwable cause) {
    if (cause == null) {
      return "";
    }
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return "; caused by " + root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + redact(root.getMessage()));
  }
}
