package dev.sourcevitess.domain.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sourcevitess.domain.fake.TextRow;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LastKey} and {@link KeyValue}: a copy's resume point, a value independent of row buffers. */
class LastKeyTest {


  static Column col(String name, String type) {
    return new Column(name, ColumnType.parse(type, true), true);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static final Table ORDERS = new Table("orders",
      List.of(col("name", "varchar(20)"), col("region", "char(2)"), col("id", "bigint"), col("note", "text")),
      List.of("id", "region"), 0, 0);

  @Test
  void ofTakesTheKeyColumnsInKeyOrder() {
    LastKey key = LastKey.of(ORDERS, TextRow.packed("ann", "eu", "42", "hello"));
    assertEquals(List.of(new KeyValue("id", 0, utf8("42")), new KeyValue("region", 0, utf8("eu"))), key.values());
  }

  @Test
  void ofCopiesTheBytes() {
    TextRow row = TextRow.packed("ann", "eu", "42", "hello");
    LastKey key = LastKey.of(ORDERS, row);
    // the adapter reuses its buffer for the next row
    java.util.Arrays.fill(row.buffer(0), (byte) 'X');
    assertArrayEquals(utf8("42"), key.values().get(0).value());
    assertArrayEquals(utf8("eu"), key.values().get(1).value());
  }

  @Test
  void ofKeepsANullKeyPartAsNull() {
    Table t = new Table("t", List.of(col("a", "int"), col("b", "int")), List.of("a", "b"), 0, 0);
    LastKey key = LastKey.of(t, TextRow.packed("1", null));
    assertNull(key.values().get(1).value());
    assertArrayEquals(utf8("1"), key.values().get(0).value());
  }

  @Test
  void ofKeepsMultiByteAndEmptyValues() {
    Table t = new Table("t", List.of(col("a", "varchar(9)"), col("b", "varchar(9)")), List.of("b", "a"), 0, 0);
    LastKey key = LastKey.of(t, TextRow.packed("", "日本"));
    assertEquals(List.of(KeyValue.text("b", 0, "日本"), KeyValue.text("a", 0, "")), key.values());
  }

  @Test
  void aLastKeyNeedsAColumnAndIsImmutable() {
    assertThrows(IllegalArgumentException.class, () -> new LastKey(List.of()));
    List<KeyValue> source = new ArrayList<>(List.of(KeyValue.text("id", 0, "1")));
    LastKey key = new LastKey(source);
    source.add(KeyValue.text("x", 0, "2"));
    assertEquals(1, key.values().size());
    assertThrows(UnsupportedOperationException.class, () -> key.values().add(KeyValue.text("y", 0, "3")));
  }

  @Test
  void lastKeysAreEqualByContent() {
    assertEquals(new LastKey(List.of(KeyValue.text("id", 265, "42"))),
        new LastKey(List.of(new KeyValue("id", 265, new byte[] {'4', '2'}))));
    assertNotEquals(new LastKey(List.of(KeyValue.text("id", 265, "42"))),
        new LastKey(List.of(KeyValue.text("id", 265, "43"))));
  }

  // ---------------------------------------------------------------------------------------------
  // KeyValue

  @Test
  void keyValuesAreEqualByContent() {
    KeyValue a = new KeyValue("id", 265, utf8("42"));
    KeyValue b = new KeyValue("id", 265, utf8("42"));
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(KeyValue.text("id", 265, "42"), a);
    assertEquals(new KeyValue("id", 0, null), new KeyValue("id", 0, null));
    assertEquals(new KeyValue("id", 0, null).hashCode(), new KeyValue("id", 0, null).hashCode());

    assertNotEquals(a, new KeyValue("id", 265, utf8("43")));
    assertNotEquals(a, new KeyValue("id", 265, utf8("420")));
    assertNotEquals(a, new KeyValue("id2", 265, utf8("42")));
    assertNotEquals(a, new KeyValue("id", 0, utf8("42")));
    assertNotEquals(new KeyValue("id", 0, null), new KeyValue("id", 0, new byte[0]), "NULL is not ''");
    assertNotEquals(new KeyValue("id", 0, new byte[0]), new KeyValue("id", 0, null));
  }

  @Test
  void keyValueBytesCannotBeChangedFromOutside() {
    byte[] source = utf8("42");
    KeyValue k = new KeyValue("id", 0, source);
    source[0] = '9';
    assertArrayEquals(utf8("42"), k.value());
    k.value()[1] = '9';
    assertArrayEquals(utf8("42"), k.value());
  }

  @Test
  void keyValueText() {
    assertArrayEquals(utf8("é"), KeyValue.text("c", 1, "é").value());
    assertEquals("id=42", KeyValue.text("id", 0, "42").toString());
    assertEquals("id=NULL", new KeyValue("id", 0, null).toString());
    assertThrows(NullPointerException.class, () -> new KeyValue(null, 0, utf8("1")));
  }
}
