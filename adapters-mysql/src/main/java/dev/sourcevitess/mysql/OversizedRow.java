package dev.sourcevitess.mysql;

import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.Table;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A row too large for the heap: the server measures it (lengths only, never the values) so the
 * message can say which table, row and column, and what to do. A config_error: no retry makes
 * the value fit, and the fix is the user's, a larger memory limit or the column left out.
 */
final class OversizedRow {
  private static final int SHOWN_KEY_CHARS = 60;

  private final MysqlEndpoint endpoint;
  private final KeysetQuery query;
  private final Table table;

  OversizedRow(MysqlEndpoint endpoint, KeysetQuery query, Table table) {
    this.endpoint = endpoint;
    this.query = query;
    this.table = table;
  }

  /**
   * @param pageStart the key the page being read starts after; null for the first page
   * @param rowsBefore the rows of that page read before the one that did not fit
   */
  SourceException describe(byte[][] pageStart, long rowsBefore) {
    String where = "Reading table " + KeysetQuery.quote(table.name()) + " ran out of memory (maximum heap "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB)";
    String fix = "Give the connector more memory (a larger -Xmx in JAVA_OPTS, or a higher memory limit for the"
        + " source in Airbyte)";
    try (Connection connection = endpoint.connect();
        PreparedStatement ps = connection.prepareStatement(query.rowLengths(pageStart != null))) {
      int offset = pageStart == null ? 1 : query.bindAfter(ps, pageStart);
      ps.setLong(offset, rowsBefore);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          String row = rowName(rs, rowsBefore);
          int keys = query.keyColumns().size();
          Column widest = null;
          long widestBytes = -1;
          for (int i = 0; i < table.columns().size(); i++) {
            long bytes = rs.getLong(keys + i + 1);
            if (bytes > widestBytes) {
              widestBytes = bytes;
              widest = table.columns().get(i);
            }
          }
          return failure(where + " at the row " + row + ": its column " + widest.name() + " holds " + widestBytes
              + " bytes. " + fix + ", or deselect column " + widest.name() + " of stream " + table.name() + ".");
        }
      }
    } catch (SQLException | RuntimeException measuringFailed) {
      // the message below still says what to do
    }
    return failure(where + " at a row too large for it. " + fix + ", or deselect the table's largest columns.");
  }

  private String rowName(ResultSet rs, long rowsBefore) throws SQLException {
    List<Column> keys = query.keyColumns();
    if (keys.isEmpty()) {
      return "number " + (rowsBefore + 1) + " of the scan (the table has no primary key)";
    }
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      byte[] value = rs.getBytes(k + 1);
      String text = value == null ? "NULL" : new String(value, StandardCharsets.UTF_8);
      parts.add(keys.get(k).name() + "=" + (text.length() > SHOWN_KEY_CHARS
          ? text.substring(0, SHOWN_KEY_CHARS) + "..." : text));
    }
    return "with key " + String.join(", ", parts);
  }

  private static SourceException failure(String message) {
    return new SourceException(FailureType.CONFIG_ERROR, message, "java.lang.OutOfMemoryError");
  }
}
