package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.model.TlsMode;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.SqlText;
import dev.sourcevitess.domain.model.TlsFailure;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreamException.Reason;
import dev.sourcevitess.domain.port.UnknownColumnException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies VTGate's gRPC errors for the domain, with messages that say what failed and never
 * show a secret, even if the server echoed one.
 */
final class VtgateErrors {
  /**
   * The binlogs holding the position were purged: MySQL's error 1236 (or 1789), which VTGate
   * passes on as UNKNOWN inside "stream (at source tablet) error", and MariaDB's wording of it.
   */
  private static final Pattern PURGED = Pattern.compile(
      "errno 1236|errno 1789|purged|cannot replicate|could not find first log file|could not find gtid state"
          + "|no longer available");
  /** vterrors.GTIDSetMismatch: the tablet's executed set does not contain the position. */
  private static final String MISMATCH = "gtidset mismatch";
  /** vstream_manager.go, when the tablet picker gave up (CANCELED, after 90 s). */
  private static final Pattern NO_TABLET = Pattern.compile(
      "failed to find an? (\\w+) tablet for vstream in (\\S+) within the (.*?) cell\\(s\\)");
  /** vstream_manager.go, a shard of the request that the keyspace no longer has. */
  private static final Pattern UNKNOWN_SHARD = Pattern.compile(
      "shard provided in vgtid, (.*?), not found in the (.*?) keyspace");
  /** vstream_manager.go getJournalEvent: a journal naming shards the stream does not read. */
  private static final String JOURNAL_PARTICIPANTS = "not all journaling participants are in the stream";
  /** Unknown keyspace, shard or table, as VTGate, the topology and the vstreamer say it. */
  private static final Pattern UNKNOWN_NAME = Pattern.compile(
      "node doesn't exist|(keyspace|shard|table)\\b[^;]*\\b(not found|does not exist|doesn't exist)"
          + "|unknown (keyspace|shard|table)|is not present in the database|no shard named");
  /** The tablets refuse images without every column (vstreamer.go, engine.go). */
  private static final Pattern PARTIAL_IMAGE = Pattern.compile(
      "partial row image encountered|minimal binlog_row_image is not supported");

  /**
   * planbuilder.go's findColumn: a filter rule names a column that the table's schema for a row
   * lacks (a row written before the column was added, or after it was dropped or renamed);
   * vstreamer.go fails the stream at that row's table map, rowstreamer.go a copy at its start.
   */
  private static final Pattern UNKNOWN_COLUMN = Pattern.compile("column (`(?:[^`]|``)+`|\\S+) not found in table ([^\\s:;)]+)");
  /**
   * vstreamer.go's buildTableColumns: a binlog row with more columns than the table has now, read
   * by tablets that keep no schema history (--track-schema-versions off).
   */
  private static final Pattern NO_SCHEMA_HISTORY = Pattern.compile("cannot determine table columns for ([^\\s:;)]+)");

  private final List<Secret> secrets;
  private final String username;
  private final int timeoutSeconds;
  private final TlsMode tlsMode;

  /** @param secrets never to show: the password and the encoded credentials */
  VtgateErrors(List<Secret> secrets, String username, int timeoutSeconds, TlsMode tlsMode) {
    this.secrets = List.copyOf(secrets);
    this.username = username;
    this.timeoutSeconds = timeoutSeconds;
    this.tlsMode = tlsMode;
  }

  /**
   * @param what what was being read, e.g. {@code the VStream of ks.t on shards [-80, 80-]}
   * @param answered whether VTGate had sent anything on this call before it failed
   */
  ChangeStreamException classify(StatusRuntimeException error, String what, boolean answered) {
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
      default -> {
        String tls = tlsMismatch(status, answered);
        if (tls != null) {
          yield new ChangeStreamException(Reason.TLS_MISMATCH, tls + " while reading " + what + said, cause);
        }
        if (TlsFailure.of(status.getCause()).isPresent()) {
          yield new ChangeStreamException(Reason.TLS,
              "the TLS handshake with VTGate failed while reading " + what + said, cause);
        }
        ChangeStreamException schema = schemaChange(detail, what, said, cause);
        yield schema != null ? schema : byText(status.getCode(), lower, what, said, cause);
      }
    };
  }

  /** A refusal that names a table whose columns changed, in the table's own spelling; or null. */
  private static ChangeStreamException schemaChange(
      String detail, String what, String said, StatusRuntimeException cause) {
    Matcher gone = UNKNOWN_COLUMN.matcher(detail);
    if (gone.find()) {
      String column = unquoted(gone.group(1));
      return new UnknownColumnException(gone.group(2), column, "the tablets found no column "
          + column + " of table " + gone.group(2) + " while reading " + what + said, cause);
    }
    Matcher history = NO_SCHEMA_HISTORY.matcher(detail);
    if (history.find()) {
      return new ChangeStreamException(Reason.UNREADABLE_ROWS, "The tablets cannot read changes of table "
          + history.group(1) + " written before its columns changed (dropped or renamed since): without schema"
          + " history they have only its current columns, and fewer of them than those rows. Reset stream "
          + history.group(1) + " (in Airbyte: the connection's Refresh or Clear data for it) so it is copied again;"
          + " on self-hosted Vitess, start vttablet with --track-schema-versions to keep such changes readable"
          + " (reading " + what + said + ")", cause);
    }
    return null;
  }

  /** A name as sqlparser prints it: back quotes (doubled inside) where the name needs them. */
  private static String unquoted(String name) {
    return name.startsWith("`") ? name.substring(1, name.length() - 1).replace("``", "`") : name;
  }

  /** What VTGate's words say, whatever the code it sent them with. */
  private static ChangeStreamException byText(
      Status.Code code, String lower, String what, String said, StatusRuntimeException cause) {
    if (lower.contains(MISMATCH)) {
      return new ChangeStreamException(Reason.POSITION_MISMATCH, "the tablet VTGate picked for " + what
          + " does not have the position to read from" + said, cause);
    }
    if (PURGED.matcher(lower).find()) {
      return new ChangeStreamException(Reason.POSITION_LOST, "the binlogs holding the position of " + what
          + " were purged from the tablets" + said, cause);
    }
    Matcher noTablet = NO_TABLET.matcher(lower);
    if (noTablet.find()) {
      return new ChangeStreamException(Reason.NO_TABLET, "VTGate found no serving "
          + noTablet.group(1).toUpperCase(Locale.ROOT) + " tablet of " + noTablet.group(2) + " in cell(s) "
          + noTablet.group(3) + " for " + what + ". Set cells to the cells of that keyspace's tablets"
          + " (PlanetScale: leave it empty), and use_replica / use_rdonly to a tablet type it has; if the"
          + " tablets were merely restarting, run the sync again" + said, cause);
    }
    if (lower.contains(JOURNAL_PARTICIPANTS)) {
      return new ChangeStreamException(Reason.RESHARD_NOT_FOLLOWED, "VTGate cannot follow a reshard met while"
          + " reading " + what + ": the reshard's source shards are not all in the stream" + said, cause);
    }
    Matcher unknownShard = UNKNOWN_SHARD.matcher(lower);
    if (unknownShard.find()) {
      return new ChangeStreamException(Reason.NOT_FOUND, "shard " + unknownShard.group(1) + " is not a shard of "
          + "keyspace " + unknownShard.group(2) + " (resharded away, or a wrong shards filter or starting_gtids)"
          + " while reading " + what + said, cause);
    }
    if (lower.contains("node doesn't exist") && lower.contains("keyspace")) {
      return new ChangeStreamException(Reason.NOT_FOUND, "VTGate knows no such keyspace for " + what
          + "; check that database names a keyspace of this VTGate" + said, cause);
    }
    if (UNKNOWN_NAME.matcher(lower).find()) {
      return new ChangeStreamException(Reason.NOT_FOUND,
          "VTGate does not know what " + what + " names" + said, cause);
    }
    if (PARTIAL_IMAGE.matcher(lower).find()) {
      return new ChangeStreamException(Reason.UNREADABLE_ROWS, PartialImages.FIX + " (tablets refused "
          + what + ")" + said, cause);
    }
    return switch (code) {
      case NOT_FOUND -> new ChangeStreamException(Reason.NOT_FOUND,
          "VTGate does not know what " + what + " names" + said, cause);
      case UNAVAILABLE, CANCELLED, ABORTED -> new ChangeStreamException(Reason.UNAVAILABLE,
          "VTGate could not be reached or dropped the stream while reading " + what + said, cause);
      default -> new ChangeStreamException(Reason.OTHER, "VTGate failed while reading " + what + said, cause);
    };
  }

  /**
   * A TLS client meeting a plaintext server fails its handshake on the server's first bytes; a
   * plaintext client meeting a TLS server sees the connection closed before any answer.
   */
  private String tlsMismatch(Status status, boolean answered) {
    for (Throwable t = status.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      String name = t.getClass().getSimpleName();
      String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (name.equals("NotSslRecordException") || message.contains("not an ssl/tls record")) {
        return "VTGate does not speak TLS on this port, but tls_mode is " + mode()
            + ": set tls_mode to disabled for a plaintext VTGate, or check grpc_port";
      }
    }
    if (tlsMode == TlsMode.DISABLED && !answered && status.getCode() == Status.Code.UNAVAILABLE
        && closedBeforeAnswering(status)) {
      return "VTGate closed the connection before answering anything, as a TLS server does to a plaintext"
          + " client: tls_mode is disabled; set it to required (or verify_identity) if VTGate serves TLS";
    }
    return null;
  }

  /**
   * A TLS server that reads a plaintext client's first bytes fails its handshake and closes the
   * connection: gRPC sees either the close ("Network closed for unknown reason") or, when the
   * server still had unread bytes, a reset, whichever the timing gives.
   */
  private static boolean closedBeforeAnswering(Status status) {
    if (status.getCause() == null) {
      return "Network closed for unknown reason".equals(status.getDescription());
    }
    Throwable root = status.getCause();
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root instanceof java.net.SocketException
        && String.valueOf(root.getMessage()).toLowerCase(Locale.ROOT).contains("connection reset");
  }

  private String mode() {
    return tlsMode.name().toLowerCase(Locale.ROOT);
  }

  /** The server closed the stream normally, which VTGate does not do while a stream is wanted. */
  ChangeStreamException endedByServer(String what) {
    return new ChangeStreamException(Reason.UNAVAILABLE,
        "VTGate ended the stream before " + what + " was read to the end; a retry resumes it");
  }

  /**
   * The server's words without the password, nor a credential of a statement they quote (a
   * vstreamer that cannot place a binlog statement quotes it whole, CREATE USER included).
   */
  String redact(String text) {
    String out = SqlText.maskQuotedIn(text);
    for (Secret secret : secrets) {
      out = secret.maskIn(out);
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
