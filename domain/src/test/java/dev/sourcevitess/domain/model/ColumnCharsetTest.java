package dev.sourcevitess.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text in a column's own character set. */
class ColumnCharsetTest {
  private static RawRow row(byte[] value) {
    return new RawRow() {
      @Override public int columnCount() { return 1; }
      @Override public boolean isNull(int column) { return false; }
      @Override public byte[] buffer(int column) { return value; }
      @Override public int offset(int column) { return 0; }
      @Override public int length(int column) { return value.length; }
    };
  }

  private static String written(ColumnType type, byte[] value) {
    List<String> out = new ArrayList<>();
    new Column("c", type, true).write(row(value), 0, new ValueWriter() {
      @Override public void writeNull() { out.add(null); }
      @Override public void writeBoolean(boolean v) { out.add("bool"); }
      @Override public void writeNumber(long v) { out.add("number"); }
      @Override public void writeNumber(byte[] a, int o, int l) { out.add("number"); }
      @Override public void writeString(String v) { out.add("string:" + v); }
      @Override public void writeUtf8String(byte[] b, int o, int l) {
        out.add("utf8:" + new String(b, o, l, StandardCharsets.UTF_8));
      }
      @Override public void writeBase64(byte[] b, int o, int l) { out.add("base64"); }
    });
    return out.get(0);
  }

  @Test
  void textIsDecodedByItsCharsetAndUtf8StaysTheFastPath() {
    ColumnType varchar = ColumnType.parse("varchar(10)", true);
    assertEquals("string:é", written(varchar.withCharset(StandardCharsets.ISO_8859_1), new byte[] {(byte) 0xE9}));
    assertEquals("utf8:é", written(varchar, "é".getBytes(StandardCharsets.UTF_8)));
    assertNull(varchar.withCharset(StandardCharsets.UTF_8).charset(), "UTF-8 is the fast path's null");
    ColumnType members = ColumnType.parse("enum('é','b')", true).withCharset(Charset.forName("windows-1250"));
    assertEquals("string:é", written(members, new byte[] {(byte) 0xE9}));
    assertEquals("base64", written(ColumnType.parse("varbinary(4)", true), new byte[] {1}));
  }
}
