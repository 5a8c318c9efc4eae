package dev.sourcevitess.mysql;

import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.ColumnType;
import dev.sourcevitess.domain.model.ConnectionInfo;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.port.SchemaReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Discovers the keyspace from {@code information_schema} with one query per information_schema
 * table for the whole keyspace, so discovery costs the same three round trips for 2 tables or
 * 2,000 (through VTGate each query is a network hop to a tablet).
 */
final class InformationSchemaReader implements SchemaReader {
  private static final String TABLES =
      "SELECT table_name, table_rows, data_length FROM information_schema.tables"
          + " WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name";
  private static final String COLUMNS =
      "SELECT table_name, column_name, column_type, is_nullable FROM information_schema.columns"
          + " WHERE table_schema = ? ORDER BY table_name, ordinal_position";
  private static final String PRIMARY_KEYS =
      "SELECT table_name, column_name FROM information_schema.statistics"
          + " WHERE table_schema = ? AND index_name = 'PRIMARY' ORDER BY table_name, seq_in_index";

  private static final int SYNTAX_ERROR = 1064;

  private final MysqlEndpoint endpoint;
  private final SqlFailures failures;
  private final boolean tinyIntAsBoolean;

  InformationSchemaReader(MysqlEndpoint endpoint, boolean tinyIntAsBoolean) {
    this.endpoint = endpoint;
    this.failures = new SqlFailures(endpoint);
    this.tinyIntAsBoolean = tinyIntAsBoolean;
  }

  @Override
  public ConnectionInfo checkConnection() {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT VERSION()")) {
      rs.next();
      return new ConnectionInfo(rs.getString(1));
    } catch (SQLException e) {
      throw failures.reading(e, "checking the connection");
    }
  }

  /** VTGate answers its own {@code SHOW VITESS_SHARDS}; MySQL and MariaDB call it a syntax error. */
  @Override
  public boolean servesVitess() {
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      statement.executeQuery("SHOW VITESS_SHARDS").close();
      return true;
    } catch (SQLException e) {
      return e.getErrorCode() != SYNTAX_ERROR;
    } catch (SourceException e) {
      return true;
    }
  }

  @Override
  public List<Table> tables() {
    try (Connection connection = connect()) {
      return readTables(connection);
    } catch (SQLException e) {
      throw failures.reading(e, "reading the schema of keyspace " + endpoint.keyspace());
    }
  }

  /** The keyspace's tables, read over {@code connection} (left open). */
  List<Table> readTables(Connection connection) throws SQLException {
    Map<String, long[]> estimates = new LinkedHashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(TABLES)) {
      ps.setString(1, endpoint.keyspace());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          if (!VitessInternalTables.isInternal(name)) {
            // getLong gives 0 for NULL, which is what an unknown estimate should be
            estimates.put(name, new long[] {rs.getLong(2), rs.getLong(3)});
          }
        }
      }
    }
    Map<String, List<Column>> columns = new HashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(COLUMNS)) {
      ps.setString(1, endpoint.keyspace());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String table = rs.getString(1);
          if (estimates.containsKey(table)) {
            ColumnType type = ColumnType.parse(rs.getString(3), tinyIntAsBoolean);
            boolean nullable = "YES".equalsIgnoreCase(rs.getString(4));
            columns.computeIfAbsent(table, t -> new ArrayList<>()).add(new Column(rs.getString(2), type, nullable));
          }
        }
      }
    }
    Map<String, List<String>> keys = new HashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(PRIMARY_KEYS)) {
      ps.setString(1, endpoint.keyspace());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String table = rs.getString(1);
          if (estimates.containsKey(table)) {
            keys.computeIfAbsent(table, t -> new ArrayList<>()).add(rs.getString(2));
          }
        }
      }
    }
    List<Table> tables = new ArrayList<>(estimates.size());
    for (Map.Entry<String, long[]> entry : estimates.entrySet()) {
      String name = entry.getKey();
      List<Column> tableColumns = columns.get(name);
      if (tableColumns == null) {
        continue; // dropped between the queries
      }
      tables.add(table(name, tableColumns, keys.getOrDefault(name, List.of()), entry.getValue()));
    }
    return tables;
  }

  private static Table table(String name, List<Column> columns, List<String> key, long[] estimate) {
    try {
      return new Table(name, columns, key, estimate[0], estimate[1]);
    } catch (IllegalArgumentException e) {
      // information_schema has no snapshot: a concurrent ALTER can leave a key column unlisted
      throw new SourceException(FailureType.TRANSIENT_ERROR,
          "table " + name + " changed while its schema was read; try again", e.getMessage(), e);
    }
  }

  private Connection connect() {
    try {
      return endpoint.connect();
    } catch (SQLException e) {
      throw failures.connecting(e);
    }
  }
}
