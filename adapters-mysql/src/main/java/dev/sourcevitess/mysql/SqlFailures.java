package dev.sourcevitess.mysql;

import com.mysql.cj.exceptions.CJPacketTooBigException;
import com.mysql.cj.jdbc.exceptions.PacketTooBigException;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.SqlText;
import dev.sourcevitess.domain.model.TlsFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Turns driver exceptions into {@link SourceException}s: a message built from what we know (host,
 * port, user, table) that tells the user what to fix, and the driver's text, scrubbed of the
 * password, as detail. Error numbers are MySQL's and MariaDB's; the driver's own failures carry
 * none, so those are recognised by their causes.
 */
final class SqlFailures {
  private static final int ACCESS_DENIED = 1045;
  /**
   * MariaDB's answer for an account it refuses without checking a password, such as a user that
   * exists only for unix-socket login (root on a stock Debian MariaDB) or no user at all.
   */
  private static final int ACCESS_DENIED_NO_PASSWORD = 1698;
  private static final int DATABASE_ACCESS_DENIED = 1044;
  private static final int UNKNOWN_DATABASE = 1049;
  private static final int UNKNOWN_TABLE = 1146;
  private static final int UNKNOWN_COLUMN = 1054;
  private static final int INSECURE_TRANSPORT_PROHIBITED = 3159;
  /** The server refuses the name itself: too long, or characters it does not allow. */
  private static final Set<Integer> BAD_DATABASE_NAME = Set.of(
      1102, // incorrect database name
      1059); // identifier too long
  /** The account exists but may not log in as it is: only its owner or an administrator can change that. */
  private static final Set<Integer> ACCOUNT_REFUSED = Set.of(
      1129, // host blocked after too many connection errors
      1130, // host not allowed to connect
      1251, // client does not support the account's authentication method
      1820, 1862, // password expired, must be changed
      3118, 4151); // account locked (MySQL, MariaDB)
  /** Logged in, but not allowed to read what was asked. */
  private static final Set<Integer> READ_DENIED = Set.of(
      1142, // table access denied
      1143, // column access denied
      1227); // needs a privilege the user lacks
  private static final int MAX_DETAIL = 4000;

  /** Server-side errors that a later attempt may not meet: overload, kills, timeouts, deadlocks. */
  private static final Set<Integer> TRANSIENT_CODES = Set.of(
      1040, // too many connections
      1203, // user has too many connections
      1053, // server shutdown in progress
      1158, 1159, 1160, 1161, // network read/write errors
      1205, // lock wait timeout
      1213, // deadlock
      1317, // query interrupted
      1927, // MariaDB: connection killed
      1969, // MariaDB: max_statement_time exceeded
      3024, // MySQL: max_execution_time exceeded
      3169, // MySQL: session killed
      4031); // MySQL: disconnected for inactivity

  private final MysqlEndpoint endpoint;

  SqlFailures(MysqlEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** A failure to open a connection or to log in. */
  SourceException connecting(SQLException e) {
    String where = endpoint.host() + ":" + endpoint.port();
    int code = e.getErrorCode();
    Optional<TlsFailure> tls = TlsFailure.of(e);
    if (tls.isPresent() || hasCause(e, GeneralSecurityException.class)
        || code == INSECURE_TRANSPORT_PROHIBITED || (code == 0 && mentionsTls(e))) {
      return failure(FailureType.CONFIG_ERROR,
          tls.orElse(TlsFailure.OTHER).advice(where, endpoint.host()) + " (" + rootReason(e) + ")", e);
    }
    if (code == ACCESS_DENIED || code == ACCESS_DENIED_NO_PASSWORD) {
      return failure(FailureType.CONFIG_ERROR,
          "wrong user name or password for user " + endpoint.user() + " on " + where
              + (code == ACCESS_DENIED_NO_PASSWORD
                  ? " (the server refused this account over the network; on a stock MariaDB, root logs in"
                      + " by unix socket only: create a user for the connector)"
                  : ""), e);
    }
    if (code == DATABASE_ACCESS_DENIED) {
      return failure(FailureType.CONFIG_ERROR,
          "user " + endpoint.user() + " may not access database " + endpoint.targetDatabase()
              + ": grant it access or fix the database name", e);
    }
    if (BAD_DATABASE_NAME.contains(code)) {
      return badDatabaseName(e);
    }
    if (ACCOUNT_REFUSED.contains(code)) {
      return failure(FailureType.CONFIG_ERROR, where + " does not let user " + endpoint.user() + " log in ("
          + firstLine(e.getMessage()) + "): the account or the server's settings for it must change", e);
    }
    if (code == UNKNOWN_DATABASE) {
      return failure(FailureType.CONFIG_ERROR,
          "database " + endpoint.keyspace() + " does not exist on " + where
              + " (connected as " + endpoint.targetDatabase() + "): check the database name, which is case-sensitive", e);
    }
    if (code == 0 && spokeAnotherProtocol(e)) {
      return failure(FailureType.CONFIG_ERROR,
          where + " answered, but not as a MySQL server does: check that port is the server's MySQL port"
              + " (3306 on PlanetScale), not VTGate's gRPC port (that is grpc_port) or another service's", e);
    }
    if (hasCause(e, SocketTimeoutException.class) && !hasCause(e, ConnectException.class)
        && rootReason(e).toLowerCase(Locale.ROOT).contains("read timed out")) {
      return failure(FailureType.CONFIG_ERROR,
          where + " accepted the connection but did not answer as a MySQL server within timeout_seconds ("
              + endpoint.timeoutSeconds() + " s): check that port is the server's MySQL port and that the server"
              + " is up", e);
    }
    if (unreachable(e)) {
      return failure(FailureType.CONFIG_ERROR,
          "cannot reach host " + endpoint.host() + " on port " + endpoint.port() + ": " + rootReason(e)
              + "; check the host name, the port and any firewall in between", e);
    }
    if (transientFailure(e)) {
      return failure(FailureType.TRANSIENT_ERROR, "connecting to " + where + " failed; try again", e);
    }
    return failure(FailureType.SYSTEM_ERROR, "connecting to " + where + " failed: " + firstLine(e.getMessage()), e);
  }

  /** A failure on an open connection, while {@code activity} (e.g. "reading table `t`"). */
  SourceException reading(SQLException e, String activity) {
    String where = endpoint.host() + ":" + endpoint.port();
    int code = e.getErrorCode();
    if (BAD_DATABASE_NAME.contains(code)) {
      return badDatabaseName(e);
    }
    if (READ_DENIED.contains(code) || code == DATABASE_ACCESS_DENIED) {
      return failure(FailureType.CONFIG_ERROR, activity + " failed: user " + endpoint.user() + " may not ("
          + firstLine(e.getMessage()) + "); grant it SELECT on database " + endpoint.keyspace(), e);
    }
    if (code == UNKNOWN_TABLE || code == UNKNOWN_COLUMN) {
      return failure(FailureType.CONFIG_ERROR,
          activity + " failed because the schema changed since discovery: refresh the source schema", e);
    }
    if (lostConnection(e)) {
      return failure(FailureType.TRANSIENT_ERROR,
          "lost the connection to " + where + " while " + activity + "; a retry resumes from the last checkpoint", e);
    }
    if (transientFailure(e)) {
      return failure(FailureType.TRANSIENT_ERROR, activity + " failed for a passing reason; try again", e);
    }
    return failure(FailureType.SYSTEM_ERROR, activity + " failed: " + firstLine(e.getMessage()), e);
  }

  private SourceException badDatabaseName(SQLException e) {
    return failure(FailureType.CONFIG_ERROR, endpoint.host() + ":" + endpoint.port() + " refuses the database name "
        + endpoint.targetDatabase() + " (" + firstLine(e.getMessage()) + "): check the database name", e);
  }

  private SourceException failure(FailureType type, String message, SQLException e) {
    // The message may quote driver text (rootReason), so it is scrubbed like the detail.
    return new SourceException(type, endpoint.scrub(message), detail(e), null);
  }

  /**
   * The chain of causes, one line each. The exception itself is not attached as a cause: its
   * text is unscrubbed and stack traces of it would be printed as they are.
   */
  private String detail(SQLException e) {
    StringBuilder out = new StringBuilder();
    out.append("SQLState ").append(e.getSQLState()).append(", error ").append(e.getErrorCode()).append(": ");
    Throwable t = e;
    for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
      if (depth > 0) {
        out.append(" <- ");
      }
      out.append(t.getClass().getName()).append(": ").append(firstLine(t.getMessage()));
      if (t.getCause() == t) {
        break;
      }
    }
    String text = endpoint.scrub(out.toString());
    return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "..." : text;
  }

  /**
   * The greeting did not parse: an HTTP/2 (gRPC) server's first frame reads as a huge packet
   * length, other services' bytes as truncated fields. A MySQL server's greeting does neither.
   */
  private static boolean spokeAnotherProtocol(SQLException e) {
    return hasCause(e, PacketTooBigException.class) || hasCause(e, CJPacketTooBigException.class)
        || hasCause(e, IndexOutOfBoundsException.class) || hasCause(e, NegativeArraySizeException.class);
  }

  private static boolean unreachable(SQLException e) {
    if (hasCause(e, UnknownHostException.class) || hasCause(e, ConnectException.class)
        || hasCause(e, NoRouteToHostException.class) || hasCause(e, SocketTimeoutException.class)) {
      return true;
    }
    return lostConnection(e);
  }

  /** SQLState class 08 is "connection exception"; the driver's mid-stream losses come as I/O causes. */
  private static boolean lostConnection(SQLException e) {
    String state = e.getSQLState();
    return (state != null && state.startsWith("08")) || hasCause(e, IOException.class);
  }

  private static boolean transientFailure(SQLException e) {
    return e instanceof SQLTransientException || TRANSIENT_CODES.contains(e.getErrorCode());
  }

  /** The driver reports "SSL Connection required, but not provided by server" without a cause. */
  private static boolean mentionsTls(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("SSL") || m.contains("TLS"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The innermost cause's message: "Connection refused", "x: Name or service not known"... */
  private static String rootReason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = firstLine(root.getMessage());
    if (root instanceof UnknownHostException) {
      return "unknown host (" + m + ")";
    }
    return m.isEmpty() ? root.getClass().getSimpleName() : m;
  }

  /**
   * The first line of a server's or the driver's message, without a credential of a statement it
   * may quote (a syntax error quotes the statement from where it failed).
   */
  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return SqlText.maskQuotedIn((newline >= 0 ? message.substring(0, newline) : message).trim());
  }
}
