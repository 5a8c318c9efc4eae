package dev.sourcevitess.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.ColumnType.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ColumnType#parse} over the spellings {@code information_schema.columns.column_type} gives
 * (MySQL 5.7/8.x with and without display widths, MariaDB), and the JSON schema each one gets.
 */
class ColumnTypeTest {

  /** The JSON schema table: kind → type, format, airbyte_type. */
  static Stream<Arguments> jsonTable() {
    return Stream.of(
        Arguments.of(Kind.BOOLEAN, "boolean", null, null),
        Arguments.of(Kind.BIT_BOOLEAN, "boolean", null, null),
        Arguments.of(Kind.INTEGER, "number", null, "integer"),
        Arguments.of(Kind.DECIMAL, "number", null, null),
        Arguments.of(Kind.FLOAT, "number", null, null),
        Arguments.of(Kind.DATE, "string", "date", null),
        Arguments.of(Kind.DATETIME, "string", "date-time", "timestamp_without_timezone"),
        Arguments.of(Kind.TIMESTAMP, "string", "date-time", "timestamp_with_timezone"),
        Arguments.of(Kind.TIME, "string", "time", "time_without_timezone"),
        Arguments.of(Kind.TEXT, "string", null, null),
        Arguments.of(Kind.ENUM, "string", null, null),
        Arguments.of(Kind.SET, "string", null, null),
        Arguments.of(Kind.JSON, "string", null, null),
        Arguments.of(Kind.BINARY, "string", null, null));
  }

  @Test
  void everyKindIsInTheTable() {
    List<Kind> listed = new ArrayList<>();
    jsonTable().forEach(a -> listed.add((Kind) a.get()[0]));
    assertEquals(List.of(Kind.values()), listed);
  }

  @ParameterizedTest(name = "{0} -> {1}/{2}/{3}")
  @MethodSource("jsonTable")
  void jsonTypeOfEachKind(Kind kind, String type, String format, String airbyteType) {
    JsonType json = kind.jsonType();
    assertEquals(type, json.type());
    assertEquals(format, json.format());
    assertEquals(airbyteType, json.airbyteType());
    assertEquals(json, new ColumnType(kind, "x", List.of(), false).jsonType());
  }

  /** column_type, tinyint(1) as boolean?, kind, then the JSON schema per the table. */
  @ParameterizedTest(name = "[{index}] ''{0}'' (tinyint(1) as boolean: {1}) -> {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "-", textBlock = """
      tinyint(1)                      | true  | BOOLEAN     | boolean | -         | -
      TINYINT(1)                      | true  | BOOLEAN     | boolean | -         | -
      tinyint(1)                      | false | INTEGER     | number  | -         | integer
      tinyint(1) unsigned             | true  | BOOLEAN     | boolean | -         | -
      tinyint(1) unsigned             | false | INTEGER     | number  | -         | integer
      tinyint(4)                      | true  | INTEGER     | number  | -         | integer
      tinyint(3) unsigned             | true  | INTEGER     | number  | -         | integer
      tinyint                         | true  | INTEGER     | number  | -         | integer
      tinyint unsigned                | true  | INTEGER     | number  | -         | integer
      tinyint(4) unsigned zerofill    | true  | INTEGER     | number  | -         | integer
      bool                            | true  | BOOLEAN     | boolean | -         | -
      boolean                         | false | INTEGER     | number  | -         | integer
      bit(1)                          | true  | BIT_BOOLEAN | boolean | -         | -
      bit(1)                          | false | BIT_BOOLEAN | boolean | -         | -
      bit                             | true  | BIT_BOOLEAN | boolean | -         | -
      bit(8)                          | true  | BINARY      | string  | -         | -
      bit(64)                         | false | BINARY      | string  | -         | -
      smallint                        | true  | INTEGER     | number  | -         | integer
      smallint(6)                     | true  | INTEGER     | number  | -         | integer
      smallint(5) unsigned            | true  | INTEGER     | number  | -         | integer
      smallint(5) unsigned zerofill   | true  | INTEGER     | number  | -         | integer
      mediumint                       | true  | INTEGER     | number  | -         | integer
      mediumint(9)                    | true  | INTEGER     | number  | -         | integer
      mediumint(8) unsigned           | true  | INTEGER     | number  | -         | integer
      int                             | true  | INTEGER     | number  | -         | integer
      int(11)                         | true  | INTEGER     | number  | -         | integer
      int unsigned                    | true  | INTEGER     | number  | -         | integer
      int(10) unsigned                | true  | INTEGER     | number  | -         | integer
      int(10) unsigned zerofill       | true  | INTEGER     | number  | -         | integer
      INT(11) UNSIGNED                | true  | INTEGER     | number  | -         | integer
      integer                         | true  | INTEGER     | number  | -         | integer
      bigint                          | true  | INTEGER     | number  | -         | integer
      bigint(20)                      | true  | INTEGER     | number  | -         | integer
      bigint unsigned                 | true  | INTEGER     | number  | -         | integer
      bigint(20) unsigned             | true  | INTEGER     | number  | -         | integer
      bigint(20) unsigned zerofill    | true  | INTEGER     | number  | -         | integer
      year                            | true  | INTEGER     | number  | -         | integer
      year(4)                         | true  | INTEGER     | number  | -         | integer
      decimal(12,4)                   | true  | DECIMAL     | number  | -         | -
      decimal(10,0)                   | true  | DECIMAL     | number  | -         | -
      decimal(65,30) unsigned         | true  | DECIMAL     | number  | -         | -
      DECIMAL(5,2) UNSIGNED ZEROFILL  | true  | DECIMAL     | number  | -         | -
      numeric(8,3)                    | true  | DECIMAL     | number  | -         | -
      float                           | true  | FLOAT       | number  | -         | -
      float(7,3)                      | true  | FLOAT       | number  | -         | -
      float unsigned                  | true  | FLOAT       | number  | -         | -
      double                          | true  | FLOAT       | number  | -         | -
      double(10,2)                    | true  | FLOAT       | number  | -         | -
      double unsigned zerofill        | true  | FLOAT       | number  | -         | -
      real                            | true  | FLOAT       | number  | -         | -
      date                            | true  | DATE        | string  | date      | -
      DATE                            | true  | DATE        | string  | date      | -
      datetime                        | true  | DATETIME    | string  | date-time | timestamp_without_timezone
      datetime(6)                     | true  | DATETIME    | string  | date-time | timestamp_without_timezone
      timestamp                       | true  | TIMESTAMP   | string  | date-time | timestamp_with_timezone
      timestamp(3)                    | true  | TIMESTAMP   | string  | date-time | timestamp_with_timezone
      time                            | true  | TIME        | string  | time      | time_without_timezone
      time(3)                         | true  | TIME        | string  | time      | time_without_timezone
      char(1)                         | true  | TEXT        | string  | -         | -
      char(36)                        | true  | TEXT        | string  | -         | -
      varchar(255)                    | true  | TEXT        | string  | -         | -
      VARCHAR(16383)                  | true  | TEXT        | string  | -         | -
      tinytext                        | true  | TEXT        | string  | -         | -
      text                            | true  | TEXT        | string  | -         | -
      mediumtext                      | true  | TEXT        | string  | -         | -
      longtext                        | true  | TEXT        | string  | -         | -
      enum('a','b')                   | true  | ENUM        | string  | -         | -
      ENUM('A','B')                   | true  | ENUM        | string  | -         | -
      set('a','b')                    | true  | SET         | string  | -         | -
      json                            | true  | JSON        | string  | -         | -
      binary(16)                      | true  | BINARY      | string  | -         | -
      varbinary(255)                  | true  | BINARY      | string  | -         | -
      tinyblob                        | true  | BINARY      | string  | -         | -
      blob                            | true  | BINARY      | string  | -         | -
      mediumblob                      | true  | BINARY      | string  | -         | -
      longblob                        | true  | BINARY      | string  | -         | -
      geometry                        | true  | BINARY      | string  | -         | -
      point                           | true  | BINARY      | string  | -         | -
      linestring                      | true  | BINARY      | string  | -         | -
      polygon                         | true  | BINARY      | string  | -         | -
      multipoint                      | true  | BINARY      | string  | -         | -
      multilinestring                 | true  | BINARY      | string  | -         | -
      multipolygon                    | true  | BINARY      | string  | -         | -
      geometrycollection              | true  | BINARY      | string  | -         | -
      geomcollection                  | true  | BINARY      | string  | -         | -
      vector(3)                       | true  | BINARY      | string  | -         | -
      uuid                            | true  | TEXT        | string  | -         | -
      inet6                           | true  | TEXT        | string  | -         | -
      inet4                           | true  | TEXT        | string  | -         | -
      some_future_type(7)             | true  | TEXT        | string  | -         | -
      mystery with words              | true  | TEXT        | string  | -         | -
      """)
  void parsesEachSpelling(String columnType, boolean tinyIntAsBoolean, Kind kind, String type, String format,
      String airbyteType) {
    ColumnType parsed = ColumnType.parse(columnType, tinyIntAsBoolean);
    assertEquals(kind, parsed.kind());
    JsonType json = parsed.jsonType();
    assertEquals(type, json.type());
    assertEquals(format, json.format());
    assertEquals(airbyteType, json.airbyteType());
    assertEquals(columnType, parsed.mysqlType());
    assertFalse(parsed.membersByIndex(), "values arrive as strings unless told otherwise");
    if (kind != Kind.ENUM && kind != Kind.SET) {
      assertEquals(List.of(), parsed.members());
    }
  }

  @Test
  void surroundingWhiteSpaceIsIgnoredAndTheDeclaredTypeKept() {
    ColumnType t = ColumnType.parse("  datetime(6) \n", true);
    assertEquals(Kind.DATETIME, t.kind());
    assertEquals("datetime(6)", t.mysqlType());
    assertEquals("int(10) unsigned", ColumnType.parse("int(10) unsigned", true).mysqlType());
  }

  // ---------------------------------------------------------------------------------------------
  // ENUM and SET members

  static Stream<Arguments> members() {
    return Stream.of(
        Arguments.of("enum('a','b','c')", List.of("a", "b", "c")),
        Arguments.of("enum('a','it''s')", List.of("a", "it's")),
        Arguments.of("enum('''')", List.of("'")),
        Arguments.of("enum('''quoted''','x')", List.of("'quoted'", "x")),
        Arguments.of("enum('')", List.of("")),
        Arguments.of("enum('','x')", List.of("", "x")),
        Arguments.of("enum('a,b','c')", List.of("a,b", "c")),
        Arguments.of("enum('x)','(y','z()')", List.of("x)", "(y", "z()")),
        Arguments.of("enum('a b',' c ')", List.of("a b", " c ")),
        Arguments.of("ENUM('Small','MEDIUM','large')", List.of("Small", "MEDIUM", "large")),
        Arguments.of("enum('é','日本','😀')", List.of("é", "日本", "😀")),
        Arguments.of("enum('back\\\\slash')", List.of("back\\slash")),
        Arguments.of("set('read','write','exec')", List.of("read", "write", "exec")),
        Arguments.of("set('a','it''s','c,d')", List.of("a", "it's", "c,d")),
        Arguments.of("SET('X')", List.of("X")));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("members")
  void membersInDeclarationOrderWithQuotesUndone(String columnType, List<String> expected) {
    ColumnType t = ColumnType.parse(columnType, true);
    assertEquals(expected, t.members());
    assertTrue(t.kind() == Kind.ENUM || t.kind() == Kind.SET);
    assertEquals(columnType, t.mysqlType());
  }

  @Test
  void membersAreImmutable() {
    ColumnType t = ColumnType.parse("enum('a','b')", true);
    assertThrows(UnsupportedOperationException.class, () -> t.members().add("c"));

    List<String> source = new ArrayList<>(List.of("x", "y"));
    ColumnType built = new ColumnType(Kind.SET, "set('x','y')", source, false);
    source.set(0, "changed");
    assertEquals(List.of("x", "y"), built.members());
  }

  @Test
  void membersByIndexIsAFlagOnTheSameType() {
    ColumnType strings = ColumnType.parse("set('a','b','c')", true);
    ColumnType numbers = strings.withMembersByIndex(true);
    assertTrue(numbers.membersByIndex());
    assertFalse(strings.membersByIndex(), "the original is unchanged");
    assertEquals(strings.kind(), numbers.kind());
    assertEquals(strings.mysqlType(), numbers.mysqlType());
    assertEquals(strings.members(), numbers.members());
    assertEquals(strings, numbers.withMembersByIndex(false));
  }

  @Test
  void aTypeNeedsAKindAndADeclaredType() {
    assertThrows(NullPointerException.class, () -> new ColumnType(null, "int", List.of(), false));
    assertThrows(NullPointerException.class, () -> new ColumnType(Kind.INTEGER, null, List.of(), false));
  }

  @Test
  void theJsonConstantsAreTheTable() {
    assertSame(JsonType.BOOLEAN, Kind.BOOLEAN.jsonType());
    assertEquals(new JsonType("number", null, "integer"), JsonType.INTEGER);
    assertEquals(new JsonType("string", "date-time", "timestamp_with_timezone"), JsonType.TIMESTAMP_WITH_TIMEZONE);
    assertThrows(NullPointerException.class, () -> new JsonType(null, null, null));
  }
}
