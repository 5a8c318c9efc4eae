package dev.sourcevitess.vstream;

import static dev.sourcevitess.vstream.fake.ColumnDef.notNull;
import static dev.sourcevitess.vstream.fake.ColumnDef.nullable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.GtidPosition;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.TlsMode;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreams;
import dev.sourcevitess.vstream.fake.FakeKeyspace;
import dev.sourcevitess.vstream.fake.FakeShard;
import dev.sourcevitess.vstream.fake.FakeVitess;
import dev.sourcevitess.vstream.fake.FakeVtgate;
import dev.sourcevitess.vstream.fake.TableDef;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Vitess over MariaDB, as the fake VTGate plays it: positions are {@code MariaDB/0-<server id>-n}. */
class VtgateMariaDbPositionsTest {
  private static final TableDef CUSTOMER = TableDef.of("customer", List.of("id"),
      notNull("id", "bigint"), nullable("email", "varchar(128)"));

  private final FakeVitess vitess = new FakeVitess();
  private final FakeVtgate vtgate = FakeVtgate.inProcess(vitess);
  private final FakeKeyspace keyspace = vitess.addKeyspace("commerce", "-80", "80-")
      .flavor(GtidPosition.Flavor.MARIADB).createTable(CUSTOMER);
  private final ChangeStreams streams = new VtgateChangeStreams(vtgate.channel(),
      new VtgateCredentials(TestConfigs.USER, new Secret(TestConfigs.PASSWORD)),
      TestConfigs.config("fake", 1, TlsMode.DISABLED, TestConfigs.USER, TestConfigs.PASSWORD, 20, false, false,
          Optional.empty()), Duration.ofSeconds(1));

  @AfterEach
  void stop() {
    vtgate.close();
  }

  private static ChangeStreams.Request request(String position) {
    return new ChangeStreams.Request("commerce", "customer", List.of(new ChangeStreams.Start(new Shard("-80"),
        position, null)));
  }

  private void insert(FakeShard shard, String id) {
    shard.commit(tx -> tx.insert("customer", id, id + "@example.com"));
  }

  @Test
  void thePeekReportsEachShardsMariaDbPosition() {
    FakeShard low = keyspace.shard("-80");
    insert(low, "1");
    insert(low, "2");

    Map<Shard, String> positions = streams.currentPositions("commerce");

    Map<Shard, String> expected = new TreeMap<>();
    keyspace.positions().forEach((shard, position) -> expected.put(new Shard(shard), position));
    assertEquals(expected, positions);
    assertEquals("MariaDB/0-" + low.serverId() + "-3", positions.get(new Shard("-80")));
    assertEquals("MariaDB/0-" + keyspace.shard("80-").serverId() + "-1", positions.get(new Shard("80-")));
  }

  @Test
  void aStreamFromAMariaDbPositionBringsWhatCameAfterWithMariaDbVgtids() {
    FakeShard low = keyspace.shard("-80");
    insert(low, "1");
    String from = low.position();
    insert(low, "2");
    insert(low, "3");
    String last = low.positionAt(4);
    Recorder recorder = Recorder.until(e -> e instanceof ChangeEvent.Vgtid v
        && v.shards().get(0).position().equals(last));

    streams.stream(request(from), recorder);

    assertEquals(List.of(Arrays.asList("2", "2@example.com"), Arrays.asList("3", "3@example.com")),
        recorder.rows().stream().map(Recorder.Row::after).toList());
    assertEquals(List.of(low.positionAt(3), low.positionAt(4)),
        recorder.of(ChangeEvent.Vgtid.class).stream().map(v -> v.shards().get(0).position()).toList());
    assertEquals(last, low.position());
  }

  @Test
  void aMysqlPositionOnAMariaDbShardIsAGtidSetMismatch() {
    ChangeStreamException e = assertThrows(ChangeStreamException.class, () -> streams.stream(
        request("MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"), Recorder.until(x -> false)));
    assertEquals(ChangeStreamException.Reason.POSITION_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains("GTIDSet Mismatch"), e.getMessage());
  }

  @Test
  void aMariaDbPositionAheadOfTheShardOrOfAnotherServerIsAGtidSetMismatch() {
    FakeShard low = keyspace.shard("-80");
    insert(low, "1");
    for (String position : List.of(low.positionAt(9), "MariaDB/0-" + (low.serverId() + 50) + "-2")) {
      ChangeStreamException e = assertThrows(ChangeStreamException.class,
          () -> streams.stream(request(position), Recorder.until(x -> false)), position);
      assertEquals(ChangeStreamException.Reason.POSITION_MISMATCH, e.reason(), position);
      assertTrue(e.getMessage().contains("GTIDSet Mismatch"), e.getMessage());
    }
  }
}
