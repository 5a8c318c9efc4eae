package dev.sourcevitess.mysql;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.KeyValue;
import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.RawRow;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.port.RowSnapshots;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RowScanTest {
  private static final List<String> KEYED_TABLES = List.of("order_lines", "k_unsigned", "k_decimal",
      "k_binary", "k_enum", "k_set", "k_bit", "k_text", "k_temporal", "order", "with space", "back`tick",
      "all_types");

  private static TestDatabase db;
  private static Map<String, Table> tables;
  private static MysqlEndpoint endpoint;

  @BeforeAll
  static void load() {
    db = TestDatabase.create("scan");
    db.load("schema.sql");
    endpoint = new MysqlEndpoint(db.config());
    tables = new InformationSchemaReader(endpoint, true).tables().stream()
        .collect(Collectors.toMap(Table::name, Function.identity()));
  }

  @AfterAll
  static void drop() {
    db.close();
  }

  @Test
  void everyTypeComesOutAsItsJsonValue() {
    Table table = tables.get("all_types");
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    snapshots(1000).scan(table, null, row -> {
      Map<String, String> json = JsonText.row(table, row);
      rows.put(json.get("id"), json);
    });
    assertEquals(List.of("1", "2", "3"), List.copyOf(rows.keySet()));

    byte[] point = HexFormat.of().parseHex(
        // SRID 0, then WKB: little-endian, type 1 (point), x = 1.0, y = 2.0
        "00000000" + "01" + "01000000" + "000000000000f03f" + "0000000000000040");
    Map<String, String> first = new LinkedHashMap<>();
    first.put("id", "1");
    first.put("c_tinyint", "-128");
    first.put("c_bool", "true");
    first.put("c_smallint", "32767");
    first.put("c_mediumint", "-8388608");
    first.put("c_int", "2147483647");
    first.put("c_bigint", "-9223372036854775808");
    first.put("c_ubigint", "18446744073709551615");
    first.put("c_zerofill", "42");
    first.put("c_dec_half", "0.5");
    first.put("c_dec_neg", "-0.25");
    first.put("c_dec_big", "12345678901234567890.0123456789");
    first.put("c_float", "1.5");
    first.put("c_double", "-0.00000000025"); // MariaDB prints -2.5e-10 positionally, 1e300 with an exponent
    first.put("c_bit1", "true");
    first.put("c_bit8", q(Base64.getEncoder().encodeToString(new byte[] {(byte) 0x81})));
    first.put("c_year", "2024");
    first.put("c_date", q("2024-02-29"));
    first.put("c_date_nn", q("2024-02-29"));
    first.put("c_datetime", q("2024-02-29T13:45:00"));
    first.put("c_datetime6", q("2024-02-29T13:45:00.123456"));
    first.put("c_datetime_nn", q("1999-12-31T23:59:59"));
    // written as 18:45 and 04:59:59.5 (next day) in +05:00
    first.put("c_timestamp", q("2024-02-29T13:45:00Z"));
    first.put("c_timestamp6", q("2024-02-29T23:59:59.500000Z"));
    first.put("c_timestamp_nn", q("2000-01-01T00:00:00Z"));
    first.put("c_time", q("13:45:00"));
    first.put("c_time3", q("13:45:00.125"));
    first.put("c_char", q("abc"));
    first.put("c_varchar", q("日本語 😀 ü"));
    first.put("c_text", q("line1\nline2 \"quoted\" \\ end"));
    first.put("c_latin1", q("café"));
    first.put("c_binary", q(b64(0xff, 0x00, 0xfe, 0x00))); // BINARY(4) pads with zero bytes
    first.put("c_varbinary", q(b64(0xc3, 0x28, 0xff)));
    first.put("c_blob", q(b64(0x00)));
    first.put("c_enum", q("medium"));
    first.put("c_set", q("red,blue"));
    first.put("c_json", q("{\"a\": [1, 2.5], \"b\": \"ü\"}"));
    first.put("c_geometry", q(Base64.getEncoder().encodeToString(point)));
    first.put("c_nn_text", q("x"));
    assertRow(first, rows.get("1"));

    Map<String, String> nulls = new LinkedHashMap<>();
    table.columns().forEach(c -> nulls.put(c.name(), "null"));
    nulls.put("id", "2");
    nulls.put("c_date_nn", q("2024-01-01"));
    nulls.put("c_datetime_nn", q("2024-01-01T00:00:00"));
    nulls.put("c_timestamp_nn", q("2024-01-01T00:00:00Z"));
    nulls.put("c_nn_text", q(""));
    assertRow(nulls, rows.get("2"));

    Map<String, String> edges = new LinkedHashMap<>();
    edges.put("id", "3");
    edges.put("c_tinyint", "0");
    edges.put("c_bool", "false");
    edges.put("c_smallint", "0");
    edges.put("c_mediumint", "0");
    edges.put("c_int", "0");
    edges.put("c_bigint", "9223372036854775807");
    edges.put("c_ubigint", "0");
    edges.put("c_zerofill", "0");
    edges.put("c_dec_half", "0.0");
    edges.put("c_dec_neg", "0.00");
    edges.put("c_dec_big", "-0.0000000001");
    edges.put("c_float", "0.1");
    edges.put("c_double", "1e300");
    edges.put("c_bit1", "false");
    edges.put("c_bit8", q(b64(0x00)));
    edges.put("c_year", "0");
    // zero dates: null where the column allows it, the epoch where it does not
    edges.put("c_date", "null");
    edges.put("c_date_nn", q("1970-01-01"));
    edges.put("c_datetime", "null"); // 2024-02-00: day zero
    edges.put("c_datetime6", "null");
    edges.put("c_datetime_nn", q("1970-01-01T00:00:00"));
    edges.put("c_timestamp", "null");
    edges.put("c_timestamp6", "null");
    edges.put("c_timestamp_nn", q("1970-01-01T00:00:00Z"));
    // a duration, not a time of day: the column refuses it, and the record writer nulls it
    edges.put("c_time", JsonText.REFUSED);
    edges.put("c_time3", q("00:00:00.000"));
    edges.put("c_char", q(""));
    edges.put("c_varchar", q(""));
    edges.put("c_text", q(""));
    edges.put("c_latin1", q(""));
    edges.put("c_binary", q(b64(0, 0, 0, 0)));
    edges.put("c_varbinary", q(""));
    edges.put("c_blob", q(""));
    edges.put("c_enum", q(""));
    edges.put("c_set", q(""));
    edges.put("c_json", q("[]"));
    edges.put("c_geometry", "null");
    edges.put("c_nn_text", q(""));
    assertRow(edges, rows.get("3"));
  }

  @Test
  void tinyPagesReadTheSameRowsInTheServersKeyOrder() throws SQLException {
    for (String name : KEYED_TABLES) {
      Table table = tables.get(name);
      List<String> expected = orderedByServer(table);
      assertTrue(expected.size() >= 2, name);
      assertEquals(expected, scan(snapshots(100_000), table, null), "one page of " + name);
      for (int pageSize : new int[] {1, 2, 7}) {
        assertEquals(expected, scan(snapshots(pageSize), table, null), "pages of " + pageSize + " over " + name);
      }
    }
  }

  @Test
  void approximateKeysAreReadInOnePassWhateverThePageSize() throws SQLException {
    for (String name : List.of("k_float", "k_double")) {
      Table table = tables.get(name);
      assertTrue(table.hasPrimaryKey() && !table.pagesByKey(), name);
      List<String> expected = orderedByServer(table);
      assertEquals(5, expected.size(), name);
      for (int pageSize : new int[] {1, 2, 100_000}) {
        List<String> rows = scan(snapshots(pageSize), table, null);
        rows.sort(null);
        assertEquals(expected.stream().sorted().toList(), rows, "pages of " + pageSize + " over " + name);
      }
    }
    assertThrows(IllegalArgumentException.class,
        () -> snapshots(2).scan(tables.get("k_float"), after("f", "2"), row -> {}));
  }

  @Test
  void aRowTooLargeForMemoryIsNamedByTableKeyAndColumn() {
    db.execute("CREATE TABLE wide (id INT NOT NULL PRIMARY KEY, small VARCHAR(5), big LONGTEXT)");
    db.execute("INSERT INTO wide VALUES (1, 'a', 'b'), (2, 'a', 'b'), (3, 'a', 'b'), (4, 'a', REPEAT('x', 100000)),"
        + " (5, 'a', 'b')");
    Table wide = new InformationSchemaReader(endpoint, true).tables().stream()
        .filter(t -> t.name().equals("wide")).findFirst().orElseThrow();
    for (int pageSize : new int[] {2, 100}) {
      SourceException e = assertThrows(SourceException.class, () -> snapshots(pageSize).scan(wide, null, row -> {
        // what the driver or the writer throws for a value larger than the heap
        if (row.length(2) > 1000) {
          throw new OutOfMemoryError("Java heap space");
        }
      }));
      assertEquals(FailureType.CONFIG_ERROR, e.failureType());
      assertTrue(e.getMessage().startsWith("Reading table `wide` ran out of memory (maximum heap "), e.getMessage());
      assertTrue(e.getMessage().contains("at the row with key id=4: its column big holds 100000 bytes."
          + " Give the connector more memory"), e.getMessage());
      assertTrue(e.getMessage().endsWith("or deselect column big of stream wide."), e.getMessage());
    }
  }

  @Test
  void resumesStrictlyAfterAnyRowsKey() {
    for (String name : KEYED_TABLES) {
      Table table = tables.get(name);
      List<String> all = new ArrayList<>();
      List<LastKey> keys = new ArrayList<>();
      snapshots(3).scan(table, null, row -> {
        all.add(raw(row));
        keys.add(LastKey.of(table, row));
      });
      for (int i = 0; i < all.size(); i++) {
        assertEquals(all.subList(i + 1, all.size()), scan(snapshots(2), table, keys.get(i)),
            name + " after row " + i + " " + keys.get(i));
      }
    }
  }

  @Test
  void resumesFromKeysGivenAsMysqlText() {
    assertEquals(List.of("18446744073709551614", "18446744073709551615"),
        texts("k_unsigned", after("id", "9223372036854775808")));
    assertEquals(List.of("12345678901234567890.1234567892"),
        texts("k_decimal", after("d", "12345678901234567890.1234567891")));
    assertEquals(List.of("0.5000000000", "12345678901234567890.1234567891", "12345678901234567890.1234567892"),
        texts("k_decimal", after("d", "-0.25")));
    // ENUM keys sort by member index (zulu, alpha, mike), not alphabetically
    assertEquals(List.of("alpha", "mike"), texts("k_enum", after("e", "zulu")));
    assertEquals(List.of("zulu,alpha", "mike"), texts("k_set", after("s", "alpha")));
    assertEquals(List.of("c", "É", "f", "it's", "z"), texts("k_text", after("s", "B")).subList(0, 5));
    Table binary = tables.get("k_binary");
    List<String> afterC328 = new ArrayList<>();
    snapshots(1).scan(binary, new LastKey(List.of(new KeyValue("b", 0, new byte[] {(byte) 0xc3, 0x28}))),
        row -> afterC328.add(raw(row)));
    assertEquals(List.of("ff", "ff00"), afterC328);
  }

  @Test
  void readsATableWithoutKeyInOneStatement() {
    Table table = tables.get("events_log");
    List<String> rows = new ArrayList<>();
    snapshots(1).scan(table, null, row -> rows.add(JsonText.row(table, row).toString()));
    rows.sort(null);
    assertEquals(List.of(
        "{kind=\"a\", amount=1.00}",
        "{kind=\"a\", amount=1.00}",
        "{kind=\"b\", amount=null}",
        "{kind=null, amount=null}"), rows);
  }

  @Test
  void readsTablesWhoseNamesNeedQuoting() {
    Table order = tables.get("order");
    List<String> orderRows = new ArrayList<>();
    snapshots(1).scan(order, null, row -> orderRows.add(JsonText.row(order, row).toString()));
    assertEquals(List.of("{select=1, from=\"one\"}", "{select=2, from=\"two\"}", "{select=3, from=\"three\"}"), orderRows);

    Table space = tables.get("with space");
    List<String> spaceRows = new ArrayList<>();
    snapshots(1).scan(space, null, row -> spaceRows.add(JsonText.row(space, row).toString()));
    assertEquals(List.of("{key part=1, we`ird=\"a`b\"}", "{key part=1, we`ird=\"b\"}", "{key part=2, we`ird=\"a\"}"), spaceRows);

    Table backtick = tables.get("back`tick");
    List<String> backtickRows = new ArrayList<>();
    snapshots(1).scan(backtick, null, row -> backtickRows.add(JsonText.row(backtick, row).toString()));
    assertEquals(List.of("{id=10, v=\"ten\"}", "{id=20, v=\"twenty\"}"), backtickRows);
  }

  @Test
  void anEmptyTableHasNoRows() {
    List<String> rows = scan(snapshots(1), tables.get("empty_table"), null);
    assertEquals(List.of(), rows);
  }

  @Test
  void refusesAResumeKeyOnOtherColumns() {
    SourceException e = assertThrows(SourceException.class,
        () -> snapshots(10).scan(tables.get("order_lines"), after("order_id", "1"), row -> {}));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("order_lines"), e.getMessage());
  }

  @Test
  void aTableDroppedAfterDiscoveryAsksForASchemaRefresh() {
    db.execute("CREATE TABLE gone (id INT PRIMARY KEY)");
    Table gone = new InformationSchemaReader(endpoint, true).tables().stream()
        .filter(t -> t.name().equals("gone")).findFirst().orElseThrow();
    db.execute("DROP TABLE gone");
    SourceException e = assertThrows(SourceException.class, () -> snapshots(10).scan(gone, null, row -> {}));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("`gone`") && e.getMessage().contains("refresh"), e.getMessage());
    assertTrue(e.detail().contains("1146"), e.detail());
  }

  private static RowSnapshots snapshots(int pageSize) {
    return new KeysetRowSnapshots(endpoint, pageSize);
  }

  private static LastKey after(String column, String text) {
    return new LastKey(List.of(KeyValue.text(column, 0, text)));
  }

  /** The first column of each row after {@code after}, as text. */
  private static List<String> texts(String table, LastKey after) {
    List<String> out = new ArrayList<>();
    snapshots(1).scan(tables.get(table), after,
        row -> out.add(new String(row.buffer(0), row.offset(0), row.length(0), StandardCharsets.UTF_8)));
    return out;
  }

  private static List<String> scan(RowSnapshots snapshots, Table table, LastKey after) {
    List<String> rows = new ArrayList<>();
    snapshots.scan(table, after, row -> rows.add(raw(row)));
    return rows;
  }

  /** A row's exact bytes: hex per column, NULL as "N". */
  private static String raw(RawRow row) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < row.columnCount(); i++) {
      parts.add(row.isNull(i) ? "N" : HexFormat.of().formatHex(row.buffer(i), row.offset(i), row.offset(i) + row.length(i)));
    }
    return String.join("|", parts);
  }

  /** The table's rows as the server orders them by key, read without the adapter. */
  private static List<String> orderedByServer(Table table) throws SQLException {
    String order = table.primaryKey().stream().map(KeysetQuery::quote).collect(Collectors.joining(", "));
    List<String> rows = new ArrayList<>();
    try (Connection c = db.admin(); Statement s = c.createStatement()) {
      s.execute("SET time_zone = '+00:00'");
      try (ResultSet rs = s.executeQuery("SELECT * FROM " + KeysetQuery.quote(table.name()) + " ORDER BY " + order)) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<String> parts = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            byte[] b = rs.getBytes(i);
            parts.add(b == null ? "N" : HexFormat.of().formatHex(b));
          }
          rows.add(String.join("|", parts));
        }
      }
    }
    return rows;
  }

  private static void assertRow(Map<String, String> expected, Map<String, String> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    assertAll(expected.keySet().stream().map(column -> () ->
        assertEquals(expected.get(column), actual.get(column), "column " + column)));
  }

  private static String q(String s) {
    return JsonText.quote(s);
  }

  private static String b64(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return Base64.getEncoder().encodeToString(b);
  }
}
