package dev.sourcevitess.vstream.fake;

import io.vitess.proto.Query;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A column of a fake table.
 *
 * @param columnType the MySQL column type as information_schema spells it: {@code bigint},
 *     {@code varchar(64)}, {@code enum('a','b')}...
 * @param collation the collation id of a text column, 0 for the default (utf8mb4_0900_ai_ci);
 *     its values travel in its character set, as vstreamer sends them
 */
public record ColumnDef(String name, String columnType, boolean nullable, int collation) {
  /** The collations the fake can encode, by id, with their character sets. */
  private static final Map<Integer, Charset> ENCODINGS = Map.of(
      255, StandardCharsets.UTF_8,
      45, StandardCharsets.UTF_8,
      // MySQL's latin1 is windows-1252
      8, Charset.forName("windows-1252"),
      26, Charset.forName("windows-1250"),
      35, StandardCharsets.UTF_16BE,
      60, Charset.forName("UTF-32"));

  public ColumnDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(columnType, "columnType");
  }

  public ColumnDef(String name, String columnType, boolean nullable) {
    this(name, columnType, nullable, 0);
  }

  /** The same column in collation {@code id}: latin1_swedish_ci 8, cp1250 26, ucs2 35, utf32 60... */
  public ColumnDef collate(int id) {
    return new ColumnDef(name, columnType, nullable, id);
  }

  /** The id FIELD events carry in {@code charset}: the collation, or binary (63) for non-text. */
  int charsetId() {
    Query.Type type = vitessType();
    boolean text = (type.getNumber() & Query.Flag.ISTEXT_VALUE) != 0 || type == Query.Type.ENUM
        || type == Query.Type.SET;
    return !text ? 63 : collation == 0 ? 255 : collation;
  }

  /** A value's bytes as the tablet sends them: text in the column's character set. */
  byte[] encode(String value) {
    Charset charset = ENCODINGS.get(charsetId());
    return value.getBytes(charset == null ? StandardCharsets.UTF_8 : charset);
  }

  public static ColumnDef notNull(String name, String columnType) {
    return new ColumnDef(name, columnType, false);
  }

  public static ColumnDef nullable(String name, String columnType) {
    return new ColumnDef(name, columnType, true);
  }

  /** The Vitess type VTGate reports for the column. */
  public Query.Type vitessType() {
    String lower = columnType.trim().toLowerCase(Locale.ROOT);
    boolean unsigned = lower.contains("unsigned");
    int cut = lower.length();
    for (char c : new char[] {'(', ' '}) {
      int i = lower.indexOf(c);
      if (i >= 0 && i < cut) {
        cut = i;
      }
    }
    return switch (lower.substring(0, cut)) {
      case "tinyint", "bool", "boolean" -> unsigned ? Query.Type.UINT8 : Query.Type.INT8;
      case "smallint" -> unsigned ? Query.Type.UINT16 : Query.Type.INT16;
      case "mediumint" -> unsigned ? Query.Type.UINT24 : Query.Type.INT24;
      case "int", "integer" -> unsigned ? Query.Type.UINT32 : Query.Type.INT32;
      case "bigint" -> unsigned ? Query.Type.UINT64 : Query.Type.INT64;
      case "float" -> Query.Type.FLOAT32;
      case "double", "real" -> Query.Type.FLOAT64;
      case "decimal", "numeric" -> Query.Type.DECIMAL;
      case "date" -> Query.Type.DATE;
      case "datetime" -> Query.Type.DATETIME;
      case "timestamp" -> Query.Type.TIMESTAMP;
      case "time" -> Query.Type.TIME;
      case "year" -> Query.Type.YEAR;
      case "char" -> Query.Type.CHAR;
      case "varchar" -> Query.Type.VARCHAR;
      case "tinytext", "text", "mediumtext", "longtext" -> Query.Type.TEXT;
      case "binary" -> Query.Type.BINARY;
      case "varbinary" -> Query.Type.VARBINARY;
      case "tinyblob", "blob", "mediumblob", "longblob" -> Query.Type.BLOB;
      case "bit" -> Query.Type.BIT;
      case "enum" -> Query.Type.ENUM;
      case "set" -> Query.Type.SET;
      case "json" -> Query.Type.JSON;
      case "geometry", "point", "linestring", "polygon" -> Query.Type.GEOMETRY;
      default -> Query.Type.VARCHAR;
    };
  }

  boolean numeric() {
    return (vitessType().getNumber() & (Query.Flag.ISINTEGRAL_VALUE | Query.Flag.ISFLOAT_VALUE)) != 0
        || vitessType() == Query.Type.DECIMAL;
  }
}
