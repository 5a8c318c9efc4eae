package dev.sourcevitess.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.ColumnType.Kind;
import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.model.TlsMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SchemaDiscoveryTest {
  private static TestDatabase db;
  private static Map<String, Table> tables;

  @BeforeAll
  static void discover() {
    db = TestDatabase.create("discover");
    db.load("schema.sql");
    tables = MysqlModule.schemaReader(db.config()).tables().stream()
        .collect(Collectors.toMap(Table::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));
  }

  @AfterAll
  static void drop() {
    db.close();
  }

  @Test
  void findsBaseTablesButNotViewsOrVitessInternalTables() {
    Set<String> expected = Set.of("all_types", "order_lines", "events_log", "empty_table", "order",
        "with space", "back`tick", "my_vt_hld_x", "orders_vrepl", "_vt_custom",
        "x_6ace8bce_f732_11ea_87e9_f875a4d24e90_20200915120410_vrepl",
        "_6ace8bce_f732_11ea_87e9_f875a4d24e90_2020091512041_vrepl",
        "k_unsigned", "k_decimal", "k_binary", "k_enum", "k_set", "k_bit", "k_text", "k_temporal",
        "k_float", "k_double");
    assertEquals(new TreeSet<>(expected), new TreeSet<>(tables.keySet()));
  }

  @Test
  void readsColumnsInOrderWithTheirKindsAndNullability() {
    Table t = tables.get("all_types");
    Map<String, Kind> kinds = new LinkedHashMap<>();
    t.columns().forEach(c -> kinds.put(c.name(), c.type().kind()));
    Map<String, Kind> expected = new LinkedHashMap<>();
    expected.put("id", Kind.INTEGER);
    expected.put("c_tinyint", Kind.INTEGER);
    expected.put("c_bool", Kind.BOOLEAN);
    expected.put("c_smallint", Kind.INTEGER);
    expected.put("c_mediumint", Kind.INTEGER);
    expected.put("c_int", Kind.INTEGER);
    expected.put("c_bigint", Kind.INTEGER);
    expected.put("c_ubigint", Kind.INTEGER);
    expected.put("c_zerofill", Kind.INTEGER);
    expected.put("c_dec_half", Kind.DECIMAL);
    expected.put("c_dec_neg", Kind.DECIMAL);
    expected.put("c_dec_big", Kind.DECIMAL);
    expected.put("c_float", Kind.FLOAT);
    expected.put("c_double", Kind.FLOAT);
    expected.put("c_bit1", Kind.BIT_BOOLEAN);
    expected.put("c_bit8", Kind.BINARY);
    expected.put("c_year", Kind.INTEGER);
    expected.put("c_date", Kind.DATE);
    expected.put("c_date_nn", Kind.DATE);
    expected.put("c_datetime", Kind.DATETIME);
    expected.put("c_datetime6", Kind.DATETIME);
    expected.put("c_datetime_nn", Kind.DATETIME);
    expected.put("c_timestamp", Kind.TIMESTAMP);
    expected.put("c_timestamp6", Kind.TIMESTAMP);
    expected.put("c_timestamp_nn", Kind.TIMESTAMP);
    expected.put("c_time", Kind.TIME);
    expected.put("c_time3", Kind.TIME);
    expected.put("c_char", Kind.TEXT);
    expected.put("c_varchar", Kind.TEXT);
    expected.put("c_text", Kind.TEXT);
    expected.put("c_latin1", Kind.TEXT);
    expected.put("c_binary", Kind.BINARY);
    expected.put("c_varbinary", Kind.BINARY);
    expected.put("c_blob", Kind.BINARY);
    expected.put("c_enum", Kind.ENUM);
    expected.put("c_set", Kind.SET);
    // MariaDB's JSON is an alias of LONGTEXT with a check: information_schema says longtext
    expected.put("c_json", Kind.TEXT);
    expected.put("c_geometry", Kind.BINARY);
    expected.put("c_nn_text", Kind.TEXT);
    assertEquals(List.copyOf(expected.entrySet()), List.copyOf(kinds.entrySet()));

    Set<String> notNull = t.columns().stream().filter(c -> !c.nullable()).map(Column::name).collect(Collectors.toSet());
    assertEquals(Set.of("id", "c_date_nn", "c_datetime_nn", "c_timestamp_nn", "c_nn_text"), notNull);
    assertEquals(List.of("small", "medium", "large"), t.column("c_enum").type().members());
    assertEquals(List.of("red", "green", "blue"), t.column("c_set").type().members());
    assertEquals("decimal(38,10)", t.column("c_dec_big").type().mysqlType());
    assertEquals(List.of("id"), t.primaryKey());
  }

  @Test
  void compositeKeysComeInKeyOrderNotColumnOrder() {
    Table t = tables.get("order_lines");
    assertEquals(List.of("order_id", "note", "line_code", "seq"), t.columns().stream().map(Column::name).toList());
    assertEquals(List.of("line_code", "order_id", "seq"), t.primaryKey());
    assertEquals(List.of("key part", "we`ird"), tables.get("with space").primaryKey());
    assertEquals(List.of("y", "dt", "ts", "t"), tables.get("k_temporal").primaryKey());
  }

  @Test
  void tablesWithoutKeyHaveAnEmptyKey() {
    assertFalse(tables.get("events_log").hasPrimaryKey());
    assertFalse(tables.get("my_vt_hld_x").hasPrimaryKey());
  }

  @Test
  void estimatesComeFromInformationSchema() {
    // the script ANALYZEs order_lines: InnoDB then counts a one-page table exactly
    assertEquals(60, tables.get("order_lines").rowEstimate());
    assertTrue(tables.get("order_lines").byteEstimate() > 0);
    assertEquals(0, tables.get("empty_table").rowEstimate());
  }

  @Test
  void tinyIntIsAnIntegerWhenBooleansAreOff() {
    var config = TestDatabase.config(db.name(), TestDatabase.USER, TestDatabase.PASSWORD, TestDatabase.PORT, TlsMode.DISABLED,
        ReplicationMethod.STANDARD, false, false, false);
    Table t = MysqlModule.schemaReader(config).tables().stream()
        .filter(x -> x.name().equals("all_types")).findFirst().orElseThrow();
    assertEquals(Kind.INTEGER, t.column("c_bool").type().kind());
    assertEquals(Kind.BIT_BOOLEAN, t.column("c_bit1").type().kind());
  }
}
