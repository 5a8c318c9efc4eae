package dev.sourcevitess.vstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import binlogdata.Binlogdata;
import binlogdata.Binlogdata.VEvent;
import binlogdata.Binlogdata.VEventType;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.RawRow;
import io.vitess.proto.Query;
import io.vitess.proto.Vtgate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ROW events read from the wire decode exactly as the generated protobuf code reads them. */
class VStreamWireTest {
  private static Query.Row row(String... values) {
    Query.Row.Builder row = Query.Row.newBuilder();
    StringBuilder all = new StringBuilder();
    for (String value : values) {
      if (value == null) {
        row.addLengths(-1);
      } else {
        row.addLengths(value.getBytes(StandardCharsets.UTF_8).length);
        all.append(value);
      }
    }
    return row.setValues(ByteString.copyFromUtf8(all.toString())).build();
  }

  private static VEvent rows(long timestamp, String table, Binlogdata.RowChange... changes) {
    return VEvent.newBuilder().setType(VEventType.ROW).setTimestamp(timestamp).setCurrentTime(timestamp * 1_000_000_000L)
        .setKeyspace("ks").setShard("-80")
        .setRowEvent(Binlogdata.RowEvent.newBuilder().setTableName(table).setKeyspace("ks").setShard("-80")
            .addAllRowChanges(List.of(changes)))
        .build();
  }

  private static Binlogdata.RowChange change(Query.Row before, Query.Row after) {
    Binlogdata.RowChange.Builder change = Binlogdata.RowChange.newBuilder();
    if (before != null) {
      change.setBefore(before);
    }
    if (after != null) {
      change.setAfter(after);
    }
    return change.build();
  }

  private static List<String> viaWire(byte[] response) {
    List<String> out = new ArrayList<>();
    new VStreamWire.Call().decode(response, new VEventDecoder("ks", "t", true), e -> out.add(e.toString()));
    return out;
  }

  private static List<String> viaProtobuf(byte[] response) throws IOException {
    List<String> out = new ArrayList<>();
    VEventDecoder decoder = new VEventDecoder("ks", "t", true);
    for (VEvent event : Vtgate.VStreamResponse.parseFrom(response).getEventsList()) {
      decoder.decode(event, e -> out.add(e.toString()));
    }
    return out;
  }

  @Test
  void rowEventsOfEveryShapeDecodeAsTheGeneratedCodeDecodesThem() throws IOException {
    String longText = "x".repeat(300);
    byte[] response = Vtgate.VStreamResponse.newBuilder()
        .addEvents(VEvent.newBuilder().setType(VEventType.BEGIN).setTimestamp(1_700_000_000L))
        .addEvents(rows(1_700_000_000L, "ks.t", change(null, row("1", "a", null, "")),
            change(row("2", "b", "c", "d"), row("2", "B", null, "d")), change(row("3", null, null, "é🚀"), null)))
        .addEvents(rows(0, "t", change(null, row(longText, "", null))))
        .addEvents(rows(1_700_000_001L, "other.t", change(null, row())))
        .addEvents(VEvent.newBuilder().setType(VEventType.COMMIT).setTimestamp(1_700_000_000L))
        .build().toByteArray();

    List<String> wire = viaWire(response);
    assertEquals(viaProtobuf(response), wire);
    assertEquals(7, wire.size());
    assertEquals("RowChange[table=t, operation=INSERT, before=null, after=[1, a, NULL, ], eventTime=2023-11-14T22:13:20Z, shard=-80]",
        wire.get(1));
  }

  /** A VStream of several shards: each row says its shard, from the row event or else from the event. */
  @Test
  void rowsCarryTheirShard() throws IOException {
    byte[] response = Vtgate.VStreamResponse.newBuilder()
        .addEvents(rows(1, "ks.t", change(null, row("1"))).toBuilder().setShard("80-")
            .setRowEvent(Binlogdata.RowEvent.newBuilder().setTableName("ks.t").addRowChanges(change(null, row("1")))))
        .addEvents(rows(1, "ks.t", change(null, row("2"))))
        .build().toByteArray();
    List<String> wire = viaWire(response);
    assertEquals(viaProtobuf(response), wire);
    assertTrue(wire.get(0).endsWith("shard=80-]"), wire.get(0));
    assertTrue(wire.get(1).endsWith("shard=-80]"), wire.get(1));
  }

  @Test
  void rowValuesArePointedAtInTheResponseNotCopied() {
    byte[] response = Vtgate.VStreamResponse.newBuilder()
        .addEvents(rows(1, "ks.t", change(null, row("42", "forty-two")))).build().toByteArray();
    List<RawRow> rows = new ArrayList<>();
    new VStreamWire.Call().decode(response, new VEventDecoder("ks", "t", true),
        e -> rows.add(((ChangeEvent.RowChange) e).after()));
    RawRow after = rows.get(0);
    assertSame(response, after.buffer(0), "read from the response's own bytes");
    assertEquals("forty-two", new String(after.buffer(1), after.offset(1), after.length(1), StandardCharsets.UTF_8));
  }

  @Test
  void unpackedLengthsRepeatedFieldsAndUnknownFieldsStillDecode() throws IOException {
    // lengths written one by one (unpacked), an unknown field in the row, values split in two
    // fields (protobuf keeps the last): what the wire reader does not expect goes to the generated code
    ByteArrayOutputStream rowBytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(rowBytes);
    out.writeSInt64(1, 2);
    out.writeSInt64(1, -1);
    out.writeSInt64(1, 1);
    out.writeString(9, "ignored");
    out.writeBytes(2, ByteString.copyFromUtf8("zzz"));
    out.writeBytes(2, ByteString.copyFromUtf8("abc"));
    out.flush();
    Query.Row row = Query.Row.parseFrom(rowBytes.toByteArray());
    byte[] response = Vtgate.VStreamResponse.newBuilder()
        .addEvents(rows(5, "ks.t", change(null, row))).build().toByteArray();
    // the generated code merges the repeated bytes field by keeping the last
    assertEquals(viaProtobuf(response), viaWire(response));
    assertEquals(List.of("RowChange[table=t, operation=INSERT, before=null, after=[ab, NULL, c], eventTime=1970-01-01T00:00:05Z, shard=-80]"),
        viaWire(response));
  }

  @Test
  void aStopFromTheHandlerEndsTheResponseThere() {
    byte[] response = Vtgate.VStreamResponse.newBuilder()
        .addEvents(rows(1, "ks.t", change(null, row("1")), change(null, row("2"))))
        .addEvents(rows(1, "ks.t", change(null, row("3")))).build().toByteArray();
    List<ChangeEvent> seen = new ArrayList<>();
    boolean more = new VStreamWire.Call().decode(response, new VEventDecoder("ks", "t", true),
        e -> seen.add(e) && seen.size() < 2);
    assertFalse(more);
    assertEquals(2, seen.size());
  }

  @Test
  void malformedBytesAreAnUnreadableEvent() {
    byte[] response = Vtgate.VStreamResponse.newBuilder()
        .addEvents(rows(1, "ks.t", change(null, row("1", "2")))).build().toByteArray();
    byte[] cut = Arrays.copyOf(response, response.length - 3);
    // the outer length now runs past the end
    assertThrows(VEventDecoder.UnreadableEventException.class, () -> viaWire(cut));
    byte[] badRow = Vtgate.VStreamResponse.newBuilder().addEvents(rows(1, "ks.t", change(null,
        Query.Row.newBuilder().addLengths(5).setValues(ByteString.copyFromUtf8("ab")).build()))).build().toByteArray();
    assertThrows(VEventDecoder.UnreadableEventException.class, () -> viaWire(badRow));
  }

  @Test
  void aDdlIsHandedOverBeforeTheVgtidVtgateSendsAheadOfIt() {
    VEvent vgtid = VEvent.newBuilder().setType(VEventType.VGTID).setVgtid(Binlogdata.VGtid.newBuilder()
        .addShardGtids(Binlogdata.ShardGtid.newBuilder().setKeyspace("ks").setShard("-").setGtid("MySQL56/a:1-3")))
        .build();
    VEvent ddl = VEvent.newBuilder().setType(VEventType.DDL).setStatement("truncate table t").build();
    VEvent commit = VEvent.newBuilder().setType(VEventType.COMMIT).build();
    byte[] response = Vtgate.VStreamResponse.newBuilder().addEvents(vgtid).addEvents(ddl)
        .addEvents(vgtid).addEvents(commit).build().toByteArray();

    List<String> out = viaWire(response);

    assertEquals(4, out.size(), out.toString());
    assertTrue(out.get(0).startsWith("Ddl["), out.toString());
    assertTrue(out.get(1).startsWith("Vgtid["), out.toString());
    // a transaction's VGTID stays where it is, before its COMMIT
    assertTrue(out.get(2).startsWith("Vgtid[") && out.get(3).startsWith("Commit["), out.toString());
  }
}
