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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "int|abc|false", "int|1e400|false", "int|2147483648|false", "int|-2147483648|true", "int unsigned|-1|false",
      "bigint unsigned|18446744073709551615|true", "bigint|9223372036854775808|false", "tinyint(1)|127|true",
      "smallint|32768|false", "mediumint unsigned|16777215|true", "year|2024|true", "year|99999|false",
      "decimal(5,2)|123.45|true", "decimal(5,2)|1234.5|false", "decimal(5,2)|1.234|false", "decimal(5,2)|1.230|true",
      "decimal(5,2)|-0.5|true", "decimal|12345678901|false", "decimal(5,2)|.|false", "decimal(5,2)|1e3|false",
      "double|1e400|false", "float|1.9999999|true", "double|NaN|false",
      "date|2024-02-29|true", "date|yesterday|false", "datetime(6)|2024-02-29 13:45:00.000001|true",
      "timestamp|2024-02-29 13:45:00|true", "datetime|2024-02-29|false", "time(3)|-838:59:59.000|true",
      "time|noon|false", "enum('a','b')|B|true", "enum('a','b')|c|false", "enum('a','b')|2|true",
      "set('a','b')|a,b|true", "set('a','b')|a,c|false", "set('a','b')|3|true", "set('a','b')|4|false",
      "varchar(3)|anything at all|true", "varbinary(2)|xyz|true",
  })
  void aKeyValueFitsItsColumnOnlyWhenTheColumnCanHoldIt(String type, String value, boolean fits) {
    Table table = new Table("t", List.of(col("k", type)), List.of("k"), 0, 0);
    LastKey key = new LastKey(List.of(KeyValue.text("k", 0, value)));
    assertEquals(fits, key.misfit(table).isEmpty(), type + " " + value + ": " + key.misfit(table));
  }

  @Test
  void aKeyOnOtherColumnsOrWithNullDoesNotFit() {
    LastKey otherColumns = new LastKey(List.of(KeyValue.text("id", 0, "1")));
    assertEquals("it is on columns [id] but the table's primary key is [id, region]",
        otherColumns.misfit(ORDERS).orElseThrow());
    LastKey withNull = new LastKey(List.of(KeyValue.text("id", 0, "1"), new KeyValue("region", 0, null)));
    assertEquals("it has NULL for key column region, which cannot hold NULL", withNull.misfit(ORDERS).orElseThrow());
    LastKey word = new LastKey(List.of(KeyValue.text("id", 0, "abc"), KeyValue.text("region", 0, "eu")));
    assertEquals("its value \"abc\" for key column id is no bigint value", word.misfit(ORDERS).orElseThrow());
  }
}
