package dev.sourcevitess.mysql;

import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * How a key value (MySQL's text of it, or the bytes of a binary column) goes back into a
 * {@code key > ?} comparison so that the comparison agrees exactly with {@code ORDER BY key}.
 */
enum KeyBinding {
  /** Integers, decimals, floats: an exact decimal literal, never a double. */
  NUMBER {
    @Override
    void bind(PreparedStatement ps, int index, Column column, byte[] value) throws SQLException {
      ps.setBigDecimal(index, new BigDecimal(new String(value, StandardCharsets.US_ASCII).trim()));
    }
  },
  /** BIT(n) compares as an unsigned number; a binary string would be read as a number's text. */
  BIT_NUMBER {
    @Override
    void bind(PreparedStatement ps, int index, Column column, byte[] value) throws SQLException {
      ps.setBigDecimal(index, new BigDecimal(new BigInteger(1, value)));
    }
  },
  /** Binary strings compare byte by byte; they may not be valid UTF-8. */
  BYTES {
    @Override
    void bind(PreparedStatement ps, int index, Column column, byte[] value) throws SQLException {
      ps.setBytes(index, value);
    }
  },
  /** Text, dates and times: a string literal, compared in the column's collation or as a temporal. */
  TEXT {
    @Override
    void bind(PreparedStatement ps, int index, Column column, byte[] value) throws SQLException {
      ps.setString(index, new String(value, StandardCharsets.UTF_8));
    }
  },
  /** ENUM sorts by member index, while comparing it to a string compares text: bind the index. */
  ENUM_INDEX {
    @Override
    void bind(PreparedStatement ps, int index, Column column, byte[] value) throws SQLException {
      ps.setInt(index, memberIndex(column.type().members(), new String(value, StandardCharsets.UTF_8)) + 1);
    }
  },
  /** SET sorts by its bitmask: bind the bitmask of the members. */
  SET_BITS {
    @Override
    void bind(PreparedStatement ps, int index, Column column, byte[] value) throws SQLException {
      BigInteger bits = BigInteger.ZERO;
      String text = new String(value, StandardCharsets.UTF_8);
      if (!text.isEmpty()) {
        for (String member : text.split(",", -1)) {
          int i = memberIndex(column.type().members(), member);
          if (i >= 0) {
            bits = bits.setBit(i);
          }
        }
      }
      ps.setBigDecimal(index, new BigDecimal(bits));
    }
  };

  abstract void bind(PreparedStatement ps, int index, Column column, byte[] value) throws SQLException;

  static KeyBinding of(ColumnType type) {
    return switch (type.kind()) {
      case BOOLEAN, INTEGER, DECIMAL, FLOAT -> NUMBER;
      case BIT_BOOLEAN -> BIT_NUMBER;
      case BINARY -> type.mysqlType().toLowerCase(Locale.ROOT).startsWith("bit") ? BIT_NUMBER : BYTES;
      case ENUM -> ENUM_INDEX;
      case SET -> SET_BITS;
      case DATE, DATETIME, TIMESTAMP, TIME, TEXT, JSON -> TEXT;
    };
  }

  /** Zero-based; -1 (so index 0, MySQL's "" error member) when the value is no member. */
  private static int memberIndex(List<String> members, String value) {
    int i = members.indexOf(value);
    if (i >= 0) {
      return i;
    }
    // members compare case-insensitively in the usual collations
    for (int j = 0; j < members.size(); j++) {
      if (members.get(j).equalsIgnoreCase(value)) {
        return j;
      }
    }
    return -1;
  }
}
