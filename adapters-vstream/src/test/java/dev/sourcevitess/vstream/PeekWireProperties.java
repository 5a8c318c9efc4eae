package dev.sourcevitess.vstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import binlogdata.Binlogdata;
import binlogdata.Binlogdata.VEvent;
import binlogdata.Binlogdata.VEventType;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TlsMode;
import io.vitess.proto.Query;
import io.vitess.proto.Vtgate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * What a peek reads and sends without the generated classes ({@link VgtidWire}, the HEARTBEAT and
 * OTHER shortcut of {@link VStreamWire}, {@link VStreamRequests#currentBytes}) against the
 * generated protobuf code, which stays the reference.
 */
class PeekWireProperties {
  private static final List<VEventType> TYPES = List.of(VEventType.VGTID, VEventType.VGTID, VEventType.VGTID,
      VEventType.HEARTBEAT, VEventType.OTHER, VEventType.GTID, VEventType.BEGIN, VEventType.DDL);

  /** Text as VTGate might send it: mostly short ASCII, sometimes empty, sometimes beyond ASCII. */
  private static Gen<String> text() {
    return Generate.oneOf(strings().ascii().ofLengthBetween(0, 12),
        strings().betweenCodePoints(0, 0x1F680).ofLengthBetween(0, 6), Generate.constant(""),
        Generate.constant("current"), Generate.constant("MySQL56/e8b2c1de-0000-11ee-9000-000000000100:1-57"));
  }

  private record ShardEntry(String keyspace, String shard, String gtid, boolean lastPk) {}

  private static Gen<ShardEntry> shardEntries() {
    return text().zip(text(), text(), integers().between(0, 9), (k, s, g, pk) -> new ShardEntry(k, s, g, pk == 0));
  }

  private record Shape(VEventType type, List<ShardEntry> shards, boolean noVgtid, long extras) {}

  private static VEvent event(Shape shape) {
    VEvent.Builder event = VEvent.newBuilder().setType(shape.type());
    Random extras = new Random(shape.extras());
    if (extras.nextBoolean()) {
      event.setTimestamp(extras.nextInt(Integer.MAX_VALUE)).setCurrentTime(extras.nextLong() & Long.MAX_VALUE);
    }
    if (extras.nextBoolean()) {
      event.setKeyspace("ks").setShard("-80");
    }
    if (extras.nextInt(4) == 0) {
      event.setStatement("alter table t add column c int");
    }
    if (!shape.noVgtid()) {
      Binlogdata.VGtid.Builder vgtid = Binlogdata.VGtid.newBuilder();
      for (ShardEntry entry : shape.shards()) {
        Binlogdata.ShardGtid.Builder shard = Binlogdata.ShardGtid.newBuilder()
            .setKeyspace(entry.keyspace()).setShard(entry.shard()).setGtid(entry.gtid());
        if (entry.lastPk()) {
          shard.addTablePKs(Binlogdata.TableLastPK.newBuilder().setTableName("t")
              .setLastpk(Query.QueryResult.newBuilder().addRows(Query.Row.newBuilder().addLengths(1)
                  .setValues(ByteString.copyFromUtf8("7")))));
        }
        vgtid.addShardGtids(shard);
      }
      event.setVgtid(vgtid);
    }
    if (extras.nextInt(4) == 0) {
      // a field of a newer Vitess than the protos this connector was built with
      event.setUnknownFields(UnknownFieldSet.newBuilder()
          .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(extras.nextInt(1000)).build()).build());
    }
    return event.build();
  }

  private static String outcome(byte[] response, boolean wire, String table) {
    List<String> out = new ArrayList<>();
    VEventDecoder decoder = table == null ? VEventDecoder.forPositions("ks") : new VEventDecoder("ks", table, true);
    try {
      if (wire) {
        new VStreamWire.Call().decode(response, decoder, e -> out.add(e.toString()));
      } else {
        // as the wire reader does (VStreamWire.ddlNext): a DDL right after a VGTID goes first
        List<VEvent> events = Vtgate.VStreamResponse.parseFrom(response).getEventsList();
        for (int i = 0; i < events.size(); i++) {
          VEvent event = events.get(i);
          if (event.getType() == VEventType.VGTID && i + 1 < events.size()
              && events.get(i + 1).getType() == VEventType.DDL) {
            decoder.decode(events.get(++i), e -> out.add(e.toString()));
          }
          decoder.decode(event, e -> out.add(e.toString()));
        }
      }
      return out.toString();
    } catch (VEventDecoder.UnreadableEventException e) {
      return out + " then " + e.getMessage();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return out + " then malformed";
    }
  }

  /** Any VGTID, HEARTBEAT or OTHER, and their neighbours, decode on the wire as the generated code decodes them. */
  @Test
  void peekEventsReadOnTheWireAsTheGeneratedCodeReadsThem() {
    Gen<Shape> shapes = Generate.pick(TYPES).zip(lists().of(shardEntries()).ofSizeBetween(0, 5), booleans().all(),
        longs().all(), (type, shards, noVgtid, extras) -> new Shape(type, shards, noVgtid && extras % 5 == 0, extras));
    qt().withExamples(2000).withFixedSeed(20261130L)
        .forAll(lists().of(shapes).ofSizeBetween(1, 4), Generate.pick(List.of("", "t")))
        .checkAssert((events, table) -> {
          Vtgate.VStreamResponse.Builder response = Vtgate.VStreamResponse.newBuilder();
          events.forEach(shape -> response.addEvents(event(shape)));
          byte[] bytes = response.build().toByteArray();
          String tableOrNull = table.isEmpty() ? null : table;
          assertEquals(outcome(bytes, false, tableOrNull), outcome(bytes, true, tableOrNull));
        });
  }

  /** Bytes that are not UTF-8 in a ShardGtid: the generated parser's error, not a replaced character. */
  @Test
  void textThatIsNotUtf8IsLeftToTheGeneratedParser() {
    byte[] bytes = Vtgate.VStreamResponse.newBuilder().addEvents(VEvent.newBuilder().setType(VEventType.VGTID)
        .setVgtid(Binlogdata.VGtid.newBuilder().addShardGtids(Binlogdata.ShardGtid.newBuilder()
            .setKeyspace("ks").setShard("-~").setGtid("g")))).build().toByteArray();
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = bytes[i] == '~' ? (byte) 0xE9 : bytes[i];
    }
    assertEquals("[] then a UNKNOWN event cannot be read: malformed event: Protocol message had invalid UTF-8.",
        outcome(bytes, true, null));
  }

  @Test
  void thePeeksPathIsTheMethodsName() {
    assertEquals("/" + VStreamMethod.METHOD.getFullMethodName(), VStreamMethod.PATH);
  }

  /** The peek's request written by hand is, byte for byte, what the generated code writes. */
  @Test
  void thePeekRequestIsWrittenAsTheGeneratedCodeWritesIt() {
    qt().withExamples(500).withFixedSeed(20261130L)
        .forAll(strings().betweenCodePoints(1, 0x1F680).ofLengthBetween(1, 200),
            Generate.pick(List.of(Optional.<String>empty(), Optional.of(""), Optional.of("zone1"),
                Optional.of(" zone1,zone2 "), Optional.of("é".repeat(100)))),
            integers().between(0, 2))
        .checkAssert((keyspace, cells, tablets) -> {
          SourceConfig config = TestConfigs.config("h", 1, TlsMode.DISABLED, TestConfigs.USER, TestConfigs.PASSWORD,
              30, tablets == 1, tablets == 2, cells);
          assertArrayEquals(VStreamRequests.current(keyspace, config).toByteArray(),
              VStreamRequests.currentBytes(keyspace, config));
        });
  }
}
