package dev.sourcevitess.vstream;

import binlogdata.Binlogdata;
import com.google.protobuf.ByteString;
import dev.sourcevitess.domain.port.ChangeStreamException;

/**
 * Row images that leave out values. With {@code binlog_row_image=NOBLOB} an update's after-image
 * lacks the unchanged BLOB and TEXT columns ({@code RowChange.data_columns} has their bits clear,
 * their values arrive as NULL); with {@code binlog_row_value_options=PARTIAL_JSON} a JSON value is
 * an expression on the old one ({@code RowChange.json_partial_values}). Neither is a row: written
 * as one, it would put NULL over a text or an expression over a document. The old values are not
 * in the binlog, so there is nothing correct to write.
 */
final class PartialImages {
  /** What the user must change. */
  static final String FIX = "The tablets' MySQL writes partial row images; set binlog_row_image=FULL and"
      + " binlog_row_value_options='' (no PARTIAL_JSON) on every MySQL server of the keyspace, then reset the"
      + " affected streams so they are copied again: the binlog events already written stay partial";

  private PartialImages() {}

  /**
   * @throws ChangeStreamException (UNREADABLE_ROWS) when {@code change}'s after-image is partial
   */
  static void refuse(Binlogdata.RowChange change, String table) {
    if (change.hasDataColumns() && anyClear(change.getDataColumns())) {
      throw new ChangeStreamException(ChangeStreamException.Reason.UNREADABLE_ROWS, FIX + ". A change of table "
          + table + " lacks the values of its columns number " + clearColumns(change.getDataColumns())
          + " (binlog_row_image NOBLOB or MINIMAL).");
    }
    if (change.hasJsonPartialValues() && anySet(change.getJsonPartialValues())) {
      throw new ChangeStreamException(ChangeStreamException.Reason.UNREADABLE_ROWS, FIX + ". A change of table "
          + table + " carries a JSON value as a partial update (binlog_row_value_options=PARTIAL_JSON).");
    }
  }

  /** Whether any of the bitmap's {@code count} bits is clear. */
  private static boolean anyClear(Binlogdata.RowChange.Bitmap bitmap) {
    for (int i = 0; i < bitmap.getCount(); i++) {
      if (!bit(bitmap.getCols(), i)) {
        return true;
      }
    }
    return false;
  }

  private static boolean anySet(Binlogdata.RowChange.Bitmap bitmap) {
    for (int i = 0; i < bitmap.getCount(); i++) {
      if (bit(bitmap.getCols(), i)) {
        return true;
      }
    }
    return false;
  }

  /** The 1-based numbers of the columns whose bits are clear. */
  private static String clearColumns(Binlogdata.RowChange.Bitmap bitmap) {
    StringBuilder numbers = new StringBuilder();
    for (int i = 0; i < bitmap.getCount(); i++) {
      if (!bit(bitmap.getCols(), i)) {
        numbers.append(numbers.length() == 0 ? "" : ", ").append(i + 1);
      }
    }
    return numbers.toString();
  }

  /** MySQL's bitmaps: bit i is bit i % 8 of byte i / 8; bytes the server left out are zero. */
  private static boolean bit(ByteString cols, int i) {
    int at = i / 8;
    return at < cols.size() && (cols.byteAt(at) & (1 << (i % 8))) != 0;
  }
}
