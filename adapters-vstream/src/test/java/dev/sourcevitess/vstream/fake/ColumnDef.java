package dev.sourcevitess.vstream.fake;

import io.vitess.proto.Query;
import java.util.Locale;
import java.util.Objects;

/**
 * A column of a fake table.
 *
 * @param columnType the MySQL column type as information_schema spells it: {@code bigint},
 *     {@code varchar(64)}, {@code enum('a','b')}...
 */
public record ColumnDef(String name, String columnType, boolean nullable) {
  public ColumnDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(columnType, "columnType");
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
