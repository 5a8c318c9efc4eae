package dev.sourcevitess.domain.model;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A MySQL column type, reduced to what decides its JSON form.
 *
 * @param kind how values are written
 * @param mysqlType the declared type as {@code information_schema.columns.column_type} gives it
 * @param members the members of an ENUM or SET, in declaration order; empty otherwise
 * @param membersByIndex true when values arrive as ENUM indexes or SET bitmasks (binlog rows)
 * @param charset the character set text values arrive in, when it is not UTF-8 (or ASCII); null
 *     for UTF-8, the fast path, and for types that are not text
 */
public record ColumnType(Kind kind, String mysqlType, List<String> members, boolean membersByIndex,
    Charset charset) {

  /** The families of MySQL types, each with one JSON form. */
  public enum Kind {
    /** tinyint(1): 0 is false, anything else true. */
    BOOLEAN(JsonType.BOOLEAN),
    /** bit(1): one byte, 0 or 1. */
    BIT_BOOLEAN(JsonType.BOOLEAN),
    INTEGER(JsonType.INTEGER),
    DECIMAL(JsonType.NUMBER),
    FLOAT(JsonType.NUMBER),
    DATE(JsonType.DATE),
    DATETIME(JsonType.TIMESTAMP_WITHOUT_TIMEZONE),
    /** Values are read in UTC. */
    TIMESTAMP(JsonType.TIMESTAMP_WITH_TIMEZONE),
    TIME(JsonType.TIME_WITHOUT_TIMEZONE),
    TEXT(JsonType.STRING),
    ENUM(JsonType.STRING),
    SET(JsonType.STRING),
    JSON(JsonType.STRING),
    /** binary, varbinary, blobs, bit(n>1), geometry: base64 of the bytes. */
    BINARY(JsonType.STRING);

    private final JsonType jsonType;

    Kind(JsonType jsonType) {
      this.jsonType = jsonType;
    }

    public JsonType jsonType() {
      return jsonType;
    }
  }

  public ColumnType {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(mysqlType, "mysqlType");
    members = List.copyOf(members);
    if (charset != null && charset.equals(StandardCharsets.UTF_8)) {
      charset = null;
    }
  }

  public ColumnType(Kind kind, String mysqlType, List<String> members, boolean membersByIndex) {
    this(kind, mysqlType, members, membersByIndex, null);
  }

  /** Whether values are text in a character set (as opposed to numbers, dates, bytes or JSON). */
  public boolean isText() {
    return kind == Kind.TEXT || kind == Kind.ENUM || kind == Kind.SET;
  }

  /** The same type with text values arriving in {@code charset} (null: UTF-8). */
  public ColumnType withCharset(Charset charset) {
    return new ColumnType(kind, mysqlType, members, membersByIndex, charset);
  }

  public JsonType jsonType() {
    return kind.jsonType();
  }

  /**
   * Whether MySQL's text of a value (binary types: its bytes) compares equal to the stored value.
   * Approximate numbers print with fewer digits than they hold.
   */
  public boolean printsExactly() {
    return kind != Kind.FLOAT;
  }

  /** The same type with ENUM and SET values arriving as index and bitmask numbers. */
  public ColumnType withMembersByIndex(boolean byIndex) {
    return new ColumnType(kind, mysqlType, members, byIndex, charset);
  }

  /**
   * Reads a {@code column_type} such as {@code int(10) unsigned}, {@code decimal(12,4)} or
   * {@code enum('a','b')}. Unknown types are text, so a new server type never fails a sync.
   *
   * @param tinyIntAsBoolean whether {@code tinyint(1)} is a boolean (the default)
   */
  public static ColumnType parse(String columnType, boolean tinyIntAsBoolean) {
    String full = columnType.trim();
    String lower = full.toLowerCase(Locale.ROOT);
    int paren = lower.indexOf('(');
    int space = lower.indexOf(' ');
    int end = paren >= 0 ? paren : space >= 0 ? space : lower.length();
    String base = lower.substring(0, end);
    String args = paren >= 0 ? full.substring(paren + 1, full.lastIndexOf(')')) : "";
    Kind kind = switch (base) {
      case "tinyint" -> tinyIntAsBoolean && args.equals("1") ? Kind.BOOLEAN : Kind.INTEGER;
      case "bit" -> args.isEmpty() || args.equals("1") ? Kind.BIT_BOOLEAN : Kind.BINARY;
      case "bool", "boolean" -> tinyIntAsBoolean ? Kind.BOOLEAN : Kind.INTEGER;
      case "smallint", "mediumint", "int", "integer", "bigint", "year" -> Kind.INTEGER;
      case "decimal", "numeric", "dec", "fixed" -> Kind.DECIMAL;
      case "float", "double", "real" -> Kind.FLOAT;
      case "date" -> Kind.DATE;
      case "datetime" -> Kind.DATETIME;
      case "timestamp" -> Kind.TIMESTAMP;
      case "time" -> Kind.TIME;
      case "enum" -> Kind.ENUM;
      case "set" -> Kind.SET;
      case "json" -> Kind.JSON;
      case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry", "point",
          "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
          "geometrycollection", "geomcollection", "vector" -> Kind.BINARY;
      default -> Kind.TEXT;
    };
    List<String> members = kind == Kind.ENUM || kind == Kind.SET ? quotedList(args) : List.of();
    return new ColumnType(kind, full, members, false);
  }

  /** Splits {@code 'a','b''c'} into its members, undoing SQL quote doubling. */
  private static List<String> quotedList(String args) {
    List<String> out = new ArrayList<>();
    StringBuilder current = null;
    for (int i = 0; i < args.length(); i++) {
      char c = args.charAt(i);
      if (current == null) {
        if (c == '\'') {
          current = new StringBuilder();
        }
      } else if (c == '\'') {
        if (i + 1 < args.length() && args.charAt(i + 1) == '\'') {
          current.append('\'');
          i++;
        } else {
          out.add(current.toString());
          current = null;
        }
      } else if (c == '\\' && i + 1 < args.length()) {
        // MySQL prints NUL, newline and carriage return as \0, \n and \r
        char escaped = args.charAt(++i);
        current.append(switch (escaped) {
          case '0' -> '\0';
          case 'n' -> '\n';
          case 'r' -> '\r';
          default -> escaped;
        });
      } else {
        current.append(c);
      }
    }
    return out;
  }
}
