package dev.sourcevitess.vstream;

import binlogdata.Binlogdata;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.sourcevitess.domain.port.ChangeStreams;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * VStream responses read from their protobuf wire form. ROW events, nearly all of a copy or a busy
 * binlog, are read here field by field: each row's values stay where they are in the response's
 * bytes and a {@link ProtoRow} points into them, so no VEvent, RowEvent, RowChange, Row or
 * ByteString objects are built and no value is copied. Every other event, and any ROW event
 * shaped otherwise than VTGate sends them, is parsed by the generated protobuf code as before.
 *
 * <p>A response's bytes are a fresh array of their own, never reused, so rows may outlive the
 * response that carried them.
 */
final class VStreamWire {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private VStreamWire() {}

  /**
   * Hands every event of a {@code VStreamResponse} to {@code decoder} and {@code handler}.
   *
   * @return false as soon as the handler returns false
   * @throws VEventDecoder.UnreadableEventException when an event cannot be read
   */
  /**
   * One call's reading state, reused from event to event: the readers of each nesting level, the
   * row lengths, and the last table and shard names, so a repeated name costs no new String.
   */
  static final class Call {
    final LastString tables = new LastString();
    final LastString shards = new LastString();
    final Reader response = new Reader();
    final Reader event = new Reader();
    final Reader rowEvent = new Reader();
    final Reader change = new Reader();
    final Reader row = new Reader();
    final RowEvent rows = new RowEvent();
    long[] lengths = new long[16];

    boolean decode(byte[] response, VEventDecoder decoder, ChangeStreams.Handler handler) {
      return VStreamWire.decode(response, decoder, handler, this);
    }
  }

  /** A String read from bytes, made again only when the bytes differ from the last ones read. */
  static final class LastString {
    private byte[] bytes;
    private String text;

    String of(byte[] from, int start, int length) {
      if (bytes == null || !Arrays.equals(bytes, 0, bytes.length, from, start, start + length)) {
        bytes = Arrays.copyOfRange(from, start, start + length);
        text = new String(bytes, StandardCharsets.UTF_8);
      }
      return text;
    }
  }

  private static boolean decode(byte[] response, VEventDecoder decoder, ChangeStreams.Handler handler, Call call) {
    Reader in = call.response.reset(response, 0, response.length);
    while (in.more()) {
      int start = -1;
      int length = 0;
      try {
        int tag = in.varint32();
        if (tag >>> 3 == 1 && (tag & 7) == LENGTH_DELIMITED) {
          length = in.length();
          start = in.at;
          in.at += length;
        } else {
          in.skip(tag);
        }
      } catch (IllegalArgumentException malformed) {
        throw new VEventDecoder.UnreadableEventException(Binlogdata.VEventType.UNKNOWN,
            new IllegalArgumentException("malformed response: " + malformed.getMessage(), malformed));
      }
      // what the handler throws passes through untouched
      if (start >= 0 && !event(response, start, length, decoder, handler, call, in)) {
        return false;
      }
    }
    return true;
  }

  private static boolean event(byte[] bytes, int start, int length, VEventDecoder decoder,
      ChangeStreams.Handler handler, Call call, Reader in) {
    RowEvent rows = RowEvent.read(bytes, start, length, call);
    if (rows != null && rows.type == Binlogdata.VEventType.ROW_VALUE) {
      return decoder.decodeRows(rows.table, rows.shard, rows.timestamp, rows.before, rows.after, rows.changes,
          handler);
    }
    if (rows != null) {
      return decoder.decodeTransactionEdge(rows.type == Binlogdata.VEventType.BEGIN_VALUE, rows.timestamp, handler);
    }
    List<VgtidWire.ShardGtid> vgtid = VgtidWire.read(bytes, start, length);
    if (vgtid != null) {
      Binlogdata.VEvent ddl = ddlNext(bytes, in);
      if (ddl != null && !decoder.decode(ddl, handler)) {
        return false;
      }
      return decoder.decodeVgtid(vgtid, handler);
    }
    long type = typeOf(bytes, start, length);
    if (type == Binlogdata.VEventType.HEARTBEAT_VALUE || type == Binlogdata.VEventType.OTHER_VALUE) {
      return decoder.decodeSignal(type == Binlogdata.VEventType.HEARTBEAT_VALUE, handler);
    }
    Binlogdata.VEvent event = parse(bytes, start, length);
    if (event.getType() == Binlogdata.VEventType.VGTID) {
      Binlogdata.VEvent ddl = ddlNext(bytes, in);
      if (ddl != null && !decoder.decode(ddl, handler)) {
        return false;
      }
    }
    return decoder.decode(event, handler);
  }

  private static Binlogdata.VEvent parse(byte[] bytes, int start, int length) {
    try {
      return Binlogdata.VEvent.parseFrom(UnsafeByteOperations.unsafeWrap(bytes, start, length));
    } catch (InvalidProtocolBufferException e) {
      throw new VEventDecoder.UnreadableEventException(Binlogdata.VEventType.UNKNOWN,
          new IllegalArgumentException("malformed event: " + e.getMessage(), e));
    }
  }

  /**
   * The DDL event right after a VGTID in the same response, taken out of {@code in}; null when the
   * next event is something else. VTGate sends a DDL's VGTID before it (vstream_manager.go turns
   * the GTID event ahead of the DDL into the VGTID); handed over first, the DDL reaches a reader
   * that stops at the position covering it, as a transaction's rows come before its VGTID.
   */
  private static Binlogdata.VEvent ddlNext(byte[] bytes, Reader in) {
    int at = in.at;
    try {
      if (in.more() && in.varint32() == (1 << 3 | LENGTH_DELIMITED)) {
        int length = in.length();
        if (typeOf(bytes, in.at, length) == Binlogdata.VEventType.DDL_VALUE) {
          Binlogdata.VEvent next = parse(bytes, in.at, length);
          in.at += length;
          return next;
        }
      }
    } catch (IllegalArgumentException | VEventDecoder.UnreadableEventException unreadable) {
      // the main loop reads it again and says what is wrong
    }
    in.at = at;
    return null;
  }

  /** The type of the VEvent in those bytes (its field 1), without parsing the rest. */
  private static long typeOf(byte[] bytes, int start, int length) {
    Reader event = new Reader().reset(bytes, start, start + length);
    while (event.more()) {
      int tag = event.varint32();
      if (tag == (1 << 3 | VARINT)) {
        return event.varint64();
      }
      event.skip(tag);
    }
    return 0;
  }

  /**
   * A ROW event as VTGate sends it: VEvent {type = ROW, timestamp, row_event {table_name,
   * row_changes {before, after}}} with each of those at most once; or a BEGIN or COMMIT, which
   * are a type and a timestamp. Null for anything else (other types, repeated singular fields,
   * groups, malformed bytes), which the generated parser then reads.
   */
  private static final class RowEvent {
    long type;
    String table;
    String shard;
    long timestamp;
    ProtoRow[] before = new ProtoRow[4];
    ProtoRow[] after = new ProtoRow[4];
    int changes;

    static RowEvent read(byte[] bytes, int start, int length, Call call) {
      try {
        Reader event = call.event.reset(bytes, start, start + length);
        long type = -1;
        int rowStart = -1;
        int rowLength = 0;
        long timestamp = 0;
        int eventShardStart = -1;
        int eventShardLength = 0;
        while (event.more()) {
          int tag = event.varint32();
          switch (tag) {
            case 1 << 3 | VARINT -> type = event.varint64();
            case 2 << 3 | VARINT -> timestamp = event.varint64();
            case 23 << 3 | LENGTH_DELIMITED -> {
              // the event's shard: what a row event that names none belongs to
              eventShardLength = event.length();
              eventShardStart = event.at;
              event.at += eventShardLength;
            }
            case 5 << 3 | LENGTH_DELIMITED -> {
              if (rowStart >= 0) {
                return null;
              }
              rowLength = event.length();
              rowStart = event.at;
              event.at += rowLength;
            }
            default -> {
              if (tag >>> 3 == 1 || tag >>> 3 == 2 || tag >>> 3 == 5) {
                return null;
              }
              event.skip(tag);
            }
          }
        }
        RowEvent rows = call.rows;
        rows.type = type;
        rows.timestamp = timestamp;
        if (type == Binlogdata.VEventType.BEGIN_VALUE || type == Binlogdata.VEventType.COMMIT_VALUE) {
          return rows;
        }
        if (type != Binlogdata.VEventType.ROW_VALUE || rowStart < 0) {
          return null;
        }
        rows.changes = 0;
        Reader row = call.rowEvent.reset(bytes, rowStart, rowStart + rowLength);
        int tableStart = -1;
        int tableLength = 0;
        int shardStart = eventShardStart;
        int shardLength = eventShardLength;
        while (row.more()) {
          int tag = row.varint32();
          if (tag == (1 << 3 | LENGTH_DELIMITED)) {
            if (tableStart >= 0) {
              return null;
            }
            tableLength = row.length();
            tableStart = row.at;
            row.at += tableLength;
          } else if (tag == (4 << 3 | LENGTH_DELIMITED)) {
            shardLength = row.length();
            shardStart = row.at;
            row.at += shardLength;
          } else if (tag == (2 << 3 | LENGTH_DELIMITED)) {
            int changeLength = row.length();
            int changeStart = row.at;
            row.at += changeLength;
            if (!rows.change(bytes, changeStart, changeLength, call)) {
              return null;
            }
          } else if (tag >>> 3 == 1 || tag >>> 3 == 2) {
            return null;
          } else {
            row.skip(tag);
          }
        }
        rows.table = tableStart < 0 ? "" : call.tables.of(bytes, tableStart, tableLength);
        rows.shard = shardStart < 0 ? "" : call.shards.of(bytes, shardStart, shardLength);
        return rows;
      } catch (IndexOutOfBoundsException | IllegalArgumentException malformed) {
        // the generated parser says what is wrong
        return null;
      }
    }

    /** One RowChange {before, after}: its rows, pointing into the bytes. */
    private boolean change(byte[] bytes, int start, int length, Call call) {
      Reader change = call.change.reset(bytes, start, start + length);
      ProtoRow beforeRow = null;
      ProtoRow afterRow = null;
      while (change.more()) {
        int tag = change.varint32();
        if (tag == (1 << 3 | LENGTH_DELIMITED) || tag == (2 << 3 | LENGTH_DELIMITED)) {
          int rowLength = change.length();
          ProtoRow read = row(bytes, change.at, rowLength, call);
          change.at += rowLength;
          if (read == null || (tag >>> 3 == 1 ? beforeRow : afterRow) != null) {
            return false;
          }
          if (tag >>> 3 == 1) {
            beforeRow = read;
          } else {
            afterRow = read;
          }
        } else if (tag >>> 3 <= 4) {
          // a repeated image, or the bitmaps of a partial one (data_columns, json_partial_values),
          // which the generated parser's path checks
          return false;
        } else {
          change.skip(tag);
        }
      }
      if (changes == before.length) {
        before = Arrays.copyOf(before, changes * 2);
        after = Arrays.copyOf(after, changes * 2);
      }
      before[changes] = beforeRow;
      after[changes] = afterRow;
      changes++;
      return true;
    }

    /** query.Row {repeated sint64 lengths (packed or not); bytes values}. */
    private static ProtoRow row(byte[] bytes, int start, int length, Call call) {
      Reader row = call.row.reset(bytes, start, start + length);
      long[] lengths = call.lengths;
      int count = 0;
      int valuesStart = -1;
      int valuesLength = 0;
      while (row.more()) {
        int tag = row.varint32();
        if (tag == (1 << 3 | LENGTH_DELIMITED)) {
          int packed = row.length();
          int end = row.at + packed;
          while (row.at < end) {
            if (count == lengths.length) {
              lengths = Arrays.copyOf(lengths, count * 2);
            }
            lengths[count++] = zigzag(row.varint64());
          }
          if (row.at != end) {
            return null;
          }
        } else if (tag == (1 << 3 | VARINT)) {
          if (count == lengths.length) {
            lengths = Arrays.copyOf(lengths, count * 2);
          }
          lengths[count++] = zigzag(row.varint64());
        } else if (tag == (2 << 3 | LENGTH_DELIMITED)) {
          if (valuesStart >= 0) {
            return null;
          }
          valuesLength = row.length();
          valuesStart = row.at;
          row.at += valuesLength;
        } else if (tag >>> 3 == 1 || tag >>> 3 == 2) {
          return null;
        } else {
          row.skip(tag);
        }
      }
      call.lengths = lengths;
      return ProtoRow.of(bytes, valuesStart < 0 ? 0 : valuesStart, valuesLength, lengths, count);
    }

    private static long zigzag(long n) {
      return (n >>> 1) ^ -(n & 1);
    }
  }

  /** Protobuf's wire primitives over a slice of an array; reset for each slice. */
  static final class Reader {
    private byte[] bytes;
    private int end;
    int at;

    Reader reset(byte[] bytes, int start, int end) {
      if (start < 0 || end > bytes.length || start > end) {
        throw new IllegalArgumentException("a field runs past its message");
      }
      this.bytes = bytes;
      this.at = start;
      this.end = end;
      return this;
    }

    boolean more() {
      return at < end;
    }

    /** Tags and lengths nearly always fit one byte: read those without a loop. */
    int varint32() {
      if (at < end) {
        byte b = bytes[at];
        if (b >= 0) {
          at++;
          return b;
        }
      }
      return (int) longVarint();
    }

    long varint64() {
      if (at < end) {
        byte b = bytes[at];
        if (b >= 0) {
          at++;
          return b;
        }
      }
      return longVarint();
    }

    private long longVarint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (at >= end) {
          throw new IllegalArgumentException("a varint runs past its message");
        }
        byte b = bytes[at++];
        result |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return result;
        }
      }
      throw new IllegalArgumentException("a varint is too long");
    }

    /** A length prefix, checked against what is left. */
    int length() {
      long length = varint64();
      if (length < 0 || length > end - at) {
        throw new IllegalArgumentException("a field runs past its message");
      }
      return (int) length;
    }

    void skip(int tag) {
      switch (tag & 7) {
        case VARINT -> varint64();
        case FIXED64 -> advance(8);
        case LENGTH_DELIMITED -> advance(length());
        case FIXED32 -> advance(4);
        default -> throw new IllegalArgumentException("wire type " + (tag & 7) + " is not read here");
      }
    }

    private void advance(int n) {
      if (n > end - at) {
        throw new IllegalArgumentException("a field runs past its message");
      }
      at += n;
    }
  }
}
