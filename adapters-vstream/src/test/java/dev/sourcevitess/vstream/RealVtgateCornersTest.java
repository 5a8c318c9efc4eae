package dev.sourcevitess.vstream;

import static dev.sourcevitess.vstream.fake.ColumnDef.notNull;
import static dev.sourcevitess.vstream.fake.ColumnDef.nullable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TlsMode;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreamException.Reason;
import dev.sourcevitess.domain.port.ChangeStreams;
import dev.sourcevitess.vstream.fake.FakeShard;
import dev.sourcevitess.vstream.fake.FakeVitess;
import dev.sourcevitess.vstream.fake.FakeVtgate;
import dev.sourcevitess.vstream.fake.Quirks;
import dev.sourcevitess.vstream.fake.TableDef;
import io.vitess.proto.Topodata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What real VTGate does that a simpler server would not, as the fake now does it too: text in each
 * column's character set, partial row images, ENUM and SET by FIELD event, unnamed columns, and
 * the errors with the codes and words of Vitess's source.
 */
class RealVtgateCornersTest {
  static final TableDef PEOPLE = TableDef.of("people", List.of("id"),
      notNull("id", "bigint"),
      nullable("name", "varchar(64)").collate(8),
      nullable("city", "varchar(64)").collate(26),
      nullable("note", "varchar(64)").collate(35),
      nullable("motto", "varchar(64)"));
  static final TableDef DOCS = TableDef.of("docs", List.of("id"),
      notNull("id", "bigint"), nullable("body", "text"), nullable("meta", "json"), nullable("n", "int"));

  private final FakeVitess vitess = new FakeVitess();
  private FakeVtgate vtgate;

  @BeforeEach
  void start() {
    vtgate = FakeVtgate.inProcess(vitess).requireCredentials(TestConfigs.USER, TestConfigs.PASSWORD);
  }

  @AfterEach
  void stop() {
    vtgate.close();
  }

  private ChangeStreams streams(boolean replica) {
    SourceConfig config = TestConfigs.config("fake", 1, TlsMode.DISABLED, TestConfigs.USER, TestConfigs.PASSWORD,
        20, replica, false, Optional.empty());
    return new VtgateChangeStreams(vtgate.channel(),
        new VtgateCredentials(config.username(), new Secret(TestConfigs.PASSWORD)), config, Duration.ofSeconds(1));
  }

  private static ChangeStreams.Request request(String table, String position) {
    return new ChangeStreams.Request("commerce", table, List.of(new ChangeStreams.Start(Shard.UNSHARDED, position, null)));
  }

  /** Every value of every row, as the columns of the FIELD event before it write them. */
  private static final class Written implements ChangeStreams.Handler {
    final List<List<String>> rows = new ArrayList<>();
    final List<ChangeEvent.Fields> fields = new ArrayList<>();
    private final int rowsWanted;

    Written(int rowsWanted) {
      this.rowsWanted = rowsWanted;
    }

    @Override
    public boolean onEvent(ChangeEvent event) {
      if (event instanceof ChangeEvent.Fields f) {
        fields.add(f);
      } else if (event instanceof ChangeEvent.RowChange row) {
        List<String> values = new ArrayList<>();
        List<Column> columns = fields.get(fields.size() - 1).columns();
        var image = row.after() != null ? row.after() : row.before();
        for (int i = 0; i < columns.size(); i++) {
          columns.get(i).write(image, i, new WrittenStrings(values));
        }
        rows.add(values);
      }
      return rows.size() < rowsWanted;
    }
  }

  // ------------------------------------------------------------------ character sets

  @Test
  void textArrivesInItsColumnsCharacterSetAndIsWrittenAsUnicode() {
    FakeShard shard = vitess.addKeyspace("commerce", "-").createTable(PEOPLE).shard("-");
    List<String> ana = Arrays.asList("1", "Ana Müller é", "Łódź", "日本", "ok ✓");
    shard.load("people", List.of(ana));
    List<String> bo = Arrays.asList("2", "Bø", "Žilina", "€", null);
    shard.commit(tx -> tx.insert("people", bo.toArray(String[]::new)));
    Written written = new Written(2);

    streams(false).stream(request("people", ""), written);

    assertEquals(List.of(ana, bo), written.rows, "the copy's row and the binlog's");
    ChangeEvent.Fields copy = written.fields.get(0);
    assertEquals("x-mysql-latin1", copy.columns().get(1).type().charset().name());
    assertEquals(null, copy.columns().get(4).type().charset(), "UTF-8 keeps the fast path");
  }

  @Test
  void latin1IsMysqlsWindows1252() {
    MysqlCharsets.Text text = MysqlCharsets.text(8);
    var charset = ((MysqlCharsets.Decoded) text).charset();
    // 0x80 is the euro sign in MySQL's latin1 (not a control character), 0x81 stays U+0081, é is 0xE9
    assertEquals("\u20ac\u0081é", new String(new byte[] {(byte) 0x80, (byte) 0x81, (byte) 0xE9}, charset));
  }

  @Test
  void anUnknownCollationStopsTheStreamNamingTableColumnAndId() {
    TableDef odd = TableDef.of("odd", List.of("id"), notNull("id", "bigint"),
        nullable("label", "varchar(8)").collate(3));
    vitess.addKeyspace("commerce", "-").createTable(odd).shard("-").load("odd", List.of(List.of("1", "x")));

    ChangeStreamException e = assertThrows(ChangeStreamException.class,
        () -> streams(false).stream(request("odd", ""), new Written(1)));

    assertEquals(Reason.UNREADABLE_ROWS, e.reason());
    assertTrue(e.getMessage().contains("Column label of table odd has collation id 3 (character set dec8)"),
        e.getMessage());
  }

  // ------------------------------------------------------------------ partial images

  private FakeShard docs() {
    FakeShard shard = vitess.addKeyspace("commerce", "-").createTable(DOCS).shard("-");
    shard.commit(tx -> tx.insert("docs", "1", "a long text", "{\"a\": 1}", "1"));
    return shard;
  }

  @Test
  void aNoblobAfterImageIsRefusedNotWrittenWithNulls() {
    FakeShard shard = docs();
    String before = shard.position();
    shard.commit(tx -> tx.update("docs", "1", "a long text", "{\"a\": 1}", "2"));
    vtgate.binlogRowImage(Quirks.RowImage.NOBLOB, false);
    Written written = new Written(1);

    ChangeStreamException e = assertThrows(ChangeStreamException.class,
        () -> streams(false).stream(request("docs", before), written));

    assertEquals(Reason.UNREADABLE_ROWS, e.reason());
    assertTrue(e.getMessage().contains("binlog_row_image=FULL"), e.getMessage());
    assertTrue(e.getMessage().contains("table docs lacks the values of its columns number 2"), e.getMessage());
    assertTrue(written.rows.isEmpty());
  }

  @Test
  void aNoblobUpdateThatChangedEveryTextIsWhole() {
    FakeShard shard = docs();
    String before = shard.position();
    shard.commit(tx -> tx.update("docs", "1", "new text", "{\"a\": 1}", "2"));
    vtgate.binlogRowImage(Quirks.RowImage.NOBLOB, false);
    Written written = new Written(1);

    streams(false).stream(request("docs", before), written);

    assertEquals(List.of(List.of("1", "new text", "{\"a\": 1}", "2")), written.rows);
  }

  @Test
  void aPartialJsonValueIsRefused() {
    FakeShard shard = docs();
    String before = shard.position();
    shard.commit(tx -> tx.update("docs", "1", "a long text", "{\"a\": 2}", "1"));
    vtgate.binlogRowImage(Quirks.RowImage.FULL, true);

    ChangeStreamException e = assertThrows(ChangeStreamException.class,
        () -> streams(false).stream(request("docs", before), new Written(1)));

    assertEquals(Reason.UNREADABLE_ROWS, e.reason());
    assertTrue(e.getMessage().contains("PARTIAL_JSON"), e.getMessage());
  }

  @Test
  void minimalRowImagesAreRefusedByTheTablets() {
    FakeShard shard = docs();
    vtgate.binlogRowImage(Quirks.RowImage.MINIMAL, false);

    ChangeStreamException e = assertThrows(ChangeStreamException.class,
        () -> streams(false).stream(request("docs", shard.position()), new Written(1)));

    assertEquals(Reason.UNREADABLE_ROWS, e.reason());
    assertTrue(e.getMessage().contains("binlog_row_image=FULL"), e.getMessage());
  }

  // ------------------------------------------------------------------ ENUM and SET, unnamed columns

  @Test
  void beforeVitess20TheCatchUpOfAResumedCopyCarriesIndexes() {
    TableDef orders = TableDef.of("orders", List.of("id"), notNull("id", "bigint"),
        nullable("status", "enum('new','paid')"), nullable("tags", "set('a','b','c')"));
    FakeShard shard = vitess.addKeyspace("commerce", "-").createTable(orders).shard("-");
    shard.load("orders", List.of(List.of("1", "new", "a"), List.of("2", "new", "b")));
    String copiedAt = shard.position();
    // changed after the first row was copied: the resumed copy catches it up from the binlog
    shard.commit(tx -> tx.update("orders", "1", "paid", "a,c"));
    vtgate.enumSetAsNumbers(true);
    var lastKey = new dev.sourcevitess.domain.model.LastKey(List.of(
        dev.sourcevitess.domain.model.KeyValue.text("id", io.vitess.proto.Query.Type.INT64_VALUE, "1")));
    Written written = new Written(2);

    streams(false).stream(new ChangeStreams.Request("commerce", "orders",
        List.of(new ChangeStreams.Start(Shard.UNSHARDED, copiedAt, lastKey))), written);

    assertEquals(List.of(List.of("1", "paid", "a,c"), List.of("2", "new", "b")), written.rows);
    assertTrue(written.fields.get(0).columns().get(1).type().membersByIndex(), "the catch-up's FIELD");
    assertFalse(written.fields.get(1).columns().get(1).type().membersByIndex(), "the copy's FIELD");
  }

  @Test
  void columnsTheTabletCannotNameStopTheStream() {
    FakeShard shard = docs();
    String before = shard.position();
    shard.commit(tx -> tx.update("docs", "1", "b", "{}", "3"));
    vtgate.unnamedColumns("docs");

    ChangeStreamException e = assertThrows(ChangeStreamException.class,
        () -> streams(false).stream(request("docs", before), new Written(1)));

    assertEquals(Reason.UNREADABLE_ROWS, e.reason());
    assertTrue(e.getMessage().contains("columns of table docs"), e.getMessage());
    assertTrue(e.getMessage().contains("@1..@4"), e.getMessage());
  }

  // ------------------------------------------------------------------ errors as VTGate words them

  @Test
  void anUnknownKeyspaceIsNamedAsSuch() {
    vitess.addKeyspace("commerce", "-");
    ChangeStreamException e = assertThrows(ChangeStreamException.class,
        () -> streams(false).currentPositions("nope"));
    assertEquals(Reason.NOT_FOUND, e.reason());
    assertTrue(e.getMessage().contains("UNKNOWN"), e.getMessage());
    assertTrue(e.getMessage().contains("knows no such keyspace"), e.getMessage());
  }

  @Test
  void aShardGoneAfterAReshardIsNamed() {
    vitess.addKeyspace("commerce", "-80", "80-").createTable(DOCS);
    ChangeStreamException e = assertThrows(ChangeStreamException.class, () -> streams(false).stream(
        new ChangeStreams.Request("commerce", "docs", List.of(new ChangeStreams.Start(new Shard("-"), "", null))),
        new Written(1)));
    assertEquals(Reason.NOT_FOUND, e.reason());
    assertTrue(e.getMessage().contains("FAILED_PRECONDITION"), e.getMessage());
    assertTrue(e.getMessage().contains("shard - is not a shard of keyspace commerce"), e.getMessage());
  }

  @Test
  void noTabletOfTheTypeIsSaidAfterThePickersWait() {
    docs();
    vtgate.servedTabletTypes(Duration.ofMillis(200), Topodata.TabletType.PRIMARY);
    long started = System.nanoTime();

    ChangeStreamException e = assertThrows(ChangeStreamException.class,
        () -> streams(true).currentPositions("commerce"));

    assertTrue(System.nanoTime() - started >= Duration.ofMillis(200).toNanos());
    assertEquals(Reason.NO_TABLET, e.reason());
    assertTrue(e.getMessage().contains("no serving REPLICA tablet of commerce/-"), e.getMessage());
    assertTrue(e.getMessage().contains("cells"), e.getMessage());
  }

  @Test
  void aLaggingReplicaIsAMismatchThatPassesOnTheNextCall() {
    FakeShard shard = docs();
    String position = shard.position();
    shard.commit(tx -> tx.insert("docs", "2", null, null, null));
    vtgate.laggingReplica(1);

    ChangeStreamException e = assertThrows(ChangeStreamException.class,
        () -> streams(true).stream(request("docs", position), new Written(1)));
    assertEquals(Reason.POSITION_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains("GTIDSet Mismatch"), e.getMessage());

    Written written = new Written(1);
    streams(true).stream(request("docs", position), written);
    assertEquals(List.of(Arrays.asList("2", null, null, null)), written.rows);
  }

  @Test
  void purgedBinlogsAreLostNotMismatched() {
    FakeShard shard = docs();
    String position = shard.position();
    for (int i = 2; i <= 4; i++) {
      String id = Integer.toString(i);
      shard.commit(tx -> tx.insert("docs", id, null, null, null));
    }
    shard.purgeBinlogsThrough(3);

    ChangeStreamException e = assertThrows(ChangeStreamException.class,
        () -> streams(false).stream(request("docs", position), new Written(1)));

    assertEquals(Reason.POSITION_LOST, e.reason());
    assertTrue(e.getMessage().contains("errno 1236"), e.getMessage());
    assertTrue(e.getMessage().contains("UNKNOWN"), e.getMessage());
  }
}
